"""What can go wrong when signing in."""

from notalabel.errors import Conflict, DomainError, NotFound, Unauthorized


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


class InvalidVerificationCode(DomainError):
    """The code is wrong, expired, used, replaced or dead after too many wrong tries."""

    status = 400
    code = "invalid_verification_code"


class TooManyCodes(DomainError):
    """Too many codes were sent lately to this account or from this address."""

    status = 429
    code = "rate_limited"


class MailUnavailable(DomainError):
    """The code could not be sent; nothing is attached and the user can try again later."""

    status = 503
    code = "mail_unavailable"
