"""Generation: determinism, seed variation, defaults, keywords and the public JSON."""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote

import pytest

from notalabel.engine.pattern import GeneratedPattern, Role, generate_pattern, share_url
from notalabel.engine.vocabulary import SOUND_KEYWORDS, Genre, Mood, MusicDNA


def _layer_lines(pattern: GeneratedPattern, roles: set[Role]) -> list[str]:
    return [layer.pattern for layer in pattern.model.layers if layer.role in roles]


@pytest.mark.parametrize("genre", list(Genre))
def test_same_dna_and_seed_give_same_code(genre: Genre) -> None:
    dna = MusicDNA(primary_genre=genre, energy_level=6, complexity=7, keywords=("rain",))
    assert generate_pattern(dna, seed=42) == generate_pattern(dna, seed=42)


@pytest.mark.parametrize("genre", list(Genre))
def test_other_seeds_change_drums_or_melody_not_just_numbers(genre: Genre) -> None:
    dna = MusicDNA(primary_genre=genre, energy_level=7, complexity=6)
    parts = {Role.DRUMS, Role.MELODY}
    lines = {tuple(_layer_lines(generate_pattern(dna, seed=seed), parts)) for seed in range(6)}
    assert len(lines) >= 4


def test_json_has_the_api_fields() -> None:
    pattern = generate_pattern(MusicDNA(primary_genre=Genre.TRAP, preferred_mood=Mood.DARK))
    doc = pattern.to_json()
    assert set(doc) == {"code", "description", "bpm", "key", "genre", "mood", "shareUrl"}
    assert doc["genre"] == "trap"
    assert doc["mood"] == "dark"
    assert isinstance(doc["bpm"], int)
    assert doc["code"].startswith("// trap")
    assert f"setcpm({doc['bpm']}/4)" in doc["code"]


def test_share_url_decodes_back_to_the_code() -> None:
    code = generate_pattern(MusicDNA(primary_genre=Genre.JAZZ), seed=3).code
    url = share_url(code)
    assert url.startswith("https://strudel.cc/#")
    assert base64.b64decode(unquote(url.split("#", 1)[1])).decode("utf-8") == code


def test_key_reads_like_a_key() -> None:
    for seed in range(20):
        key = generate_pattern(MusicDNA(primary_genre=Genre.HOUSE), seed=seed).key
        root, mode = key.split(" ", 1)
        assert root[0] in "ABCDEFG"
        assert mode in {"major", "minor", "dorian", "lydian", "phrygian", "mixolydian"} or (
            mode in {"harmonic minor", "phrygian dominant"}
        )


def test_description_names_genre_mood_and_elements() -> None:
    dna = MusicDNA(primary_genre=Genre.LOFI, preferred_mood=Mood.STUDY, keywords=("rain",))
    text = generate_pattern(dna, seed=1).description
    assert "Lo-fi" in text
    assert "study" in text
    assert "drums" in text
    assert "rain" in text


def test_no_genre_and_no_mood_give_a_sensible_default() -> None:
    pattern = generate_pattern(MusicDNA())
    assert pattern.genre is Genre.LOFI
    assert pattern.mood is Mood.CHILL
    assert len(pattern.model.layers) >= 4


def test_no_genre_is_derived_from_mood() -> None:
    assert generate_pattern(MusicDNA(preferred_mood=Mood.DREAMY)).genre is Genre.AMBIENT


def test_no_mood_takes_the_genre_default() -> None:
    assert generate_pattern(MusicDNA(primary_genre=Genre.TRAP)).mood is Mood.DARK
    assert generate_pattern(MusicDNA(primary_genre=Genre.HOUSE)).mood is Mood.UPBEAT


def test_rain_adds_filtered_noise() -> None:
    pattern = generate_pattern(MusicDNA(primary_genre=Genre.LOFI, keywords=("rain",)))
    rain = [layer for layer in pattern.model.layers if layer.name == "rain"]
    assert len(rain) == 1
    assert rain[0].sound in {"pink", "brown", "white"}
    assert {effect.name for effect in rain[0].effects} >= {"hpf", "lpf"}


def test_piano_and_808_keywords() -> None:
    dna = MusicDNA(primary_genre=Genre.HOUSE, keywords=("piano", "808"))
    model = generate_pattern(dna).model
    chords = next(layer for layer in model.layers if layer.role is Role.CHORDS)
    bass = next(layer for layer in model.layers if layer.role is Role.BASS)
    assert chords.sound == "piano"
    assert bass.name == "808 bass"
    assert bass.sound == "sine"
    assert {layer.bank for layer in model.layers if layer.role is Role.DRUMS} == {"RolandTR808"}


_KEYWORD_SOUNDS = {
    "rain": "pink",
    "vinyl": "crackle",
    "ocean": "brown",
    "wind": "pink",
    "piano": "piano",
    "rhodes": "gm_epiano1",
    "guitar": "gm_acoustic_guitar_nylon",
    "strings": "gm_string_ensemble_1",
    "bells": "gm_tubular_bells",
    "808": "sine",
    "synth": "sawtooth",
    "flute": "gm_flute",
    "sax": "gm_alto_sax",
    "choir": "gm_choir_aahs",
}


def test_keyword_table_covers_every_sound_keyword() -> None:
    assert set(_KEYWORD_SOUNDS) == set(SOUND_KEYWORDS)


@pytest.mark.parametrize("genre", [Genre.POP, Genre.TECHNO, Genre.AMBIENT])
@pytest.mark.parametrize("word", SOUND_KEYWORDS)
def test_every_sound_keyword_brings_its_sound(word: str, genre: Genre) -> None:
    dna = MusicDNA(primary_genre=genre, complexity=2, energy_level=3, keywords=(word,))
    sounds = {layer.sound for layer in generate_pattern(dna, seed=5).model.layers}
    assert _KEYWORD_SOUNDS[word] in sounds


def test_unknown_keywords_are_ignored() -> None:
    dna = MusicDNA(primary_genre=Genre.POP)
    noisy = MusicDNA(primary_genre=Genre.POP, keywords=("sunset", "banana"))
    assert generate_pattern(noisy).code == generate_pattern(dna).code


def test_gains_never_stack_into_clipping() -> None:
    for genre in Genre:
        dna = MusicDNA(
            primary_genre=genre,
            energy_level=10,
            complexity=10,
            keywords=("rain", "vinyl", "ocean", "wind", "strings", "bells"),
        )
        pattern = generate_pattern(dna)
        assert all(0 < layer.gain <= 1 for layer in pattern.model.layers)
        played = [float(g) for g in re.findall(r"\.gain\(([0-9.]+)\)", pattern.code)]
        assert len(played) == len(pattern.model.layers)
        assert 0 < sum(played) <= 3.3
