"""Hum-to-sign: compare a hummed pitch contour with the lead melody of a signature pattern.

The comparison ignores key (any transposition, any octave) and tempo (both contours are
stretched to the same length, then aligned by slope-constrained dynamic time warping).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

from notalabel.engine.pattern.grid import HOLD, REST
from notalabel.engine.pattern.model import PatternModel, Role
from notalabel.engine.pattern.theory import midi
from notalabel.voice.pitch import HOP_SECONDS, RATE, track_pitch

FloatArray = NDArray[np.float64]

# A hum scoring at or above this is the melody. Measured on synthetic hums of 80 hummable
# engine signatures (any key +-5, tempo 0.7-1.4x, drift, rubato, vibrato, breath noise,
# 160 trials each way): genuine 0.70-0.97, other signatures' melodies at most 0.67, EER 0;
# the threshold sits between, nearer the impostors, as a real voice is sloppier.
MATCH_THRESHOLD = 0.7
# Below this much voiced humming there is no contour to compare.
MIN_VOICED_SECONDS = 1.0
# Melodies too plain to tell apart from a monotone or a random tune are not offered.
MIN_NOTES, MIN_PITCHES = 8, 3
MAX_FLAT_SCORE = 0.6  # a monotone hum must score at most this, well under the threshold
_BEATS_PER_CYCLE = 4  # render_code sets setcpm(bpm/4): one cycle is a 4/4 bar
# A hummer sustains a note into the rest after it about half the time: count half of it.
_REST_SHARE = 0.5
_CLIP = 4.0  # semitones: a cost cap, so one glitch cannot outweigh the whole tune
_OCTAVE_PENALTY = 1.0  # an octave slip costs a semitone, not twelve
_ZERO_SCORE = 2.5  # mean semitone error (warps included) at which the score reaches 0
# Each off-diagonal warp step costs this much: after both contours are stretched to one
# length a genuine hum needs few, while an impostor's tune bends the path everywhere.
_WARP = 2.0
_BAND = 6  # Sakoe-Chiba band, as a fraction of the contour length (1/6)
_KEY_SEARCH = (-2, -1, 0, 1, 2)  # semitones tried around the median key estimate


class Note(NamedTuple):
    """One melody note: MIDI pitch, onset and sounding length in beats."""

    midi: int
    start: float
    length: float


def signature_melody(model: PatternModel) -> tuple[Note, ...]:
    """The lead line of a pattern as notes in order; empty when it has no melody layer."""
    leads = [x for x in model.layers if x.role is Role.MELODY and x.octave is not None]
    # melody_layers always writes the lead first, named "melody"; harmony and counter follow
    lead = next((x for x in leads if x.name == "melody"), leads[0] if leads else None)
    if lead is None or lead.octave is None:
        return ()
    notes = []
    for start, length, word in _read_mini(lead.pattern):
        try:
            degree = int(word)
        except ValueError:
            continue  # n() words are degrees; anything else is not a pitch we can hum
        pitch = midi(model.root, lead.octave, model.scale, degree)
        notes.append(Note(pitch, start * _BEATS_PER_CYCLE, length * _BEATS_PER_CYCLE))
    return tuple(notes)


def hummable(melody: Sequence[Note]) -> bool:
    """True when a melody has enough notes and movement for humming to be a real factor."""
    pitches = {note.midi for note in melody}
    if len(melody) < MIN_NOTES or len(pitches) < MIN_PITCHES:
        return False
    # a tune that mostly sits on one note is matched by anyone humming that note: score a
    # perfectly flat hum against it, which tracks a real monotone hum to within ~0.05
    return _score(np.zeros(200), melody) <= MAX_FLAT_SCORE


def hum_contour(samples: NDArray[np.floating], rate: int = RATE) -> FloatArray:
    """The voiced pitch of a hum in semitones (MIDI numbers), unvoiced frames dropped."""
    f0 = track_pitch(samples, rate)
    voiced = ~np.isnan(f0)
    # voiced blips under 50 ms are breaths and clicks, not notes
    edges = np.diff(np.concatenate([[0], voiced.astype(np.int8), [0]]))
    for begin, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        if end - begin < 5:
            voiced[begin:end] = False
    semis = 69 + 12 * np.log2(f0[voiced] / 440.0)
    if semis.size < 3:
        return semis
    # single-frame octave jumps (the tracker locking onto a harmonic) fold back to the line
    local = median_filter(semis, size=31, mode="nearest")
    semis = semis - 12 * np.round((semis - local) / 12)
    return np.asarray(median_filter(semis, size=5, mode="nearest"), dtype=np.float64)


def melody_match(hum: NDArray[np.floating], melody: Sequence[Note], rate: int = RATE) -> float:
    """Similarity in [0, 1] of a hummed recording to a melody, invariant to key and tempo."""
    if not melody:
        return 0.0
    contour = hum_contour(hum, rate)
    if contour.size * HOP_SECONDS < MIN_VOICED_SECONDS:
        return 0.0
    return _score(contour, melody)


def _score(contour: FloatArray, melody: Sequence[Note]) -> float:
    points = int(np.clip(5 * len(melody), 100, 300))
    sung = np.interp(np.linspace(0, contour.size - 1, points), np.arange(contour.size), contour)
    ref = _reference(melody, points)
    band = max(8, points // _BAND)
    # the medians give the key to within a couple of semitones (long notes pull them); try
    # each semitone around it, then refine the best from the frames the warp aligned
    guess = float(np.median(sung) - np.median(ref))
    best, path = min((_dtw(sung - guess - k, ref, band) for k in _KEY_SEARCH), key=lambda t: t[0])
    offset = float(np.median(sung[path[0]] - ref[path[1]]))
    best = min(best, _dtw(sung - offset, ref, band)[0])
    return float(np.clip(1 - best / _ZERO_SCORE, 0.0, 1.0))


def _reference(melody: Sequence[Note], points: int) -> FloatArray:
    # the melody as a step contour of `points` samples, rests partly given to the note before
    starts = [note.start for note in melody]
    gaps = [
        max(0.0, b - (n.start + n.length)) for n, b in zip(melody, [*starts[1:], 0.0], strict=True)
    ]
    spans = np.array([n.length + _REST_SHARE * g for n, g in zip(melody, gaps, strict=True)])
    bounds = np.cumsum(spans) / spans.sum()
    centres = (np.arange(points) + 0.5) / points
    index = np.minimum(np.searchsorted(bounds, centres), len(melody) - 1)
    steps = np.array([n.midi for n in melody], dtype=np.float64)[index]
    # a voice glides between notes: soften each step over a sample either side
    smooth: FloatArray = np.convolve(np.pad(steps, 1, mode="edge"), [0.25, 0.5, 0.25], "valid")
    return smooth


def _cost(diff: FloatArray) -> FloatArray:
    gap = np.abs(diff)
    octave = np.abs(gap - 12) + _OCTAVE_PENALTY
    cost: FloatArray = np.minimum(np.minimum(gap, octave), _CLIP)
    return cost


def _dtw(sung: FloatArray, ref: FloatArray, band: int) -> tuple[float, tuple[list[int], list[int]]]:
    # Sakoe-Chiba symmetric P=1: local slopes between 1/2 and 2, so each row depends only on
    # the two rows above it and the recursion vectorises along the row
    n, m = len(sung), len(ref)
    cost = _cost(sung[:, None] - ref[None, :])
    rows, cols = np.indices((n, m))
    cost[np.abs(rows - cols * (n - 1) / max(1, m - 1)) > band] = np.inf
    total = np.full((n, m), np.inf)
    step = np.zeros((n, m), dtype=np.int8)
    total[0, 0] = 2 * cost[0, 0]
    inf = np.full(2, np.inf)
    for i in range(1, n):
        c = cost[i]
        up2 = total[i - 2, :-1] + 2 * cost[i - 1, 1:] if i >= 2 else np.full(m - 1, np.inf)
        options = np.stack(
            [
                np.concatenate([inf[:1], total[i - 1, :-1] + 2 * c[1:]]),
                np.concatenate([inf, total[i - 1, :-2] + 2 * c[1:-1] + c[2:] + _WARP]),
                np.concatenate([inf[:1], up2 + c[1:] + _WARP]),
            ]
        )
        step[i] = np.argmin(options, axis=0)
        total[i] = options[step[i], np.arange(m)]
    path_i, path_j = [n - 1], [m - 1]
    i, j = n - 1, m - 1
    while i > 0 and math.isfinite(total[i, j]):
        move = step[i, j]
        i, j = (i - 1, j - 1) if move == 0 else (i - 1, j - 2) if move == 1 else (i - 2, j - 1)
        path_i.append(i)
        path_j.append(j)
    return float(total[n - 1, m - 1] / (n + m)), (path_i[::-1], path_j[::-1])


@dataclass
class _Node:
    word: str = ""
    children: list[_Node] = field(default_factory=list)
    alternate: bool = False
    weight: int = 1
    fast: int = 1


_TOKEN = re.compile(r"[\[\]<>,]|[^\s\[\]<>,]+")


def _read_mini(pattern: str) -> list[tuple[float, float, str]]:
    # (start, length, word) in cycles over one full loop of the mini-notation the engine
    # writes for pitched parts: words, ~ rests, _ holds, [..] groups, <..> bars, @ ! *
    items, _ = _parse(_TOKEN.findall(pattern), 0, "")
    root = _Node(children=items)
    cycles = min(16, _period(root))
    events = []
    for cycle in range(cycles):
        events += [(cycle + s, n, w) for s, n, w in _events(root, 0.0, 1.0, cycle)]
    return sorted(events)


def _parse(pieces: list[str], pos: int, close: str) -> tuple[list[_Node], int]:
    items: list[_Node] = []
    while pos < len(pieces) and pieces[pos] != close:
        piece = pieces[pos]
        pos += 1
        if piece == ",":
            # a stack: the first voice is the tune, skip the rest of the group
            while pos < len(pieces) and pieces[pos] != close:
                pos += 1
        elif piece in ("[", "<"):
            children, pos = _parse(pieces, pos, "]" if piece == "[" else ">")
            node = _Node(children=children, alternate=piece == "<")
            pos += 1
            if pos < len(pieces) and pieces[pos][0] in "*!@":
                _suffix(items, node, pieces[pos])
                pos += 1
            else:
                items.append(node)
        elif piece == HOLD and items:
            items[-1].weight += 1  # Strudel's _ lengthens the step before it
        else:
            word, suffix = re.match(r"([^*!@]*)(.*)", piece).groups()  # type: ignore[union-attr]
            _suffix(items, _Node(word=word or REST), suffix)
    return items, pos


def _suffix(items: list[_Node], node: _Node, suffix: str) -> None:
    for mark, value in re.findall(r"([*!@])(\d+)", suffix):
        if mark == "*":
            node.fast = int(value)
        elif mark == "@":
            node.weight = int(value)
    repeat = re.search(r"!(\d+)", suffix)
    # copies, so a later _ lengthens only the last repeat
    items += [replace(node) for _ in range(int(repeat.group(1)) if repeat else 1)]


def _period(node: _Node) -> int:
    inner = math.lcm(1, *(_period(c) for c in node.children))
    return len(node.children) * inner if node.alternate else inner


def _events(node: _Node, start: float, size: float, cycle: int) -> list[tuple[float, float, str]]:
    if node.fast > 1:
        step = size / node.fast
        plain = _Node(node.word, node.children, node.alternate)
        return [
            e
            for i in range(node.fast)
            for e in _events(plain, start + i * step, step, cycle * node.fast + i)
        ]
    if not node.children:
        return [] if node.word in (REST, HOLD) else [(start, size, node.word)]
    if node.alternate:
        count = len(node.children)
        return _events(node.children[cycle % count], start, size, cycle // count)
    total = sum(c.weight for c in node.children)
    out: list[tuple[float, float, str]] = []
    offset = 0
    for child in node.children:
        out += _events(child, start + size * offset / total, size * child.weight / total, cycle)
        offset += child.weight
    return out
