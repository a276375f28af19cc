"""What can go wrong when liking, playing, sharing and commenting."""

from notalabel.errors import Forbidden, NotFound
from notalabel.patterns.exceptions import HIDDEN as PATTERN_HIDDEN
from notalabel.patterns.exceptions import PatternNotFound

__all__ = [
    "COMMENT_HIDDEN",
    "PATTERN_HIDDEN",
    "CommentNotFound",
    "NotYourComment",
    "PatternNotFound",
]


class CommentNotFound(NotFound):
    """No such comment, or one on a pattern (or by an artist) hidden from the caller."""

    code = "comment_not_found"


class NotYourComment(Forbidden):
    """Only a comment's author and the pattern's creator may delete it."""

    code = "forbidden"


COMMENT_HIDDEN = "No comment with that id."
