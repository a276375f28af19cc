"""What can go wrong in the social graph."""

from notalabel.errors import DomainError


class Forbidden(DomainError):
    """The caller may not do this to that artist."""

    status = 403
    code = "forbidden"


class Blocked(Forbidden):
    """A block stands between the two artists (never says who blocked whom)."""

    code = "blocked"
