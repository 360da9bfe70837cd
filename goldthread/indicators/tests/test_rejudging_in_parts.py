"""A whole re-judgement is judged and written in parts, by binary COPY with foreign keys checked
once per indicator on PostgreSQL (ADR 10, amendment of 2026-11-23)."""

import pytest
from django.db import connection

from goldthread.core.bulk_keys import references_checked_once
from goldthread.indicators.models import Judgement, SpcSegment
from goldthread.indicators.services import judging
from goldthread.indicators.services.judging import rejudge

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk reference check is PostgreSQL's"
)
_SKIP = {"id", "computed_at"}


def _stored() -> dict:
    """Every judgement's stored fields, and every SPC segment's, by indicator and period."""
    rows = {
        (r["indicator_id"], r["period"]): {k: v for k, v in r.items() if k not in _SKIP}
        for r in Judgement.objects.values()
    }
    segments = {
        (r["indicator_id"], r["number"]): {k: v for k, v in r.items() if k not in _SKIP}
        for r in SpcSegment.objects.values()
    }
    return {"judgements": rows, "segments": segments}


def _rejudge_from_nothing(monkeypatch, part: int) -> judging.RejudgeSummary:
    Judgement.objects.filter(is_published=False).delete()  # derived rows, as the bench does
    SpcSegment.objects.all().delete()
    monkeypatch.setattr(judging, "_PART", part)
    monkeypatch.setattr(judging, "_FIRST_PART", part)
    return rejudge()


def test_judging_one_indicator_at_a_time_stores_exactly_what_judging_all_at_once_does(
    world, monkeypatch
):
    at_once = _rejudge_from_nothing(monkeypatch, 10_000)
    expected = _stored()

    in_parts = _rejudge_from_nothing(monkeypatch, 1)

    assert _stored() == expected
    assert in_parts == at_once
    assert at_once.created > 0 and at_once.kept_published > 0


def test_the_summary_adds_up_over_the_parts_when_nothing_changed(world, monkeypatch):
    monkeypatch.setattr(judging, "_PART", 2)
    first = rejudge()

    again = rejudge()

    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created + first.updated + first.unchanged


def test_a_failure_while_judging_a_later_part_writes_nothing(world, monkeypatch):
    Judgement.objects.filter(is_published=False).delete()
    before = Judgement.objects.count()
    monkeypatch.setattr(judging, "_PART", 1)
    real, calls = judging._compute, []

    def fails_on_the_second_part(prepared, inputs):
        calls.append(inputs)
        if len(calls) == 2:
            raise RuntimeError("judging failed")
        return real(prepared, inputs)

    monkeypatch.setattr(judging, "_compute", fails_on_the_second_part)
    with pytest.raises(RuntimeError):
        rejudge()

    assert Judgement.objects.count() == before


# --- PostgreSQL: references checked once each, never a council's own trigger skipped -------


def _one(sql: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@postgres_only
def test_after_a_rejudgement_postgresql_checks_every_row_again(world):
    Judgement.objects.filter(is_published=False).delete()

    assert rejudge().created > 0

    assert _one("SHOW session_replication_role") == "origin"


@postgres_only
def test_the_indicator_references_are_checked_once_and_locked(world):
    ids = [world.recycling.pk]
    with references_checked_once(Judgement._meta.db_table, {"indicator_id": ids}) as checked:
        assert not checked  # the publisher's key was not named, so PostgreSQL checks rows

    references = {"indicator_id": ids, "published_by_id": ()}
    with references_checked_once(Judgement._meta.db_table, references) as checked:
        assert checked
        assert _one("SHOW session_replication_role") == "replica"
    assert _one("SHOW session_replication_role") == "origin"


@postgres_only
def test_a_missing_indicator_leaves_the_checks_to_postgresql(world):
    references = {"indicator_id": [world.recycling.pk, 987_654_321], "published_by_id": ()}
    with references_checked_once(Judgement._meta.db_table, references) as checked:
        assert not checked
        assert _one("SHOW session_replication_role") == "origin"


@postgres_only
def test_a_trigger_a_council_adds_to_the_judgement_table_fires_for_every_judgement(world):
    Judgement.objects.filter(is_published=False).delete()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE gt_test_judgement_log (judgement_id bigint)")
        cursor.execute(
            "CREATE FUNCTION gt_test_log_judgement() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO gt_test_judgement_log VALUES (NEW.id); RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER gt_test_log AFTER INSERT ON indicators_judgement "
            "FOR EACH ROW EXECUTE FUNCTION gt_test_log_judgement()"
        )

    created = rejudge().created

    assert created > 0
    assert _one("SELECT COUNT(*) FROM gt_test_judgement_log") == created


@postgres_only
def test_a_database_role_that_may_not_skip_row_checks_still_rejudges_everything(world):
    expected = Judgement.objects.count()
    Judgement.objects.filter(is_published=False).delete()
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE gt_test_judge NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO gt_test_judge")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO gt_test_judge")
        cursor.execute("SET LOCAL ROLE gt_test_judge")

    rejudge()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the row checks PostgreSQL queued
    assert Judgement.objects.count() == expected
