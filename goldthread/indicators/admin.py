from django.contrib import admin

from goldthread.core.admin_base import ReadOnlyAdmin, ReferenceDataAdmin
from goldthread.indicators import models


@admin.register(models.Indicator)
class IndicatorAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "frequency", "polarity", "on_scorecard", "retired_at")
    list_filter = ("frequency", "polarity", "on_scorecard", "is_context", "service__directorate")
    search_fields = ("code", "name")
    filter_horizontal = ("outcomes", "priorities", "objectives")


@admin.register(models.Basket)
class BasketAdmin(ReferenceDataAdmin):
    list_display = ("name", "outcome")
    filter_horizontal = ("indicators",)


@admin.register(models.TargetVersion)
class TargetVersionAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "version", "annual_target", "created_by", "created_at")
    list_filter = ("year", "is_illustrative")
    search_fields = ("indicator__code",)


@admin.register(models.RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("version", "default_tolerance", "default_tolerance_kind", "created_at")


@admin.register(models.Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "period", "rag", "is_published", "rules")
    list_filter = ("rag", "is_published")
    search_fields = ("indicator__code",)
