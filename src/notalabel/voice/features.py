"""The acoustic features the design names (pure): MFCCs, fundamental frequency, spectral shape.

They describe a recording the way a person would ("a low voice, a dark timbre"), are kept in
the sealed voiceprint beside the speaker embedding, and give a replay fingerprint: the coarse
log-mel picture of a recording, which two takes of one phrase never share to the decimal but
a copy of one recording always does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.fft import dct

RATE = 16_000
FRAME = 400  # 25 ms
HOP = 160  # 10 ms
N_FFT = 512
N_MELS = 26
N_MFCC = 13
ROLLOFF_SHARE = 0.85
F0_RANGE = (60.0, 400.0)
# replay prints: log-mel energy in 50 ms steps, compared at shifts of up to half a second
REPLAY_STEP = 5
REPLAY_MAX_SHIFT = 10
REPLAY_MIN_OVERLAP = 0.8
# only the telephone band: a copy sent through a phone line or a cheap speaker keeps it
REPLAY_TOP_HZ = 3400.0


@dataclass(frozen=True, slots=True)
class VoiceFeatures:
    """Averages over the voiced frames of one recording."""

    mfcc: tuple[float, ...]
    fundamental_hz: float | None
    spectral_centroid_hz: float
    spectral_rolloff_hz: float

    def as_json(self) -> dict[str, object]:
        """The features as JSON values (kept inside the sealed voiceprint only)."""
        return {
            "mfccCoefficients": [round(c, 4) for c in self.mfcc],
            "fundamentalFrequency": self.fundamental_hz and round(self.fundamental_hz, 1),
            "spectralCentroid": round(self.spectral_centroid_hz, 1),
            "spectralRolloff": round(self.spectral_rolloff_hz, 1),
        }


def features_from_json(document: object) -> VoiceFeatures:
    """The features back from `VoiceFeatures.as_json` (inside an opened voiceprint)."""
    if not isinstance(document, dict):
        raise TypeError("voice features must be a JSON object")
    f0 = document["fundamentalFrequency"]
    return VoiceFeatures(
        mfcc=tuple(float(c) for c in document["mfccCoefficients"]),
        fundamental_hz=float(f0) if f0 is not None else None,
        spectral_centroid_hz=float(document["spectralCentroid"]),
        spectral_rolloff_hz=float(document["spectralRolloff"]),
    )


def voice_features(samples: np.ndarray) -> VoiceFeatures:
    """MFCC means, median F0 and mean spectral centroid and rolloff of the voiced frames."""
    frames = _frames(samples)
    power = np.abs(np.fft.rfft(frames * np.hamming(FRAME), n=N_FFT)) ** 2
    voiced = _voiced(frames)
    power = power[voiced]
    freqs = np.fft.rfftfreq(N_FFT, 1 / RATE)
    total = power.sum(axis=1) + 1e-12
    centroid = float(np.mean((power @ freqs) / total))
    cumulative = np.cumsum(power, axis=1)
    rolloff_bins = np.argmax(cumulative >= ROLLOFF_SHARE * total[:, None], axis=1)
    rolloff = float(np.mean(freqs[rolloff_bins]))
    log_mel = np.log(power @ _mel_bank().T + 1e-10)
    mfcc = dct(log_mel, type=2, axis=1, norm="ortho")[:, :N_MFCC].mean(axis=0)
    return VoiceFeatures(
        mfcc=tuple(float(c) for c in mfcc),
        fundamental_hz=_median_f0(frames[voiced]),
        spectral_centroid_hz=centroid,
        spectral_rolloff_hz=rolloff,
    )


def replay_fingerprint(samples: np.ndarray) -> np.ndarray:
    """How the recording's log-mel energy moves, in 50 ms steps from the first voiced frame.

    Each band's average is taken out: what is left is this recording's own movement in time,
    which the same voice saying anything else (or the same words again) does not repeat.
    """
    frames = _frames(samples)
    voiced = np.flatnonzero(_voiced(frames))
    span = frames[voiced[0] : voiced[-1] + 1] if voiced.size else frames
    power = np.abs(np.fft.rfft(span * np.hamming(FRAME), n=N_FFT)) ** 2
    # cube-root loudness, not log: quiet noise between and above the voice weighs little, so
    # a copy played back through a speaker into a microphone still lines up
    loudness = np.cbrt(power @ _mel_bank(REPLAY_TOP_HZ).T)
    loudness /= loudness.max() or 1.0
    steps = max(1, len(loudness) // REPLAY_STEP)
    bands = loudness.shape[1]
    picture = loudness[: steps * REPLAY_STEP].reshape(steps, -1, bands).mean(axis=1)
    picture -= picture.mean(axis=0, keepdims=True)
    fingerprint: np.ndarray = picture.astype(np.float32)
    return fingerprint


def replay_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The best correlation of two replay prints over small shifts in time (-1 to 1)."""
    shortest = min(len(a), len(b))
    best = -1.0
    for shift in range(-REPLAY_MAX_SHIFT, REPLAY_MAX_SHIFT + 1):
        x, y = a[max(0, shift) :], b[max(0, -shift) :]
        overlap = min(len(x), len(y))
        if overlap < REPLAY_MIN_OVERLAP * shortest or overlap == 0:
            continue
        x, y = x[:overlap].ravel(), y[:overlap].ravel()
        norm = float(np.linalg.norm(x) * np.linalg.norm(y))
        if norm:
            best = max(best, float(np.dot(x, y)) / norm)
    return best


def _frames(samples: np.ndarray) -> np.ndarray:
    padded = np.pad(samples.astype(np.float64), (0, max(0, FRAME - len(samples))))
    count = 1 + (len(padded) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    emphasised = np.append(padded[0], padded[1:] - 0.97 * padded[:-1])
    frames: np.ndarray = emphasised[index]
    return frames


def _voiced(frames: np.ndarray) -> np.ndarray:
    """Frames within 30 dB of the loudest: the voice, not the pauses around it."""
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    keep: np.ndarray = level > level.max() - 30.0
    return keep


def _median_f0(frames: np.ndarray) -> float | None:
    """Median pitch of frames whose autocorrelation shows a clear period."""
    low, high = int(RATE / F0_RANGE[1]), int(RATE / F0_RANGE[0])
    centred = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, n=2 * FRAME)
    auto = np.fft.irfft(np.abs(spectrum) ** 2)[:, : high + 1]
    energy = auto[:, :1] + 1e-12
    normalised = auto / energy
    lags = low + np.argmax(normalised[:, low : high + 1], axis=1)
    strength = normalised[np.arange(len(lags)), lags]
    periodic = strength > 0.5
    if not periodic.any():
        return None
    return float(np.median(RATE / lags[periodic]))


@lru_cache(maxsize=2)
def _mel_bank(top_hz: float = RATE / 2) -> np.ndarray:
    """Triangular HTK-style mel filters over the rfft bins, up to `top_hz`."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(np.array(0.0)), mel(np.array(top_hz)), N_MELS + 2))
    freqs = np.fft.rfftfreq(N_FFT, 1 / RATE)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs - lower) / (centre - lower)
    falling = (upper - freqs) / (upper - centre)
    bank: np.ndarray = np.maximum(0.0, np.minimum(rising, falling))
    return bank
