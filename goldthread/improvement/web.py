"""What every form page in this app does: show the question, run one service step on a valid
answer, and turn the step's refusal into the form's own error message instead of a 500."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from goldthread.improvement.services import ImprovementError


def posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def form_page(request: HttpRequest, form, **page) -> HttpResponse:
    """One GOV.UK question page: caption, title, optional paragraphs, the form, a button.
    `back` (a record) or `back_url` (a URL name) is where the breadcrumb and Cancel go."""
    page.setdefault("button", "Save")
    return render(request, "improvement/form.html", {"form": form, **page})


def form_step(
    request: HttpRequest,
    form,
    *,
    success: str,
    step: Callable[[dict], Any],
    then: Any = None,
    warns: bool = False,
    **page,
) -> HttpResponse:
    """On a valid POST run `step(cleaned_data)` and go to `then` (or to what the step
    returned); with `warns`, the step returns problems to show after the success message."""
    if request.method == "POST" and form.is_valid():
        try:
            result = step(form.cleaned_data)
        except ImprovementError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, success)
            for problem in result if warns else []:
                messages.error(request, problem)
            return redirect(then if then is not None else result)
    return form_page(request, form, **page)


def input_from(data: dict, cls: type) -> Any:
    """A service's input dataclass from a form's cleaned data, field by field."""
    return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
