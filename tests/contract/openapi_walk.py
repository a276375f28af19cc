"""Every text input of every route, read from the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.container import Container

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class TextInput:
    """One place a route reads text: a body field (dotted, `[]` for list items) or a parameter."""

    method: str
    path: str
    where: str  # "body", "path" or "query"
    name: str

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} {self.where}:{self.name}"


def openapi_document(settings: Settings, container: Container) -> dict[str, Any]:
    """The app's OpenAPI document (production mode does not serve it over HTTP)."""
    return create_app(settings, container).openapi()


def text_inputs(schema: dict[str, Any]) -> Iterator[TextInput]:
    """All string-typed body fields, path and query parameters of the document."""
    for path, item in schema["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("path", "query") and _is_text(
                    schema, parameter.get("schema", {})
                ):
                    yield TextInput(method, path, parameter["in"], parameter["name"])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                for field in _string_fields(schema, body["schema"], ()):
                    yield TextInput(method, path, "body", ".".join(field))


def body_with(field: str, value: str) -> dict[str, Any]:
    """A JSON body holding `value` at the dotted `field` (a `[]` part makes a one-item list)."""
    parts = field.split(".")
    result: Any = value
    for part in reversed(parts):
        result = [result] if part == "[]" else {part: result}
    assert isinstance(result, dict)
    return result


def sample_path(path: str, name: str, value: str) -> str:
    """`path` with `value` in parameter `name` and a harmless word in the others."""
    for other in ("user_ref", "user", "session_id", "device_id", "passkey_id", name):
        path = path.replace("{" + other + "}", value if other == name else "someone")
    return path


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _options(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(schema, node)
    choices = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
    if choices:
        return [o for c in choices for o in _options(schema, c) if o.get("type") != "null"]
    return [node]


def _is_text(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    return any(option.get("type") == "string" for option in _options(schema, node))


def _string_fields(
    schema: dict[str, Any], node: dict[str, Any], prefix: tuple[str, ...]
) -> Iterator[tuple[str, ...]]:
    for option in _options(schema, node):
        kind = option.get("type")
        if kind == "string" and prefix:
            yield prefix
        elif kind == "array":
            yield from _string_fields(schema, option.get("items", {}), (*prefix, "[]"))
        elif kind == "object":
            for name, child in option.get("properties", {}).items():
                yield from _string_fields(schema, child, (*prefix, name))
