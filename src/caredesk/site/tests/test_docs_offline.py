"""/api/docs works offline: Swagger UI's script and style come from the app's own static
files (django-ninja's), never from a CDN."""

from __future__ import annotations

import re

from django.test import Client


def test_api_docs_reference_no_external_host(db: None) -> None:
    answer = Client().get("/api/docs")
    assert answer.status_code == 200
    page = answer.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in references), references
    assert any(ref.endswith("swagger-ui.css") for ref in references), references
    assert [ref for ref in references if not ref.startswith("/")] == []
    assert "//" not in "".join(references)
    for ref in references:
        assert Client().get(ref).status_code == 200, ref
