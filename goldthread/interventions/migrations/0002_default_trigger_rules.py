"""The seeds' triggers as shipped defaults, in their own words. Officers may change them later."""

from django.db import migrations

from goldthread.interventions.defaults import DEFAULT_RULES


def add_rules(apps, schema_editor):
    TriggerRule = apps.get_model("interventions", "TriggerRule")
    for fields in DEFAULT_RULES:
        TriggerRule.objects.get_or_create(code=fields["code"], defaults=fields)


def remove_rules(apps, schema_editor):
    # Reversing keeps rules that recommendations already point at: nothing is hard-deleted.
    TriggerRule = apps.get_model("interventions", "TriggerRule")
    TriggerRule.objects.filter(
        code__in=[r["code"] for r in DEFAULT_RULES], recommendations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_ladder_rules_recommendations")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
