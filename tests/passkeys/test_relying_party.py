"""The relying party comes from settings and must fit the origins a browser will sign for."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from notalabel.config import Mode, Settings

PRODUCTION = {
    "mode": Mode.PRODUCTION,
    "database_url": "postgresql+asyncpg://u@h/db",
    "redis_url": "redis://h:6379/0",
    "jwt_secret": "s" * 40,
    "mail_backend": "log",
    "voiceprint_key": "dm9pY2VwcmludC10ZXN0LWtleS0wMTIzNDU2Nzg5YWI",
}


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def test_embedded_defaults_to_localhost() -> None:
    settings = _settings()
    assert settings.passkey_rp_id == "localhost"
    assert settings.passkey_origins == ["http://localhost:8000"]
    assert settings.webauthn_rp_name == "Not a Label"


def test_production_defaults_to_the_public_url_and_takes_explicit_values() -> None:
    derived = _settings(**PRODUCTION)
    assert derived.passkey_rp_id == "not-a-label.art"
    assert derived.passkey_origins == ["https://not-a-label.art"]
    explicit = _settings(
        **PRODUCTION,
        webauthn_rp_id="not-a-label.art",
        webauthn_origins="https://not-a-label.art, https://studio.not-a-label.art/",
    )
    assert explicit.passkey_origins == ["https://not-a-label.art", "https://studio.not-a-label.art"]


@pytest.mark.parametrize(
    ("mode", "rp_id", "origins"),
    [
        (None, "localhost", "http://127.0.0.1:8000"),
        (None, "not-a-label.art", "https://evil-not-a-label.art"),
        (None, "studio.not-a-label.art", "https://not-a-label.art"),
        (None, "example.org", "http://example.org"),
        (Mode.PRODUCTION, "localhost", "http://localhost:8000"),
    ],
)
def test_origins_that_do_not_fit_the_rp_id_are_refused(
    mode: Mode | None, rp_id: str, origins: str
) -> None:
    base = PRODUCTION if mode is Mode.PRODUCTION else {}
    with pytest.raises(ValidationError, match="NAL_WEBAUTHN_ORIGINS"):
        _settings(**base, webauthn_rp_id=rp_id, webauthn_origins=origins)
