"""One view helper for every document: the print page, the PDF or the Word file.

A view decides who may see the record (its app's access module), asks its presenter for a
``Document`` and returns ``document_response(request, document, fmt=fmt, filename=...)``.
Unknown formats are a 404, never a 500. Documents hold internal information, so no shared
cache keeps a copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from goldthread.documents import model as m


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str
    # Browsers show HTML and PDF themselves; Word files are saved.
    as_attachment: bool
    link_text: str


FORMATS = {
    "html": Format("html", "html", "text/html; charset=utf-8", False, "Printable version"),
    "pdf": Format("pdf", "pdf", "application/pdf", False, "Download as PDF"),
    "docx": Format(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        True,
        "Download as Word document",
    ),
}
# For URL patterns: path("<document_format:fmt>/", ...) after register_converter, or a regex.
FORMAT_PATTERN = "html|pdf|docx"
MAX_FILENAME = 80


def document_response(
    request: HttpRequest,
    document: m.Document,
    *,
    fmt: str,
    filename: str,
    alternatives: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """``document`` as ``fmt`` ("html", "pdf" or "docx") under a safe ``filename`` (any
    extension is replaced). ``alternatives`` are ``(text, href)`` links shown at the top of
    the print page on screen, e.g. from ``format_links``."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise Http404(f"There is no {fmt!r} version of this document")
    response = HttpResponse(_body(document, chosen, alternatives), content_type=chosen.content_type)
    response["Content-Disposition"] = content_disposition_header(
        chosen.as_attachment, safe_filename(filename, chosen.extension)
    )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _body(document: m.Document, chosen: Format, alternatives) -> bytes | str:
    # Imported here so that a page which only embeds documents never loads WeasyPrint.
    if chosen.key == "pdf":
        from goldthread.documents.pdf import render_pdf

        return render_pdf(document)
    if chosen.key == "docx":
        from goldthread.documents.word import render_docx

        return render_docx(document)
    from goldthread.documents.render import render_print_page

    return render_print_page(document, alternatives=alternatives)


def safe_filename(wanted: str, extension: str) -> str:
    """Letters, digits and hyphens only, at most 80 characters, with the right extension:
    "PIP: ENV1 (2025/26).pdf" -> "pip-env1-2025-26.pdf"."""
    stem = re.sub(r"\.(html?|pdf|docx?)$", "", wanted.strip(), flags=re.IGNORECASE)
    slug = slugify(stem.replace("/", "-"))[:MAX_FILENAME].strip("-_") or "document"
    return f"{slug}.{extension}"


def format_links(url_for: Callable[[str], str], *, exclude: str = "") -> list[tuple[str, str]]:
    """``(text, href)`` for each format, e.g. for the download links under a document page:
    ``format_links(lambda fmt: reverse("clinics:pack", args=[pk, fmt]))``."""
    return [(f.link_text, url_for(key)) for key, f in FORMATS.items() if key != exclude]
