"""What can go wrong in the onboarding conversation."""

from notalabel.errors import Conflict, Gone, NotFound


class SessionNotFound(NotFound):
    """No session has this id (or it was abandoned)."""

    code = "session_not_found"


class SessionExpired(Gone):
    """The session passed its 24-hour lifetime."""

    code = "session_expired"


class SessionCompleted(Gone):
    """The session already produced an account."""

    code = "session_completed"


class StepOutOfOrder(Conflict):
    """The request belongs to a later step than the session is in."""

    code = "step_out_of_order"


class SessionBusy(Conflict):
    """Another request changed the session at the same moment."""

    code = "session_changed_concurrently"


class ArtistNameTaken(Conflict):
    """Someone else got the name first."""

    code = "artist_name_taken"


class NoFreeSignature(Conflict):
    """Every re-seeding of the signature clashed with another account's (try finalizing again)."""

    code = "signature_not_unique"
