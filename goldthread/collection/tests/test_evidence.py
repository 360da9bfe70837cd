"""Evidence files: only real documents are accepted, they are stored privately under a random
name, anyone who may see the figure may download them (nobody else learns they exist), and a
withdrawn file is kept, with who withdrew it and why."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from goldthread.analysis.periods import parse_period
from goldthread.audit.models import AuditEvent
from goldthread.collection import evidence, windows
from goldthread.collection.models import Evidence
from goldthread.collection.services import CollectionError
from goldthread.indicators.models import Value, ValueState

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
ENTRY = "/indicators/ENV1/figures/2025-08/"
UPLOAD = ENTRY + "evidence/"


def _package(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/x" ContentType="{part}"/></Types>',
        )
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = _package(evidence.DOCX_PART)
XLSX = _package(evidence.XLSX_PART)


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    settings.GOLDTHREAD_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.GOLDTHREAD_EVIDENCE_DIR


@pytest.fixture(autouse=True)
def _summer_2025_open_to_data_owners(request) -> None:
    """The windows for June to August 2025 closed long ago, and evidence follows the window
    (ADR 19). These tests are about files, so the periods are reopened for Bob, as a
    performance officer would. Closed windows are tested in test_evidence_windows.py."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    for month in ("2025-06", "2025-07", "2025-08"):
        late = windows.ReopenRequest(parse_period(month), "Late evidence", world.recycling)
        windows.reopen(late, actor=world.alice, today=timezone.localdate())


def _figure(indicator, period: str) -> Value:
    return Value.objects.get(indicator=indicator, period=period, area__isnull=True)


def _attach(figure: Value, actor, name: str = "workings.pdf", content: bytes = PDF) -> Evidence:
    """Evidence on a figure in any state: added while editable, then put back."""
    state = figure.state
    Value.objects.filter(pk=figure.pk).update(state=ValueState.DRAFT)
    figure.refresh_from_db()
    added = evidence.add(figure, _file(name, content), actor=actor)
    Value.objects.filter(pk=figure.pk).update(state=state)
    added.value.refresh_from_db()
    return added


# Checks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("Report.PDF", PDF, "application/pdf"),
        ("notes.docx", DOCX, evidence.CONTENT_TYPES["docx"]),
        ("workings.xlsx", XLSX, evidence.CONTENT_TYPES["xlsx"]),
        ("figures.csv", b"ward,count\nNorth,12\n", "text/csv; charset=utf-8"),
        ("note.txt", "Café count £12\n".encode(), "text/plain; charset=utf-8"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
    ],
)
def test_real_documents_of_the_allowed_kinds_are_accepted(name, content, content_type):
    checked = evidence.check(_file(name, content))

    assert (checked.name, checked.content_type, checked.size) == (name, content_type, len(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE),  # a program renamed to look like a PDF
        ("setup.exe", EXE),
        ("chart.svg", SVG),
        ("chart.txt", SVG),  # a scriptable picture renamed as text
        ("page.html", HTML),
        ("page.csv", HTML),
        ("notes.docx", XLSX),  # a workbook renamed as a Word document
        ("workings.xlsx", b"PK\x03\x04not really a zip"),
        ("photo.png", JPEG),
        ("latin1.csv", "Caf\xe9".encode("latin-1")),
        ("binary.txt", b"abc\x00def"),
        ("no-extension", PDF),
    ],
)
def test_anything_that_is_not_really_an_allowed_document_is_refused(name, content):
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.check(_file(name, content))

    assert str(refused.value) == "The file must be a PDF, Word, Excel, CSV, text, PNG or JPEG file"


def test_an_empty_file_is_refused():
    with pytest.raises(evidence.EvidenceError, match=r"^The file is empty$"):
        evidence.check(_file("report.pdf", b""))


def test_a_file_of_exactly_10_mb_is_accepted_and_one_byte_more_is_refused():
    limit = 10 * 1024 * 1024
    evidence.check(_file("big.pdf", PDF + b"0" * (limit - len(PDF))))

    with pytest.raises(evidence.EvidenceError, match=r"^The file must be smaller than 10 MB$"):
        evidence.check(_file("big.pdf", PDF + b"0" * (limit + 1 - len(PDF))))


def test_the_size_limit_is_a_setting(settings):
    settings.GOLDTHREAD_EVIDENCE_MAX_BYTES = 1024

    with pytest.raises(evidence.EvidenceError, match="smaller than 1 KB"):
        evidence.check(_file("report.pdf", PDF + b"0" * 1024))


def test_a_path_in_the_name_is_dropped():
    assert evidence.check(_file("..\\..\\secret\\report.pdf", PDF)).name == "report.pdf"


# Storing -----------------------------------------------------------------------------------


def test_a_file_is_stored_privately_under_a_random_name_outside_static(world, evidence_dir):
    figure = _figure(world.recycling, "2025-08")

    added = evidence.add(figure, _file("Bin rounds.pdf", PDF), actor=world.bob)

    on_disk = Path(added.file.path)
    assert on_disk.read_bytes() == PDF
    assert on_disk.parent == Path(evidence_dir)
    assert "Bin" not in on_disk.name and len(on_disk.name) == 40
    assert not on_disk.is_relative_to(Path(django_settings.STATIC_ROOT))
    assert oct(on_disk.stat().st_mode & 0o777) == "0o600"
    assert not list(Path(evidence_dir).glob(".partial-*"))
    with pytest.raises(ValueError, match="no public address"):
        _ = added.file.url
    assert (added.original_name, added.content_type, added.size) == (
        "Bin rounds.pdf",
        "application/pdf",
        len(PDF),
    )
    assert added.sha256 == hashlib.sha256(PDF).hexdigest()
    assert added.uploaded_by == world.bob
    assert added.history.count() == 1


def test_adding_a_file_records_an_audit_event_on_the_indicator(world):
    figure = _figure(world.recycling, "2025-08")

    added = evidence.add(figure, _file("workings.pdf", PDF), actor=world.bob)

    event = AuditEvent.objects.get(verb="evidence_added")
    assert (event.actor, event.object_id) == (world.bob, str(world.recycling.pk))
    assert event.data["evidence"] == added.token
    assert event.data["file_name"] == "workings.pdf"
    assert event.data["period"] == "2025-08"


@pytest.mark.parametrize("state", [ValueState.SUBMITTED, ValueState.APPROVED, ValueState.PUBLISHED])
def test_a_locked_figure_takes_no_evidence(world, state, evidence_dir):
    figure = _figure(world.recycling, "2025-08")
    Value.objects.filter(pk=figure.pk).update(state=state)
    figure.refresh_from_db()

    with pytest.raises(CollectionError, match="You cannot add evidence"):
        evidence.add(figure, _file("workings.pdf", PDF), actor=world.bob)

    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(verb="evidence_added").exists()
    assert not any(Path(evidence_dir).glob("*")) if Path(evidence_dir).exists() else True


# Pages: adding -----------------------------------------------------------------------------


def test_bob_adds_a_file_on_the_entry_page_and_sees_it_listed(world, login):
    client = login(world.bob)
    form = client.get(ENTRY).content.decode()
    assert f'action="{UPLOAD}"' in form
    assert 'enctype="multipart/form-data"' in form

    response = client.post(UPLOAD, {"file": _file("Bin rounds.pdf", PDF)})

    assert response.status_code == 302
    assert response["Location"] == ENTRY + "#evidence"
    page = client.get(ENTRY).content.decode()
    assert "Bin rounds.pdf added as evidence" in page
    added = Evidence.objects.get()
    assert f'href="/evidence/{added.token}/"' in page
    assert "Bob Tester" in page
    assert f"{len(PDF)} bytes" in page


def test_a_refused_file_shows_the_problem_with_the_form_again(world, login):
    response = login(world.bob).post(UPLOAD, {"file": _file("report.pdf", EXE)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    assert "The file must be a PDF, Word, Excel, CSV, text, PNG or JPEG file" in page
    assert 'href="#id_file"' in page
    assert not Evidence.objects.exists()


def test_no_file_chosen_says_so(world, login):
    page = login(world.bob).post(UPLOAD, {}).content.decode()

    assert "<title>Error:" in page
    assert "Select a file to upload" in page


def test_an_empty_file_says_so_on_the_page(world, login):
    page = login(world.bob).post(UPLOAD, {"file": _file("report.pdf", b"")}).content.decode()

    assert "The file is empty" in page


def test_a_published_figure_refuses_uploads_and_offers_no_form(world, login):
    client = login(world.bob)
    entry = "/indicators/ENV1/figures/2025-06/"

    response = client.post(entry + "evidence/", {"file": _file("late.pdf", PDF)})

    assert response.status_code == 302
    assert not Evidence.objects.exists()
    page = client.get(entry).content.decode()
    assert "You cannot add evidence now" in page
    assert 'name="file"' not in page


def test_a_figure_not_yet_saved_must_be_saved_before_evidence_is_added(world, login):
    client = login(world.bob)

    response = client.post(
        "/indicators/ENV1/figures/2025-09/evidence/", {"file": _file("a.pdf", PDF)}
    )

    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert (
        "Save the figure as a draft before adding evidence"
        in client.get("/indicators/ENV1/figures/2025-09/").content.decode()
    )


@pytest.mark.parametrize(("persona", "status"), [("charlie", 403), ("dana", 403), ("ed", 403)])
def test_people_who_do_not_enter_the_figure_cannot_add_evidence(world, login, persona, status):
    response = login(getattr(world, persona)).post(UPLOAD, {"file": _file("a.pdf", PDF)})

    assert response.status_code == status
    assert not Evidence.objects.exists()


def test_the_approvals_page_counts_each_figures_evidence(world, login):
    _attach(_figure(world.recycling, "2025-07"), world.bob, "one.pdf")
    _attach(_figure(world.recycling, "2025-07"), world.bob, "two.pdf")

    page = login(world.alice).get("/approvals/").content.decode()

    assert "2 evidence files" in page


# Downloading -------------------------------------------------------------------------------

ROLES = ["public", "alice", "bob", "charlie", "dana", "ed", "fay"]
# fmt: off
DOWNLOADS = {
    #  figure                     public alice bob charlie dana  ed  fay
    ("recycling", "2025-08"):    (404, 200, 200, 200, 404, 404, 200),  # draft: Bob's, Charlie's
    ("recycling", "2025-07"):    (404, 200, 200, 200, 200, 200, 200),  # approved
    ("recycling", "2025-06"):    (200, 200, 200, 200, 200, 200, 200),  # published
    ("complaints", "2024/25"):   (200, 200, 200, 200, 200, 404, 200),  # not in Ed's scope
    ("rent", "2025/26 Q2"):      (404, 200, 404, 404, 404, 404, 200),  # draft, nobody's own
    ("rent", "2025/26 Q1"):      (200, 200, 200, 200, 200, 404, 200),  # published
    ("hidden", "2024/25"):       (404, 200, 200, 200, 404, 404, 200),  # published, not public
}
# fmt: on


@pytest.fixture
def files(world) -> dict[tuple[str, str], Evidence]:
    Value.objects.create(
        indicator=world.rent,
        period="2025/26 Q2",
        period_start=parse_period("2025/26 Q2").start,
        value=97.5,
        state=ValueState.DRAFT,
    )
    return {
        (name, period): _attach(_figure(getattr(world, name), period), world.alice)
        for name, period in DOWNLOADS
    }


@pytest.mark.parametrize(
    ("figure", "role", "expected"),
    [
        pytest.param(figure, role, status, id=f"{role}-{figure[0]}-{figure[1]}")
        for figure, statuses in DOWNLOADS.items()
        for role, status in zip(ROLES, statuses, strict=True)
    ],
)
def test_who_may_download_each_file(world, login, files, figure, role, expected):
    person = None if role == "public" else getattr(world, role)

    response = login(person).get(f"/evidence/{files[figure].token}/")

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
    else:
        assert "workings" not in response.content.decode()


def test_a_download_is_an_attachment_that_browsers_will_not_sniff_or_run(world, login):
    added = _attach(_figure(world.recycling, "2025-06"), world.bob, 'Q1 "final" report.pdf')

    response = login(None).get(f"/evidence/{added.token}/")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Q1 \\"final\\" report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_a_name_with_accents_is_encoded_safely(world, login):
    added = _attach(_figure(world.recycling, "2025-06"), world.bob, "Résumé été.pdf")

    response = login(world.bob).get(f"/evidence/{added.token}/")

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''R%C3%A9sum%C3%A9%20%C3%A9t%C3%A9.pdf"
    )


def test_a_text_file_is_sent_as_text_not_as_a_page(world, login):
    added = _attach(_figure(world.recycling, "2025-06"), world.bob, "notes.txt", b"Plain notes\n")

    response = login(world.bob).get(f"/evidence/{added.token}/")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("token", ["nope", "x" * 80, "a.b", "%2e%2e"])
def test_an_unknown_token_is_404_for_everyone(world, login, token):
    for person in (None, world.alice, world.fay):
        assert login(person).get(f"/evidence/{token}/").status_code == 404


def test_a_file_missing_from_disk_is_404_not_an_error(world, login):
    added = _attach(_figure(world.recycling, "2025-06"), world.bob)
    Path(added.file.path).unlink()

    assert login(world.alice).get(f"/evidence/{added.token}/").status_code == 404


# Withdrawing -------------------------------------------------------------------------------


def test_bob_withdraws_a_file_it_is_kept_hidden_and_recorded(world, login):
    added = _attach(_figure(world.recycling, "2025-08"), world.bob)
    client = login(world.bob)
    assert "Withdraw" in client.get(ENTRY).content.decode()

    response = client.post(f"/evidence/{added.token}/withdraw/", {"reason": "Wrong month"})

    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.withdrawn_by, added.withdrawn_reason) == (world.bob, "Wrong month")
    assert added.withdrawn_at is not None
    assert Path(added.file.path).read_bytes() == PDF
    assert added.history.count() == 2
    assert added.history.first().history_change_reason == "Withdrawn: Wrong month"
    event = AuditEvent.objects.get(verb="evidence_withdrawn")
    assert (event.actor, event.reason, event.data["evidence"]) == (
        world.bob,
        "Wrong month",
        added.token,
    )
    page = client.get(ENTRY).content.decode()
    assert added.token not in page
    assert "No files have been added" in page
    assert client.get(f"/evidence/{added.token}/").status_code == 404
    assert login(world.alice).get(f"/evidence/{added.token}/").status_code == 200


def test_withdrawing_needs_a_reason(world, login):
    added = _attach(_figure(world.recycling, "2025-08"), world.bob)

    response = login(world.bob).post(f"/evidence/{added.token}/withdraw/", {"reason": " "})

    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Enter why you are withdrawing this file" in page
    added.refresh_from_db()
    assert added.withdrawn_at is None


def test_the_withdraw_page_asks_why(world, login):
    added = _attach(_figure(world.recycling, "2025-08"), world.bob)

    page = login(world.bob).get(f"/evidence/{added.token}/withdraw/").content.decode()

    assert "Why are you withdrawing this file?" in page


def test_once_a_figure_is_locked_only_the_performance_officer_withdraws(world, login):
    added = _attach(_figure(world.recycling, "2025-07"), world.bob)
    url = f"/evidence/{added.token}/withdraw/"

    bob = login(world.bob)
    refused = bob.post(url, {"reason": "Oops"})
    assert refused.status_code == 302  # back to the figure, told why (ADR 19)
    assert "You cannot withdraw workings.pdf now." in bob.get(refused.url).content.decode()
    assert login(world.ed).post(url, {"reason": "Oops"}).status_code == 403
    assert login(world.alice).post(url, {"reason": "Superseded"}).status_code == 302

    added.refresh_from_db()
    assert added.withdrawn_by == world.alice


def test_people_who_cannot_see_the_file_get_404_when_withdrawing(world, login):
    added = _attach(_figure(world.recycling, "2025-08"), world.bob)
    url = f"/evidence/{added.token}/withdraw/"

    assert login(world.dana).post(url, {"reason": "x"}).status_code == 404
    assert login(None).post(url, {"reason": "x"}).status_code == 302
    added.refresh_from_db()
    assert added.withdrawn_at is None


def test_a_withdrawn_file_cannot_be_withdrawn_again(world):
    added = _attach(_figure(world.recycling, "2025-08"), world.bob)
    evidence.withdraw(added, actor=world.bob, reason="Wrong file")

    with pytest.raises(CollectionError, match="already been withdrawn"):
        evidence.withdraw(added, actor=world.alice, reason="Again")

    assert AuditEvent.objects.filter(verb="evidence_withdrawn").count() == 1


def test_evidence_is_never_deleted_with_its_figure(world):
    from django.db.models import ProtectedError

    added = _attach(_figure(world.recycling, "2025-08"), world.bob)

    with pytest.raises(ProtectedError):
        added.value.delete()
