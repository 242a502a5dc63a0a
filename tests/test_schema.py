"""The OpenAPI schema is valid and warning-free, and its Swagger UI works without internet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders

BASE_DIR = Path(settings.BASE_DIR)


def test_the_schema_validates_with_no_warnings(tmp_path: Path) -> None:
    # A fresh process: drf-spectacular counts warnings in a process-wide object, so an
    # in-process run would also count (or hide) what other tests generated.
    target = tmp_path / "schema.yml"
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(target)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert {"/api/auth/token/", "/api/me/", "/api/public/cabs/", "/api/scope-versions/{id}/diff/"} <= set(
        schema["paths"]
    )
    assert "60/minute" in schema["info"]["description"]


def _schema(client: Any) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_component_names_are_unique_and_errors_share_one_shape(api_for) -> None:
    schema = _schema(api_for(None))
    components = schema["components"]["schemas"]

    assert len(components) == len({name.lower() for name in components})
    assert components["PortalError"]["required"] == ["code", "detail", "message"]
    grant = schema["paths"]["/api/accreditations/{id}/grant/"]["post"]["responses"]
    assert grant["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PortalError"}


def test_the_schema_documents_the_public_rate_limit(api_for) -> None:
    operation = _schema(api_for(None))["paths"]["/api/public/cabs/"]["get"]

    assert "Limited to 60/minute per client address" in operation["description"]
    assert set(operation["responses"]) == {"200", "400", "404", "429"}
    assert operation["security"] == [{}]


@pytest.mark.django_db
def test_the_swagger_ui_loads_its_files_from_the_sidecar(client_for) -> None:
    response = client_for(None).get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    # Its start-up script is a file too (no inline script under the Content-Security-Policy).
    assert "/api/schema/" in client_for(None).get("/api/docs/", {"script": ""}).content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") is not None
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css") is not None
