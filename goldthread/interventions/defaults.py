"""The trigger rules Goldthread ships with: the seeds' triggers, in the frameworks' own words.

The data migration adds them; `ensure_default_rules` puts them back into an empty table (a test
database emptied between browser tests, say). Officers change the numbers, never delete rules.
"""

from __future__ import annotations

ROTHERHAM = "Rotherham MBC, Performance Clinics Framework (Self Regulation Select Committee, 2013)"
DEFAULT_RULES = [
    {
        "code": "managerial-clinic",
        "kind": "managerial_clinic",
        "name": "Managerial performance clinic",
        "wording": (
            "Below target now and forecast to miss the year-end target; or on target but a known "
            "event or risk (recorded by the owner or from a linked risk) is forecast to make it "
            "miss."
        ),
        "source": f"{ROTHERHAM}, section 7.1, trigger points",
        "for_periods": 1,
        "recovery_periods": 2,
        "period_unit": "period",
        "order": 1,
    },
    {
        "code": "ad-hoc-challenge",
        "kind": "ad_hoc_challenge",
        "name": "Ad hoc challenge event (member-led)",
        "wording": (
            "Underperformance on a corporate priority that a managerial clinic's action plan has "
            "not improved."
        ),
        "source": f"{ROTHERHAM}, section 7.2, trigger points",
        "for_periods": 1,
        "recovery_periods": 2,
        "period_unit": "quarter",
        "order": 2,
    },
    {
        "code": "planned-challenge",
        "kind": "planned_challenge",
        "name": "Planned challenge event (scrutiny)",
        "wording": (
            "Red for two quarters with no sign of improvement (no improving special cause or "
            "trend); long-term issues persisting after a member-led clinic."
        ),
        "source": f"{ROTHERHAM}, section 7.3, trigger points",
        "for_periods": 2,
        "recovery_periods": 1,
        "period_unit": "quarter",
        "order": 3,
    },
    {
        "code": "improvement-plan",
        "kind": "improvement_plan",
        "name": "Performance Improvement Plan",
        "wording": "Below target or expected not to reach it.",
        "source": "Head of Performance, Use of Performance Improvement Plans, proposed action 4.1",
        "for_periods": 1,
        "recovery_periods": 2,
        "period_unit": "period",
        "order": 4,
    },
    {
        "code": "recognition",
        "kind": "recognition",
        "name": "Recognition of good performance",
        "wording": (
            "Performing particularly well (for exception reports and clinics that recognise it)."
        ),
        "source": "Ribble Valley BC, performance management for members, sections 5.3 and 6.1",
        "threshold": 10.0,
        "for_periods": 2,
        "recovery_periods": 1,
        "period_unit": "period",
        "order": 5,
    },
]


def ensure_default_rules(trigger_rule_model) -> None:
    """Add the default rules when there are none at all; existing rules are never touched."""
    if trigger_rule_model.objects.exists():
        return
    for fields in DEFAULT_RULES:
        trigger_rule_model.objects.get_or_create(code=fields["code"], defaults=fields)
