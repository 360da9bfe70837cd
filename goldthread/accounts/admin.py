from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from goldthread.accounts.models import User
from goldthread.core.admin_base import PeopleAdmin


@admin.register(User)
class GoldthreadUserAdmin(PeopleAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Role", {"fields": ("role", "job_title")}))
