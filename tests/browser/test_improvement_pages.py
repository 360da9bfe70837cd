"""Every improvement plan and scrutiny page, for the people who may see it, checked with axe.

The pages and who sees them come from the app's permission-matrix rows, on the records its
`arrange` creates, so a page added there is checked here too. Each page is visited by up to two
of the people it is for (the public and members first: their pages differ most)."""

from __future__ import annotations

import pytest

from goldthread.improvement.tests import matrix_rows
from tests.browser.conftest import _check_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

ROLES = ["public", "alice", "bob", "charlie", "dana", "ed", "fay"]
PREFERENCE = ["public", "ed", "dana", "bob", "alice", "charlie", "fay"]
FILES = (".pdf", ".docx")


def _visits() -> dict[str, list[str]]:
    """Role -> the pages it visits."""
    visits: dict[str, list[str]] = {role: [] for role in ROLES}
    for url, statuses in matrix_rows.ROWS.items():
        if url.endswith(FILES):
            continue
        allowed = {role for role, status in zip(ROLES, statuses, strict=True) if status == 200}
        for role in [r for r in PREFERENCE if r in allowed][:2]:
            visits[role].append(url)
    return visits


def test_every_page_passes_axe_for_the_people_it_is_for(
    browser, live_server, world, sign_in_as, check_axe
):
    matrix_rows.arrange(world)
    for role, urls in _visits().items():
        page = browser.new_context().new_page()
        sign_in_as(page, live_server, None if role == "public" else getattr(world, role))
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            # The print page has the print stylesheet, not the site's: axe it as it is.
            axe = _check_axe if url.endswith("/print/") else check_axe
            axe(page)
        page.context.close()
