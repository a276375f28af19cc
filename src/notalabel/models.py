"""Imports every table so metadata and migrations see the whole schema."""

from notalabel.db import Base
from notalabel.identity.models import IdentitySession
from notalabel.patterns.models import Pattern
from notalabel.users.models import RefreshToken, User

__all__ = ["Base", "IdentitySession", "Pattern", "RefreshToken", "User"]
