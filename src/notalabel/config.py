"""Validated settings, read from NAL_* environment variables."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Self

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
    migrate_on_start: bool | None = None
    # how often each server process deletes expired onboarding sessions (0 = never)
    session_prune_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 60

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
        elif self.jwt_secret is not None:
            _require_strong_secret(self.jwt_secret)
        return self

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
        path = self.data_dir / "jwt-secret"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        # Exclusive create so two workers starting together agree on one secret.
        try:
            with path.open("x") as handle:
                handle.write(secret)
            path.chmod(0o600)
        except FileExistsError:
            return path.read_text().strip()
        return secret


def _require_strong_secret(secret: str | None) -> None:
    if not secret:
        raise ValueError("NAL_JWT_SECRET is required in production mode")
    if secret.lower() in _WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(
            f"NAL_JWT_SECRET is too weak: use at least {MIN_SECRET_LENGTH} random characters"
        )
