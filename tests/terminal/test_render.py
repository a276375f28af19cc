"""Rich output: the strudel.cc link, the highlighted code, the DNA table, the codes."""

from __future__ import annotations

import io

from rich.console import Console

from notalabel.terminal.render import (
    render_link,
    render_pattern,
    render_profile,
    render_recovery_codes,
)

URL = "https://strudel.cc/#c2V0Y3BtKDEyMC80KQ%3D%3D"
PATTERN = {
    "code": 'setcpm(120/4)\ns("bd sd")\n',
    "description": "House pattern",
    "bpm": 120,
    "key": "A minor",
    "genre": "house",
    "mood": "chill",
    "shareUrl": URL,
}


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    # as rich sets itself up on its own: colours and links on a terminal, plain text otherwise
    colours = "truecolor" if terminal else None
    console = Console(file=out, force_terminal=terminal, width=100, color_system=colours)
    return console, out


def test_on_a_terminal_the_link_is_osc8_and_the_long_url_is_not_printed() -> None:
    console, out = _console(terminal=True)
    render_link(console, URL)
    text = out.getvalue()
    assert "\x1b]8;id=" in text
    assert f";{URL}\x1b\\" in text
    # the URL lives only inside the escape sequence, not as visible text
    assert text.count(URL) == 1


def test_off_a_terminal_the_url_is_printed_plainly_on_one_line() -> None:
    console, out = _console(terminal=False)
    render_link(console, URL)
    assert "\x1b]8" not in out.getvalue()
    assert URL in out.getvalue().splitlines()


def test_pattern_code_is_highlighted_as_javascript() -> None:
    console, out = _console(terminal=True)
    render_pattern(console, PATTERN)
    text = out.getvalue()
    assert "\x1b[" in text  # colours
    assert "setcpm" in text
    assert "house · chill · A minor · 120 bpm" in text
    plain, plain_out = _console(terminal=False)
    render_pattern(plain, PATTERN)
    assert 's("bd sd")' in plain_out.getvalue()


def test_profile_shows_name_dna_signature_and_counts() -> None:
    console, out = _console(terminal=False)
    render_profile(
        console,
        {
            "artistName": "[bold]Dreamy[/bold]",
            "bio": "Creating house beats",
            "musicDNA": {"primaryGenre": "house", "moods": ["chill", "dreamy"], "energyLevel": 4},
            "signaturePattern": {**PATTERN, "code": None, "strudelCode": "setcpm(90/4)"},
            "counts": {"followers": 3, "following": 1, "patterns": 2},
        },
    )
    text = out.getvalue()
    # a name is shown as typed, never read as markup
    assert "[bold]Dreamy[/bold]" in text
    assert "chill, dreamy" in text
    assert "setcpm(90/4)" in text
    assert URL in text
    assert "3 followers · 1 following · 2 patterns" in text


def test_recovery_codes_come_with_the_warning() -> None:
    console, out = _console(terminal=False)
    render_recovery_codes(console, ["aaaa-bbbb-cccc-dddd", "eeee-ffff-gggg-hhhh"])
    text = out.getvalue()
    assert "aaaa-bbbb-cccc-dddd" in text
    assert "eeee-ffff-gggg-hhhh" in text
    assert "never shown again" in text
