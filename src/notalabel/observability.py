"""Structured JSON logs, request ids and Prometheus request metrics."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notalabel.errors import internal_error_response
from notalabel.logscrub import REDACTED, is_secret_key, message_of, scrub_text, scrub_value

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "x-request-id"
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REQUESTS = Counter("notalabel_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "notalabel_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}
# Metric labels must stay bounded whatever clients send: any other method counts as OTHER.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the request id and `extra` fields; secrets redacted."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON, passing every field through the secret scrubber."""
        body: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub_text(message_of(record)),
            "request_id": request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS:
                body[key] = REDACTED if is_secret_key(key) else scrub_value(value)
        if record.exc_info:
            body["exc"] = scrub_text(self.formatException(record.exc_info))
        elif record.exc_text:
            body["exc"] = scrub_text(record.exc_text)
        return json.dumps(body, default=str)


def configure_logging(level: str) -> None:
    """Send JSON logs to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)


class RequestContextMiddleware:
    """Gives every request an id (kept from the client when sane), times it and counts it.

    It is also where an unexpected exception ends: logged once with the request id and
    answered with a 500 in the error shape carrying that id, instead of being re-raised to
    Starlette and the server, which would log it a second and third time without the id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope.get("path", "")})
            # Once headers are out there is nothing left to say; the server ends the response.
            if not response_started:
                await internal_error_response(request_id)(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            method = method_label(scope["method"])
            LATENCY.labels(method, template).observe(time.perf_counter() - started)
            REQUESTS.labels(method, template, str(status)).inc()
            request_id_var.reset(token)


def method_label(method: str) -> str:
    """The method as a metric label: one of KNOWN_METHODS, else OTHER."""
    return method if method in KNOWN_METHODS else "OTHER"


def _incoming_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == REQUEST_ID_HEADER.encode():
            candidate = bytes(value).decode("latin-1")
            if 0 < len(candidate) <= 64 and candidate.replace("-", "").isalnum():
                return candidate
    return None
