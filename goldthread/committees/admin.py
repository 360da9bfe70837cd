from django.contrib import admin

from goldthread.committees import models
from goldthread.core.admin_base import ReferenceDataAdmin


class MembershipInline(admin.TabularInline):
    model = models.CommitteeMembership
    extra = 0
    can_delete = False


@admin.register(models.Committee)
class CommitteeAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    filter_horizontal = ("scope_priorities", "scope_indicators")
    inlines = [MembershipInline]


@admin.register(models.Meeting)
class MeetingAdmin(ReferenceDataAdmin):
    list_display = ("committee", "date", "title")
    list_filter = ("committee",)
