"""A ``Document`` as a tagged PDF (PDF/UA-1), made by WeasyPrint from the print page.

WeasyPrint writes an untagged PDF unless asked: ``pdf_variant="pdf/ua-1"`` gives the
structure tree, the document language, ``DisplayDocTitle`` and the XMP identification a
screen reader and PAC/veraPDF look for. The title comes from the page's ``<title>``, the
language from ``<html lang>``; fonts (Source Sans 3 from the built assets, Liberation Sans
for the charts' Arial) are embedded.

The print page links its stylesheet and fonts by their static URLs. WeasyPrint must never go
to the network or read arbitrary files while rendering (a document's text is user input), so
its fetcher serves static files from disk and refuses everything else.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from goldthread.documents import model as m
from goldthread.documents.render import render_print_page

# A made-up origin for the print page, so that relative and /static/ addresses resolve to
# something the fetcher recognises and no real host is ever contacted.
BASE_URL = "https://document.goldthread.invalid/"
PDF_VARIANT = "pdf/ua-1"


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files (the print stylesheet, fonts) and nothing else."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise ValueError(f"Documents may only use the site's static files, not {url}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


def static_path(url: str) -> Path | None:
    """The file on disk behind a static URL on ``BASE_URL``, or None."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :].split("?")[0].split("#")[0]
    if not name or ".." in Path(name).parts:
        return None
    found = _from_storage(name) or finders.find(name)
    return Path(found) if found else None


def _from_storage(name: str) -> str | None:
    """Collected (and, in production, hashed) static files live in STATIC_ROOT."""
    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if Path(path).is_file() else None


def render_pdf(document: m.Document) -> bytes:
    """The tagged PDF of ``document``."""
    html = weasyprint.HTML(
        string=render_print_page(document),
        base_url=BASE_URL,
        url_fetcher=StaticFilesFetcher(),
        media_type="print",
    )
    return html.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
