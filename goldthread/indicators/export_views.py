"""Downloads of the scorecard and of an indicator's figures, as CSV and Excel."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from goldthread.indicators import access, exports

# The scorecard page's own reading of its query string, so the download matches the page.
from goldthread.indicators.views import _filters as scorecard_filters

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(export: exports.Export, kind: str) -> HttpResponse:
    if kind == "csv":
        body = exports.write_csv(export.rows, export.columns, preamble=export.preamble)
        content_type = CSV_TYPE
    else:
        body = exports.write_xlsx(
            export.rows, export.columns, export.title, preamble=export.preamble
        )
        content_type = XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_stem}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def scorecard_export(request: HttpRequest, kind: str) -> HttpResponse:
    export = exports.scorecard_export(request.user, scorecard_filters(request))
    return _download(export, kind)


@require_GET
def indicator_export(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    return _download(exports.indicator_history_export(request.user, indicator), kind)
