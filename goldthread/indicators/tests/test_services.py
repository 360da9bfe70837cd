"""The judging, target and rule services: versions, and published judgements that never drift."""

import pytest

from goldthread.audit.models import AuditEvent
from goldthread.indicators.models import Judgement, RuleSet, TargetVersion, ValueState
from goldthread.indicators.services.judging import publish, rejudge, republish
from goldthread.indicators.services.rules import change_rules, current_rules
from goldthread.indicators.services.targets import TargetChange, current_target, set_target
from goldthread.indicators.signals import judgements_published
from goldthread.testing.world import add_values


def _judgement(indicator, period) -> Judgement:
    return Judgement.objects.get(indicator=indicator, period=period)


def _loosen_rules(actor, tolerance=50.0):
    return change_rules(
        actor=actor,
        reason="Wider amber band",
        default_tolerance=tolerance,
        default_tolerance_kind="percent",
        direction_threshold=0.0,
    )


# The world's ENV1 target for 2025/26 is 50% with a 5% tolerance (amber from 47.5%).
@pytest.mark.parametrize(
    ("period", "rag", "published"),
    [
        ("2025-04", "green", True),
        ("2025-05", "green", True),
        ("2025-06", "amber", True),
        ("2025-07", "red", False),
    ],
)
def test_the_worlds_judgements_are_as_expected(world, period, rag, published):
    judgement = _judgement(world.recycling, period)

    assert (judgement.rag, judgement.is_published) == (rag, published)


def test_a_draft_figure_is_never_judged(world):
    assert not Judgement.objects.filter(indicator=world.recycling, period="2025-08").exists()


def test_rejudging_twice_changes_nothing(world):
    summary = rejudge()

    assert (summary.created, summary.updated) == (0, 0)
    assert summary.kept_published == Judgement.objects.filter(is_published=True).count()


def test_rejudge_creates_a_judgement_when_a_figure_is_approved(world):
    add_values(world.recycling, {"2025-09": 60.0}, state=ValueState.APPROVED)

    summary = rejudge([world.recycling])

    assert summary.created == 1
    assert _judgement(world.recycling, "2025-09").rag == "green"


def test_a_new_target_rejudges_unpublished_periods_but_not_published_ones(world):
    set_target(
        world.recycling,
        TargetChange(year=2025, annual_target=45.0, tolerance=5.0, reason="Lowered"),
        actor=world.alice,
    )

    assert _judgement(world.recycling, "2025-07").rag == "green"
    assert _judgement(world.recycling, "2025-06").rag == "amber"
    assert _judgement(world.recycling, "2025-06").target == 50.0


def test_changing_the_rules_never_alters_a_published_judgement(world):
    before = {j.pk: (j.rag, j.rules_id) for j in Judgement.objects.filter(is_published=True)}

    _loosen_rules(world.alice)
    rejudge()

    after = {j.pk: (j.rag, j.rules_id) for j in Judgement.objects.filter(is_published=True)}
    assert after == before


def test_republishing_applies_todays_target_and_records_why(world):
    set_target(
        world.recycling,
        TargetChange(year=2025, annual_target=45.0, tolerance=5.0, reason="Lowered"),
        actor=world.alice,
    )

    judgement = republish(world.recycling, "2025-06", actor=world.alice, reason="Target corrected")

    assert (judgement.rag, judgement.target, judgement.target_version.version) == ("green", 45, 2)
    assert (judgement.publish_reason, judgement.published_by) == ("Target corrected", world.alice)
    event = AuditEvent.objects.get(verb="judgement_republished")
    assert event.reason == "Target corrected"
    assert (event.data["before"]["rag"], event.data["after"]["rag"]) == ("amber", "green")


def test_republishing_applies_todays_rules(world):
    rules = _loosen_rules(world.alice)
    world.recycling.targets.update(tolerance=None)

    judgement = republish(world.recycling, "2025-06", actor=world.alice, reason="New rules")

    assert judgement.rules == rules


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_republishing_without_a_reason_is_refused(world, reason):
    with pytest.raises(ValueError, match="reason"):
        republish(world.recycling, "2025-06", actor=world.alice, reason=reason)

    assert _judgement(world.recycling, "2025-06").publish_reason == ""


def test_republishing_keeps_the_history_with_the_reason(world):
    republish(world.recycling, "2025-06", actor=world.alice, reason="Checked")

    latest = _judgement(world.recycling, "2025-06").history.latest("history_date")
    assert latest.history_change_reason == "Checked"


def test_republishing_tells_the_apps_that_listen_for_publications(world):
    heard = []

    def listener(sender, judgements, actor=None, **kwargs):
        heard.append(([j.period for j in judgements], actor))

    judgements_published.connect(listener, dispatch_uid="test-republish")
    try:
        republish(world.recycling, "2025-06", actor=world.alice, reason="Checked")
    finally:
        judgements_published.disconnect(dispatch_uid="test-republish")
    assert heard == [(["2025-06"], world.alice)]


def test_publishing_marks_who_and_when_and_skips_the_already_published(world):
    unpublished = _judgement(world.recycling, "2025-07")

    assert publish([unpublished, _judgement(world.recycling, "2025-06")], actor=world.alice) == 1

    unpublished.refresh_from_db()
    assert unpublished.is_published
    assert unpublished.published_by == world.alice
    assert unpublished.published_at is not None


def test_publishing_by_the_system_leaves_no_person(world):
    unpublished = _judgement(world.recycling, "2025-07")

    publish([unpublished], actor=None)

    unpublished.refresh_from_db()
    assert unpublished.published_by is None


def test_a_published_judgement_survives_a_new_target_and_new_rules_together(world):
    publish([_judgement(world.recycling, "2025-07")], actor=world.alice)
    set_target(
        world.recycling,
        TargetChange(year=2025, annual_target=40.0, reason="Lowered"),
        actor=world.alice,
    )
    _loosen_rules(world.alice)
    rejudge()

    assert _judgement(world.recycling, "2025-07").rag == "red"


# Targets: every change is a new version, numbered per indicator and year.
def test_set_target_numbers_versions_per_year(world):
    change = TargetChange(year=2025, annual_target=52.0, reason="Second")
    other_year = TargetChange(year=2026, annual_target=55.0, reason="Next year")

    second = set_target(world.recycling, change, actor=world.alice)
    first_next_year = set_target(world.recycling, other_year, actor=world.alice)

    assert (second.version, first_next_year.version) == (2, 1)
    assert current_target(world.recycling, 2025) == second
    assert TargetVersion.objects.filter(indicator=world.recycling, year=2025).count() == 2


def test_set_target_keeps_earlier_versions_unchanged(world):
    set_target(
        world.recycling, TargetChange(year=2025, annual_target=60.0, reason="x"), actor=world.alice
    )

    first = TargetVersion.objects.get(indicator=world.recycling, year=2025, version=1)
    assert (first.annual_target, first.reason) == (50.0, "Agreed by cabinet")


def test_set_target_records_who_and_why(world):
    version = set_target(
        world.recycling,
        TargetChange(year=2025, annual_target=60.0, reason="Why"),
        actor=world.alice,
    )

    event = AuditEvent.objects.filter(verb="target_set").first()
    assert version.created_by == world.alice
    assert (event.actor, event.reason, event.data["version"]) == (world.alice, "Why", 2)


def test_a_target_set_by_the_system_has_no_person(world):
    version = set_target(
        world.complaints, TargetChange(year=2025, annual_target=20, reason="Load"), actor=None
    )

    assert version.created_by is None


# Rules: versions, and the defaults made once.
def test_current_rules_are_made_once_with_the_defaults(db):
    first = current_rules()

    assert current_rules() == first
    assert (first.version, RuleSet.objects.count()) == (1, 1)


def test_change_rules_makes_the_next_version_and_records_why(world):
    previous = current_rules()

    rules = _loosen_rules(world.alice, tolerance=12.5)

    assert rules.version == previous.version + 1
    assert current_rules() == rules
    assert (rules.default_tolerance, rules.created_by) == (12.5, world.alice)
    assert AuditEvent.objects.get(verb="rules_changed").reason == "Wider amber band"


def test_changing_the_rules_rejudges_unpublished_periods(world):
    world.recycling.targets.update(tolerance=None)
    _loosen_rules(world.alice, tolerance=50.0)

    rejudge()

    assert _judgement(world.recycling, "2025-07").rag == "amber"
    assert _judgement(world.recycling, "2025-06").rules.version == 1
