"""Seeded melodies: chord tones on strong steps, stepwise motion between, rests by density."""

from __future__ import annotations

from random import Random

from notalabel.engine.pattern.context import SYNTHS, Context, clamp, level
from notalabel.engine.pattern.grid import HOLD, REST
from notalabel.engine.pattern.model import Layer, Role, fx
from notalabel.engine.pattern.moods import MOODS
from notalabel.engine.pattern.theory import chord_tones

_LOW, _HIGH = -2, 9  # degrees around the tonic that stay singable
_MOVES = (-2, -1, -1, 1, 1, 2)
# gravity towards the middle of the range, so lines do not stick to the top or bottom
_FALLING = (-2, -1, -1, -1, 1, 1)
_RISING = (-1, -1, 1, 1, 1, 2)
# Only small bell-like instruments sound good an octave up; the rest would squeal.
_HIGH_LEADS = frozenset({"gm_celesta", "gm_music_box", "gm_glockenspiel", "gm_kalimba"})


def _nearest_tones(degree: int) -> dict[int, int]:
    tones = [t + 7 * octave for t in chord_tones(degree) for octave in (0, 1)]
    nearest = {p: min(tones, key=lambda t: (abs(t - p), t)) for p in range(_LOW, _HIGH + 1)}
    return {p: max(_LOW, min(_HIGH, t)) for p, t in nearest.items()}


# For each chord degree: every singable position -> the nearest chord tone (precomputed for speed).
_NEAREST = {degree: _nearest_tones(degree) for degree in range(7)}


def phrase(roots: tuple[int, ...], bars: int, steps: int, density: float, rng: Random) -> list[str]:
    """One bar string of degrees per bar, e.g. "[4 ~ 2 3 _ ~ 4 ~]"."""
    rand = rng.random
    position = (2, 4, 7)[int(rand() * 3)]
    strong = max(1, steps // 4)
    on_chance, off_chance = density * 1.5, density * 0.8
    written: list[str] = []
    for index in range(bars):
        nearest = _NEAREST[roots[index % len(roots)] % 7]
        out: list[str] = []
        for step in range(steps):
            on_beat = step % strong == 0
            if rand() >= (on_chance if on_beat else off_chance):
                # a rest right after a note sometimes becomes a held note instead
                held = bool(out) and out[-1] != REST and rand() < 0.35
                out.append(HOLD if held else REST)
                continue
            if on_beat:
                position = nearest[position]
            else:
                moves = _FALLING if position >= 6 else _RISING if position <= 0 else _MOVES
                position = max(_LOW, min(_HIGH, position + moves[int(rand() * 6)]))
            out.append(str(position))
        if all(t in (REST, HOLD) for t in out):
            out[0] = str(nearest[0])
        written.append("[" + " ".join(out) + "]")
    return written


def melody_layers(ctx: Context, sound: str, second_sound: str, rng: Random) -> list[Layer]:
    """The lead line and, when the melody is enriched, an answering harmony a third above."""
    roots, tone, bpm, richness = ctx.roots, ctx.tone, ctx.bpm, ctx.settings.melody
    energy, complexity = ctx.settings.energy, ctx.settings.complexity
    density = ctx.recipe.melody_density * MOODS[ctx.settings.mood].density
    bars = 4 if complexity >= 6 or richness >= 2 else 2
    steps = 16 if energy >= 8 and complexity >= 7 else 8
    density = clamp(density * (0.8 + 0.04 * energy) * (1.25 if richness >= 2 else 1.0), 0.15, 0.9)
    written = phrase(roots, bars, steps, density, rng)
    octave = int(clamp(4 + tone.register, 3, 5 if sound in _HIGH_LEADS else 4))
    # a dotted eighth echo, in seconds, locks the delay to the tempo
    echo = round(60 / bpm * 0.75, 3)
    effects = [
        fx("lpf", float(round(clamp(3200 * tone.cutoff, 600, 9000)))),
        fx("room", round(clamp(tone.room, 0, 0.9), 2)),
        fx("delay", round(clamp(tone.delay + 0.1 * (richness >= 2), 0, 0.7), 2)),
        fx("delaytime", echo),
        fx("delayfeedback", 0.35),
    ]
    if sound in SYNTHS:
        effects.append(fx("release", 0.2))
    layers = [
        Layer(
            role=Role.MELODY,
            name="melody",
            sound=sound,
            pattern=_join(written),
            gain=level(sound, 0.42 * tone.gain),
            octave=octave,
            effects=tuple(effects),
        )
    ]
    if richness >= 2:
        answer = [_third_above(bar) for bar in written]
        layers.append(
            Layer(
                role=Role.MELODY,
                name="harmony",
                sound=second_sound,
                pattern=_join(answer),
                gain=level(second_sound, 0.26 * tone.gain),
                octave=octave,
                effects=(fx("pan", 0.65), *effects[:2]),
            )
        )
    return layers


def _third_above(written: str) -> str:
    tokens = written[1:-1].split(" ")
    return "[" + " ".join(t if t in (REST, HOLD) else str(int(t) + 2) for t in tokens) + "]"


def _join(written: list[str]) -> str:
    if all(bar == written[0] for bar in written):
        return written[0][1:-1]
    return "<" + " ".join(written) + ">"
