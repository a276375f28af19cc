"""A vectorised YIN pitch tracker: per-frame f0 in Hz, NaN where the frame is unvoiced."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

RATE = 16_000
FRAME_SECONDS = 0.040
HOP_SECONDS = 0.010
F0_MIN = 60.0
F0_MAX = 1000.0
# YIN's absolute threshold on the cumulative mean normalised difference: a periodic frame
# dips well below it (a breathy hum sits near 0.01-0.05), noise stays near 1.
THRESHOLD = 0.15
# frames this far below the loudest part of the take are background, not humming
GATE_DB = -35.0
_FLOOR = 1e-4  # absolute RMS floor: digital silence and dither are never voiced

FloatArray = NDArray[np.float64]


def frame_times(count: int, rate: int = RATE) -> FloatArray:
    """Centre time in seconds of each frame `track_pitch` returns."""
    hop, frame = round(HOP_SECONDS * rate), round(FRAME_SECONDS * rate)
    return (np.arange(count) * hop + frame / 2) / rate


def track_pitch(
    samples: NDArray[np.floating], rate: int = RATE, fmin: float = F0_MIN, fmax: float = F0_MAX
) -> FloatArray:
    """YIN f0 per 10 ms hop over 40 ms frames, in Hz; NaN marks unvoiced frames."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    size, hop = round(FRAME_SECONDS * rate), round(HOP_SECONDS * rate)
    lag_min, lag_max = max(2, int(rate / fmax)), int(np.ceil(rate / fmin))
    # the integration window plus the longest lag fills exactly one frame
    window = size - lag_max
    if window < lag_max // 2:
        raise ValueError("the frame is too short for the lowest pitch asked for")
    if x.size < size:
        return np.full(0, np.nan)
    frames = np.lib.stride_tricks.sliding_window_view(x, size)[::hop]
    frames = frames - frames.mean(axis=1, keepdims=True)
    diff = _difference(frames, window, lag_max)
    norm = _cumulative_mean_normalised(diff)
    lag, voiced = _pick_lags(norm, lag_min, lag_max)
    rows = np.arange(len(frames))
    # parabolic interpolation on the raw difference, which is near-parabolic at its minimum
    # (the normalised one is tilted by its running mean): a few cents even at 1 kHz
    a, b, c = diff[rows, lag - 1], diff[rows, lag], diff[rows, lag + 1]
    curve = a - 2 * b + c
    safe = np.where(np.abs(curve) > 1e-12, curve, 1.0)
    shift = np.where(np.abs(curve) > 1e-12, 0.5 * (a - c) / safe, 0.0)
    f0 = rate / (lag + np.clip(shift, -1.0, 1.0))
    rms = np.sqrt(np.mean(frames[:, :window] ** 2, axis=1))
    loud = rms >= max(_FLOOR, float(np.max(rms)) * 10 ** (GATE_DB / 20))
    voiced &= loud & (f0 >= fmin * 0.97) & (f0 <= fmax * 1.03)
    return np.where(voiced, f0, np.nan)


def _difference(frames: FloatArray, window: int, lag_max: int) -> FloatArray:
    # d(t) = sum (x_j - x_{j+t})^2 = e(0) + e(t) - 2 r(t), with r by FFT and e by cumsum
    n_fft = 1 << int(np.ceil(np.log2(frames.shape[1] + 1)))
    head = np.fft.rfft(frames[:, :window], n_fft)
    whole = np.fft.rfft(frames, n_fft)
    corr = np.fft.irfft(np.conj(head) * whole, n_fft)[:, : lag_max + 1]
    power = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
    lags = np.arange(lag_max + 1)
    energy = power[:, lags + window] - power[:, lags]
    diff = energy[:, :1] + energy - 2 * corr
    diff[:, 0] = 0.0
    clipped: FloatArray = np.maximum(diff, 0.0)
    return clipped


def _cumulative_mean_normalised(diff: FloatArray) -> FloatArray:
    running = np.cumsum(diff[:, 1:], axis=1)
    lags = np.arange(1, diff.shape[1])
    norm = np.ones_like(diff)
    # a silent frame has d = 0 everywhere: leave it at 1 (aperiodic) instead of 0/0
    ok = running > 1e-12
    norm[:, 1:] = np.where(ok, diff[:, 1:] * lags / np.where(ok, running, 1.0), 1.0)
    return norm


def _pick_lags(
    norm: FloatArray, lag_min: int, lag_max: int
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    # YIN step 4: the first dip under the threshold, at its local minimum; taking the first
    # rather than the deepest is what keeps period doubling (octave-low errors) away
    inner = norm[:, lag_min : lag_max - 1]
    before, after = norm[:, lag_min - 1 : lag_max - 2], norm[:, lag_min + 1 : lag_max]
    dips = (inner < THRESHOLD) & (inner <= before) & (inner < after)
    found: NDArray[np.bool_] = np.asarray(dips.any(axis=1), dtype=np.bool_)
    first = np.argmax(dips, axis=1)
    deepest = np.argmin(inner, axis=1)
    lag = np.where(found, first, deepest) + lag_min
    return lag.astype(np.intp), found
