"""Rate-limit settings fail at start-up when they cannot be read."""

from __future__ import annotations

import pytest
from limits import parse
from pydantic import ValidationError

from notalabel.config import Settings
from notalabel.ratelimit import describe

BAD = ["", "abc", "100", "100/fortnight", "-1/minute", "0/minute", "10/minute;5/second"]
FIELDS = [
    "rate_limit_default",
    "rate_limit_login",
    "rate_limit_refresh",
    "rate_limit_identity_start",
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", BAD)
def test_bad_limits_are_rejected(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **{field: value})  # type: ignore[call-arg]
    assert field in str(caught.value)
    assert "100/15minutes" in str(caught.value)


def test_bad_limits_from_the_environment_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAL_RATE_LIMIT_LOGIN", "ten per minute")
    with pytest.raises(ValidationError, match="rate_limit_login"):
        Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize("value", ["100/15minutes", "20/hour", "10 per minute", "1000000/second"])
def test_good_limits_are_kept(value: str) -> None:
    assert Settings(_env_file=None, rate_limit_default=value).rate_limit_default == value  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("100/15minutes", "100 per 15 minutes"),
        ("20/hour", "20 per hour"),
        ("1/2 days", "1 per 2 days"),
    ],
)
def test_limits_are_described_in_words(value: str, text: str) -> None:
    assert describe(parse(value)) == text
