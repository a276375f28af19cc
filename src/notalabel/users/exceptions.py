"""What can go wrong with accounts."""

from notalabel.errors import NotFound


class UserNotFound(NotFound):
    """No account with that id or name."""

    code = "user_not_found"
