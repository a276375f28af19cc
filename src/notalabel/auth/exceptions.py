"""What can go wrong when signing in."""

from notalabel.errors import Conflict, NotFound, Unauthorized


class InvalidCredentials(Unauthorized):
    """Wrong identifier or password, or a locked account: one answer for all three."""

    code = "invalid_credentials"


class InvalidRefreshToken(Unauthorized):
    """Unknown, expired, revoked or reused refresh token."""

    code = "invalid_refresh_token"


class EmailTaken(Conflict):
    """Another account uses this email."""

    code = "email_taken"


class CurrentPasswordRequired(Unauthorized):
    """Changing existing credentials needs the current password."""

    code = "current_password_required"


class ReauthenticationRequired(Unauthorized):
    """A sensitive change needs a recent sign-in: re-authenticate and try again."""

    code = "reauthentication_required"


class DeviceNotFound(NotFound):
    """No live device with that id on this account."""

    code = "device_not_found"
