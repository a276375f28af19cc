"""Hum-to-sign: the pitch tracker, the melody a signature holds, and matching hums to it."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest

from notalabel.engine.pattern import PatternModel, Role, generate_pattern
from notalabel.engine.pattern.theory import midi
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.voice.humming import (
    MATCH_THRESHOLD,
    Note,
    hum_contour,
    hummable,
    melody_match,
    signature_melody,
)
from notalabel.voice.pitch import track_pitch
from tests.voice.hums import (
    equal_error_rate,
    melody_eer,
    monotone,
    signature_melodies,
    synthesise_hum,
)

RATE = 16000
_T = np.arange(RATE) / RATE


def _cents(f0: np.ndarray, hz: float) -> np.ndarray:
    return np.asarray(1200 * np.log2(f0 / hz))


@pytest.mark.parametrize("hz", [70.0, 110.0, 220.0, 440.0, 880.0])
def test_pure_tones_are_tracked_within_a_cent(hz: float) -> None:
    f0 = track_pitch(np.sin(2 * np.pi * hz * _T).astype(np.float32))
    assert not np.isnan(f0).any()
    assert np.max(np.abs(_cents(f0, hz))) < 1.0


@pytest.mark.parametrize("hz", [70.0, 110.0, 220.0, 440.0, 880.0])
def test_harmonic_tones_are_tracked_at_the_fundamental(hz: float) -> None:
    # a hum-like spectrum with a strong second harmonic must not read an octave up
    wave = sum(a * np.sin(2 * np.pi * k * hz * _T + k) for k, a in enumerate((1, 0.8, 0.4, 0.2), 1))
    f0 = track_pitch(np.asarray(wave, dtype=np.float32))
    assert not np.isnan(f0).any()
    assert np.max(np.abs(_cents(f0, hz))) < 3.0


def test_noise_and_silence_are_unvoiced() -> None:
    rng = np.random.default_rng(0)
    assert np.isnan(track_pitch(rng.normal(0, 0.3, RATE))).all()
    assert np.isnan(track_pitch(np.zeros(RATE))).all()
    assert track_pitch(np.zeros(100)).size == 0


def test_a_tone_after_silence_is_voiced_only_where_it_sounds() -> None:
    wave = np.concatenate([np.zeros(RATE // 2), 0.3 * np.sin(2 * np.pi * 196 * _T)])
    voiced = ~np.isnan(track_pitch(wave))
    assert not voiced[:40].any()
    assert voiced[60:].all()


def _model(complexity: int = 8, seed: int = 3) -> PatternModel:
    dna = MusicDNA(primary_genre=Genre.LOFI, preferred_mood=Mood.MELODIC, complexity=complexity)
    return generate_pattern(dna, seed=seed).model


def test_signature_melody_reads_the_lead_line_with_holds_and_bars() -> None:
    model = _model()
    layers = tuple(
        replace(x, pattern="<[0 _ 2 ~] [4 ~ ~ -1]>") if x.name == "melody" else x
        for x in model.layers
    )
    lead = next(x for x in layers if x.name == "melody")
    assert lead.octave is not None
    melody = signature_melody(replace(model, layers=layers))

    def pitch(degree: int) -> int:
        return midi(model.root, lead.octave or 0, model.scale, degree)

    assert melody == (
        Note(pitch(0), 0.0, 2.0),
        Note(pitch(2), 2.0, 1.0),
        Note(pitch(4), 4.0, 1.0),
        Note(pitch(-1), 7.0, 1.0),
    )


def test_every_generated_lead_is_read_in_order_and_in_range() -> None:
    for seed in range(20):
        melody = signature_melody(_model(seed=seed))
        assert melody
        assert all(a.start < b.start for a, b in pairwise(melody))
        assert all(36 <= n.midi <= 108 and n.length > 0 for n in melody)


def test_a_pattern_without_a_lead_has_no_melody() -> None:
    model = _model()
    bare = replace(model, layers=tuple(x for x in model.layers if x.role is not Role.MELODY))
    assert signature_melody(bare) == ()
    assert not hummable(())
    assert melody_match(synthesise_hum(signature_melody(model)), ()) == 0.0


def test_plain_tunes_are_not_hummable() -> None:
    steps = [Note(60 + (0, 2, 4, 5, 7, 5, 4, 2, 0)[i], i * 0.5, 0.5) for i in range(9)]
    assert hummable(steps)
    assert not hummable(steps[:5])  # too few notes to tell apart from other short tunes
    drone = [Note(p, i * 0.5, 0.5) for i, p in enumerate((60, 60, 62, 60, 60, 64, 60, 60, 60))]
    assert not hummable(drone)  # mostly one note: anyone humming that note would pass


@pytest.fixture(scope="module")
def melodies() -> list[tuple[Note, ...]]:
    return signature_melodies(24)


@pytest.mark.parametrize(
    ("case", "options"),
    [
        ("as written", {}),
        ("up 5", {"transpose": 5.0}),
        ("down 5", {"transpose": -5.0}),
        ("0.7x tempo", {"tempo": 0.7}),
        ("1.4x tempo", {"tempo": 1.4}),
        ("sagging a semitone", {"drift": -1.0}),
        ("sloppy", {"sloppiness": 2.0, "transpose": 2.5, "tempo": 1.2, "drift": 0.6}),
    ],
)
def test_the_melody_hummed_any_key_or_tempo_matches(
    melodies: list[tuple[Note, ...]], case: str, options: dict[str, float]
) -> None:
    for index, melody in enumerate(melodies[:6]):
        hum = synthesise_hum(melody, seed=index, **options)  # type: ignore[arg-type]
        score = melody_match(hum, melody)
        assert score >= MATCH_THRESHOLD, (case, index, score)


def test_other_signatures_and_a_monotone_do_not_match(melodies: list[tuple[Note, ...]]) -> None:
    for index, melody in enumerate(melodies[:6]):
        other = melodies[index + 6]
        assert melody_match(synthesise_hum(other, seed=index), melody) < MATCH_THRESHOLD
        assert melody_match(synthesise_hum(monotone(melody), seed=index), melody) < MATCH_THRESHOLD


def test_silence_and_noise_do_not_match(melodies: list[tuple[Note, ...]]) -> None:
    rng = np.random.default_rng(1)
    assert melody_match(np.zeros(4 * RATE, dtype=np.float32), melodies[0]) == 0.0
    assert melody_match(rng.normal(0, 0.2, 4 * RATE), melodies[0]) == 0.0
    assert hum_contour(np.zeros(RATE)).size == 0


def test_equal_error_rate_over_signature_patterns(melodies: list[tuple[Note, ...]]) -> None:
    result = melody_eer(melodies, trials=40, seed=7)
    genuine, impostor = np.array(result.genuine), np.array(result.impostor)
    # shown with -s: the figures to quote
    print(
        f"hum EER {result.eer:.3f} at {result.threshold:.3f}; genuine min {genuine.min():.3f} "
        f"median {np.median(genuine):.3f}; impostor median {np.median(impostor):.3f} "
        f"max {impostor.max():.3f}"
    )
    assert result.eer <= 0.05
    assert np.mean(genuine < MATCH_THRESHOLD) <= 0.05
    assert np.mean(impostor >= MATCH_THRESHOLD) <= 0.05


def test_equal_error_rate_of_separated_and_overlapping_scores() -> None:
    assert equal_error_rate([0.9, 0.8], [0.1, 0.2])[0] == 0.0
    eer, _ = equal_error_rate([0.9, 0.3, 0.8, 0.7], [0.1, 0.2, 0.85, 0.4])
    assert eer == pytest.approx(0.25)
