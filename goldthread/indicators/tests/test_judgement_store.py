"""Re-judging writes only what changed: digests, SPC segments, latest-only fields (ADR 10)."""

import numpy as np
import pytest

from goldthread.analysis.spc import xmr
from goldthread.core.formatting import format_value
from goldthread.indicators.models import Judgement, SpcSegment, ValueState
from goldthread.indicators.presenters.detail import build_indicator_page
from goldthread.indicators.services import judgement_store
from goldthread.indicators.services.judging import rejudge
from goldthread.testing.world import add_values

# ENV1's approved and published figures in the world, April to July 2025.
ENV1 = [50.0, 52.0, 48.0, 47.0]


def _approve_august(world) -> None:
    """The world's August figure (41) is a draft until now."""
    world.recycling.values.filter(period="2025-08").update(state=ValueState.APPROVED)


def _columns(*rows):
    floats = np.array([r[0] for r in rows], dtype=float)
    strings = np.array([r[1] for r in rows], dtype=object)
    return [floats, strings]


def test_a_digest_is_the_same_for_the_same_values_and_in_another_call():
    first = judgement_store.digests(_columns((1.5, "red"), (np.nan, None)))
    again = judgement_store.digests(_columns((1.5, "red"), (np.nan, None)))

    assert first.dtype == np.int64
    assert first.tolist() == again.tolist()


@pytest.mark.parametrize(
    "other",
    [(1.5000001, "red"), (1.5, "amber"), (np.nan, "red"), (1.5, None), (1.5, ""), (-1.5, "red")],
)
def test_a_digest_changes_when_any_field_changes(other):
    base, changed = judgement_store.digests(_columns((1.5, "red"), other))

    assert base != changed


def test_a_digest_tells_apart_the_same_values_in_different_columns():
    one = judgement_store.digests([np.array(["a"], dtype=object), np.array(["b"], dtype=object)])
    two = judgement_store.digests([np.array(["b"], dtype=object), np.array(["a"], dtype=object)])

    assert one[0] != two[0]


def test_plan_inserts_new_rows_updates_changed_ones_and_leaves_published_ones():
    codes = np.array([10, 11, 12, 13, 14])
    digest = np.array([100, 101, 102, 103, 104])
    stored = judgement_store.Stored.of(
        [1, 2, 3, 4], [11, 12, 13, 14], [False, False, True, False], [101, 999, 0, None]
    )

    plan = judgement_store.plan(codes, digest, stored)

    assert plan.new.tolist() == [0]
    assert sorted(plan.changed.tolist()) == [2, 4]
    assert sorted(plan.changed_ids.tolist()) == [2, 4]
    assert (plan.unchanged, plan.kept_published) == (1, 1)


def test_plan_with_nothing_stored_inserts_everything():
    nothing = judgement_store.Stored.of([], [], [], [])

    plan = judgement_store.plan(np.array([5, 3]), np.array([1, 2]), nothing)

    assert plan.new.tolist() == [0, 1] and not len(plan.changed)


def test_a_new_month_writes_the_new_judgement_and_the_previous_latest_only(world):
    before = dict(Judgement.objects.values_list("period", "computed_at"))
    _approve_august(world)

    summary = rejudge([world.recycling])

    assert summary.created == 1
    # July loses its forecast and icons; the published months are never rewritten.
    assert summary.updated == 1
    after = dict(
        Judgement.objects.filter(indicator=world.recycling).values_list("period", "computed_at")
    )
    assert [p for p in after if p in before and after[p] != before[p]] == ["2025-07"]


def test_only_the_latest_judgement_carries_forecast_and_the_series_icons(world):
    _approve_august(world)
    rejudge([world.recycling])
    rows = list(world.recycling.judgements.order_by("period_start"))

    latest, older = rows[-1], [r for r in rows[:-1] if not r.is_published]
    assert latest.variation_icon and latest.explanation and latest.forecast_method
    assert all(not (r.variation_icon or r.assurance or r.explanation) for r in older)


def test_the_spc_segment_holds_the_mean_and_limits_xmr_gives_the_approved_series(world):
    segment = SpcSegment.objects.get(indicator=world.recycling)
    expected = xmr(ENV1, improvement="increase", target=50.0)

    assert (segment.number, segment.first_period, segment.last_period) == (0, "2025-04", "2025-07")
    assert segment.points == 4
    assert segment.mean == pytest.approx(expected.mean[0])
    assert segment.lpl == pytest.approx(expected.lpl[0])
    assert segment.upl == pytest.approx(expected.upl[0])


def test_the_spc_segment_grows_with_a_new_month(world):
    _approve_august(world)
    rejudge([world.recycling])
    segment = SpcSegment.objects.get(indicator=world.recycling)

    assert (segment.last_period, segment.points) == ("2025-08", 5)
    assert segment.mean == pytest.approx(np.mean([*ENV1, 41.0]))


def test_an_indicator_back_to_one_figure_loses_its_spc_segment(world):
    from goldthread.indicators.models import Indicator

    single = Indicator.objects.create(code="ONE1", name="One figure", frequency="monthly")
    add_values(single, {"2025-04": 5.0, "2025-05": 6.0}, state=ValueState.APPROVED)
    rejudge([single])
    assert SpcSegment.objects.filter(indicator=single).count() == 1

    single.values.filter(period="2025-05").update(state=ValueState.RETURNED)
    rejudge([single])

    assert not SpcSegment.objects.filter(indicator=single).exists()


def test_the_indicator_page_shows_the_stored_spc_segments_limits(world):
    page = build_indicator_page(world.alice, world.recycling)
    segment = SpcSegment.objects.get(indicator=world.recycling)

    def shown(x):
        return format_value(x, world.recycling.unit, world.recycling.decimals)

    assert {(r.mean_text, r.lower_text, r.upper_text) for r in page.spc.rows} == {
        (shown(segment.mean), shown(segment.lpl), shown(segment.upl))
    }


def test_a_judgement_changed_outside_rejudging_is_put_right_by_the_next_one(world):
    july = Judgement.objects.get(indicator=world.recycling, period="2025-07")
    july.rag = "green"
    july.save()
    assert Judgement.objects.get(pk=july.pk).digest is None

    summary = rejudge([world.recycling])

    assert summary.updated == 1
    assert Judgement.objects.get(pk=july.pk).rag == "red"


def test_publishing_keeps_the_digest_so_nothing_is_rewritten(world):
    july = Judgement.objects.get(indicator=world.recycling, period="2025-07")
    digest = july.digest
    july.is_published = True
    july.save(update_fields=["is_published"])

    assert Judgement.objects.get(pk=july.pk).digest == digest


def test_a_coded_column_fingerprints_like_the_same_values_written_out():
    names = np.array(["green", "amber", "red"], dtype=object)
    codes = np.array([2, 0, 0, 1])
    coded = judgement_store.Coded(codes, names)

    assert coded[np.array([0, 3])].tolist() == ["red", "amber"]
    assert (
        judgement_store.digests([coded]).tolist()
        == judgement_store.digests([names[codes]]).tolist()
    )


def test_a_month_published_after_a_later_one_was_approved_gets_its_own_forecast_and_icons(world):
    from goldthread.indicators.services.judging import publish

    _approve_august(world)
    rejudge([world.recycling])
    july = Judgement.objects.get(indicator=world.recycling, period="2025-07")
    assert not july.explanation  # August is the latest now

    publish([july], actor=world.alice)

    july.refresh_from_db()
    assert july.is_published and july.explanation.startswith("Below target")
    assert july.variation_icon and july.forecast_method
    assert july.digest is None
    # As things stood in July: the forecast is made from April to July only.
    expected = xmr(ENV1, improvement="increase", target=50.0)
    assert july.variation_icon == expected.variation_icon
