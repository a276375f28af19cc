"""Artist names cannot impersonate: NFKC, one script, visible letters, skeleton uniqueness."""

from __future__ import annotations

import unicodedata

import httpx
import pytest

from notalabel.container import Container
from notalabel.identity.naming import (
    MAX_KEY_LENGTH,
    MAX_NAME_LENGTH,
    clean_name,
    name_key,
    name_problem,
)
from tests.identity.factories import onboard, say, start
from tests.users.factories import make_artist


def problem_code(raw: str) -> str | None:
    problem = name_problem(clean_name(raw))
    return problem.code if problem else None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Ab" * 16, None),
        ("Ab" * 16 + "c", "invalid_length"),
        ("Ab", None),
        ("A", "invalid_length"),
        ("Dreаmy", "mixed_scripts"),  # a Cyrillic letter among Latin ones
        ("Αdmin", "mixed_scripts"),  # Greek capital alpha
        ("ＡＤＭＩＮ", "reserved"),  # fullwidth, NFKC makes it ADMIN
        ("𝐀𝐝𝐦𝐢𝐧", "reserved"),  # mathematical bold
        ("Adm1n", "reserved"),
        ("a.d.m.i.n", "reserved"),
        ("\u3164\u3164\u3164", "invisible_characters"),  # Hangul fillers
        ("\u115f\u1160", "invisible_characters"),
        ("\uffa0\uffa0", "invisible_characters"),
        ("Dre\u200bamy", "invisible_characters"),  # zero-width space
        ("Dre\u00adamy", "invisible_characters"),  # soft hyphen
        ("Dre\u202eamy", "invisible_characters"),  # right-to-left override
        # each end of the invisible ranges that NFKC leaves alone
        ("Dre\u2060amy", "invisible_characters"),  # word joiner
        ("Dre\u034famy", "invisible_characters"),  # combining grapheme joiner
        ("Dre\u206famy", "invisible_characters"),  # nominal digit shapes
        ("Dre\u200famy", "invisible_characters"),  # right-to-left mark
        ("Dre\ufeffamy", "invisible_characters"),  # zero-width no-break space
        ("Dre\U000e0001amy", "invisible_characters"),  # language tag
        ("Dre\U0001d17aamy", "invisible_characters"),  # musical symbol end phrase
        ("2024", "no_letters"),
        ("DJ Ω", "mixed_scripts"),  # Greek and Latin letters are never mixed
        ("Two\nLines", "invalid_characters"),
    ],
)
def test_name_rules(raw: str, code: str | None) -> None:
    assert problem_code(raw) == code


@pytest.mark.parametrize(
    "raw", ["Björk", "Сергей", "山田太郎", "やまだ太郎", "김민수", "Ωμέγα Δ", "नमस्ते", "DJ 808"]
)
def test_single_script_international_names_are_accepted(raw: str) -> None:
    assert problem_code(raw) is None


def test_names_are_stored_nfkc_normalised() -> None:
    assert clean_name("  Ｄｒｅａｍｙ　Ｂｅａｔｓ ") == "Dreamy Beats"
    assert clean_name("𝐃𝐫𝐞𝐚𝐦𝐲") == "Dreamy"
    assert clean_name("Bjo\u0308rk") == "Björk"


@pytest.mark.parametrize(
    "spoof", ["DREAMY", "dreamy", "Ｄｒｅａｍｙ", "𝐃𝐫𝐞𝐚𝐦𝐲", "Dreаmy", "Drearny", "Dreamy\u0020"]
)
def test_look_alikes_share_one_key(spoof: str) -> None:
    assert name_key(spoof) == name_key("Dreamy")


def test_different_names_keep_different_keys() -> None:
    assert name_key("Dreamy") != name_key("Dreamer")
    assert name_key("Ехо") == name_key("Exo")  # whole-script Cyrillic look-alike
    assert name_key("B00M") == name_key("boom")


def test_keys_fit_their_column() -> None:
    widest = max(
        (chr(p) for p in range(0x20, 0x30000) if not 0xD800 <= p < 0xE000),
        key=lambda ch: len(name_key(ch)) if unicodedata.normalize("NFKC", ch) == ch else 0,
    )
    assert len(name_key(widest * MAX_NAME_LENGTH)) <= MAX_KEY_LENGTH


async def test_whole_script_look_alike_of_an_account_is_taken(
    client: httpx.AsyncClient, container: Container
) -> None:
    await make_artist(container, "Exo")
    session_id = await start(client)
    await say(client, session_id, "dark techno for the gym")
    await say(client, session_id, "love it")
    answer = await say(client, session_id, "Ехо")  # three Cyrillic letters
    assert answer["success"] is False
    assert "taken" in answer["message"]
    assert answer["suggestions"]


async def test_rename_to_a_look_alike_is_taken_and_spoofs_are_invalid(
    client: httpx.AsyncClient, container: Container
) -> None:
    await make_artist(container, "Dreamy")
    artist = await make_artist(container, "Someone")
    url = "/api/users/me/artist-name"
    taken = await client.post(url, json={"artistName": "ＤＲＥＡＭＹ"}, headers=artist.headers)
    assert taken.status_code == 409, taken.text
    for spoof in ("Dreаmy", "ＡＤＭＩＮ", "\u3164\u3164"):
        refused = await client.post(url, json={"artistName": spoof}, headers=artist.headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "invalid_artist_name"


async def test_the_normalised_name_is_stored_and_signs_in(client: httpx.AsyncClient) -> None:
    done = await onboard(client, "Ｍｏｏｎ Ｃｈｉｌｄ")
    assert done["artistName"] == "Moon Child"
    credentials = {"email": "moon@example.com", "password": "a long enough passphrase 7"}
    headers = {"Authorization": f"Bearer {done['token']}"}
    attached = await client.post("/api/users/me/credentials", json=credentials, headers=headers)
    assert attached.status_code < 300, attached.text
    login = await client.post(
        "/api/auth/login",
        json={"identifier": "𝐌𝐎𝐎𝐍 𝐂𝐇𝐈𝐋𝐃", "password": credentials["password"]},
    )
    assert login.status_code == 200, login.text


@pytest.mark.parametrize(
    "raw",
    [
        "Admin",
        "Administrator",
        "Nala",
        "System",
        "Support",
        "Root",
        "Moderator",
        "Mod",
        "Staff",
        "Official",
        "NotALabel",
        "API",
        "Help",
        "Null",
        "Undefined",
        "Anonymous",
        "Me",
    ],
)
def test_every_reserved_word_is_refused(raw: str) -> None:
    assert problem_code(raw) == "reserved"
