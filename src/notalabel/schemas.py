"""Shared API schema pieces: camelCase JSON and the error shape for OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


def to_api_name(field: str) -> str:
    """snake_case to the camelCase the clients use (musicDNA keeps its capitals)."""
    return to_camel(field).replace("Dna", "DNA")


class ApiModel(BaseModel):
    """Base of request and response bodies: camelCase on the wire, strict on input."""

    model_config = ConfigDict(
        alias_generator=to_api_name, populate_by_name=True, extra="forbid", from_attributes=True
    )


class ErrorDetail(BaseModel):
    """The inside of every error response."""

    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """{"error": {"code", "message", "details"}}."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries that document the error shape for the given statuses."""
    return {status: {"model": ErrorResponse} for status in statuses}
