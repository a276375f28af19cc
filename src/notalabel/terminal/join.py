"""The onboarding conversation in the terminal, ending in a saved sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.prompt import Prompt
from rich.text import Text

from notalabel.terminal import credentials
from notalabel.terminal.client import ApiClient, ApiError
from notalabel.terminal.render import (
    dna_table,
    render_pattern,
    render_profile,
    render_recovery_codes,
)


class _Answer(Prompt):
    prompt_suffix = " "


class Aborted(Exception):
    """The person left (Ctrl-C or end of input): one line to print and an exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def read_answer(console: Console) -> str:
    """One non-empty line; an empty one asks again."""
    while True:
        try:
            answer = _Answer.ask(Text("›", style="bold magenta"), console=console)
        except KeyboardInterrupt:
            raise Aborted("interrupted: no account was created", 130) from None
        except EOFError:
            raise Aborted("input ended: no account was created", 1) from None
        if answer.strip():
            return answer.strip()


def _pick(answer: str, suggestions: list[str]) -> str:
    """A number typed while suggestions are shown picks that suggestion."""
    if suggestions and answer.isdigit() and 1 <= int(answer) <= len(suggestions):
        return suggestions[int(answer) - 1]
    return answer


def show_reply(console: Console, reply: dict[str, Any]) -> list[str]:
    """Print one answer of the conversation; returns the name suggestions it made, if any."""
    style = "bold green" if reply.get("success", True) else "bold yellow"
    console.print(Text(str(reply.get("message", "")), style=style))
    if isinstance(reply.get("pattern"), dict):
        render_pattern(console, reply["pattern"])
    if isinstance(reply.get("musicDNA"), dict):
        console.print(dna_table(reply["musicDNA"]))
    suggestions = [str(s) for s in reply.get("suggestions") or []]
    if suggestions:
        console.print(Text("free names you could take (type the number or another name):"))
        for number, name in enumerate(suggestions, start=1):
            console.print(Text(f"  {number}. ", style="dim") + Text(name, style="bold"))
    return suggestions


async def converse(api: ApiClient, console: Console) -> dict[str, Any]:
    """Start, answer until the account exists, and return the answer that created it."""
    started = await api.start()
    session_id = str(started["sessionId"])
    console.print(Text(str(started.get("message", "")), style="bold"))
    console.print(Text(str(started.get("prompt", ""))))
    suggestions: list[str] = []
    while True:
        answer = _pick(read_answer(console), suggestions)
        try:
            reply = await api.process(session_id, answer)
        except ApiError as exc:
            # a refused answer (too long, control characters) is worth another try
            if exc.status != 422:
                raise
            console.print(Text(exc.message, style="bold yellow"))
            continue
        suggestions = show_reply(console, reply)
        if reply.get("nextStep") == "completed":
            return reply if reply.get("token") else await api.finalize(session_id)
        if reply.get("prompt"):
            console.print(Text(str(reply["prompt"])))


def welcome(
    console: Console, api: ApiClient, account: dict[str, Any], path: Path | None = None
) -> credentials.Credentials:
    """Show the recovery codes once, save the tokens, show the new profile."""
    user = account.get("user") or {}
    if account.get("recoveryCodes"):
        render_recovery_codes(console, [str(c) for c in account["recoveryCodes"]])
    saved = credentials.Credentials(
        server=api.server,
        artist_name=str(user.get("artistName") or account.get("artistName") or ""),
        access_token=str(account["token"]),
        refresh_token=str(account["refreshToken"]),
        device_key=account.get("deviceKey"),
        user_id=user.get("id"),
    )
    where = credentials.save(saved, path)
    console.print(
        Text("Signed in as ")
        + Text(saved.artist_name, style="bold magenta")
        + Text(f"; tokens saved in {where} (only you can read it).")
    )
    if user:
        render_profile(console, user)
    return saved


async def join(api: ApiClient, console: Console, path: Path | None = None) -> None:
    """The whole `notalabel join`."""
    current = credentials.load(path)
    if current is not None:
        console.print(
            Text(
                f"You are signed in as {current.artist_name} ({current.server}); a new account "
                "replaces that sign-in here (`notalabel logout` first ends it).",
                style="yellow",
            )
        )
    account = await converse(api, console)
    welcome(console, api, account, path)
