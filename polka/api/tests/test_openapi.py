import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_description_lists_the_health_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/health" in response.json()["paths"]


def test_the_api_docs_page_loads_its_scripts_from_the_project_not_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert sources
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources
