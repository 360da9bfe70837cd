"""Every clinic page, for every role that may see it (the 200s of the clinics' permission
matrix): it loads with a heading and passes axe. Downloads (PDF, Word) are not pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from goldthread.clinics.tests.matrix_rows import ROWS, arrange
from tests.browser.conftest import _check_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

ROLES = ["public", "alice", "bob", "charlie", "dana", "ed", "fay"]
PAGES = {
    role: [
        url
        for url, statuses in ROWS.items()
        if statuses[column] == 200 and not url.endswith((".pdf", ".docx"))
    ]
    for column, role in enumerate(ROLES)
}


@pytest.mark.parametrize("role", ROLES)
def test_every_clinic_page_a_role_may_see_passes_axe(
    role, page, live_server, world, sign_in_as, check_axe
):
    arrange(world)
    sign_in_as(page, live_server, None if role == "public" else getattr(world, role))

    for url in PAGES[role]:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        expect(page.locator("h1")).to_have_count(1)
        # The printable version has the print stylesheet, not the site's: axe it as it is.
        _check_axe(page) if url.endswith(".html") else check_axe(page)


def test_a_form_with_mistakes_passes_axe_in_its_error_state(
    page, live_server, world, sign_in_as, check_axe
):
    arrange(world)
    sign_in_as(page, live_server, world.alice)

    for url, button in [
        ("/clinics/request/", "Request clinic"),
        ("/clinics/PC-9003/schedule/", "Schedule the clinic"),
        ("/clinics/PC-9001/actions/add/", "Save the action"),
        ("/clinics/PC-9001/outcome/", "Record the outcome and close the clinic"),
    ]:
        page.goto(f"{live_server.url}{url}")
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_axe(page)
