"""describe_vibe: 1-4 short descriptors."""

from __future__ import annotations

from notalabel.engine.language import analyze_description, describe_vibe
from notalabel.engine.vocabulary import MusicDNA


def test_mood_genre_keyword() -> None:
    assert describe_vibe(analyze_description("chill lofi with rain")) == ["chill", "lo-fi", "rain"]


def test_always_one_to_four() -> None:
    for text in ["", "dnb", "dark techno with rain piano and strings, mysterious and sad"]:
        words = describe_vibe(analyze_description(text))
        assert 1 <= len(words) <= 4
        assert len(set(words)) == len(words)
    assert describe_vibe(MusicDNA()) == ["unique"]
