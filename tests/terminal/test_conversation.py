"""The join conversation, `me` and `logout` against the app in-process (both backends)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from notalabel.terminal import account, credentials, join
from notalabel.terminal.client import ApiClient, ApiError


def _script(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    """Answer the prompts from a list, as a person would type them."""
    lines: Iterator[str] = iter(answers)
    monkeypatch.setattr(join._Answer, "ask", classmethod(lambda cls, *a, **k: next(lines)))


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120, color_system=None), out


async def _join(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch, path: Path, answers: list[str]
) -> str:
    _script(monkeypatch, answers)
    console, out = _console()
    await join.join(api, console, path)
    return out.getvalue()


def test_empty_lines_ask_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _script(monkeypatch, ["", "   ", " techno "])
    assert join.read_answer(_console()[0]) == "techno"


@pytest.mark.parametrize(
    ("raised", "code"), [(KeyboardInterrupt, 130), (EOFError, 1)], ids=["ctrl-c", "eof"]
)
def test_leaving_the_prompt_is_a_clean_abort(
    monkeypatch: pytest.MonkeyPatch, raised: type[BaseException], code: int
) -> None:
    def leave(*_: object, **__: object) -> str:
        raise raised

    monkeypatch.setattr(join._Answer, "ask", classmethod(leave))
    with pytest.raises(join.Aborted) as caught:
        join.read_answer(_console()[0])
    assert caught.value.exit_code == code
    assert "no account was created" in caught.value.message


async def test_join_creates_the_account_and_saves_the_tokens(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = ApiClient(client, "embedded")
    path = tmp_path / "credentials.json"
    answers = ["dark techno for the gym", "more bass", "love it", "Nightowl", "yes"]
    text = await _join(api, monkeypatch, path, answers)
    saved = credentials.load(path)
    assert saved is not None
    assert (saved.server, saved.artist_name) == ("embedded", "Nightowl")
    me = await api.me(saved.access_token)
    assert me["artistName"] == "Nightowl"
    assert me["id"] == saved.user_id
    assert "never shown again" in text
    assert text.count("https://strudel.cc/#") >= 3  # two patterns and the signature
    assert "your music DNA" in text
    assert "0 followers · 0 following · 1 patterns" in text


async def test_a_taken_name_lists_suggestions_and_a_number_picks_one(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = ApiClient(client, "embedded")
    first = ["chill lo-fi", "love it", "Dreamy", "yes"]
    await _join(api, monkeypatch, tmp_path / "first.json", first)
    text = await _join(
        api, monkeypatch, tmp_path / "second.json", ["chill lo-fi", "love it", "Dreamy", "2", "yes"]
    )
    listed = [line.split(". ", 1)[1] for line in text.splitlines() if line.startswith("  2. ")]
    assert '"Dreamy" is taken' in text
    saved = credentials.load(tmp_path / "second.json")
    assert saved is not None
    assert listed == [saved.artist_name]


async def test_me_refreshes_an_expired_access_token_and_saves_the_new_pair(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = ApiClient(client, "embedded")
    path = tmp_path / "credentials.json"
    await _join(api, monkeypatch, path, ["jazz", "love it", "Blue Note Kid", "yes"])
    saved = credentials.load(path)
    assert saved is not None
    stale = saved.with_tokens("not-a-valid-token", saved.refresh_token)
    credentials.save(stale, path)
    profile = await account.profile(api, stale, path)
    assert profile["artistName"] == "Blue Note Kid"
    renewed = credentials.load(path)
    assert renewed is not None
    assert renewed.refresh_token != saved.refresh_token
    assert (await api.me(renewed.access_token))["id"] == profile["id"]


async def test_logout_ends_the_sign_in_on_the_server_even_with_an_expired_access_token(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = ApiClient(client, "embedded")
    path = tmp_path / "credentials.json"
    await _join(api, monkeypatch, path, ["ambient", "love it", "Drift Signal", "yes"])
    saved = credentials.load(path)
    assert saved is not None
    stale = saved.with_tokens("not-a-valid-token", saved.refresh_token)
    assert await account.logout(api, stale, path) is None
    assert not path.exists()
    # not only the access token: the refresh chain is dead too, the device sign-in ended
    for attempt in (api.me(saved.access_token), api.refresh(saved.refresh_token)):
        with pytest.raises(ApiError) as caught:
            await attempt
        assert caught.value.status == 401


async def test_logout_of_a_sign_in_already_ended_still_forgets_it(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = ApiClient(client, "embedded")
    path = tmp_path / "credentials.json"
    await _join(api, monkeypatch, path, ["trap", "love it", "Eight Oh Eight", "yes"])
    saved = credentials.load(path)
    assert saved is not None
    await api.logout(saved.access_token)
    assert await account.logout(api, saved, path) is None
    assert not path.exists()
    with pytest.raises(account.NotSignedIn):
        await account.profile(api, saved, path)
