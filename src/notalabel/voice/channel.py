"""The channel a recording came through (pure): full band, or a telephone's 300-3400 Hz.

The speaker encoder was trained on wideband speech; the same voice through a phone line
moves its embedding further than another speaker does. So a voiceprint keeps a second
centroid made from its own samples band-limited like a phone line, and a recording with no
energy above the telephone band is compared with that one.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

RATE = 16_000
TELEPHONE_BAND = (300.0, 3400.0)
# a phone line (or 8 kHz audio) leaves about 1e-6 of the energy above 4.2 kHz; wideband
# speech keeps 2e-4 (a soft voice saying digits, few fricatives) to 3e-2 (sentences)
NARROWBAND_SHARE = 1e-4
_ABOVE_HZ = 4200.0


def telephone_band(samples: np.ndarray) -> np.ndarray:
    """The recording as a phone line would carry it: 300-3400 Hz, through 8 kHz and back."""
    sos = signal.butter(4, TELEPHONE_BAND, btype="bandpass", fs=RATE, output="sos")
    narrow = signal.sosfiltfilt(sos, samples)
    down = signal.resample_poly(narrow, 1, 2)
    band_limited: np.ndarray = signal.resample_poly(down, 2, 1)[: len(samples)]
    return band_limited.astype(np.float32)


def is_narrowband(samples: np.ndarray) -> bool:
    """Whether the recording has (almost) nothing above the telephone band."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / RATE)
    total = float(spectrum.sum())
    return total > 0 and float(spectrum[freqs > _ABOVE_HZ].sum()) / total < NARROWBAND_SHARE
