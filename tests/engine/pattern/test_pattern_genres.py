"""Each genre's signature, and how mood, energy and complexity move real parameters."""

from __future__ import annotations

import itertools
import statistics

import pytest
from tests.engine.pattern.pattern_mini import onsets, steps

from notalabel.engine.pattern import Layer, PatternModel, Role, generate_pattern
from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA


def _model(genre: Genre, seed: int = 0, **kwargs: object) -> PatternModel:
    return generate_pattern(MusicDNA(primary_genre=genre, **kwargs), seed=seed).model  # type: ignore[arg-type]


def _named(model: PatternModel, name: str) -> Layer:
    return next(layer for layer in model.layers if layer.name == name)


def _role(model: PatternModel, role: Role) -> Layer:
    return next(layer for layer in model.layers if layer.role is role)


@pytest.mark.parametrize("seed", range(8))
def test_trap_has_808_and_hat_rolls(seed: int) -> None:
    model = _model(Genre.TRAP, seed, energy_level=6, complexity=5)
    assert _role(model, Role.BASS).name == "808 bass"
    assert {layer.bank for layer in model.layers if layer.role is Role.DRUMS} == {"RolandTR808"}
    times = [t for t, _ in onsets(_named(model, "hats").pattern)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) < 1 / 16  # a ratchet faster than sixteenths


@pytest.mark.parametrize("seed", range(8))
def test_house_is_four_on_the_floor_with_offbeat_hats(seed: int) -> None:
    for energy in (2, 9):
        model = _model(Genre.HOUSE, seed, energy_level=energy, complexity=8)
        for cycle in range(4):
            assert {0, 4, 8, 12} <= steps(_named(model, "kick").pattern, cycle)
        hats = next(layer for layer in model.layers if layer.name in ("hats", "open hat"))
        assert {2, 6, 10, 14} <= steps(hats.pattern)


@pytest.mark.parametrize("seed", range(12))
def test_techno_claps_on_two_and_four(seed: int) -> None:
    # a clap on beat 4 alone reads as half time at 130 bpm
    for energy, complexity in ((5, 3), (8, 5), (9, 8)):
        model = _model(Genre.TECHNO, seed, energy_level=energy, complexity=complexity)
        claps = _named(model, "clap").pattern
        for cycle in range(3):  # the fourth bar may be a fill
            assert {4, 12} <= steps(claps, cycle), (seed, energy, complexity, cycle)


@pytest.mark.parametrize("energy", range(1, 11))
def test_drum_and_bass_runs_near_170(energy: int) -> None:
    model = _model(Genre.DRUM_AND_BASS, energy, energy_level=energy)
    assert 165 <= model.bpm <= 180


def test_ambient_may_play_without_drums() -> None:
    calm = _model(Genre.AMBIENT, energy_level=2)
    assert not [layer for layer in calm.layers if layer.role is Role.DRUMS]
    assert {layer.role for layer in calm.layers} >= {Role.BASS, Role.CHORDS}


def test_jazz_swings_the_ride_walks_the_bass_and_plays_sevenths() -> None:
    model = _model(Genre.JAZZ, 4, complexity=5)
    ride = _named(model, "ride")
    assert ride.sound == "rd"
    assert ride.swing == 4
    bass = _role(model, Role.BASS)
    for cycle in range(4):
        assert len(onsets(bass.pattern, cycle)) == 4
    chords = _role(model, Role.CHORDS)
    assert chords.pattern.split("]", 1)[0].count(",") >= 3


def test_reggaeton_plays_dembow() -> None:
    snare = next(l for l in _model(Genre.REGGAETON).layers if l.name == "snare")  # noqa: E741
    assert {3, 6, 11, 14} <= steps(snare.pattern)


def test_afrobeats_always_has_a_shaker() -> None:
    for seed in range(5):
        model = _model(Genre.AFROBEATS, seed, complexity=1)
        assert any(layer.name == "shaker" for layer in model.layers)


@pytest.mark.parametrize("genre", list(Genre))
def test_tempo_follows_energy_inside_the_genre_range(genre: Genre) -> None:
    low, high = RECIPES[genre].tempo
    slow = _model(genre, 1, energy_level=1).bpm
    fast = _model(genre, 1, energy_level=10).bpm
    assert low - 2 <= slow <= fast <= high + 2


@pytest.mark.parametrize("genre", list(Genre))
def test_complexity_adds_layers(genre: Genre) -> None:
    simple = _model(genre, 2, complexity=2, energy_level=7)
    busy = _model(genre, 2, complexity=9, energy_level=7)
    assert len(busy.layers) > len(simple.layers)


def test_energy_makes_hats_busier_on_average() -> None:
    def hits(energy: int) -> float:
        counts = [
            len(onsets(_named(_model(Genre.TECHNO, s, energy_level=energy), "hats").pattern))
            for s in range(12)
        ]
        return statistics.mean(counts)

    assert hits(9) > hits(2)


def test_mood_changes_mode_filter_and_space() -> None:
    chill = _model(Genre.LOFI, 3, preferred_mood=Mood.CHILL)
    dark = _model(Genre.LOFI, 3, preferred_mood=Mood.DARK)
    dreamy = _model(Genre.LOFI, 3, preferred_mood=Mood.DREAMY)
    assert (chill.scale, dark.scale, dreamy.scale) == ("dorian", "harmonic minor", "lydian")

    def effect(model: PatternModel, name: str) -> float:
        value = next(e.value for e in _role(model, Role.CHORDS).effects if e.name == name)
        assert isinstance(value, float)
        return value

    assert effect(dark, "lpf") < effect(chill, "lpf")
    assert effect(dreamy, "room") > effect(chill, "room")
