"""Bass, chord and pad layers, written in scale degrees over the bar-by-bar progression."""

from __future__ import annotations

from functools import lru_cache
from random import Random

from notalabel.engine.pattern import grid
from notalabel.engine.pattern.context import SYNTHS, Context, Tone, choose, clamp, level
from notalabel.engine.pattern.model import Effect, Layer, Lfo, Role, fx
from notalabel.engine.pattern.voicing import voice_progression, voicings


def bass_octave(ctx: Context, sub: bool) -> int:
    """The octave the bass line sits in: lower with more bass, the lowest for a sub."""
    boost = ctx.settings.bass
    return 1 if sub else int(clamp(ctx.recipe.bass_octave - (boost >= 2) + (boost <= -2), 1, 3))


def bass_layer(ctx: Context, sub: bool) -> Layer:
    """The bass line: grid rhythms on chord roots, a walking line for jazz, a sub for 808s."""
    recipe, roots, tone, rng = ctx.recipe, ctx.roots, ctx.tone, ctx.stream("bass")
    energy, complexity, boost = ctx.settings.energy, ctx.settings.complexity, ctx.settings.bass
    if recipe.walking:
        written = [_walk(root, roots[(i + 1) % len(roots)], rng) for i, root in enumerate(roots)]
    else:
        # sparse lines first: more energy widens the choice towards the busy ones, and the
        # same draw then lands on a line at least as busy
        ranked = _by_onsets(recipe.bass_grids)
        usable = ranked[: max(1, (len(ranked) * energy + 9) // 10)]
        main, last = choose(rng, usable), choose(rng, recipe.bass_grids)
        last = last if complexity >= 6 else main
        count = len(roots)
        written = [
            _bass_bar(last if i == count - 1 else main, root, roots[(i + 1) % count])
            for i, root in enumerate(roots)
        ]
    sound = "sine" if sub else recipe.bass_sound
    octave = bass_octave(ctx, sub)
    cutoff = round(clamp(recipe.bass_cutoff * tone.cutoff**0.5 * 1.3**boost, 120, 1500))
    effects: list[Effect] = []
    if recipe.wobble and not sub:
        rate = 4.0 if energy >= 6 else 2.0
        effects.append(fx("lpf", Lfo("sine", round(cutoff * 0.25), min(2400, cutoff * 2), rate)))
    else:
        effects.append(fx("lpf", float(cutoff)))
    if sub or recipe.wobble or tone.drive:
        effects.append(fx("shape", round(min(0.6, 0.2 * (sub or recipe.wobble) + tone.drive), 2)))
    if sound in SYNTHS and not sub:
        effects.append(fx("release", 0.1))
    gain = 0.72 * tone.gain * (1 + 0.15 * boost) * (1.2 if sound in SYNTHS else 1.0)
    return Layer(
        role=Role.BASS,
        name="808 bass" if sub else "bass",
        sound=sound,
        pattern=grid.bars(written),
        gain=level(sound, clamp(gain, 0.2, 1.2)),
        octave=octave,
        effects=tuple(effects),
    )


@lru_cache(maxsize=64)
def _by_onsets(grids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(grids, key=lambda g: sum(ch in "xofa" for ch in g)))


def _hits(rhythm: str) -> int:
    # a held chord ("") strikes once a bar; a struct mask strikes on each x
    return rhythm.count("x") * (4 if "*4" in rhythm else 1) or 1


@lru_cache(maxsize=8192)
def _bass_bar(pattern: str, root: int, upcoming: int) -> str:
    notes = {
        "x": str(root),
        "o": str(root + 7),
        "f": str(root + 4),
        "a": str(_approach(upcoming, -1)),
        "-": grid.HOLD,
    }
    steps = grid.tokens(pattern, notes)
    # held notes read best as weights; plain rhythms read best beat by beat
    return grid.weighted(steps) if "-" in pattern else grid.bar(steps)


def _walk(root: int, upcoming: int, rng: Random) -> str:
    # root on the downbeat, chord or scale tones in between, a step into the next root
    second = root + choose(rng, (1, 2, 4))
    third = root + choose(rng, (2, 4, 5))
    approach = _approach(upcoming, choose(rng, (-1, 1)))
    return f"{root} {second} {third} {approach}"


def _approach(target: int, side: int) -> int:
    # never step below the tonic: in the lowest octave that is sub-audio mud
    return target + 1 if target + side < 0 else target + side


def chord_layer(
    ctx: Context, sound: str, progression: tuple[int, ...], floors: dict[int, int]
) -> Layer:
    """Chords on the progression, each in its own voicing: sustained or in a comping rhythm."""
    recipe, tone, complexity = ctx.recipe, ctx.tone, ctx.settings.complexity
    rng = ctx.stream("chords")
    size = recipe.chord_size + (complexity >= 8 and recipe.chord_size < 5)
    size -= complexity <= 2 and size > 3
    rhythm = choose(rng, recipe.chord_rhythms)
    if complexity <= 2:
        # the simplest comping is the sparser of the genre's first rhythm and this one
        rhythm = min(rhythm, recipe.chord_rhythms[0], key=_hits)
    octave = chord_octave(tone)
    shapes = {
        degree: voicings(ctx.key_root, octave, ctx.mode, degree, size=size, floor=floors[degree])
        for degree in set(progression)
    }
    voiced = voice_progression(progression, shapes, ctx.stream("voicing"))
    per_bar = [chord for chord in voiced for _ in range(recipe.bars_per_chord)]
    effects = [
        fx("lpf", float(round(clamp(recipe.cutoff * tone.cutoff, 300, 8000)))),
        fx("room", round(clamp(tone.room, 0, 0.9), 2)),
    ]
    if tone.delay >= 0.2:
        effects.append(fx("delay", round(clamp(tone.delay * 0.6, 0, 0.6), 2)))
    if sound in SYNTHS:
        effects += [fx("attack", 0.05), fx("release", 0.4)]
    return Layer(
        role=Role.CHORDS,
        name="chords",
        sound=sound,
        pattern=grid.bars(per_bar),
        gain=level(sound, 0.38 * tone.gain),
        rhythm=rhythm or None,
        octave=octave,
        effects=tuple(effects),
    )


def chord_octave(tone: Tone) -> int:
    """Chords sit in octave 3, or 4 for bright moods: never down among the bass notes."""
    return int(clamp(3 + tone.register, 3, 4))


def pad_layer(ctx: Context, sound: str, floors: dict[int, int]) -> Layer:
    """A slow-attack sustained pad doubling the progression in close triads, for width and air."""
    tone = ctx.tone
    octave = int(clamp(3 + max(0, tone.register), 3, 4))
    triads = {
        degree: voicings(ctx.key_root, octave, ctx.mode, degree, size=3, floor=floors[degree])[0]
        for degree in set(ctx.roots)
    }
    return Layer(
        role=Role.PAD,
        name="pad",
        sound=sound,
        pattern=grid.bars([triads[degree] for degree in ctx.roots]),
        gain=level(sound, 0.24 * tone.gain),
        octave=octave,
        effects=(
            fx("attack", 0.6),
            fx("release", 1.5),
            fx("lpf", float(round(clamp(2400 * tone.cutoff, 400, 6000)))),
            fx("room", round(clamp(tone.room + 0.2, 0, 0.95), 2)),
        ),
    )
