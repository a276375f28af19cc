"""Validated settings, read from NAL_* environment variables."""

from __future__ import annotations

import base64
import binascii
import secrets
from enum import StrEnum
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32
_WEAK_SECRETS = frozenset({"changethis", "secret", "changeme", "your-secret-key", "jwt_secret"})


class Mode(StrEnum):
    """Embedded runs on SQLite and in-process parts; production needs PostgreSQL and Redis."""

    EMBEDDED = "embedded"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Everything a deployment can tune."""

    model_config = SettingsConfigDict(env_prefix="NAL_", env_file=".env", extra="ignore")

    mode: Mode = Mode.EMBEDDED
    data_dir: Path = Path("./data")
    database_url: str | None = None
    # PostgreSQL connections per worker process, all kept open: a pool that overflows under
    # load opens and closes a connection per request, which costs more than the request
    database_pool_size: Annotated[int, Field(ge=1, le=200)] = 20
    redis_url: str | None = None
    jwt_secret: str | None = None
    jwt_issuer: str = "not-a-label.art"
    jwt_audience: str = "not-a-label-api"
    access_token_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    refresh_token_days: Annotated[int, Field(ge=1, le=365)] = 30
    identity_session_hours: Annotated[int, Field(ge=1, le=24 * 7)] = 24
    # sensitive account changes need a sign-in (not a refresh) at most this old
    reauth_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 10
    public_base_url: str = "https://not-a-label.art"
    log_level: str = "INFO"
    # rate limits, in the `limits` library's notation ("100/15minutes"); off only for load tests
    rate_limit_enabled: bool = True
    rate_limit_default: str = "100/15minutes"
    rate_limit_login: str = "10/15minutes"
    rate_limit_refresh: str = "30/15minutes"
    rate_limit_identity_start: str = "20/hour"
    # password sign-in lockout: after this many failures in a row, wait base * 2^(extra failures)
    login_lockout_threshold: Annotated[int, Field(ge=1, le=100)] = 5
    login_lockout_base_seconds: Annotated[int, Field(ge=1, le=3600)] = 30
    login_lockout_max_seconds: Annotated[int, Field(ge=1, le=86400)] = 3600
    # account-wide: past this many failures in an hour from unknown clients (no matching
    # device key), every unknown client is locked out of the account for the lock time
    login_account_threshold: Annotated[int, Field(ge=1, le=100_000)] = 50
    login_account_lock_seconds: Annotated[int, Field(ge=1, le=86400)] = 900
    # a rotated refresh token presented again within this many seconds gets the same successor
    refresh_reuse_grace_seconds: Annotated[int, Field(ge=0, le=300)] = 10
    # email verification codes: lifetime and how many sends per hour per account and per IP
    email_code_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    email_code_sends_per_hour: Annotated[int, Field(ge=1, le=1000)] = 5
    email_code_sends_per_ip_per_hour: Annotated[int, Field(ge=1, le=100_000)] = 20
    # outgoing mail: smtp (required in production unless `log` is picked), file, or log
    mail_backend: Literal["smtp", "file", "log"] | None = None
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "Not a Label <no-reply@not-a-label.art>"
    migrate_on_start: bool | None = None
    # how often each server process deletes expired onboarding sessions (0 = never)
    session_prune_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 60
    # how often each server process looks in the event outbox for retries and for what a
    # crashed process left (new events are delivered at once, after their commit)
    outbox_poll_seconds: Annotated[float, Field(gt=0, le=300)] = 1.0
    # a failing event handler is tried again after this delay, doubled each time, and after
    # `events_max_attempts` tries its event is parked as a dead letter; production delivers
    # through this Redis stream (one consumer group per handler, dead letters in `<name>:dead`)
    events_retry_seconds: Annotated[float, Field(ge=0, le=3600)] = 1.0
    events_max_attempts: Annotated[int, Field(ge=1, le=100)] = 5
    events_stream: Annotated[str, Field(min_length=1, max_length=200)] = "notalabel:events"
    # edge hardening: browser origins allowed by CORS and proxies whose X-Forwarded-For is
    # believed (both comma-separated; empty = none), Redis call timeouts, request body cap,
    # the /metrics bearer token (production serves /metrics only with one) and /docs
    cors_origins: str = ""
    trusted_proxies: str = ""
    redis_timeout_seconds: Annotated[float, Field(gt=0, le=30)] = 0.25
    max_json_body_bytes: Annotated[int, Field(ge=1024, le=64 * 1024 * 1024)] = 64 * 1024
    metrics_token: Annotated[str | None, Field(min_length=16)] = None
    docs_enabled: bool | None = None
    # passkeys (WebAuthn): the relying-party id must be each origin's host or a parent domain of
    # it; unset, embedded uses localhost and production the host of the public base URL
    webauthn_rp_id: str | None = None
    webauthn_rp_name: str = "Not a Label"
    # comma-separated origins allowed to sign, e.g. "https://not-a-label.art"
    webauthn_origins: str | None = None
    # AES-256-GCM key that seals voiceprints at rest: 32 random bytes in base64 (urlsafe or
    # standard), e.g. from `python -c "import secrets;print(secrets.token_urlsafe(32))"`;
    # required in production, generated once into the data directory on the embedded default
    voiceprint_key: str | None = None
    # comma-separated keys voiceprints were sealed under before NAL_VOICEPRINT_KEY: they are
    # still opened, and `python -m notalabel voice-reseal` moves every row to the current key
    voiceprint_retired_keys: str = ""

    @field_validator(
        "rate_limit_default", "rate_limit_login", "rate_limit_refresh", "rate_limit_identity_start"
    )
    @classmethod
    def _one_rate_limit(cls, value: str) -> str:
        try:
            items = parse_many(value)
        except ValueError as exc:
            raise ValueError(
                f"{value!r} is not a rate limit; use the form '100/15minutes' or '20/hour'"
            ) from exc
        if len(items) != 1 or items[0].amount < 1:
            raise ValueError(
                f"{value!r} must be one rate limit of at least 1, like '100/15minutes'"
            )
        return value

    @model_validator(mode="after")
    def _production_needs_real_services(self) -> Self:
        if self.mode is Mode.PRODUCTION:
            if not self.database_url or not self.database_url.startswith("postgresql"):
                raise ValueError("production mode needs NAL_DATABASE_URL=postgresql+asyncpg://...")
            if not self.redis_url:
                raise ValueError("production mode needs NAL_REDIS_URL=redis://...")
            _require_strong_secret(self.jwt_secret)
            if not self.voiceprint_key:
                raise ValueError("production mode needs NAL_VOICEPRINT_KEY (32 bytes, base64)")
            if self.effective_mail_backend == "file":
                raise ValueError(
                    "production mode needs NAL_SMTP_HOST (or NAL_MAIL_BACKEND=log to only log mail)"
                )
        elif self.jwt_secret is not None:
            _require_strong_secret(self.jwt_secret)
        return self

    @field_validator("voiceprint_key")
    @classmethod
    def _valid_voiceprint_key(cls, value: str | None) -> str | None:
        if value is not None:
            decode_key(value)
        return value

    @field_validator("voiceprint_retired_keys")
    @classmethod
    def _valid_retired_keys(cls, value: str) -> str:
        for key in _split_keys(value):
            decode_key(key, name="NAL_VOICEPRINT_RETIRED_KEYS")
        return value

    @model_validator(mode="after")
    def _smtp_needs_a_host(self) -> Self:
        if self.mail_backend == "smtp" and not self.smtp_host:
            raise ValueError("NAL_MAIL_BACKEND=smtp needs NAL_SMTP_HOST")
        return self

    @property
    def effective_mail_backend(self) -> str:
        """The picked mail backend, else smtp when a host is set, else .eml files (embedded)."""
        if self.mail_backend is not None:
            return self.mail_backend
        return "smtp" if self.smtp_host else "file"

    @model_validator(mode="after")
    def _webauthn_origins_match_rp_id(self) -> Self:
        _check_relying_party(self.passkey_rp_id, self.passkey_origins, self.mode)
        return self

    @property
    def passkey_rp_id(self) -> str:
        """The WebAuthn relying-party id passkeys are bound to."""
        if self.webauthn_rp_id:
            return self.webauthn_rp_id.strip().lower()
        if self.mode is Mode.PRODUCTION:
            return (urlsplit(self.public_base_url).hostname or "").lower()
        return "localhost"

    @property
    def passkey_origins(self) -> list[str]:
        """The origins a passkey response may come from."""
        if self.webauthn_origins:
            return [o.strip().rstrip("/") for o in self.webauthn_origins.split(",") if o.strip()]
        if self.mode is Mode.PRODUCTION:
            return [self.public_base_url.rstrip("/")]
        return ["http://localhost:8000"]

    @field_validator("cors_origins")
    @classmethod
    def _valid_origins(cls, value: str) -> str:
        parse_origins(value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def cors_origin_list(self) -> list[str]:
        """Origins CORS allows; empty means no CORS headers at all."""
        return parse_origins(self.cors_origins)

    @cached_property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """Networks of the proxies whose X-Forwarded-For is believed."""
        return parse_networks(self.trusted_proxies)

    @property
    def serve_docs(self) -> bool:
        """/docs, /redoc and /openapi.json: on in embedded, off in production unless asked."""
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.mode is Mode.EMBEDDED

    @cached_property
    def effective_database_url(self) -> str:
        """The configured database, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'notalabel.db').resolve()}"

    @property
    def should_migrate_on_start(self) -> bool:
        """Embedded deployments migrate themselves; production runs `notalabel db upgrade`."""
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.mode is Mode.EMBEDDED

    @cached_property
    def signing_secret(self) -> str:
        """The JWT secret; on the embedded default one is generated once and kept on disk."""
        if self.jwt_secret:
            return self.jwt_secret
        return self._secret_on_disk("jwt-secret", secrets.token_urlsafe(48))

    @cached_property
    def voiceprint_key_bytes(self) -> bytes:
        """The voiceprint sealing key; on the embedded default generated once and kept on disk."""
        if self.voiceprint_key:
            return decode_key(self.voiceprint_key)
        return decode_key(self._secret_on_disk("voiceprint-key", secrets.token_urlsafe(32)))

    @property
    def voiceprint_retired_key_bytes(self) -> list[bytes]:
        """Keys voiceprints may still be sealed under, tried after the current one."""
        return [decode_key(key) for key in _split_keys(self.voiceprint_retired_keys)]

    def _secret_on_disk(self, name: str, fresh: str) -> str:
        path = self.data_dir / name
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Exclusive create so two workers starting together agree on one secret.
        try:
            with path.open("x") as handle:
                handle.write(fresh)
            path.chmod(0o600)
        except FileExistsError:
            return path.read_text().strip()
        return fresh


def _check_relying_party(rp_id: str, origins: list[str], mode: Mode) -> None:
    # a browser refuses an rp id that is not the origin's host or a parent domain of it, and
    # only localhost may skip TLS; catching it here beats a passkey that can never be used
    if not rp_id or not origins:
        raise ValueError("passkeys need NAL_WEBAUTHN_RP_ID and NAL_WEBAUTHN_ORIGINS")
    for origin in origins:
        parts = urlsplit(origin)
        host = (parts.hostname or "").lower()
        secure = parts.scheme == "https" or (
            parts.scheme == "http" and host == "localhost" and mode is Mode.EMBEDDED
        )
        if not secure or not (host == rp_id or host.endswith("." + rp_id)):
            raise ValueError(
                f"NAL_WEBAUTHN_ORIGINS entry {origin!r} does not fit NAL_WEBAUTHN_RP_ID "
                f"{rp_id!r}: use https (http only for localhost outside production) on that "
                "domain or a subdomain of it"
            )


def parse_origins(value: str) -> list[str]:
    """Comma-separated browser origins ("*" or scheme://host[:port]), checked."""
    origins = [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if origin != "*" and (
            parts.scheme not in ("http", "https") or not parts.netloc or parts.path
        ):
            raise ValueError(
                f"NAL_CORS_ORIGINS entry {origin!r} is not an origin like https://example.com"
            )
    return origins


def parse_networks(value: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Comma-separated IP addresses or CIDR networks, checked."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"NAL_TRUSTED_PROXIES entry {item!r} is not an IP address or CIDR network"
            ) from exc
    return tuple(networks)


def decode_key(value: str, *, name: str = "NAL_VOICEPRINT_KEY") -> bytes:
    """32 key bytes from base64 (urlsafe or standard, padding optional), checked."""
    text = value.strip().replace("+", "-").replace("/", "_")
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name} must be 32 random bytes in base64") from exc
    if len(key) != 32 or len(set(key)) < 8:
        raise ValueError(f"{name} must be 32 random bytes in base64")
    return key


def _split_keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def _require_strong_secret(secret: str | None) -> None:
    if not secret:
        raise ValueError("NAL_JWT_SECRET is required in production mode")
    if secret.lower() in _WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(
            f"NAL_JWT_SECRET is too weak: use at least {MIN_SECRET_LENGTH} random characters"
        )
