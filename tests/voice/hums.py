"""Synthetic hums of engine melodies, and the equal error rate of hum matching over them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

from notalabel.engine.pattern import generate_pattern
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.voice.humming import Note, hummable, melody_match, signature_melody

RATE = 16000
_HARMONICS = (1.0, 0.55, 0.3, 0.18, 0.1, 0.05)  # a closed-mouth "mmm": mostly fundamental


def synthesise_hum(
    melody: Sequence[Note],
    transpose: float = 0.0,
    tempo: float = 1.0,
    seed: int = 0,
    rate: int = RATE,
    *,
    seconds: float = 6.0,
    drift: float = 0.0,
    sloppiness: float = 1.0,
) -> NDArray[np.float32]:
    """A hum of the melody: harmonics, vibrato, glides, rubato, drift and breath noise.

    The voice sits in a male or female humming range (chosen by seed) whatever octave the
    instrument plays; `seconds` is the hum's length at tempo 1, `drift` the semitones the
    singer sags (negative) or climbs over the take; `sloppiness` scales how far each
    note's pitch (0.12 semitones) and length (8 %) stray.
    """
    rng = np.random.default_rng(seed)
    centre = (52.0, 62.0)[seed % 2] + rng.uniform(-2, 2)
    median = float(np.median([n.midi for n in melody]))
    shift = 12 * round((centre - median) / 12) + transpose
    # nobody hums below G2: a low tune goes up an octave, as a singer would take it
    while min(n.midi for n in melody) + shift < 43:
        shift += 12
    total = max(n.start + n.length for n in melody)
    beat = seconds / tempo / total
    legato = rng.uniform(0.2, 1.0)  # how much of each rest the singer hums through
    lead = int(rng.uniform(0.15, 0.4) * rate)
    length = lead + int((total * beat * 1.25 + 0.4) * rate)
    pitch = np.full(length, np.nan)
    level = np.zeros(length)
    clock = lead / rate
    for index, note in enumerate(melody):
        following = melody[index + 1].start if index + 1 < len(melody) else total
        gap = max(0.0, following - note.start - note.length)
        rubato = float(np.exp(rng.normal(0, 0.08 * sloppiness)))
        sung = (note.length + legato * gap) * beat * rubato
        begin, end = int(clock * rate), int((clock + sung) * rate)
        pitch[begin:end] = note.midi + shift + rng.normal(0, 0.12 * sloppiness)
        level[begin:end] = rng.uniform(0.7, 1.0)
        clock += (following - note.start) * beat * rubato
    # hold pitch through silences, then glide between notes with a ~30 ms one-pole lag
    filled = _hold(pitch)
    pole = np.exp(-1 / (0.03 * rate))
    filled = lfilter([1 - pole], [1, -pole], filled, zi=[filled[0] * pole])[0]
    t = np.arange(length) / rate
    filled += drift * t / t[-1] + 0.15 * np.sin(2 * np.pi * rng.uniform(0.1, 0.3) * t)
    filled += rng.uniform(0.15, 0.35) * np.sin(2 * np.pi * rng.uniform(4.5, 6.5) * t)
    hz = 440.0 * 2 ** ((filled - 69) / 12)
    phase = 2 * np.pi * np.cumsum(hz) / rate
    voice = sum(
        a * rng.uniform(0.8, 1.2) * np.sin(k * phase + rng.uniform(0, 6.3))
        for k, a in enumerate(_HARMONICS, 1)
    )
    # 20 ms attack and release on every note
    smooth = 1 - np.exp(-1 / (0.02 * rate))
    envelope = lfilter([smooth], [1, smooth - 1], level)
    breath = lfilter([1, -0.9], [1], rng.normal(0, 1, length)) * 0.01
    out = voice * envelope + breath
    hum: NDArray[np.float32] = (0.5 * out / np.max(np.abs(out))).astype(np.float32)
    return hum


def _hold(pitch: NDArray[np.float64]) -> NDArray[np.float64]:
    known = np.flatnonzero(~np.isnan(pitch))
    index = np.searchsorted(known, np.arange(len(pitch)), side="right") - 1
    return pitch[known[np.maximum(index, 0)]]


def monotone(melody: Sequence[Note]) -> tuple[Note, ...]:
    """The melody's rhythm on one pitch: what someone who cannot hum the tune would do."""
    pitch = round(float(np.median([n.midi for n in melody])))
    return tuple(n._replace(midi=pitch) for n in melody)


def signature_melodies(count: int, start: int = 0) -> list[tuple[Note, ...]]:
    """Hummable lead melodies of `count` engine signature patterns built from varied DNA."""
    out: list[tuple[Note, ...]] = []
    genres, moods = list(Genre), list(Mood)
    seed = start
    while len(out) < count:
        dna = MusicDNA(
            primary_genre=genres[seed % len(genres)],
            preferred_mood=moods[(seed * 3) % len(moods)],
            energy_level=1 + (seed * 7) % 10,
            complexity=5 + seed % 6,
        )
        melody = signature_melody(generate_pattern(dna, seed=seed).model)
        if hummable(melody):
            out.append(melody)
        seed += 1
    return out


@dataclass(frozen=True)
class Eer:
    """An equal error rate and the threshold it sits at, with every score behind it."""

    eer: float
    threshold: float
    genuine: tuple[float, ...]
    impostor: tuple[float, ...]


def equal_error_rate(genuine: Sequence[float], impostor: Sequence[float]) -> tuple[float, float]:
    """(EER, threshold): where false rejects (genuine < t) meet false accepts (impostor >= t)."""
    g, i = np.asarray(genuine), np.asarray(impostor)
    cuts = np.unique(np.concatenate([g, i, [np.inf]]))
    frr = np.array([np.mean(g < t) for t in cuts])
    far = np.array([np.mean(i >= t) for t in cuts])
    best = int(np.argmin(np.abs(frr - far) + 1e-9 * np.maximum(frr, far)))
    return float(max(frr[best], far[best])), float(cuts[best])


def melody_eer(melodies: Sequence[Sequence[Note]], trials: int = 40, seed: int = 0) -> Eer:
    """Hum each target's own melody (genuine) or another's (impostor), varied key and tempo."""
    rng = np.random.default_rng(seed)
    genuine: list[float] = []
    impostor: list[float] = []
    for trial in range(trials):
        target = melodies[trial % len(melodies)]
        other = melodies[(trial + 1 + int(rng.integers(len(melodies) - 1))) % len(melodies)]
        for sung, scores in ((target, genuine), (other, impostor)):
            hum = synthesise_hum(
                sung,
                transpose=float(rng.uniform(-5, 5)),
                tempo=float(rng.uniform(0.7, 1.4)),
                seed=int(rng.integers(1 << 30)),
                drift=float(rng.uniform(-0.8, 0.8)),
            )
            scores.append(melody_match(hum, target))
    eer, threshold = equal_error_rate(genuine, impostor)
    return Eer(eer, threshold, tuple(genuine), tuple(impostor))
