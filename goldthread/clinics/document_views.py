"""The clinic pack and minutes as a page, a print page, a tagged PDF and a Word file.

All four come from one presenter (clinics/documents.py) through the documents app.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldthread.clinics import access
from goldthread.clinics.documents import clinic_minutes, clinic_pack
from goldthread.clinics.models import Clinic
from goldthread.documents.model import Document
from goldthread.documents.render import render_document

FORMATS = {"pdf", "docx", "html"}


def _respond(request: HttpRequest, document: Document, *, fmt: str, filename: str):
    if fmt not in FORMATS:
        raise Http404("No such download")
    from goldthread.documents.responses import document_response

    return document_response(request, document, fmt=fmt, filename=filename)


def _page(request: HttpRequest, clinic: Clinic, document: Document, kind: str) -> HttpResponse:
    context = {
        "clinic": clinic,
        "document": document,
        "fragment": render_document(document, include_title=False),
        "kind": kind,
    }
    return render(request, "clinics/document.html", context)


@login_required
@require_GET
def pack(request: HttpRequest, reference: str, fmt: str = "") -> HttpResponse:
    clinic = access.get_clinic_for_user(request.user, reference)
    document = clinic_pack(request.user, clinic)
    if fmt:
        return _respond(request, document, fmt=fmt, filename=f"{clinic.reference}-clinic-pack")
    return _page(request, clinic, document, "pack")


@login_required
@require_GET
def minutes(request: HttpRequest, reference: str, fmt: str = "") -> HttpResponse:
    clinic = access.get_clinic_for_user(request.user, reference)
    if clinic.held_on is None:
        raise Http404("This clinic has no minutes yet")
    document = clinic_minutes(clinic)
    if fmt:
        return _respond(request, document, fmt=fmt, filename=f"{clinic.reference}-minutes")
    return _page(request, clinic, document, "minutes")
