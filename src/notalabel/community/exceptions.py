"""What can go wrong in community matching."""

from __future__ import annotations

from notalabel.errors import NotFound


class ArtistNotFound(NotFound):
    """The artist asked about does not exist (any more)."""

    code = "artist_not_found"
