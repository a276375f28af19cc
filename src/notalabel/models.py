"""Imports every table so metadata and migrations see the whole schema."""

from notalabel.auth.models import EmailVerification, KnownClient, LoginLock
from notalabel.auth.recovery import RecoveryCode
from notalabel.auth.security_log import SecurityAck, SecurityEvent
from notalabel.db import Base
from notalabel.identity.models import IdentitySession
from notalabel.passkeys.models import Passkey, PasskeyChallenge, PasskeyUserHandle
from notalabel.patterns.models import Pattern
from notalabel.social.models import Block, Follow
from notalabel.users.models import Device, RefreshToken, User

__all__ = [
    "Base",
    "Block",
    "Device",
    "EmailVerification",
    "Follow",
    "IdentitySession",
    "KnownClient",
    "LoginLock",
    "Passkey",
    "PasskeyChallenge",
    "PasskeyUserHandle",
    "Pattern",
    "RecoveryCode",
    "RefreshToken",
    "SecurityAck",
    "SecurityEvent",
    "User",
]
