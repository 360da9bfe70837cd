"""An import read a batch ahead and written batch by batch is still all or nothing (ADR 13).

The batch size is cut to one or two rows here, so that every file below is written in
several batches before its last row, or the refusal of the whole file, is known.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
import time_machine

from goldthread.audit.models import AuditEvent
from goldthread.collection import imports
from goldthread.collection.import_writing import Writer
from goldthread.collection.imports import _split, import_values
from goldthread.indicators.models import Value, ValueState

HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary"
# ENV1's latest stored figure is for August 2025 (the test world), so September's are new.
NEW = [
    "ENV1,2025-09,,51.5,,,Garden waste collections restarted",
    "ENV1,2025-09,W01,49,,,",
    "ENV1,2025-10,,52,,,",
    "ENV1,2025-10,W01,50,,,",
]


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    with time_machine.travel("2026-01-15 12:00", tick=False):
        yield


def _import(tmp_path: Path, rows: list[str], actor, dry_run: bool = False):
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return import_values(path, fmt="csv", actor=actor, dry_run=dry_run, file_name=path.name)


def _stored() -> list[tuple]:
    return list(Value.objects.order_by("pk").values_list("indicator_id", "period", "area_id"))


def test_a_file_written_in_several_batches_stores_every_figure_with_its_history(world, tmp_path):
    outcome = _import(tmp_path, [*NEW, "ENV1,2025-08,,42,,,Checked again"], world.alice)
    assert (outcome.added, outcome.changed, outcome.unchanged, outcome.written) == (4, 1, 0, True)
    september = Value.objects.get(indicator=world.recycling, period="2025-09", area=None)
    assert (september.value, september.state, september.revision) == (51.5, "submitted", 1)
    assert Value.objects.get(indicator=world.recycling, period="2025-08", area=None).value == 42
    reasons = Value.history.filter(history_change_reason="Imported from figures.csv")
    assert sorted(reasons.values_list("history_type", flat=True)) == ["+", "+", "+", "+", "~"]
    assert AuditEvent.objects.filter(verb="imported").count() == 1


def test_a_bad_last_row_undoes_the_batches_already_written(world, tmp_path):
    before, history = _stored(), Value.history.count()
    outcome = _import(tmp_path, [*NEW, "ENV1,2025-11,,45%,,,"], world.alice)
    assert not outcome.ok and not outcome.written
    assert outcome.problems[0].row == 6
    assert _stored() == before
    assert Value.history.count() == history


def test_a_locked_figure_late_in_the_file_refuses_it_after_new_figures_were_written(
    world, tmp_path
):
    before = _stored()
    outcome = _import(tmp_path, [*NEW, "ENV1,2025-05,,60,,,"], world.alice)
    assert not outcome.written
    assert "is published, so a file cannot change it" in outcome.problems[0].message
    assert _stored() == before


def test_a_dry_run_in_several_batches_counts_everything_and_writes_nothing(world, tmp_path):
    before = _stored()
    outcome = _import(tmp_path, [*NEW, "ENV1,2025-08,,42,,,"], world.alice, dry_run=True)
    assert (outcome.added, outcome.changed, outcome.written) == (4, 1, False)
    assert [line.row for line in outcome.diff] == [2, 3, 4, 5, 6]
    assert _stored() == before


def test_a_repeated_key_in_a_later_batch_is_an_error_and_nothing_is_kept(world, tmp_path):
    before = _stored()
    outcome = _import(tmp_path, [*NEW, NEW[0]], world.alice)
    assert not outcome.written
    assert outcome.problems[0].row == 6
    assert _stored() == before


def test_approving_figures_written_in_batches_judges_each_indicator_they_touch(world, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([HEADER, *NEW[:3]]) + "\n", encoding="utf-8")
    outcome = import_values(
        path, fmt="csv", actor=world.alice, dry_run=False, file_name=path.name, approve=True
    )
    assert outcome.written
    assert world.recycling.judgements.filter(period="2025-10").exists()
    assert Value.objects.get(indicator=world.recycling, period="2025-10", area=None).state == (
        ValueState.APPROVED
    )


def test_only_rows_after_an_indicators_latest_stored_period_skip_the_comparison():
    september, august = date(2025, 9, 1), date(2025, 8, 1)
    rows = [(2, 7, "2025-09", september), (3, 7, "2025-08", august), (4, 8, "2025-08", august)]
    new, others = _split(rows, {7: august})
    assert [row[0] for row in new] == [2, 4]  # indicator 8 has no stored figures at all
    assert [row[0] for row in others] == [3]


def test_a_database_error_while_writing_stops_the_reading_thread(world, tmp_path, monkeypatch):
    def fail(self):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Writer, "write_batch", fail)
    with pytest.raises(RuntimeError, match="went away"):
        _import(tmp_path, NEW, world.alice)
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    assert not Value.objects.filter(period="2025-10").exists()
