"""The two collection gaps of ADR 19 in a real browser, axe-checked: Bob's entry page for a
figure whose window has closed offers no upload and says who to ask, while Alice's offers it;
the correction page that a "correction returned" email links to shows Bob the reason."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from goldthread.collection import corrections
from goldthread.collection.services import Entry
from goldthread.indicators.models import Value

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

AUGUST = "/indicators/ENV1/figures/2025-08/"


def test_bob_sees_no_upload_for_a_closed_window_and_alice_still_can(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_EVIDENCE_DIR = tmp_path / "evidence"
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}{AUGUST}")
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("You cannot add evidence now.")
    expect(evidence).to_contain_text("Ask a performance officer (Alice Tester) to reopen")
    expect(evidence.get_by_role("button", name="Add file")).to_have_count(0)
    check_axe(page)

    page.context.clear_cookies()
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}{AUGUST}")
    expect(page.locator("#evidence").get_by_role("button", name="Add file")).to_be_visible()
    check_axe(page)


def test_the_returned_correction_email_opens_the_correction_page_with_the_reason(
    page, live_server, world, sign_in_as, check_axe
):
    june = Value.objects.get(indicator=world.recycling, period="2025-06", area__isnull=True)
    correction = corrections.save_correction(
        june,
        Entry(value=51.0, commentary="Tonnage re-sent."),
        reason="The supplier re-sent the June tonnage",
        actor=world.bob,
        revision=None,
        submit=True,
    )
    corrections.return_correction(correction, actor=world.alice, reason="Which supplier?")
    [email] = mail.outbox
    path = re.search(r"Change the correction: http://[^/]+(\S+)", email.body)[1]

    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}{path}")

    expect(page.get_by_text("Returned for changes: Which supplier?")).to_be_visible()
    check_axe(page)
