"""Bodies of the remix and lineage routes, and what can go wrong with a remix."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, StringConstraints, model_validator

from notalabel.errors import Forbidden, InvalidInput
from notalabel.patterns.schemas import MAX_CODE_BYTES, Creator, Description, PatternOut, Title
from notalabel.schemas import ApiModel, ApiOutput, SingleLine

MAX_TITLE = 120


class RemixType(StrEnum):
    """How a remix relates to its original."""

    VARIATION = "variation"
    MASHUP = "mashup"
    EXTENSION = "extension"


def _code_bytes(value: str) -> str:
    if not value.strip():
        raise ValueError("the code must not be empty")
    if len(value.encode("utf-8")) > MAX_CODE_BYTES:
        raise ValueError(f"the code must be at most {MAX_CODE_BYTES} bytes (UTF-8)")
    return value


# the limit is in bytes, so the schema carries no maxLength in characters: one would let
# schema-violating (too long) code arrive as bodies the size limit answers 413 instead of 422
Code = Annotated[
    str,
    AfterValidator(_code_bytes),
    Field(description="Strudel code, at most 20,480 bytes of UTF-8; stored, never run"),
]
Feedback = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    Field(description="Refinements in words, e.g. 'more bass, a bit faster'"),
]
PatternRef = Annotated[SingleLine, StringConstraints(min_length=1, max_length=40)]


class RemixIn(ApiModel):
    """A remix: its type, and either new code or engine refinements in words."""

    remix_type: RemixType
    second_pattern_id: PatternRef | None = Field(
        default=None, description="The second source of a mashup (required for mashup only)"
    )
    code: Code | None = None
    feedback: Feedback | None = None
    title: Title | None = None
    description: Description | None = None
    is_public: StrictBool = True
    is_remixable: StrictBool = True

    @model_validator(mode="after")
    def _one_way_and_the_right_sources(self) -> RemixIn:
        if (self.code is None) == (self.feedback is None):
            raise ValueError("give either code (hand-written) or feedback (engine), not both")
        if self.remix_type is RemixType.MASHUP and self.second_pattern_id is None:
            raise ValueError("a mashup needs secondPatternId")
        if self.remix_type is not RemixType.MASHUP and self.second_pattern_id is not None:
            raise ValueError("secondPatternId is only for a mashup")
        return self


class RemixOut(PatternOut):
    """The new pattern a remix made, and what the engine did (null for hand-written code)."""

    message: str | None = None


class RemixItem(ApiOutput):
    """One remix of a pattern, with who made it and how."""

    id: str
    title: str
    remix_type: str | None
    remixer: Creator
    genre: str
    mood: str
    ai_generated: bool
    created_at: datetime


class RemixPage(ApiOutput):
    """One page of remixes, newest first; pass `nextCursor` back to get the next one."""

    items: list[RemixItem]
    next_cursor: str | None


class LineageNode(ApiOutput):
    """A pattern in a remix family; `depth` counts steps from the pattern asked about."""

    id: str
    title: str
    creator: Creator
    remix_type: str | None
    depth: int
    parent_id: str | None


class Lineage(ApiOutput):
    """Ancestors from the parent up to the root, and descendants breadth-first.

    Patterns the caller may not see are left out, and so is everything below them.
    `truncated` says a bound (50 ancestors, 200 descendants, depth 20) cut the answer short.
    """

    pattern_id: str
    ancestors: list[LineageNode]
    descendants: list[LineageNode]
    truncated: bool


class NotRemixable(Forbidden):
    """The creator turned remixing off for this pattern."""

    code = "not_remixable"


class SameSource(InvalidInput):
    """A mashup of a pattern with itself."""

    code = "same_source"
