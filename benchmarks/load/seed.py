"""Seeding accounts with a plain Python client (not measured) and the Lua file wrk reads."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from .common import BenchError

SEED_CONCURRENCY = 4
START = "/api/auth/musical-identity/start"
PROCESS = "/api/auth/musical-identity/process"


@dataclass
class Account:
    """A seeded artist and its current token pair."""

    name: str
    access: str
    refresh: str
    # wrk rotated this refresh chain and the last token it got is unknown: presenting an older
    # one would look like theft and revoke the sign-in, so the next tokens come from a login
    handed_over: bool = False


def expect(response: httpx.Response, status: int) -> dict[str, Any]:
    """The JSON body of an answer that must have `status`."""
    if response.status_code != status:
        raise BenchError(
            f"seeding: {response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    body: dict[str, Any] = response.json()
    return body


def seed_account(base: str, name: str, password: str) -> Account:
    """An artist made through the onboarding flow, given a password (its first credential)."""
    with httpx.Client(base_url=base, timeout=120) as client:
        session_id = expect(client.post(START), 201)["sessionId"]
        body: dict[str, Any] = {}
        for text in ("I love chill lo-fi beats for studying", "love it", name, "yes"):
            answer = client.post(PROCESS, json={"sessionId": session_id, "input": text})
            body = expect(answer, 200)
        if body.get("nextStep") != "completed" or not body.get("token"):
            raise BenchError(f"seeding: onboarding {name!r} did not finish: {body}")
        token = body["token"]
        # the sign-in is seconds old, so no current password or re-authentication is needed
        expect(
            client.put(
                "/api/users/me/password",
                json={"password": password},
                headers={"Authorization": f"Bearer {token}"},
            ),
            200,
        )
    return Account(name, token, body["refreshToken"])


def seed_accounts(base: str, count: int, run_tag: str, password: str) -> list[Account]:
    """`count` artists, a few at a time (the server's argon2 pool is the limit)."""
    with ThreadPoolExecutor(SEED_CONCURRENCY) as pool:
        names = (f"Seed{run_tag}-{i}" for i in range(1, count + 1))
        return list(pool.map(lambda name: seed_account(base, name, password), names))


def renew_tokens(base: str, account: Account, password: str) -> Account:
    """A fresh token pair: refresh the account's chain, or log in when wrk has taken it."""
    with httpx.Client(base_url=base, timeout=120) as client:
        if account.handed_over:
            login = {"identifier": account.name, "password": password}
            body = expect(client.post("/api/auth/login", json=login), 200)
        else:
            refresh = {"refreshToken": account.refresh}
            body = expect(client.post("/api/auth/refresh", json=refresh), 200)
    return Account(account.name, body["token"], body["refreshToken"])


def renew_all(base: str, accounts: Sequence[Account], password: str) -> list[Account]:
    """Fresh token pairs for every account."""
    with ThreadPoolExecutor(SEED_CONCURRENCY) as pool:
        return list(pool.map(lambda a: renew_tokens(base, a, password), accounts))


def lua_string(text: str) -> str:
    """A Lua string literal for any text (3-digit decimal escapes beyond printable ASCII)."""
    out = []
    for char in text:
        if char.isascii() and char.isprintable() and char not in '"\\':
            out.append(char)
        else:
            out += [f"\\{byte:03d}" for byte in char.encode()]
    return '"' + "".join(out) + '"'


def write_accounts(path: Path, accounts: Sequence[Account], password: str) -> None:
    """The Lua file the wrk scripts load: one account per thread, and every profile path."""
    lines = ["return {", f"  password = {lua_string(password)},", "  accounts = {"]
    lines += [
        f"    {{ name = {lua_string(a.name)}, access = {lua_string(a.access)}, "
        f"refresh = {lua_string(a.refresh)} }},"
        for a in accounts
    ]
    lines += ["  },", "  paths = {"]
    lines += [f"    {lua_string('/api/users/' + quote(a.name, safe=''))}," for a in accounts]
    lines += ["  },", "}", ""]
    path.write_text("\n".join(lines))
