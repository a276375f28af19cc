"""Imports every table so metadata and migrations see the whole schema."""

from notalabel.auth.security_log import SecurityEvent
from notalabel.db import Base
from notalabel.identity.models import IdentitySession
from notalabel.patterns.models import Pattern
from notalabel.social.models import Block, Follow
from notalabel.users.models import Device, RefreshToken, User

__all__ = [
    "Base",
    "Block",
    "Device",
    "Follow",
    "IdentitySession",
    "Pattern",
    "RefreshToken",
    "SecurityEvent",
    "User",
]
