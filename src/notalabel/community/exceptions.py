"""What can go wrong in community matching."""

from __future__ import annotations

from notalabel.errors import Conflict, Forbidden, InvalidInput, NotFound


class ArtistNotFound(NotFound):
    """The artist asked about does not exist (any more)."""

    code = "artist_not_found"


class CollaborationForbidden(Forbidden):
    """A block stands between the two artists, or the caller may not answer this request."""

    code = "collaboration_forbidden"


class CollaborationConflict(Conflict):
    """A request is already open between the two, they already collaborate, or it was answered."""

    code = "collaboration_conflict"


class RequestNotFound(NotFound):
    """No such collaboration request, or not one of the caller's."""

    code = "collaboration_request_not_found"


class InvalidCollaboration(InvalidInput):
    """A request that cannot be made (to oneself)."""

    code = "invalid_collaboration"
