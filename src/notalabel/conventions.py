"""HTTP conventions every route shares, installed once on the app.

- path and query text follows the same character rule as bodies (422, never a 500);
- a 405 lists in `Allow` every method of the path, also when the path spans several routes,
  and OPTIONS answers 204 with that list;
- the OpenAPI document says what the routes do: a token is optional where it is optional, and
  every operation documents the 422 of the one error shape (malformed JSON included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import HTTPConnection
from starlette.routing import compile_path

from notalabel.deps import get_optional_principal
from notalabel.errors import error_body
from notalabel.text import single_line_problem

_ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorResponse"}
_INVALID = "Invalid request: a body, path or query value does not validate (malformed JSON too)"
_UNREADABLE = "The body cannot be read at all (not UTF-8, or not JSON)"


def install_conventions(app: FastAPI) -> None:
    """Call before the routers are included: the parameter check applies to routes added later."""
    app.router.dependencies.append(Depends(reject_control_characters))
    app.add_exception_handler(405, _method_not_allowed)
    app.openapi = _documented(app, app.openapi)  # type: ignore[method-assign]


async def reject_control_characters(request: HTTPConnection) -> None:
    """422 when a path or query parameter holds a control character or a line break."""
    values = [("path", k, v) for k, v in request.path_params.items() if isinstance(v, str)]
    values += [("query", k, v) for k, v in request.query_params.multi_items()]
    values += [("query", k, k) for k in request.query_params]
    problems = [
        {"loc": (where, name), "msg": problem, "type": "control_character"}
        for where, name, value in values
        if (problem := single_line_problem(value)) is not None
    ]
    if problems:
        raise RequestValidationError(problems)


async def _method_not_allowed(request: Request, _: Exception) -> Response:
    allow = ", ".join(_allowed_methods(request))
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": allow})
    body = error_body("method_not_allowed", f"This route answers {allow}.")
    return JSONResponse(body, status_code=405, headers={"Allow": allow})


def _allowed_methods(request: Request) -> list[str]:
    # Starlette names only the first route that matched the path; a path may span several
    methods: set[str] = {"OPTIONS"}
    path = request.scope["path"]
    for route in iter_route_contexts(request.app.router.routes):
        if route.path and route.methods and _path_regex(route.path).match(path):
            methods |= route.methods
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


@cache
def _path_regex(path: str) -> re.Pattern[str]:
    regex, _, _ = compile_path(path)
    return regex


def _documented(app: FastAPI, build: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        optional = _optional_token_operations(app)
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if (path, method) in optional and operation.get("security"):
                    # an empty requirement makes the bearer token optional
                    operation["security"] = [*operation["security"], {}]
                responses = operation.setdefault("responses", {})
                responses["422"] = _error(_INVALID)
                if "requestBody" in operation:
                    responses.setdefault("400", _error(_UNREADABLE))
        schema.setdefault("components", {}).setdefault("schemas", {}).pop(
            "HTTPValidationError", None
        )
        schema["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    return openapi


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}


def _optional_token_operations(app: FastAPI) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        path = context.path_format
        if (
            isinstance(route, APIRoute)
            and path
            and get_optional_principal in _calls(route.dependant)
        ):
            found |= {(path, method.lower()) for method in route.methods or ()}
    return found


def _calls(dependant: Dependant) -> Iterator[Any]:
    yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)
