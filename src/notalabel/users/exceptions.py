"""What can go wrong with accounts."""

from notalabel.errors import Conflict, InvalidInput, NotFound


class UserNotFound(NotFound):
    """No account with that id or name (or hidden by a block)."""

    code = "user_not_found"


class InvalidArtistName(InvalidInput):
    """The name breaks the naming rules."""

    code = "invalid_artist_name"


class ArtistNameUnavailable(Conflict):
    """Another artist has the name, or an onboarding holds it."""

    code = "artist_name_taken"
