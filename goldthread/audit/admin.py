from django.contrib import admin

from goldthread.audit.models import AuditEvent
from goldthread.core.admin_base import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "verb", "object_label", "actor")
    list_filter = ("verb",)
