"""Reading uploads: each thing a person can get wrong is refused with its own reason."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from notalabel.voice.audio import MAX_BYTES, SAMPLE_RATE, read_recording
from notalabel.voice.exceptions import (
    AudioClipped,
    AudioSilent,
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    UnsupportedAudio,
)


def voice_like(seconds: float, rate: int = SAMPLE_RATE, level: float = 0.3) -> np.ndarray:
    """A vowel-ish buzz with syllable-rate loudness, enough for the loudness checks."""
    t = np.arange(int(seconds * rate)) / rate
    pitch = 140 + 20 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    buzz = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = 0.55 + 0.45 * np.sin(2 * np.pi * 3 * t)
    return (level * buzz * syllables / np.max(np.abs(buzz))).astype(np.float32)


def encode(samples: np.ndarray, rate: int = SAMPLE_RATE, fmt: str = "WAV", **kw: str) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format=fmt, **kw)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "subtype"), [("WAV", "PCM_16"), ("FLAC", "PCM_16"), ("OGG", "VORBIS")]
)
def test_wav_flac_and_ogg_are_read(fmt: str, subtype: str) -> None:
    recording = read_recording(encode(voice_like(2.0), fmt=fmt, subtype=subtype))
    assert recording.samples.dtype == np.float32
    assert abs(recording.seconds - 2.0) < 0.05
    assert abs(len(recording.samples) - 2 * SAMPLE_RATE) < 0.05 * SAMPLE_RATE


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_any_common_rate_is_resampled_to_16k(rate: int) -> None:
    recording = read_recording(encode(voice_like(1.5, rate), rate))
    assert abs(len(recording.samples) - int(1.5 * SAMPLE_RATE)) <= 2
    spectrum = np.abs(np.fft.rfft(recording.samples))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE / len(recording.samples)
    assert 100 < peak_hz < 200  # the fundamental stayed where it was


def test_stereo_is_mixed_to_mono() -> None:
    left = voice_like(1.5)
    recording = read_recording(encode(np.stack([left, left * 0.5], axis=1)))
    assert recording.samples.ndim == 1
    assert np.allclose(recording.samples, left * 0.75, atol=1e-3)


@pytest.mark.parametrize(
    ("data", "problem", "words"),
    [
        (encode(voice_like(0.6)), AudioTooShort, "at least 1 second"),
        (encode(voice_like(10.5)), AudioTooLong, "under 10 seconds"),
        (encode(np.zeros(SAMPLE_RATE * 2, dtype=np.float32)), AudioSilent, "could not hear"),
        (encode(voice_like(2.0) * 0.001), AudioSilent, "could not hear"),
        (encode(np.clip(voice_like(2.0) * 8, -1, 1)), AudioClipped, "clipped"),
        (b"RIFF\x00\x00\x00\x00WAVEnot really", UnsupportedAudio, "WAV, FLAC or OGG"),
        (b'{"audio": "base64..."}', UnsupportedAudio, "WAV, FLAC or OGG"),
        (b"", UnsupportedAudio, "WAV, FLAC or OGG"),
        (b"\x00" * (MAX_BYTES + 1), AudioTooLarge, "at most 2 MB"),
    ],
    ids=[
        "short",
        "long",
        "digital-silence",
        "whisper-of-noise",
        "clipped",
        "fake-wav",
        "json",
        "empty",
        "too-large",
    ],
)
def test_each_problem_is_refused_with_its_reason(
    data: bytes, problem: type[Exception], words: str
) -> None:
    with pytest.raises(problem, match=words):
        read_recording(data)


def test_other_sound_formats_are_not_accepted() -> None:
    aiff = encode(voice_like(2.0), fmt="AIFF", subtype="PCM_16")
    with pytest.raises(UnsupportedAudio):
        read_recording(aiff)


def test_loud_but_clean_speech_is_not_called_clipped() -> None:
    assert read_recording(encode(voice_like(2.0, level=0.95))).seconds == pytest.approx(2.0)
