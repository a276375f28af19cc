"""Shared API schema pieces: camelCase JSON and the error shape for OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from notalabel.text import find_control_character, single_line_problem


def to_api_name(field: str) -> str:
    """snake_case to the camelCase the clients use (musicDNA keeps its capitals)."""
    return to_camel(field).replace("Dna", "DNA")


class ApiOutput(BaseModel):
    """Base of response bodies built from stored data: camelCase on the wire, nothing more.

    What is stored was checked on the way in (ApiModel); checking every text of a 20-card
    feed again for control characters cost more than the rest of the request together.
    """

    model_config = ConfigDict(
        alias_generator=to_api_name, populate_by_name=True, extra="forbid", from_attributes=True
    )


class ApiModel(ApiOutput):
    """Base of request bodies (and of responses that echo them): strict on input."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # one rule for every text field, nested ones and dict keys included: a NUL would
        # otherwise reach PostgreSQL (which refuses it) and the others only hide or spoof text
        found = find_control_character(value)
        if found is None:
            return value
        inside = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in found.path)
        raise PydanticCustomError(
            "control_character",
            "Text must not contain control characters ({code_point} at {where}offset {offset})",
            {
                "code_point": found.code_point,
                "where": f"{inside.lstrip('.')} " if inside else "",
                "offset": found.offset,
            },
        )


def _single_line(value: str) -> str:
    problem = single_line_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


SingleLine = Annotated[str, AfterValidator(_single_line)]
"""A text field that is one line: no tab, line break or control character."""


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
