"""What can go wrong with passkeys."""

from notalabel.errors import DomainError, NotFound, Unauthorized


class InvalidPasskey(Unauthorized):
    """A passkey sign-in failed: one answer for every reason, so nothing leaks."""

    code = "invalid_passkey"


class PasskeyRegistrationFailed(DomainError):
    """The browser's answer to a registration could not be verified."""

    status = 400
    code = "passkey_registration_failed"


class PasskeyNotFound(NotFound):
    """No passkey with that id on this account."""

    code = "passkey_not_found"


class ClonedAuthenticator(InvalidPasskey):
    """A valid signature whose counter did not advance: two copies of one key may exist.

    Answers exactly like any other failed passkey sign-in; the service logs it for the owner.
    """
