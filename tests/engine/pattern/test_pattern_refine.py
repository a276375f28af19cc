"""Refinements: each one moves the model the asked-for way, cumulatively and within bounds."""

from __future__ import annotations

import pytest

from notalabel.engine.pattern import (
    GeneratedPattern,
    Layer,
    PatternModel,
    Role,
    generate_pattern,
    refine_pattern,
)
from notalabel.engine.pattern.genres import NEIGHBOURS
from notalabel.engine.pattern.theory import MODES
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre, Mood, MusicDNA

K = AdjustmentKind


def _base(complexity: int = 5, genre: Genre = Genre.LOFI) -> GeneratedPattern:
    dna = MusicDNA(
        primary_genre=genre, preferred_mood=Mood.CHILL, energy_level=5, complexity=complexity
    )
    return generate_pattern(dna, seed=11)


def _refine(model: PatternModel, *kinds: AdjustmentKind) -> PatternModel:
    return refine_pattern(model, [Adjustment(kind) for kind in kinds]).model


def _role(model: PatternModel, role: Role) -> Layer:
    return next(layer for layer in model.layers if layer.role is role)


def _fx(layer: Layer, name: str) -> float:
    value = next(effect.value for effect in layer.effects if effect.name == name)
    assert isinstance(value, float)
    return value


def test_no_adjustments_rebuild_the_same_pattern() -> None:
    base = _base()
    assert refine_pattern(base.model, []) == base


def test_more_and_less_bass() -> None:
    model = _base().model
    louder = _refine(model, K.MORE_BASS)
    quieter = _refine(model, K.LESS_BASS)
    bass, up, down = (_role(m, Role.BASS) for m in (model, louder, quieter))
    assert up.gain > bass.gain > down.gain
    assert _fx(up, "lpf") > _fx(bass, "lpf") > _fx(down, "lpf")
    deep = _refine(model, K.MORE_BASS, K.MORE_BASS)
    assert (_role(deep, Role.BASS).octave or 0) < (bass.octave or 0)


def test_more_dreamy_adds_space_softness_and_a_pad() -> None:
    model = _base(complexity=2).model
    dreamy = _refine(model, K.MORE_DREAMY)
    assert not any(layer.role is Role.PAD for layer in model.layers)
    assert any(layer.role is Role.PAD for layer in dreamy.layers)
    before, after = _role(model, Role.CHORDS), _role(dreamy, Role.CHORDS)
    assert _fx(after, "room") > _fx(before, "room")
    assert _fx(after, "lpf") < _fx(before, "lpf")


def test_faster_and_slower() -> None:
    model = _base().model
    assert _refine(model, K.FASTER).bpm > model.bpm > _refine(model, K.SLOWER).bpm


def test_twenty_times_faster_stays_bounded() -> None:
    for genre in Genre:
        model = _base(genre=genre).model
        fastest = _refine(model, *[K.FASTER] * 20)
        slowest = _refine(model, *[K.SLOWER] * 20)
        assert model.bpm < fastest.bpm <= 200
        assert 40 <= slowest.bpm < model.bpm
        assert _refine(fastest, K.FASTER) == fastest


def test_simpler_and_more_complex_change_layers() -> None:
    model = _base().model
    simpler = _refine(model, K.SIMPLER)
    richer = _refine(model, K.MORE_COMPLEX)
    assert len(simpler.layers) < len(model.layers) < len(richer.layers)
    assert simpler.settings.complexity < model.settings.complexity < richer.settings.complexity


def test_add_melody_adds_then_enriches() -> None:
    model = _base(complexity=2).model
    assert not any(layer.role is Role.MELODY for layer in model.layers)
    once = _refine(model, K.ADD_MELODY)
    twice = _refine(once, K.ADD_MELODY)
    assert [layer.name for layer in once.layers if layer.role is Role.MELODY] == ["melody"]
    assert [layer.name for layer in twice.layers if layer.role is Role.MELODY] == [
        "melody",
        "harmony",
    ]


def test_darker_and_brighter_move_mode_and_filter() -> None:
    model = _base().model
    darker, brighter = _refine(model, K.DARKER), _refine(model, K.BRIGHTER)
    assert MODES.index(darker.scale) < MODES.index(model.scale) < MODES.index(brighter.scale)
    chords = [_fx(_role(m, Role.CHORDS), "lpf") for m in (darker, model, brighter)]
    assert chords == sorted(chords)
    assert chords[0] < chords[2]


def test_more_and_less_energy() -> None:
    model = _base(genre=Genre.TECHNO).model
    up, down = _refine(model, K.MORE_ENERGY), _refine(model, K.LESS_ENERGY)
    assert down.settings.energy < model.settings.energy < up.settings.energy
    assert down.bpm <= model.bpm <= up.bpm
    kick = [next(layer.gain for layer in m.layers if layer.name == "kick") for m in (down, up)]
    assert kick[0] < kick[1]


def test_different_style_with_a_target() -> None:
    model = _base().model
    refined = refine_pattern(model, [Adjustment(K.DIFFERENT_STYLE, Genre.TECHNO)])
    assert refined.genre is Genre.TECHNO
    assert refined.mood is model.settings.mood
    assert "techno" in refined.code.splitlines()[0]


def test_different_style_without_a_target_picks_a_neighbour() -> None:
    model = _base().model
    for seed in range(5):
        genre = refine_pattern(model, [Adjustment(K.DIFFERENT_STYLE)], seed=seed).genre
        assert genre is not Genre.LOFI
        assert genre in NEIGHBOURS[Genre.LOFI]


def test_different_style_to_the_same_genre_gives_a_variation() -> None:
    model = _base().model
    refined = refine_pattern(model, [Adjustment(K.DIFFERENT_STYLE, Genre.LOFI)]).model
    assert refined.settings.genre is Genre.LOFI
    assert refined != model


def test_refinements_accumulate() -> None:
    model = _base().model
    step1 = _refine(model, K.FASTER)
    step2 = _refine(step1, K.FASTER, K.DARKER)
    assert step2.bpm > step1.bpm > model.bpm
    assert step2.settings.brightness == -1
    assert step2.settings.tempo_shift == 2


@pytest.mark.parametrize("kind", list(AdjustmentKind))
def test_every_adjustment_is_safe_to_repeat(kind: AdjustmentKind) -> None:
    model = _base().model
    for _ in range(12):
        model = _refine(model, kind)
    assert 1 <= model.settings.energy <= 10
    assert 1 <= model.settings.complexity <= 10
    assert model.layers
    assert all(0 < layer.gain <= 1 for layer in model.layers)
