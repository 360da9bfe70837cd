"""Permission-matrix rows for corrections, reopened periods and the passport (ADR 11), and
the Excel collection template (ADR 12), and importing figures from files (ADR 18).

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
    # Importing any indicator's figures from a file: the performance team (real uploads,
    # checks and confirms: test_imports.py). A done page with nothing done goes back to upload.
    "/imports/":                                         (302, 200, 403, 403, 403, 403, 403),
    "/imports/done/":                                    (302, 302, 403, 403, 403, 403, 403),
    "/imports/no-such-upload/":                          (302, 404, 403, 403, 403, 403, 403),
    "/imports/no-such-upload/confirm/":                  (302, 405, 405, 405, 405, 405, 405),
    # A data owner uploads their own figures (ADR 18). The performance officer is sent to the
    # whole import; an officer who owns nothing is told so, as on the template page. Uploads
    # are private to the person and route (real ones: test_owner_upload.py).
    "/my-updates/upload/":                               (302, 302, 200, 200, 403, 403, 200),
    "/my-updates/upload/done/":                          (302, 302, 302, 403, 403, 403, 403),
    "/my-updates/upload/no-such-upload/":                (302, 404, 404, 403, 403, 403, 403),
    "/my-updates/upload/no-such-upload/confirm/":        (302, 405, 405, 405, 405, 405, 405),
}
# fmt: on
