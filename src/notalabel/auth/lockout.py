"""How long password sign-in stays locked after repeated failures (pure)."""

from __future__ import annotations

from datetime import timedelta


def lock_duration(
    failures: int, *, threshold: int, base_seconds: int, max_seconds: int
) -> timedelta | None:
    """No lock below `threshold` failures in a row; then base, 2x, 4x ... capped at max."""
    if failures < threshold:
        return None
    doublings = min(failures - threshold, 30)
    return timedelta(seconds=min(max_seconds, base_seconds * 2**doublings))
