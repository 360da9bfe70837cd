"""The indicator report as a page, a print page, a PDF and a Word file.

Who may see it is the indicator page's decision (``indicators.access``): the report is a
printable view of that page, so the same people see the same figures, and anyone else gets a
404 with no hint that the indicator exists.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from goldthread.documents.presenters import indicator_report
from goldthread.documents.render import render_document
from goldthread.documents.responses import document_response, format_links
from goldthread.indicators import access


def _report_links(code: str, *, exclude: str = "") -> list[tuple[str, str]]:
    return format_links(
        lambda fmt: reverse("documents:indicator-report-file", args=[code, fmt]), exclude=exclude
    )


@require_GET
def indicator_report_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    document = indicator_report(request.user, indicator)
    detail = reverse("indicators:detail", args=[indicator.code])
    context = {
        "document": document,
        "document_html": render_document(document, include_title=False),
        "downloads": _report_links(indicator.code),
        "breadcrumbs": [
            {"href": reverse("core:home"), "text": "Home"},
            {"href": reverse("indicators:list"), "text": "Indicators"},
            {"href": detail, "text": indicator.name},
        ],
    }
    return render(request, "documents/page.html", context)


@require_GET
def indicator_report_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    document = indicator_report(request.user, indicator)
    back = ("Back to the report", reverse("documents:indicator-report", args=[indicator.code]))
    return document_response(
        request,
        document,
        fmt=fmt,
        filename=f"{indicator.code} indicator report",
        alternatives=[back, *_report_links(indicator.code, exclude="html")],
    )
