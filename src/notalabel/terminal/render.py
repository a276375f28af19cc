"""Rich output: pattern code highlighted, the music DNA as a table, strudel.cc as a link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

_DNA_ROWS = (
    ("genre", "primaryGenre"),
    ("also", "subGenres"),
    ("mood", "preferredMood"),
    ("moods", "moods"),
    ("energy", "energyLevel"),
    ("complexity", "complexity"),
    ("keywords", "keywords"),
    ("style", "creationStyle"),
)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "-"
    if value is None or value == "":
        return "-"
    return str(value)


def render_link(console: Console, url: str, label: str = "▶ play it on strudel.cc") -> None:
    """A clickable OSC 8 link; off a terminal the URL is printed too, so it can be copied."""
    console.print(Text(label, style=f"bold cyan link {url}"))
    if not console.is_terminal:
        console.print(url, soft_wrap=True, markup=False, highlight=False)


def render_code(console: Console, code: str) -> None:
    """Strudel code is JavaScript: highlight it as such, wrapped rather than cropped."""
    console.print(
        Syntax(
            code.rstrip("\n"),
            "javascript",
            theme="monokai",
            word_wrap=True,
            background_color="default",
        )
    )


def render_pattern(console: Console, pattern: Mapping[str, Any]) -> None:
    """A pattern from the onboarding (`code`) or a profile (`strudelCode`), with its link."""
    facts = [pattern.get("genre"), pattern.get("mood"), pattern.get("key")]
    if pattern.get("bpm"):
        facts.append(f"{pattern['bpm']} bpm")
    console.print(Text(" · ".join(str(f) for f in facts if f), style="bold"))
    if pattern.get("description"):
        console.print(Text(str(pattern["description"]), style="dim"))
    render_code(console, str(pattern.get("code") or pattern.get("strudelCode") or ""))
    if pattern.get("shareUrl"):
        render_link(console, str(pattern["shareUrl"]))


def dna_table(dna: Mapping[str, Any]) -> Table:
    """The music DNA as a two-column table."""
    table = Table(title="your music DNA", show_header=False, title_justify="left", box=None)
    table.add_column(style="dim")
    table.add_column()
    for label, key in _DNA_ROWS:
        if key in dna:
            table.add_row(label, Text(_shown(dna[key])))
    if isinstance(dna.get("confidenceScore"), int | float):
        table.add_row("confidence", f"{dna['confidenceScore']:.0%}")
    return table


def render_recovery_codes(console: Console, codes: list[str]) -> None:
    """The one and only showing of the recovery codes."""
    body = Text("\n".join(codes), style="bold")
    body.append(
        "\n\nKeep these somewhere safe: they are never shown again. "
        "Each one signs you in once if you lose this device.",
        style="yellow",
    )
    console.print(
        Panel(body, title="recovery codes", title_align="left", border_style="yellow", expand=False)
    )


def render_profile(console: Console, profile: Mapping[str, Any]) -> None:
    """Name, bio, DNA, signature pattern and counts of a profile."""
    console.print(Text(str(profile.get("artistName", "?")), style="bold magenta"))
    if profile.get("bio"):
        console.print(Text(str(profile["bio"])))
    if isinstance(profile.get("musicDNA"), Mapping) and profile["musicDNA"]:
        console.print(dna_table(profile["musicDNA"]))
    signature = profile.get("signaturePattern")
    if isinstance(signature, Mapping) and signature:
        console.print(Text("signature pattern", style="bold underline"))
        render_pattern(console, signature)
    counts = profile.get("counts")
    if isinstance(counts, Mapping):
        console.print(
            Text(
                f"{counts.get('followers', 0)} followers · {counts.get('following', 0)} following"
                f" · {counts.get('patterns', 0)} patterns",
                style="dim",
            )
        )
    alerts = profile.get("securityAlerts")
    if isinstance(alerts, list) and alerts:
        console.print(
            Text(f"{len(alerts)} security alert(s) from your other devices", style="bold red")
        )
