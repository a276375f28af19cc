"""What can go wrong in the pattern library."""

from notalabel.errors import Conflict, Forbidden, InvalidInput, NotFound

HIDDEN = "No pattern with that id."


class PatternNotFound(NotFound):
    """No such pattern, or one the caller may not see (private, or a block between them)."""

    code = "pattern_not_found"


class VersionNotFound(NotFound):
    """The pattern has no version with that number."""

    code = "version_not_found"


class NotCreator(Forbidden):
    """Only the pattern's creator may change it."""

    code = "not_creator"


class NotRefinable(InvalidInput):
    """Written by hand: there is no engine model to refine."""

    code = "not_refinable"


class FeedbackNotUnderstood(InvalidInput):
    """The engine found no change in the words; nothing was stored."""

    code = "feedback_not_understood"


class EngineOwnedField(InvalidInput):
    """A field of an engine pattern that follows its model (code, genre, mood, bpm, key)."""

    code = "engine_owned_field"


class SignatureConflict(Conflict):
    """The signature pattern must exist and stay public."""

    code = "signature_pattern"
