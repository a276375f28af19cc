"""Domain errors and the one JSON error shape every 4xx/5xx uses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from notalabel.storage import is_storage_failure

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of every error a service raises; the handler maps `status` to HTTP."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The thing asked for does not exist."""

    status = 404
    code = "not_found"


class Gone(DomainError):
    """The thing existed but can no longer be used."""

    status = 410
    code = "gone"


class Conflict(DomainError):
    """The request clashes with the current state."""

    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    """Missing or invalid credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class InvalidInput(DomainError):
    """Input that passes the schema but breaks a domain rule."""

    status = 422
    code = "invalid_input"


class StorageUnavailable(DomainError):
    """The database cannot be reached or written (read-only, full, failing or disconnected)."""

    status = 503
    code = "storage_unavailable"


def _field_path(loc: Any) -> tuple[Any, ...]:
    parts = tuple(loc)
    return parts[1:] if parts[:1] == ("body",) else parts


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """Build the single error shape: {"error": {"code", "message", "details"}}."""
    return {"error": {"code": code, "message": message, "details": details}}


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one JSON shape."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return domain_error_response(exc)

    async def _storage(_: Request, exc: Exception) -> JSONResponse:
        if not is_storage_failure(exc):
            # a wrong query is a bug: on to the one 500 path, logged with its request id
            raise exc
        logger.error("storage unavailable", extra={"error": f"{type(exc).__name__}: {exc}"})
        return domain_error_response(
            StorageUnavailable("Storage is unavailable right now; please try again later.")
        )

    app.add_exception_handler(DBAPIError, _storage)
    app.add_exception_handler(ConnectionError, _storage)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                # only the leading "body" is the location: a field may be called body too
                "field": ".".join(str(part) for part in _field_path(err["loc"])),
                "message": err["msg"],
                "type": err["type"],
            }
            for err in exc.errors()
        ]
        fields = ", ".join(p["field"] or "body" for p in problems)
        return JSONResponse(
            error_body("validation_error", f"Invalid request: {fields}", problems),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = "No such route."
        return JSONResponse(
            error_body(code, message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Only errors raised outside RequestContextMiddleware (which answers the rest with
        # their request id) get here.
        logger.exception("unhandled error outside a request context", exc_info=exc)
        return internal_error_response(None)


def domain_error_response(exc: DomainError) -> JSONResponse:
    """The error shape for a DomainError, with its HTTP status."""
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details), status_code=exc.status, headers=headers
    )


def internal_error_response(request_id: str | None) -> JSONResponse:
    """The 500 answer; the request id lets a user's report be matched to the one log line."""
    details = {"requestId": request_id} if request_id else None
    return JSONResponse(
        error_body("internal_error", "Something went wrong on our side.", details),
        status_code=500,
    )
