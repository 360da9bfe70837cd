"""The indicator report follows the indicator page: whoever may see the indicator gets its
report in every format; anyone else gets a 404 with no hint that it exists."""

# fmt: off
ROWS = {
    #  url                                     public alice bob charlie dana  ed  fay
    "/indicators/ENV1/report/":                (200, 200, 200, 200, 200, 200, 200),
    "/indicators/ENV1/report.pdf":             (200, 200, 200, 200, 200, 200, 200),
    "/indicators/ENV1/report.docx":            (200, 200, 200, 200, 200, 200, 200),
    "/indicators/ENV1/report.html":            (200, 200, 200, 200, 200, 200, 200),
    "/indicators/ENV1/report.exe":             (404, 404, 404, 404, 404, 404, 404),
    "/indicators/CMP1/report/":                (200, 200, 200, 200, 200, 404, 200),
    "/indicators/CMP1/report.docx":            (200, 200, 200, 200, 200, 404, 200),
    "/indicators/INT1/report/":                (404, 200, 200, 200, 404, 404, 200),
    "/indicators/INT1/report.pdf":             (404, 200, 200, 200, 404, 404, 200),
    "/indicators/NOPE/report/":                (404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
