"""Deciding about voices (pure): calibrated scores, enrolment quality, replays and lockout.

The speaker encoder gives cosine similarities whose scale means little to a person. Scores are
mapped through a logistic curve fitted on the verifier's own trials (benchmarks/voice.py prints
a refit), so 0.85 — the design's default threshold — is a point on an interpretable scale: the
chance, on those trials, that a pair with this similarity comes from one speaker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from notalabel.auth.lockout import lock_duration
from notalabel.voice.features import replay_similarity

# logistic calibration of cosine similarity: score = 1 / (1 + exp(-SLOPE * (cos - MIDPOINT))),
# fitted on login-like trials (a 4-digit answer against a voiceprint of three sentences) of
# the synthetic voices of benchmarks/voice.py: the default 0.85 sits at cosine 0.78, where
# false accepts and rejects are about equal. Phone-line embeddings crowd closer together,
# so narrowband audio is held to cosine 0.86 against the phone-line voiceprint.
CALIBRATION_MIDPOINT = 0.72
NARROWBAND_MIDPOINT = 0.80
CALIBRATION_SLOPE = 30.0
DEFAULT_THRESHOLD = 0.85
# enrolment: every sample must score at least this against the other two, and their mean
# score is the quality answered to the artist
SAMPLE_AGREEMENT = 0.5
SAMPLES_NEEDED = 3
# a recording whose replay fingerprint correlates this closely with an earlier one is a copy
REPLAY_SIMILARITY = 0.9
LOCK_BASE_SECONDS = 60
LOCK_MAX_SECONDS = 3600


def calibrated(cosine: float, *, narrowband: bool = False) -> float:
    """The calibrated score of a cosine similarity, in (0, 1)."""
    midpoint = NARROWBAND_MIDPOINT if narrowband else CALIBRATION_MIDPOINT
    return 1.0 / (1.0 + math.exp(-CALIBRATION_SLOPE * (cosine - midpoint)))


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors (0 for a zero vector)."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


def centroid(embeddings: list[np.ndarray]) -> np.ndarray:
    """The unit-length mean of unit embeddings: the speaker's voiceprint."""
    mean = np.mean(np.stack(embeddings), axis=0)
    result: np.ndarray = (mean / np.linalg.norm(mean)).astype(np.float32)
    return result


@dataclass(frozen=True, slots=True)
class Enrolment:
    """How well enrolment samples agree: the quality, or the sample that does not fit."""

    quality: float
    outlier: int | None


def judge_enrolment(embeddings: list[np.ndarray]) -> Enrolment:
    """Each sample scored against the mean of the others; the worst one below agreement fails."""
    scores = []
    for index, embedding in enumerate(embeddings):
        others = centroid([e for i, e in enumerate(embeddings) if i != index])
        scores.append(calibrated(cosine(embedding, others)))
    worst = int(np.argmin(scores))
    outlier = worst if scores[worst] < SAMPLE_AGREEMENT else None
    return Enrolment(quality=round(float(np.mean(scores)), 3), outlier=outlier)


def is_replay(fingerprint: np.ndarray, earlier: list[np.ndarray]) -> bool:
    """Whether the recording is a near-exact copy of one heard before."""
    return any(replay_similarity(fingerprint, old) >= REPLAY_SIMILARITY for old in earlier)


def running_average(average: float | None, count: int, value: float) -> float:
    """The mean after adding `value` as the `count`-th item."""
    if average is None or count <= 1:
        return value
    return average + (value - average) / count


def voice_lock(failures_in_a_row: int, max_attempts: int) -> timedelta | None:
    """No lock below max_attempts failures in a row; then a minute, doubling up to an hour."""
    return lock_duration(
        failures_in_a_row,
        threshold=max_attempts,
        base_seconds=LOCK_BASE_SECONDS,
        max_seconds=LOCK_MAX_SECONDS,
    )
