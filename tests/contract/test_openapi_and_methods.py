"""The OpenAPI document says what routes do; 405 and OPTIONS list every method of a path."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from notalabel.config import Settings
from notalabel.container import Container
from tests.contract.openapi_walk import openapi_document

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(settings: Settings, container: Container) -> dict[str, Any]:
    """The app's OpenAPI document."""
    return openapi_document(settings, container)


def test_routes_with_an_optional_token_do_not_require_one(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path in ("/api/users/{user_ref}", "/api/users/{user}/followers"):
        security = paths[path]["get"]["security"]
        assert {} in security, (path, security)
    assert "security" not in paths["/api/auth/login"]["post"]
    assert "security" not in paths["/api/auth/musical-identity/start"]["post"]
    assert {} not in paths["/api/users/me"]["get"]["security"]


def test_every_body_route_documents_malformed_json(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            if method in METHODS and "requestBody" in operation:
                responses = operation["responses"]
                assert {"400", "422"} <= set(responses), (method, path)
                schema = responses["422"]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"sessionId": "x", ', b"\xff\xfe", b"[]", b'"text"']
)
async def test_malformed_json_is_a_documented_client_error(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/api/auth/musical-identity/process",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code in (400, 422), response.text
    assert "error" in response.json()


def test_artist_name_limits_are_2_to_32_in_the_schema(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    rename = schemas["RenameRequest"]["properties"]["artistName"]
    assert (rename["minLength"], rename["maxLength"]) == (2, 32)
    public = schemas["PublicProfileOut"]["properties"]["artistName"]
    assert (public["minLength"], public["maxLength"]) == (2, 32)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/users/me", {"GET", "PATCH", "DELETE"}),
        ("PUT", "/api/users/someone/follow", {"POST", "DELETE"}),
        ("POST", "/api/auth/musical-identity/session/abc", {"GET", "DELETE"}),
        ("GET", "/api/auth/musical-identity/finalize", {"POST"}),
    ],
)
async def test_405_and_options_list_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allowed: set[str]
) -> None:
    refused = await client.request(method, path)
    assert refused.status_code == 405, refused.text
    assert refused.json()["error"]["code"] == "method_not_allowed"
    listed = {m.strip() for m in refused.headers["allow"].split(",")}
    assert allowed | {"OPTIONS"} == listed
    options = await client.options(path)
    assert options.status_code == 204
    assert {m.strip() for m in options.headers["allow"].split(",")} == listed
