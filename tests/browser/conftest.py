"""Browser fixtures: one Chromium per session, a fresh context and page per test, axe checks.

Live-server tests need the data committed where the server thread can see it, so every test
here uses the transactional database (the `world` fixture below asks for it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from goldthread.testing.world import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = Path("/tmp/gt-shots")

_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def world(transactional_db):
    from goldthread.testing.world import build_world

    return build_world()


def _sign_in_as(page: Page, live_server, user) -> None:
    """Sign in through the real form; None (the public) stays signed out."""
    if user is None:
        return
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
    return "\n".join(lines)


def _check_axe(page: Page) -> None:
    """Fail with a readable list if axe finds any WCAG 2.2 AA violation on the page."""
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    violations = _axe.run(page, options=options).response["violations"]
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {page.url}:\n" + format_violations(violations)
    )


def assert_styled(page: Page) -> None:
    """The council stylesheet loaded (axe's colour-contrast check means nothing without it)."""
    # Waits rather than looks once: after a click-through (not a goto) on a busy machine the
    # stylesheet can still be arriving when the test gets here.
    try:
        page.wait_for_function(
            """() => [...document.styleSheets].some(
                (s) => s.href && s.href.includes("goldthread.css") && s.cssRules.length > 0)""",
            timeout=15_000,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"goldthread.css did not load on {page.url}") from None


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def sign_in_as():
    """sign_in_as(page, live_server, user): sign in through the real sign-in form."""
    return _sign_in_as


@pytest.fixture
def check_axe():
    """check_axe(page): the page is styled and axe finds no WCAG 2.2 AA violations."""

    def check(page: Page) -> None:
        assert_styled(page)
        _check_axe(page)

    return check
