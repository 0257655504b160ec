"""The OpenAPI schema, the interactive docs, the API root and the web app's index."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_documents_the_error_shape(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/", "/healthz", "/api/users/me/"} <= set(schema["paths"])
    assert set(schema["components"]["schemas"]["ErrorOutput"]["required"]) == {
        "message",
        "extra",
    }
    health = schema["paths"]["/healthz"]["get"]["responses"]
    assert {"200", "503"} <= set(health)


def test_docs_page_serves_swagger_ui_from_local_static_files(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn." not in response.content  # the machine (and users) may be offline


def test_api_root_links_schema_docs_and_health(client: Client) -> None:
    response = client.get("/api/")

    assert response.status_code == 200
    assert response.json()["links"] == {
        "schema": "/api/schema/",
        "docs": "/api/docs/",
        "health": "/healthz",
    }


def test_frontend_routes_serve_the_built_index(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<div id=root></div>")
    settings.BMW_FRONTEND_DIST = tmp_path

    for path in ("/", "/learnwares", "/learnwares/42/versions"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.getvalue() == b"<div id=root></div>"


def test_frontend_route_without_build_explains_how_to_build(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.BMW_FRONTEND_DIST = tmp_path / "missing"

    response = client.get("/")

    assert response.status_code == 503
    assert b"make frontend" in response.content
