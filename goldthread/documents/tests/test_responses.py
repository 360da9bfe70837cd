"""document_response: the right bytes, type and file name for each format."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from goldthread.documents.responses import document_response, format_links, safe_filename
from goldthread.documents.tests.samples import sample_document


@pytest.mark.parametrize(
    ("fmt", "content_type", "disposition", "magic"),
    [
        ("html", "text/html; charset=utf-8", 'inline; filename="pack-env1.html"', b"<!DOCTYPE"),
        ("pdf", "application/pdf", 'inline; filename="pack-env1.pdf"', b"%PDF-"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            'attachment; filename="pack-env1.docx"',
            b"PK",
        ),
    ],
)
def test_each_format_has_its_content_type_file_name_and_bytes(
    fmt, content_type, disposition, magic
):
    request = RequestFactory().get("/")
    response = document_response(request, sample_document(), fmt=fmt, filename="Pack ENV1")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response.content.startswith(magic)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_unknown_format_is_not_found_rather_than_an_error():
    with pytest.raises(Http404):
        document_response(RequestFactory().get("/"), sample_document(), fmt="exe", filename="x")


@pytest.mark.parametrize(
    ("wanted", "extension", "expected"),
    [
        ("PIP: ENV1 (2025/26).pdf", "pdf", "pip-env1-2025-26.pdf"),
        ('../../etc/passwd"; x=.docx', "docx", "etc-passwd-x.docx"),
        ("", "html", "document.html"),
        ("Ärger über Müll", "pdf", "arger-uber-mull.pdf"),
        ("x" * 200, "pdf", "x" * 80 + ".pdf"),
    ],
)
def test_file_names_are_safe_and_end_in_the_right_extension(wanted, extension, expected):
    assert safe_filename(wanted, extension) == expected


def test_format_links_offer_every_other_format():
    links = format_links(lambda fmt: f"/pack/{fmt}/", exclude="html")
    assert links == [
        ("Download as PDF", "/pack/pdf/"),
        ("Download as Word document", "/pack/docx/"),
    ]
