"""extract_artist_name: the usual phrasings and bare names."""

from __future__ import annotations

import pytest

from notalabel.engine.language import extract_artist_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("call me DreamyBeats", "DreamyBeats"),
        ("I'm Lo Fi Luna", "Lo Fi Luna"),
        ("I am Nova.", "Nova"),
        ("my name is Neon Tide", "Neon Tide"),
        ("name me Velvet Rain", "Velvet Rain"),
        ("it's KXNG", "KXNG"),
        ("Midnight Moth please", "Midnight Moth"),
        ("DreamyBeats", "DreamyBeats"),
        ("Lo Fi Luna", "Lo Fi Luna"),
        ('  "Sol"!  ', "Sol"),
        ("call me 'Ghost Tape' please", "Ghost Tape"),
        ("ok, call me dj k-9!", "dj k-9"),
        ("yeah let's go with Luna Park", "Luna Park"),
        ("My artist name is Ghost Tape, thanks", "Ghost Tape"),
        ("admin", "admin"),  # reserved names are the service's business, not ours
    ],
)
def test_name_forms(text: str, name: str) -> None:
    assert extract_artist_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!",
        "i don't know",
        "I'm not sure yet",
        "I really have no idea what I want to be called honestly",
    ],
)
def test_nothing_usable(text: str) -> None:
    assert extract_artist_name(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "my name is The Night Owl Collective of Brooklyn New York",
            "The Night Owl Collective of Brooklyn New York",
        ),
        ("I go by Midnight Train To Somewhere Far Away", "Midnight Train To Somewhere Far Away"),
        ("ok so call me The Velvet Underground Band", "The Velvet Underground Band"),
    ],
)
def test_a_name_an_intro_announces_is_kept_however_long(text: str, name: str) -> None:
    # the naming rules then say why it is too long, instead of asking for a name again
    assert extract_artist_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "its hard to choose a name honestly I dont know what to pick",
        "maybe something with the moon and the stars and the sea in it",
        "my name is the one you said",
        "call me idk",
    ],
)
def test_weak_intros_and_non_names_stay_unusable(text: str) -> None:
    assert extract_artist_name(text) is None
