"""Registers, voicings, swing and separate draws: checked on the models, for every genre."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import replace

import pytest

from notalabel.engine.pattern import fingerprint, refine_pattern
from notalabel.engine.pattern.build import build_model
from notalabel.engine.pattern.kits import KITS
from notalabel.engine.pattern.melody import lowest_note
from notalabel.engine.pattern.model import Layer, PatternModel, Role, Settings
from notalabel.engine.pattern.render import render_code
from notalabel.engine.pattern.theory import MODES, ROOTS, midi
from notalabel.engine.pattern.voicing import CHORD_FLOOR, voicings
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre, Mood

K = AdjustmentKind
_CHORD = re.compile(r"\[(-?\d+(?:,-?\d+)+)\]")


def _models(per_cell: int = 2) -> list[PatternModel]:
    rng = random.Random(5)
    return [
        build_model(
            Settings(genre, mood, rng.randint(1, 10), rng.randint(1, 10), rng.randrange(2**31))
        )
        for genre, mood in itertools.product(Genre, Mood)
        for _ in range(per_cell)
    ]


MODELS = _models()
# two "add a melody" steps: lead, answering harmony and counter-melody all sound
FULL = [refine_pattern(m, [Adjustment(AdjustmentKind.ADD_MELODY)] * 2).model for m in MODELS[::3]]


def _layer(model: PatternModel, role: Role) -> Layer | None:
    return next((layer for layer in model.layers if layer.role is role), None)


def _stacks(model: PatternModel, layer: Layer) -> list[list[int]]:
    assert layer.octave is not None
    return [
        [midi(model.root, layer.octave, model.scale, int(d)) for d in group.split(",")]
        for group in _CHORD.findall(layer.pattern)
    ]


@pytest.mark.parametrize("mode", MODES)
def test_no_voicing_has_a_minor_ninth_over_its_lowest_note_or_sits_under_its_floor(
    mode: str,
) -> None:
    for root, degree, size, floor in itertools.product(ROOTS, range(7), (3, 4, 5), (46, 52)):
        found = voicings(root, 3, mode, degree, size=size, floor=floor)
        assert found
        for chord in found:
            notes = [midi(root, 3, mode, int(d)) for d in chord[1:-1].split(",")]
            assert min(notes) >= floor, (root, mode, degree, chord)
            assert all((n - min(notes)) % 12 != 1 for n in notes), (root, mode, degree, chord)


def test_chords_and_pads_stay_above_bb2_and_the_bass_root_of_their_bar() -> None:
    for model in MODELS + FULL:
        bass = _layer(model, Role.BASS)
        assert bass is not None
        assert bass.octave is not None
        for role in (Role.CHORDS, Role.PAD):
            layer = _layer(model, role)
            if layer is None:
                continue
            for stack in _stacks(model, layer):
                assert min(stack) >= CHORD_FLOOR, render_code(model)
            # the bass plays each bar's root first; the tonic is its lowest possible root
            assert min(map(min, _stacks(model, layer))) > midi(
                model.root, bass.octave, model.scale, 0
            )


def test_leads_stay_in_their_instruments_range() -> None:
    for model in MODELS + FULL:
        for layer in model.layers:
            if layer.role is not Role.MELODY or layer.octave is None:
                continue
            degrees = [int(t) for t in re.findall(r"-?\d+", layer.pattern)]
            lowest = midi(model.root, layer.octave, model.scale, min(degrees))
            assert lowest >= lowest_note(layer.sound), (layer.name, layer.sound, lowest)
            assert midi(model.root, layer.octave, model.scale, max(degrees)) <= 100


def test_a_groove_swings_together_by_its_genres_amount() -> None:
    for model in MODELS:
        kit = KITS[model.settings.genre]
        swings = {layer.swing for layer in model.layers}
        assert swings == {kit.swing}, model.settings.genre
        assert model.swing == kit.swing_amount
        code = render_code(model)
        if kit.swing:
            assert code.count(".swingBy(") == len(model.layers)
    jazz = next(m for m in MODELS if m.settings.genre is Genre.JAZZ)
    assert ".swingBy(0.3333, 4)" in render_code(jazz)  # a triplet shuffle: off-beats at 2/3


def _without(model: PatternModel, *roles: Role) -> tuple[Layer, ...]:
    return tuple(layer for layer in model.layers if layer.role not in roles)


@pytest.mark.parametrize("genre", list(Genre))
def test_each_adjustment_leaves_what_it_does_not_name_alone(genre: Genre) -> None:
    rng = random.Random(genre.value)
    for _ in range(6):
        base = build_model(
            Settings(
                genre,
                rng.choice(list(Mood)),
                rng.randint(2, 8),
                rng.randint(2, 8),
                rng.randrange(2**31),
            )
        )

        def refined(kind: AdjustmentKind, model: PatternModel = base) -> PatternModel:
            return refine_pattern(model, [Adjustment(kind)]).model

        for kind in (K.SIMPLER, K.MORE_COMPLEX, K.MORE_ENERGY, K.LESS_ENERGY):
            moved = refined(kind)
            assert (moved.root, moved.scale) == (base.root, base.scale), kind
            chords, was = _layer(moved, Role.CHORDS), _layer(base, Role.CHORDS)
            assert chords is not None
            assert was is not None
            assert chords.sound == was.sound
        for kind in (K.MORE_BASS, K.LESS_BASS):
            assert _without(refined(kind), Role.BASS) == _without(base, Role.BASS)
        melody = refined(K.ADD_MELODY)
        assert _without(melody, Role.MELODY) == _without(base, Role.MELODY)
        for kind in (K.DARKER, K.BRIGHTER):
            assert _without(refined(kind), Role.CHORDS, Role.PAD, Role.MELODY, Role.BASS) == (
                _without(base, Role.CHORDS, Role.PAD, Role.MELODY, Role.BASS)
            )


def test_a_longer_melody_keeps_every_note_of_the_shorter_one() -> None:
    settings = Settings(Genre.POP, Mood.MELODIC, 5, 5, 77)
    short = _layer(build_model(settings), Role.MELODY)
    long = _layer(build_model(replace(settings, complexity=7)), Role.MELODY)
    assert short is not None
    assert long is not None
    bars = re.findall(r"\[[^\[\]]*\]", long.pattern)
    first = re.findall(r"\[[^\[\]]*\]", f"<{short.pattern}>") if "<" in short.pattern else []
    assert len(bars) == 4
    if first:
        assert bars[:2] == first
    for call, answer in zip(bars[:2], bars[2:], strict=True):
        for heard, played in zip(call[1:-1].split(), answer[1:-1].split(), strict=True):
            if heard not in ("~", "_"):
                assert played == heard


def test_a_fingerprint_ignores_key_tempo_and_mix_but_not_what_plays() -> None:
    model = MODELS[0]
    moved = replace(model, root=ROOTS[(ROOTS.index(model.root) + 5) % 12], bpm=model.bpm + 7)
    quieter = replace(model, mix=0.5, layers=tuple(replace(x, gain=0.1) for x in model.layers))
    assert fingerprint(moved) == fingerprint(model) == fingerprint(quieter)
    first = model.layers[0]
    changed = replace(
        model, layers=(replace(first, pattern=first.pattern + " ~"), *model.layers[1:])
    )
    assert fingerprint(changed) != fingerprint(model)
    assert fingerprint(replace(model, scale="lydian" if model.scale != "lydian" else "major")) != (
        fingerprint(model)
    )
