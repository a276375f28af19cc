"""`notalabel pattern`: DNA and pattern from the command line."""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote

from typer.testing import CliRunner

from notalabel.cli import app

runner = CliRunner()


def test_pattern_prints_code_and_a_share_link_that_opens_it() -> None:
    result = runner.invoke(app, ["pattern", "chill lo-fi for studying", "--seed", "4"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    link = next(line for line in lines if "https://strudel.cc/#" in line)
    encoded = link.split("#", 2)[-1]
    code = base64.b64decode(unquote(encoded)).decode()
    assert code.strip() in result.output
    assert "setcpm(" in code


def test_pattern_json_applies_refinements_in_order() -> None:
    plain = runner.invoke(app, ["pattern", "techno", "--json"])
    refined = runner.invoke(
        app, ["pattern", "techno", "--refine", "faster", "--refine", "more bass", "--json"]
    )
    assert plain.exit_code == refined.exit_code == 0
    before, after = json.loads(plain.output), json.loads(refined.output)
    assert before["musicDNA"]["primaryGenre"] == "techno"
    assert [r["adjustments"] for r in after["refinements"]] == [["faster"], ["more_bass"]]
    assert after["pattern"]["bpm"] > before["pattern"]["bpm"]
    assert after["pattern"]["code"] != before["pattern"]["code"]


def test_same_seed_same_code_other_seed_other_code() -> None:
    first = runner.invoke(app, ["pattern", "trap", "--seed", "1", "--json"]).output
    again = runner.invoke(app, ["pattern", "trap", "--seed", "1", "--json"]).output
    other = runner.invoke(app, ["pattern", "trap", "--seed", "2", "--json"]).output
    assert json.loads(first)["pattern"]["code"] == json.loads(again)["pattern"]["code"]
    assert json.loads(first)["pattern"]["code"] != json.loads(other)["pattern"]["code"]


def test_serve_refuses_several_workers_on_the_embedded_default() -> None:
    result = runner.invoke(app, ["serve", "--workers", "2"], env={"NAL_MODE": "embedded"})
    assert result.exit_code != 0
    assert "production mode" in result.output
