"""Events of the pattern library, published after the transaction commits.

Each carries what the notification, matching and counter handlers (issues 11 and 12) need
without reading the change back: who acted, on what, whose it is, and what changed.
"""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class PatternCreated(Event):
    """`creator_id` saved a new pattern (from the engine, by hand, or as a remix)."""

    pattern_id: str
    creator_id: str
    genre: str
    mood: str
    is_public: bool
    ai_generated: bool
    original_pattern_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class PatternRefined(Event):
    """The engine refined a pattern into version `version` from the creator's words."""

    pattern_id: str
    creator_id: str
    version: int
    feedback: str


@dataclass(frozen=True, kw_only=True)
class PatternLiked(Event):
    """`user_id` liked `pattern_id`, which belongs to `creator_id`."""

    pattern_id: str
    creator_id: str
    user_id: str
    likes: int


@dataclass(frozen=True, kw_only=True)
class PatternPlayed(Event):
    """A counted play of `pattern_id` (one per listener per 10 minutes)."""

    pattern_id: str
    creator_id: str
    listener_id: str | None
    plays: int


@dataclass(frozen=True, kw_only=True)
class PatternRemixed(Event):
    """`remixer_id` made `remix_id` from `original_id` (by `original_creator_id`)."""

    remix_id: str
    original_id: str
    original_creator_id: str
    remixer_id: str
    remix_type: str
    second_source_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class CommentAdded(Event):
    """`author_id` commented on `pattern_id`, which belongs to `creator_id`."""

    comment_id: str
    pattern_id: str
    creator_id: str
    author_id: str


@dataclass(frozen=True, kw_only=True)
class SignaturePatternChanged(Event):
    """`user_id` made `pattern_id` their signature instead of `previous_pattern_id`."""

    user_id: str
    pattern_id: str
    previous_pattern_id: str | None
    genre: str
    mood: str
