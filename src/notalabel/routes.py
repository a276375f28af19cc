"""Put each feature's routes straight on the app's router, in order.

FastAPI 0.137 and later keep an `include_router`-ed router as one nested node that every
request walks route by route, twice (once to pick the router, once inside it), with
bookkeeping per route: with ~120 routes that was most of a short request's CPU (fastapi
PR #16159 describes it). Routes added with `add_api_route` are matched once, directly. The app
router's own dependencies (conventions.py) still apply: `add_api_route` adds them.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute


def include_flat(app: FastAPI, router: APIRouter) -> None:
    """Add every route of `router` to `app` as if it had been declared on the app itself."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"only HTTP API routes can be added flat, not {route!r}")
        app.router.add_api_route(
            route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=route.responses,
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
            strict_content_type=route.strict_content_type,
        )
