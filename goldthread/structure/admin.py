from django.contrib import admin

from goldthread.core.admin_base import ReferenceDataAdmin
from goldthread.structure import models


@admin.register(models.Council)
class CouncilAdmin(ReferenceDataAdmin):
    list_display = ("name", "ons_code")


@admin.register(models.Directorate)
class DirectorateAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "director")


@admin.register(models.Service)
class ServiceAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "directorate")
    list_filter = ("directorate",)


@admin.register(models.Area)
class AreaAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)


@admin.register(models.Outcome)
class OutcomeAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "order")


@admin.register(models.Priority)
class PriorityAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "outcome", "lead_member")
    list_filter = ("outcome",)


@admin.register(models.Objective)
class ObjectiveAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "priority", "service")
    list_filter = ("priority__outcome",)
