"""Permission-matrix rows for corrections, reopened periods and the passport (ADR 11), and
the Excel collection template (ADR 12).

Columns: public, Alice (performance officer), Bob (data owner), Charlie (director),
Dana (cabinet member), Ed (committee member), Fay (system administrator).
"""

# fmt: off
ROWS = {
    # Correcting a published figure: its data owner or the performance officer. ENV1 June 2025
    # is published; August 2025 is a draft, so there is nothing published to correct.
    "/indicators/ENV1/figures/2025-06/correction/":      (302, 200, 200, 403, 403, 403, 403),
    "/indicators/ENV1/figures/2025-08/correction/":      (302, 404, 404, 403, 403, 403, 403),
    "/indicators/CMP1/figures/fy2024-25/correction/":    (302, 200, 200, 403, 403, 404, 403),
    # INT1 has no data owner and is not public.
    "/indicators/INT1/figures/fy2024-25/correction/":    (302, 200, 403, 403, 404, 404, 403),
    # Checking and publishing corrections is the performance officer's job (real ones:
    # test_corrections.py).
    "/approvals/corrections/999999/approve/":            (302, 405, 405, 405, 405, 405, 405),
    "/approvals/corrections/999999/publish/":            (302, 405, 405, 405, 405, 405, 405),
    "/approvals/corrections/999999/return/":             (302, 404, 403, 403, 403, 403, 403),
    # Reopening closed periods: performance officers only.
    "/reopened-periods/":                                (302, 200, 403, 403, 403, 403, 403),
    "/reopened-periods/999999/close/":                   (302, 405, 405, 405, 405, 405, 405),
    # The passport: performance officers record validations and known issues.
    "/indicators/ENV1/passport/validate/":               (302, 200, 403, 403, 403, 403, 403),
    "/indicators/CMP1/passport/validate/":               (302, 200, 403, 403, 403, 404, 403),
    "/indicators/INT1/passport/validate/":               (302, 200, 403, 403, 404, 404, 403),
    "/indicators/ENV1/issues/new/":                      (302, 200, 403, 403, 403, 403, 403),
    "/indicators/INT1/issues/new/":                      (302, 200, 403, 403, 404, 404, 403),
    "/indicators/ENV1/issues/999999/resolve/":           (302, 404, 403, 403, 403, 403, 403),
    # The Excel collection template (ADR 12): any officer downloads the figures they own from
    # My updates (one who owns nothing is told so on the page); only the performance team
    # downloads one for another data owner or every indicator (real downloads: test_template.py).
    "/my-updates/template/":                             (302, 200, 200, 200, 403, 403, 200),
    "/imports/template/":                                (302, 200, 403, 403, 403, 403, 403),
}
# fmt: on
