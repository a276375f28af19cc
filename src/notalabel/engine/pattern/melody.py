"""Seeded melodies: chord tones on strong steps, stepwise motion between, rests by density."""

from __future__ import annotations

from random import Random

from notalabel.engine.pattern.context import SYNTHS, Context, clamp, level
from notalabel.engine.pattern.grid import HOLD, REST
from notalabel.engine.pattern.model import Effect, Layer, Role, fx
from notalabel.engine.pattern.moods import MOODS
from notalabel.engine.pattern.theory import chord_tones, midi

_LOW, _HIGH = -2, 9  # degrees around the tonic that stay singable
_MOVES = (-2, -1, -1, 1, 1, 2)
# gravity towards the middle of the range, so lines do not stick to the top or bottom
_FALLING = (-2, -1, -1, -1, 1, 1)
_RISING = (-1, -1, 1, 1, 1, 2)
# The lowest note each lead sounds natural on (MIDI): a glockenspiel below C5 or a flute
# below middle C is not an instrument anyone has heard. Unlisted leads go down to C3.
LEAD_LOWEST: dict[str, int] = {
    "gm_glockenspiel": 72,
    "gm_celesta": 60,
    "gm_music_box": 60,
    "gm_kalimba": 60,
    "gm_flute": 60,
    "gm_vibraphone": 53,
    "gm_marimba": 48,
    "gm_pizzicato_strings": 43,
}
_DEFAULT_LOWEST = 48


def lowest_note(sound: str) -> int:
    """The lowest MIDI note a lead instrument sounds natural on."""
    return LEAD_LOWEST.get(sound, _DEFAULT_LOWEST)


# Only small bell-like instruments sound good an octave up; the rest would squeal.
_HIGH_LEADS = frozenset({"gm_celesta", "gm_music_box", "gm_glockenspiel", "gm_kalimba"})
_HIGHEST = 96  # C7: no lead is lifted past where it would squeal...
_BELL_HIGHEST = 108  # ...except the bells, which ring up to C8


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
            # three draws per step whatever happens, so a denser line keeps the same notes
            # and only fills rests: energy changes add or remove notes, never rewrite the tune
            sound, hold, move = rand(), rand(), rand()
            on_beat = step % strong == 0
            if sound >= (on_chance if on_beat else off_chance):
                # a rest right after a note sometimes becomes a held note instead
                held = bool(out) and out[-1] != REST and hold < 0.35
                out.append(HOLD if held else REST)
                continue
            if on_beat:
                position = nearest[position]
            else:
                moves = _FALLING if position >= 6 else _RISING if position <= 0 else _MOVES
                position = max(_LOW, min(_HIGH, position + moves[int(move * 6)]))
            out.append(str(position))
        if all(t in (REST, HOLD) for t in out):
            out[0] = str(nearest[0])
        written.append("[" + " ".join(out) + "]")
    return written


def lead_octave(ctx: Context, sound: str, lowest_degree: int, highest_degree: int) -> int:
    """The mood's octave for a lead, lifted until its lowest note is in the instrument's range."""
    octave = int(clamp(4 + ctx.tone.register, 3, 5 if sound in _HIGH_LEADS else 4))
    floor = lowest_note(sound)
    ceiling = _BELL_HIGHEST if sound in _HIGH_LEADS else _HIGHEST
    while midi(ctx.key_root, octave, ctx.mode, lowest_degree) < floor and (
        midi(ctx.key_root, octave + 1, ctx.mode, highest_degree) <= ceiling
    ):
        octave += 1
    while octave > 3 and midi(ctx.key_root, octave, ctx.mode, highest_degree) > ceiling:
        octave -= 1
    return octave


def melody_layers(
    ctx: Context, sounds: tuple[str, str, str], rng: Random, voices: int
) -> list[Layer]:
    """The lead line; with two voices an answering harmony a third above, with three a counter."""
    roots, tone, bpm = ctx.roots, ctx.tone, ctx.bpm
    sound, second_sound, third_sound = sounds
    energy, complexity = ctx.settings.energy, ctx.settings.complexity
    density = ctx.recipe.melody_density * MOODS[ctx.settings.mood].density
    bars = 4 if complexity >= 6 or voices >= 2 else 2
    steps = 16 if energy >= 8 and complexity >= 7 else 8
    density = clamp(density * (0.8 + 0.04 * energy) * (1.25 if voices >= 2 else 1.0), 0.15, 0.9)
    drafted = phrase(roots, 4, steps, density, rng)
    # a four-bar line repeats the two-bar one and answers it with extra notes in its rests,
    # so a longer (more complex) melody only ever adds to the shorter one
    written = drafted[:2] + [_answer(drafted[i], drafted[i + 2]) for i in range(bars - 2)]
    low, high = _span(written)
    octave = lead_octave(ctx, sound, low, high)
    # a dotted eighth echo, in seconds, locks the delay to the tempo
    echo = round(60 / bpm * 0.75, 3)
    effects = [
        fx("lpf", float(round(clamp(3200 * tone.cutoff, 600, 9000)))),
        fx("room", round(clamp(tone.room, 0, 0.9), 2)),
        fx("delay", round(clamp(tone.delay + 0.1 * (voices >= 2), 0, 0.7), 2)),
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
    if voices >= 2:
        answer = [_third_above(bar) for bar in written]
        layers.append(
            Layer(
                role=Role.MELODY,
                name="harmony",
                sound=second_sound,
                pattern=_join(answer),
                gain=level(second_sound, 0.26 * tone.gain),
                # a third above the lead, or a tenth where the instrument cannot go that low
                octave=max(octave, lead_octave(ctx, second_sound, low + 2, high + 2)),
                effects=(fx("pan", 0.65), *effects[:2]),
            )
        )
    if voices >= 3:
        layers.append(_counter(ctx, third_sound, bars, octave, effects[:2]))
    return layers


def _counter(
    ctx: Context, sound: str, bars: int, lead: int, effects: tuple[Effect, ...] | list[Effect]
) -> Layer:
    # a slower line on its own stream, in half notes, an octave under the lead where the
    # instrument reaches: it answers the tune without doubling it
    written = phrase(ctx.roots, bars, 4, 0.7, ctx.stream("counter"))
    low, high = _span(written)
    own = lead_octave(ctx, sound, low, high)
    low_enough = midi(ctx.key_root, lead - 1, ctx.mode, low) >= lowest_note(sound)
    return Layer(
        role=Role.MELODY,
        name="counter-melody",
        sound=sound,
        pattern=_join(written),
        gain=level(sound, 0.3 * ctx.tone.gain),
        octave=lead - 1 if low_enough and lead - 1 >= 3 else own,
        effects=(fx("pan", 0.35), *effects),
    )


_QUIET = (REST, HOLD)


def _steps(bar: str) -> list[str]:
    # a bar as phrase() writes it, "[4 ~ 2 _]", back into its steps
    return bar[1:-1].split(" ")


def _bar(steps: list[str]) -> str:
    return "[" + " ".join(steps) + "]"


def _span(written: list[str]) -> tuple[int, int]:
    # the lowest and highest degree the line really plays (its octave is chosen to fit them)
    degrees = [int(t) for bar in written for t in _steps(bar) if t not in _QUIET]
    return min(degrees), max(degrees)


def _answer(call: str, response: str) -> str:
    pairs = zip(_steps(call), _steps(response), strict=True)
    return _bar([e if c in _QUIET and e not in _QUIET else c for c, e in pairs])


def _third_above(written: str) -> str:
    return _bar([t if t in _QUIET else str(int(t) + 2) for t in _steps(written)])


def _join(written: list[str]) -> str:
    if all(bar == written[0] for bar in written):
        return written[0][1:-1]
    return "<" + " ".join(written) + ">"
