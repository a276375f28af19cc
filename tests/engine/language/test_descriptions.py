"""analyze_description: synonyms, activities, intensity, typos, keywords and fallbacks."""

from __future__ import annotations

import pytest

from notalabel.engine.language import analyze_description
from notalabel.engine.vocabulary import SOUND_KEYWORDS, CreationStyle, Genre, Mood


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("lofi", Genre.LOFI),
        ("lo fi", Genre.LOFI),
        ("lo-fi", Genre.LOFI),
        ("chillhop", Genre.LOFI),
        ("lofi hip hop", Genre.LOFI),
        ("dnb", Genre.DRUM_AND_BASS),
        ("drum n bass", Genre.DRUM_AND_BASS),
        ("drum & bass", Genre.DRUM_AND_BASS),
        ("drum'n'bass", Genre.DRUM_AND_BASS),
        ("jungle", Genre.DRUM_AND_BASS),
        ("boom bap", Genre.HIPHOP),
        ("rap", Genre.HIPHOP),
        ("hip-hop", Genre.HIPHOP),
        ("amapiano", Genre.AFROBEATS),
        ("dembow", Genre.REGGAETON),
        ("reggaetón", Genre.REGGAETON),
        ("retrowave", Genre.SYNTHWAVE),
        ("synth wave", Genre.SYNTHWAVE),
        ("outrun", Genre.SYNTHWAVE),
        ("edm", Genre.HOUSE),
        ("deep house", Genre.HOUSE),
        ("uk drill", Genre.DRILL),
        ("dub", Genre.DUBSTEP),
        ("bebop", Genre.JAZZ),
        ("k-pop", Genre.POP),
        ("phonk", Genre.TRAP),
        ("acid techno", Genre.TECHNO),
        ("drone soundscapes", Genre.AMBIENT),
    ],
)
def test_genre_synonyms(text: str, genre: Genre) -> None:
    assert analyze_description(f"I love {text}").primary_genre is genre


def test_amapiano_is_afrobeats_with_house_as_sub_genre() -> None:
    dna = analyze_description("amapiano with log drums")
    assert dna.primary_genre is Genre.AFROBEATS
    assert Genre.HOUSE in dna.sub_genres


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("music for studying", Mood.STUDY),
        ("something to focus while coding", Mood.STUDY),
        ("reading music", Mood.STUDY),
        ("for the gym", Mood.ENERGETIC),
        ("workout music", Mood.ENERGETIC),
        ("for running", Mood.ENERGETIC),
        ("music to sleep to", Mood.CHILL),
        ("relaxing music", Mood.CHILL),
        ("for dancing at a party", Mood.UPBEAT),
        ("night drive music", Mood.DREAMY),
    ],
)
def test_activities_set_the_mood(text: str, mood: Mood) -> None:
    assert analyze_description(text).preferred_mood is mood


@pytest.mark.parametrize(
    ("typo", "genre", "mood"),
    [
        ("ambeint", Genre.AMBIENT, None),
        ("technoo", Genre.TECHNO, None),
        ("chil lofi", Genre.LOFI, Mood.CHILL),
        ("dreamey synthwave", Genre.SYNTHWAVE, Mood.DREAMY),
        ("stuyding beats", Genre.LOFI, Mood.STUDY),
        ("DUBSTP", Genre.DUBSTEP, None),
    ],
)
def test_typos_and_caps_are_corrected(typo: str, genre: Genre | None, mood: Mood | None) -> None:
    dna = analyze_description(typo)
    assert dna.primary_genre is genre
    if mood is not None:
        assert dna.preferred_mood is mood


def test_common_words_are_not_corrected_into_music_words() -> None:
    dna = analyze_description("trap with fast hi hats, bad bunny type, something loud")
    assert dna.primary_genre is Genre.TRAP
    assert Mood.CHILL not in dna.moods  # "something" is not "soothing", "hats" is not "hate"


def test_intensity_words_move_energy_and_complexity() -> None:
    base = analyze_description("techno")
    hard = analyze_description("hard aggressive intense techno")
    soft = analyze_description("soft mellow calm techno")
    assert hard.energy_level > base.energy_level > soft.energy_level
    complex_ = analyze_description("complex intricate jazz")
    simple = analyze_description("simple minimal jazz")
    assert complex_.complexity > simple.complexity
    assert 1 <= soft.energy_level <= 10
    assert 1 <= complex_.complexity <= 10


def test_energy_is_clamped() -> None:
    dna = analyze_description("very hard heavy aggressive intense fast loud hype gym dnb rave")
    assert dna.energy_level == 10
    calm = analyze_description("very soft slow calm mellow sleepy relaxing ambient for sleep")
    assert calm.energy_level == 1


def test_no_genre_named_gives_a_listeners_pick_marked_inferred_with_low_confidence() -> None:
    dna = analyze_description("something chill for a rainy afternoon")
    assert dna.primary_genre is Genre.LOFI
    assert dna.genre_inferred
    assert dna.to_json()["genreInferred"] is True
    assert dna.confidence_score < 0.4
    named = analyze_description("chill lo-fi for a rainy afternoon")
    assert not named.genre_inferred
    assert named.confidence_score > dna.confidence_score
    assert dna.preferred_mood is Mood.CHILL
    assert "rain" in dna.keywords


def test_empty_text() -> None:
    dna = analyze_description("")
    assert dna.primary_genre is None
    assert dna.preferred_mood is None
    assert dna.confidence_score < 0.4


def test_several_genres_primary_first_or_strongest() -> None:
    dna = analyze_description("house, techno and a bit of ambient")
    assert dna.primary_genre is Genre.HOUSE
    assert dna.sub_genres == (Genre.TECHNO, Genre.AMBIENT)
    mostly = analyze_description("some ambient but mostly techno")
    assert mostly.primary_genre is Genre.TECHNO


def test_moods_ordered_by_strength() -> None:
    dna = analyze_description("dark and mysterious, really dark, a little sad")
    assert dna.preferred_mood is Mood.DARK
    assert dna.moods[0] is Mood.DARK
    assert {Mood.MYSTERIOUS, Mood.MELANCHOLIC} <= set(dna.moods)


def test_negated_moods_are_ignored() -> None:
    dna = analyze_description("lofi but not sad, more cozy")
    assert Mood.MELANCHOLIC not in dna.moods
    assert dna.preferred_mood is Mood.CHILL


def test_genre_confidence_is_higher() -> None:
    assert analyze_description("chill lofi with rain").confidence_score >= 0.6


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("rainy lofi", "rain"),
        ("raindrops", "rain"),
        ("soft keys", "piano"),
        ("pianos", "piano"),
        ("heavy 808s", "808"),
        ("saxophone solos", "sax"),
        ("vinyl crackle", "vinyl"),
        ("old record sound", "vinyl"),
        ("ocean waves", "ocean"),
        ("by the sea", "ocean"),
        ("beach vibes", "ocean"),
        ("rhodes chords", "rhodes"),
        ("choir", "choir"),
        ("late night", "night"),
        ("summer", "summer"),
        ("space", "space"),
    ],
)
def test_keywords(text: str, keyword: str) -> None:
    assert keyword in analyze_description(text).keywords


def test_keywords_are_lowercase_unique_and_capped() -> None:
    dna = analyze_description(
        "RAIN rain piano keys vinyl ocean wind guitar strings bells 808 synth flute sax choir night"
    )
    assert len(dna.keywords) <= 8
    assert len(set(dna.keywords)) == len(dna.keywords)
    assert all(k == k.lower() for k in dna.keywords)
    assert all(k in SOUND_KEYWORDS for k in dna.keywords)


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("I want to collab with other artists", CreationStyle.COLLABORATIVE),
        ("making beats with friends", CreationStyle.COLLABORATIVE),
        ("my band plays together", CreationStyle.COLLABORATIVE),
        ("weird experimental glitch", CreationStyle.EXPERIMENTAL),
        ("avant garde noise", CreationStyle.EXPERIMENTAL),
        ("just lofi", CreationStyle.SOLO),
    ],
)
def test_creation_style(text: str, style: CreationStyle) -> None:
    assert analyze_description(text).creation_style is style


def test_dna_round_trips_through_json() -> None:
    from notalabel.engine.vocabulary import MusicDNA

    dna = analyze_description("dark techno with rain, experimental")
    assert MusicDNA.from_json(dna.to_json()) == dna


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("music to focus", Genre.LOFI),
        ("something for reading", Genre.LOFI),
        ("beats while coding", Genre.LOFI),
        ("songs for sleeping", Genre.AMBIENT),
        ("music for the gym", Genre.TRAP),
        ("something for running", Genre.DRUM_AND_BASS),
        ("party music", Genre.HOUSE),
        ("night drive music", Genre.SYNTHWAVE),
        ("dark and mysterious", Genre.TRAP),  # no use named: the mood's genre
    ],
)
def test_a_use_without_a_style_gets_the_genre_a_listener_would_pick(
    text: str, genre: Genre
) -> None:
    dna = analyze_description(text)
    assert (dna.primary_genre, dna.genre_inferred) == (genre, True)
    assert dna.confidence_score < 0.4


@pytest.mark.parametrize(
    ("text", "genre", "colour"),
    [
        ("jazz-leaning hip hop", Genre.HIPHOP, Genre.JAZZ),
        ("techno-inspired house", Genre.HOUSE, Genre.TECHNO),
        ("trap influenced pop", Genre.POP, Genre.TRAP),
        ("ambient-ish techno", Genre.TECHNO, Genre.AMBIENT),
        ("house, but lo-fi", Genre.HOUSE, Genre.LOFI),
        ("anything but pop, techno mostly", Genre.TECHNO, None),
    ],
)
def test_a_qualified_style_keeps_the_style_and_the_qualifier_as_colour(
    text: str, genre: Genre, colour: Genre | None
) -> None:
    dna = analyze_description(text)
    assert dna.primary_genre is genre
    assert not dna.genre_inferred
    if colour is not None:
        assert colour in dna.sub_genres
