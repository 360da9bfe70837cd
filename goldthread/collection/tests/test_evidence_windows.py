"""Evidence follows the collection window (ADR 19): a data owner whose window has closed can
neither add nor withdraw files, is told why and who to ask, and sees no upload button; a
reopened period or a returned figure lets them in again; performance officers are never held
to windows."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from goldthread.analysis.periods import parse_period
from goldthread.collection import evidence, windows
from goldthread.collection.models import Evidence
from goldthread.collection.services import CollectionError
from goldthread.indicators.models import Value, ValueState

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ENTRY = "/indicators/ENV1/figures/2025-08/"
UPLOAD = ENTRY + "evidence/"
CLOSED = "Figures for August 2025 could be entered until 19 September 2025"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    settings.GOLDTHREAD_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.GOLDTHREAD_EVIDENCE_DIR


@pytest.fixture(autouse=True)
def _on_a_monday_in_november_2026():
    """August 2025's window closed on 19 September 2025, long before this day."""
    with time_machine.travel("2026-11-23 10:00 +0000"):
        yield


def _august(world) -> Value:
    return Value.objects.get(indicator=world.recycling, period="2025-08", area__isnull=True)


def _pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def _reopen(world) -> None:
    request = windows.ReopenRequest(parse_period("2025-08"), "Late invoices", world.recycling)
    windows.reopen(request, actor=world.alice, today=windows.timezone.localdate())


def _files(world) -> list[str]:
    return list(
        Evidence.objects.filter(value=_august(world)).values_list("original_name", flat=True)
    )


def test_a_data_owner_cannot_add_evidence_to_a_draft_once_its_window_has_closed(world):
    with pytest.raises(CollectionError, match=CLOSED):
        evidence.add(_august(world), _pdf(), actor=world.bob)

    assert _files(world) == []


def test_the_entry_page_shows_no_upload_button_and_says_who_to_ask(world, login):
    page = login(world.bob).get(ENTRY).content.decode()

    assert "You cannot add evidence now. " + CLOSED in page
    assert "Ask a performance officer (Alice Tester) to reopen the period" in page
    assert 'name="file"' not in page
    assert UPLOAD not in page


def test_posting_a_file_anyway_is_refused_with_the_same_message_and_nothing_stored(world, login):
    bob = login(world.bob)

    response = bob.post(UPLOAD, {"file": _pdf()})

    assert response.status_code == 302 and response.url == ENTRY + "#evidence"
    assert "You cannot add evidence now. " + CLOSED in bob.get(ENTRY).content.decode()
    assert _files(world) == []


def test_a_data_owner_cannot_withdraw_a_file_once_the_window_has_closed(world, login):
    with time_machine.travel("2025-09-10 10:00 +0000"):
        added = evidence.add(_august(world), _pdf(), actor=world.bob)
    bob = login(world.bob)
    url = f"/evidence/{added.token}/withdraw/"

    page = bob.get(ENTRY).content.decode()
    response = bob.post(url, {"reason": "Wrong file"})

    assert url not in page
    assert response.status_code == 302
    assert "You cannot withdraw invoice.pdf now. " + CLOSED in bob.get(ENTRY).content.decode()
    with pytest.raises(CollectionError, match=CLOSED):
        evidence.withdraw(added, actor=world.bob, reason="Wrong file")
    added.refresh_from_db()
    assert not added.is_withdrawn


def test_a_data_owner_adds_and_withdraws_evidence_while_the_window_is_open(world, login):
    with time_machine.travel("2025-09-10 10:00 +0000"):
        bob = login(world.bob)
        assert 'name="file"' in bob.get(ENTRY).content.decode()
        bob.post(UPLOAD, {"file": _pdf()})
        added = Evidence.objects.get(value=_august(world))
        bob.post(f"/evidence/{added.token}/withdraw/", {"reason": "Wrong month"})

    added.refresh_from_db()
    assert added.withdrawn_by == world.bob


def test_a_reopened_period_lets_the_data_owner_add_evidence_again(world, login):
    _reopen(world)
    bob = login(world.bob)

    assert 'name="file"' in bob.get(ENTRY).content.decode()
    response = bob.post(UPLOAD, {"file": _pdf()})

    assert response.status_code == 302
    assert _files(world) == ["invoice.pdf"]


def test_a_figure_returned_after_the_window_closed_still_takes_evidence(world):
    Value.objects.filter(pk=_august(world).pk).update(state=ValueState.RETURNED)

    evidence.add(_august(world), _pdf(), actor=world.bob)

    assert _files(world) == ["invoice.pdf"]


def test_the_performance_officer_adds_and_withdraws_evidence_in_a_closed_window(world, login):
    alice = login(world.alice)

    assert 'name="file"' in alice.get(ENTRY).content.decode()
    alice.post(UPLOAD, {"file": _pdf("checked.pdf")})
    added = Evidence.objects.get(value=_august(world))
    alice.post(f"/evidence/{added.token}/withdraw/", {"reason": "Duplicate"})

    added.refresh_from_db()
    assert added.withdrawn_by == world.alice
