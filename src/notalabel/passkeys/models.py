"""Passkey tables: credentials, the per-artist user handle and pending ceremony challenges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


class Passkey(Base):
    """One WebAuthn credential of an artist: its public key and how often it has signed."""

    __tablename__ = "passkeys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # base64url of the raw credential id (at most 1023 bytes, so at most 1364 characters)
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    # COSE-encoded public key, as the authenticator gave it
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # an unsigned 32-bit counter on the authenticator
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    transports: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    aaguid: Mapped[str] = mapped_column(String(36), default="")
    backed_up: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasskeyUserHandle(Base):
    """The random WebAuthn user handle of an artist, the same for all their passkeys."""

    __tablename__ = "passkey_user_handles"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # base64url of 32 random bytes: never the user id, which would leak into the authenticator
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasskeyChallenge(Base):
    """A challenge handed to a browser, kept server-side so any worker can check the answer."""

    __tablename__ = "passkey_challenges"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # registration or authentication
    purpose: Mapped[str] = mapped_column(String(16))
    # the artist registering, or the artist named when signing in (None: any discoverable key)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # base64url of the random challenge bytes
    challenge: Mapped[str] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
