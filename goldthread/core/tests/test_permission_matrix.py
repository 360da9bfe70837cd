"""Every URL for every role: the status each persona gets, readable as documentation.

Columns: public, Alice (performance officer), Bob (data owner), Charlie (director),
Dana (cabinet member), Ed (committee member), Fay (system administrator).

    200  the page          302  sent to sign in         403  signed in, not allowed
    404  not there for this person (no hint that it exists)      405  wrong method
"""

import importlib
import pkgutil
from pathlib import Path

import pytest

import goldthread

ROLES = ["public", "alice", "bob", "charlie", "dana", "ed", "fay"]

# fmt: off
MATRIX = {
    #  url                                               public alice bob charlie dana  ed  fay
    "/":                                                 (200, 200, 200, 200, 200, 200, 200),
    "/accessibility/":                                   (200, 200, 200, 200, 200, 200, 200),
    "/data-sources/":                                    (200, 200, 200, 200, 200, 200, 200),
    "/feedback/":                                        (200, 200, 200, 200, 200, 200, 200),
    "/healthz/":                                         (200, 200, 200, 200, 200, 200, 200),
    "/help/spc/":                                        (200, 200, 200, 200, 200, 200, 200),
    # Only the performance officer changes the council-wide judgement rules.
    "/settings/judgement-rules/":                        (302, 200, 403, 403, 403, 403, 403),
    "/sign-in/":                                         (200, 200, 200, 200, 200, 200, 200),
    "/sign-out/":                                        (405, 405, 405, 405, 405, 405, 405),
    "/scorecard/":                                       (200, 200, 200, 200, 200, 200, 200),
    "/golden-thread/":                                   (200, 200, 200, 200, 200, 200, 200),
    "/indicators/":                                      (200, 200, 200, 200, 200, 200, 200),
    # ENV1 is public and in Ed's committee scope.
    "/indicators/ENV1/":                                 (200, 200, 200, 200, 200, 200, 200),
    # CMP1, HSG1 and CTX1 are public but outside Ed's scope.
    "/indicators/CMP1/":                                 (200, 200, 200, 200, 200, 404, 200),
    "/indicators/HSG1/":                                 (200, 200, 200, 200, 200, 404, 200),
    "/indicators/CTX1/":                                 (200, 200, 200, 200, 200, 404, 200),
    # INT1 is not public: officers only.
    "/indicators/INT1/":                                 (404, 200, 200, 200, 404, 404, 200),
    "/indicators/NOPE/":                                 (404, 404, 404, 404, 404, 404, 404),
    # Only the performance officer sets targets.
    "/indicators/ENV1/targets/2025/":                    (302, 200, 403, 403, 403, 403, 403),
    "/indicators/CMP1/targets/2024/":                    (302, 200, 403, 403, 403, 404, 403),
    "/indicators/INT1/targets/2024/":                    (302, 200, 403, 403, 404, 404, 403),
    # A context indicator has no target.
    "/indicators/CTX1/targets/2025/":                    (302, 404, 403, 403, 403, 404, 403),
    # Only the performance officer re-publishes, and only published judgements.
    "/indicators/ENV1/judgements/2025-06/republish/":    (302, 200, 403, 403, 403, 403, 403),
    "/indicators/ENV1/judgements/2025-07/republish/":    (302, 404, 403, 403, 403, 403, 403),
    "/indicators/CMP1/judgements/fy2024-25/republish/":  (302, 200, 403, 403, 403, 404, 403),
    "/indicators/HSG1/judgements/fy2025-26-q1/republish/": (302, 200, 403, 403, 403, 404, 403),
    # Data collection: officers have updates; data owners (and the performance officer) enter
    # their indicators' figures; only the performance officer checks and publishes.
    "/my-updates/":                                      (302, 200, 200, 200, 403, 403, 200),
    "/indicators/ENV1/figures/2025-09/":                 (302, 200, 200, 403, 403, 403, 403),
    "/indicators/CMP1/figures/fy2024-25/":               (302, 200, 200, 403, 403, 404, 403),
    "/indicators/ENV1/figures/fy2024-25/":               (302, 404, 404, 403, 403, 403, 403),
    "/approvals/":                                       (302, 200, 403, 403, 403, 403, 403),
    "/approvals/999999/approve/":                        (302, 405, 405, 405, 405, 405, 405),
    "/approvals/999999/publish/":                        (302, 405, 405, 405, 405, 405, 405),
    "/approvals/999999/return/":                         (302, 404, 403, 403, 403, 403, 403),
    # Downloads say what the page says: anyone who sees the page gets its figures.
    "/scorecard/export.csv":                             (200, 200, 200, 200, 200, 200, 200),
    "/scorecard/export.xlsx":                            (200, 200, 200, 200, 200, 200, 200),
    "/indicators/ENV1/export.csv":                       (200, 200, 200, 200, 200, 200, 200),
    "/indicators/CMP1/export.xlsx":                      (200, 200, 200, 200, 200, 404, 200),
    "/indicators/INT1/export.csv":                       (404, 200, 200, 200, 404, 404, 200),
    # The audit trail is internal: officers who may see the indicator; members are refused.
    "/indicators/ENV1/audit/":                           (302, 200, 200, 200, 403, 403, 200),
    "/indicators/CMP1/audit/":                           (302, 200, 200, 200, 403, 404, 200),
    "/indicators/INT1/audit/":                           (302, 200, 200, 200, 404, 404, 200),
    # The council-wide audit log: the performance team and system administrators.
    "/audit/":                                           (302, 200, 403, 403, 403, 403, 200),
    "/audit/export.csv":                                 (302, 200, 403, 403, 403, 403, 200),
    # Django admin: staff with a reference-data role; people only for the system administrator.
    "/admin/":                                           (302, 200, 302, 302, 302, 302, 200),
    "/admin/indicators/indicator/":                      (302, 200, 302, 302, 302, 302, 200),
    "/admin/accounts/user/":                             (302, 403, 302, 302, 302, 302, 200),
    # Evidence files: added by whoever enters the figure (ENV1 2025-08 is Bob's draft). Its
    # window has closed, so Bob is sent back to the figure and told why (ADR 19).
    "/indicators/ENV1/figures/2025-08/evidence/":        (302, 200, 302, 403, 403, 403, 403),
    "/indicators/ENV1/figures/fy2024-25/evidence/":      (302, 404, 404, 403, 403, 403, 403),
    # INT1 2024/25 is published, so it takes no more files: Alice is sent back to the figure.
    "/indicators/INT1/figures/fy2024-25/evidence/":      (302, 302, 403, 403, 404, 404, 403),
    # Downloads and withdrawals of files nobody may see are 404 (real files: test_evidence.py).
    "/evidence/no-such-file/":                           (404, 404, 404, 404, 404, 404, 404),
    "/evidence/no-such-file/withdraw/":                  (302, 404, 404, 404, 404, 404, 404),
}
# fmt: on


def _app_matrices() -> list:
    """Apps add their own rows in `goldthread/<app>/tests/matrix_rows.py`.

    Each such module has `ROWS` (the same shape as MATRIX) and may have `arrange(world)`,
    which creates the records its URLs name. Keeping rows beside each app lets apps grow in
    parallel without editing one shared table; every row is still checked here.
    """
    found = []
    for info in pkgutil.iter_modules(goldthread.__path__):
        rows = Path(goldthread.__path__[0], info.name, "tests", "matrix_rows.py")
        if info.ispkg and rows.exists():
            found.append(importlib.import_module(f"goldthread.{info.name}.tests.matrix_rows"))
    return found


APP_MATRICES = _app_matrices()
for _module in APP_MATRICES:
    _clash = set(_module.ROWS) & set(MATRIX)
    assert not _clash, f"{_module.__name__} repeats rows: {sorted(_clash)}"
    MATRIX.update(_module.ROWS)

CASES = [
    pytest.param(url, role, status, id=f"{role}-{url}")
    for url, statuses in MATRIX.items()
    for role, status in zip(ROLES, statuses, strict=True)
]


def _persona(world, role):
    return None if role == "public" else getattr(world, role)


@pytest.fixture
def world(world):
    """The shared test council, plus whatever records the apps' own rows name."""
    for module in APP_MATRICES:
        if hasattr(module, "arrange"):
            module.arrange(world)
    return world


@pytest.mark.parametrize(("url", "role", "expected"), CASES)
def test_each_role_gets_the_status_the_matrix_says(world, login, url, role, expected):
    response = login(_persona(world, role)).get(url)

    assert response.status_code == expected


@pytest.mark.parametrize("url", [u for u, s in MATRIX.items() if 302 in s and "/admin/" not in u])
def test_the_public_is_sent_to_sign_in_and_back(world, client, url):
    response = client.get(url)

    if response.status_code == 302:
        assert response["Location"] == f"/sign-in/?next={url}"


def _one_case_per_refusal():
    seen = {}
    for case in CASES:
        url, _role, status = case.values
        if status >= 400 and "/admin/" not in url:
            seen.setdefault((url, status), case)
    return list(seen.values())


@pytest.mark.parametrize(("url", "role", "expected"), _one_case_per_refusal())
def test_every_refusal_is_a_friendly_page_not_a_bare_status(world, login, url, role, expected):
    response = login(_persona(world, role)).get(url)

    body = response.content.decode()
    assert response.status_code == expected
    assert "<title>" in body
    assert '<h1 class="govuk-heading-l">' in body
