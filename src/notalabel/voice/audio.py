"""Reading an uploaded recording (pure): decode, check, mix to mono and resample to 16 kHz.

Only what a person can fix is refused, each with its own reason: a file that is not WAV, FLAC
or OGG audio; a recording too short or too long; one with no voice in it; one so loud that
the waveform is clipped. The bytes are never kept: callers get samples and drop them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import soundfile

from notalabel.voice.encoder.preprocess import resample
from notalabel.voice.exceptions import (
    AudioClipped,
    AudioSilent,
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    UnsupportedAudio,
)

SAMPLE_RATE = 16_000
MAX_BYTES = 2 * 1024 * 1024
MIN_SECONDS = 1.0
MAX_SECONDS = 10.0
FORMATS = frozenset({"WAV", "FLAC", "OGG"})
# below this, the loudest 30 ms of the recording is room noise, not a voice
SILENCE_DBFS = -50.0
# voice has to fill at least this much of the recording to say anything about the speaker
MIN_VOICED_SECONDS = 0.5
# flat tops at full scale: more than this share of samples means the input was overdriven
CLIPPED_LEVEL = 0.99
CLIPPED_SHARE = 0.002
_WINDOW = SAMPLE_RATE * 30 // 1000


@dataclass(frozen=True, slots=True)
class Recording:
    """A checked recording: mono float32 samples at 16 kHz and how long it lasted."""

    samples: np.ndarray
    seconds: float


def read_recording(data: bytes) -> Recording:
    """Decode and check one uploaded recording; raise an AudioProblem saying what to fix."""
    if len(data) > MAX_BYTES:
        raise AudioTooLarge(
            f"The recording is {len(data) / 1_048_576:.1f} MB; at most 2 MB is accepted "
            "(10 seconds of 16-bit WAV fit in about 0.3 MB)."
        )
    samples, rate = _decode(data)
    seconds = samples.shape[0] / rate
    if seconds < MIN_SECONDS:
        raise AudioTooShort(
            f"The recording lasts {seconds:.1f} s; speak for at least {MIN_SECONDS:.0f} second."
        )
    if seconds > MAX_SECONDS:
        raise AudioTooLong(
            f"The recording lasts {seconds:.1f} s; keep it under {MAX_SECONDS:.0f} seconds."
        )
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    if _clipped_share(mono) > CLIPPED_SHARE:
        raise AudioClipped(
            "The recording is clipped (too loud for the microphone): move back a little or "
            "turn the input level down, then record again."
        )
    resampled = (mono if rate == SAMPLE_RATE else resample(mono, rate)).astype(np.float64)
    loudest, voiced = _loudness(resampled)
    if loudest < SILENCE_DBFS or voiced < MIN_VOICED_SECONDS:
        raise AudioSilent(
            "We could not hear a voice in the recording: check the microphone and speak clearly."
        )
    return Recording(resampled.astype(np.float32), seconds)


def _decode(data: bytes) -> tuple[np.ndarray, int]:
    try:
        info = soundfile.info(io.BytesIO(data))
        if info.format not in FORMATS or info.frames <= 0 or info.channels > 8:
            raise UnsupportedAudio(_NOT_AUDIO)
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=False)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise UnsupportedAudio(_NOT_AUDIO) from exc
    if not 8_000 <= rate <= 192_000 or not np.all(np.isfinite(samples)):
        raise UnsupportedAudio(_NOT_AUDIO)
    return samples, int(rate)


_NOT_AUDIO = "This is not a recording we can read: send WAV, FLAC or OGG audio."


def _clipped_share(samples: np.ndarray) -> float:
    return float(np.mean(np.abs(samples) >= CLIPPED_LEVEL)) if samples.size else 0.0


def _loudness(samples: np.ndarray) -> tuple[float, float]:
    """The loudest 30 ms in dBFS, and how many seconds are within 30 dB of it."""
    usable = samples[: samples.shape[0] // _WINDOW * _WINDOW].reshape(-1, _WINDOW)
    if usable.size == 0:
        return -np.inf, 0.0
    power = np.mean(usable**2, axis=1)
    level = 10 * np.log10(np.maximum(power, 1e-12))
    loudest = float(level.max())
    floor = max(loudest - 30.0, SILENCE_DBFS)
    voiced = float(np.count_nonzero(level > floor)) * _WINDOW / SAMPLE_RATE
    return loudest, voiced
