from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate

from goldthread.core.forms import GovukForm


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        max_length=200,
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        if self.user is None or not self.user.is_active:
            self.add_error("username", "Enter a correct username and password")
        return data
