"""Every page, for every role that may see it: it loads, says what it should, and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),  # WhiteNoise: no STATIC_ROOT in tests
]

EVERYONE = [
    "performance_officer",
    "data_owner",
    "director",
    "cabinet_member",
    "committee_member",
    "system_administrator",
    "public",
]
NOT_COMMITTEE = [role for role in EVERYONE if role != "committee_member"]
SEES_INTERNAL = ["performance_officer", "data_owner", "director", "system_administrator"]
PERFORMANCE_OFFICER = ["performance_officer"]

# Full-page PNGs for people to look at, saved in /tmp/gt-shots/ (never in the repository).
SCREENSHOTS = {
    (name, role) for name in ("scorecard", "ENV1") for role in ("performance_officer", "public")
}

HOME_HEADINGS = {
    "performance_officer": "Performance overview",
    "data_owner": "Your indicators",
    "director": "Your directorate's performance",
    "cabinet_member": "Your portfolio",
    "committee_member": "Your committees' performance",
    "system_administrator": "Administration",
    "public": "How Testshire Council is performing",
}

# (name, path, roles, h1, text the page must also show)
PAGES = [
    ("sign-in", "/sign-in/", ["public"], "Sign in", "Username"),
    ("scorecard", "/scorecard/", EVERYONE, "Council Scorecard", "Household waste recycled"),
    (
        "scorecard-filtered",
        "/scorecard/?directorate=place&status=green",
        EVERYONE,
        "Council Scorecard",
        "Clear filters",
    ),
    ("indicators", "/indicators/", EVERYONE, "Indicators", "ENV1"),
    ("ENV1", "/indicators/ENV1/", EVERYONE, "Household waste recycled", "Values against target"),
    ("CMP1", "/indicators/CMP1/", NOT_COMMITTEE, "Complaints upheld", "Values against target"),
    ("HSG1", "/indicators/HSG1/", NOT_COMMITTEE, "Rent collected", "Values against target"),
    ("CTX1", "/indicators/CTX1/", NOT_COMMITTEE, "Population", "Context indicator"),
    ("INT1", "/indicators/INT1/", SEES_INTERNAL, "Internal staffing measure", "About this"),
    (
        "set-target",
        "/indicators/ENV1/targets/2025/",
        PERFORMANCE_OFFICER,
        "Set the target for 2025/26",
        "Why are you changing the target?",
    ),
    (
        "set-band-target",
        "/indicators/HSG1/targets/2025/",
        PERFORMANCE_OFFICER,
        "Set the target for 2025/26",
        "Lowest value in the target band",
    ),
    (
        "republish",
        "/indicators/ENV1/judgements/2025-04/republish/",
        PERFORMANCE_OFFICER,
        "Re-publish the judgement for April 2025",
        "Why are you re-publishing this judgement?",
    ),
    ("golden-thread", "/golden-thread/", EVERYONE, "The golden thread", "A greener place"),
    ("accessibility", "/accessibility/", EVERYONE, "Accessibility statement", "version 2.2 AA"),
    ("data-sources", "/data-sources/", EVERYONE, "Data sources", "Open Government Licence"),
    ("feedback", "/feedback/", EVERYONE, "Give feedback", "feedback"),
    (
        "spc-help",
        "/help/spc/",
        EVERYONE,
        "How to read statistical process control charts",
        "Making Data Count",
    ),
    (
        "my-updates",
        "/my-updates/",
        SEES_INTERNAL,
        "My updates",
        "Figures you need to enter",
    ),
    (
        "enter-figure",
        "/indicators/ENV1/figures/2025-09/",
        ["performance_officer"],
        "Household waste recycled",
        "What is being done about it?",
    ),
    # September 2025's collection window has closed: the data owner is told why and who to ask.
    (
        "enter-figure-closed",
        "/indicators/ENV1/figures/2025-09/",
        ["data_owner"],
        "Household waste recycled",
        "Ask a performance officer (Alice Tester) to reopen the period",
    ),
    ("approvals", "/approvals/", PERFORMANCE_OFFICER, "Figures to check", "ready to publish"),
    (
        "audit-trail",
        "/indicators/ENV1/audit/",
        SEES_INTERNAL,
        "Audit trail",
        "Target for 2025/26 set to 50.0%",
    ),
    (
        "audit-trail-filtered",
        "/indicators/ENV1/audit/?kind=figures",
        SEES_INTERNAL,
        "Audit trail",
        "Figure for June 2025 created",
    ),
    (
        "audit-log",
        "/audit/",
        ["performance_officer", "system_administrator"],
        "Audit log",
        "Target set",
    ),
    (
        "judgement-rules",
        "/settings/judgement-rules/",
        PERFORMANCE_OFFICER,
        "Judgement rules",
        "Every version",
    ),
]

# (name, path, roles, status, h1): pages people may not see get a proper error page.
REFUSED = [
    ("not-found", "/no-such-page/", EVERYONE, 404, "Page not found"),
    ("hidden-indicator", "/indicators/INT1/", ["cabinet_member", "public"], 404, "Page not found"),
    ("out-of-scope", "/indicators/CMP1/", ["committee_member"], 404, "Page not found"),
    (
        "set-target-refused",
        "/indicators/ENV1/targets/2025/",
        ["data_owner", "director", "cabinet_member", "system_administrator"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "republish-refused",
        "/indicators/ENV1/judgements/2025-04/republish/",
        ["data_owner", "committee_member"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "enter-figure-refused",
        "/indicators/ENV1/figures/2025-09/",
        ["director", "cabinet_member", "committee_member", "system_administrator"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "my-updates-refused",
        "/my-updates/",
        ["cabinet_member", "committee_member"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "judgement-rules-refused",
        "/settings/judgement-rules/",
        ["data_owner", "director", "cabinet_member", "committee_member", "system_administrator"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "audit-trail-refused",
        "/indicators/ENV1/audit/",
        ["cabinet_member", "committee_member"],
        403,
        "You do not have permission to see this page",
    ),
    (
        "audit-log-refused",
        "/audit/",
        ["data_owner", "director", "cabinet_member", "committee_member"],
        403,
        "You do not have permission to see this page",
    ),
    (
        # An impossible date: the error summary and the date inputs in their error state.
        "audit-log-bad-date",
        "/audit/?from_day=31&from_month=2&from_year=2025",
        ["performance_officer", "system_administrator"],
        400,
        "Audit log",
    ),
    (
        "no-such-judgement",
        "/indicators/ENV1/judgements/2031-01/republish/",
        PERFORMANCE_OFFICER,
        404,
        "Page not found",
    ),
]


def _pages_for(role: str) -> list[tuple]:
    home = ("home", "/", 200, HOME_HEADINGS[role], "")
    allowed = [
        (name, path, 200, h1, text) for name, path, roles, h1, text in PAGES if role in roles
    ]
    refused = [
        (name, path, status, h1, "") for name, path, roles, status, h1 in REFUSED if role in roles
    ]
    return [home, *allowed, *refused]


@pytest.mark.parametrize("role", EVERYONE)
def test_every_page_a_role_may_see_shows_its_content_and_passes_axe(
    page, live_server, world, sign_in_as, check_axe, subtests, role
):
    sign_in_as(page, live_server, world.personas()[role])
    for name, path, status, heading, text in _pages_for(role):
        with subtests.test(name, path=path):
            response = page.goto(live_server.url + path)
            assert response.status == status
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            if text:
                expect(page.locator("main")).to_contain_text(text)
            check_axe(page)
            if (name, role) in SCREENSHOTS:
                screenshot(page, f"{name}-{role}")


def test_public_asked_to_sign_in_before_setting_a_target(page, live_server, world, check_axe):
    page.goto(f"{live_server.url}/indicators/ENV1/targets/2025/")
    assert "/sign-in/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_axe(page)


@pytest.mark.parametrize("role", ["performance_officer", "system_administrator"])
def test_admin_opens_for_staff(page, live_server, world, sign_in_as, role):
    """Django's own admin UI: checked that it works, not held to axe (it is not our markup)."""
    sign_in_as(page, live_server, world.personas()[role])
    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/scorecard/", "/indicators/", "/indicators/ENV1/"])
def test_page_reflows_at_320_pixels_without_scrolling_sideways(
    page, live_server, world, sign_in_as, check_axe, path
):
    """WCAG 1.4.10: wide tables scroll inside their own box, not the whole page."""
    sign_in_as(page, live_server, world.alice)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(page)
