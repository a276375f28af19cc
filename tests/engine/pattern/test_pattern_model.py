"""The model's JSON round-trip, its validation, and the renderer's shape."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from notalabel.engine.pattern import PatternModel, generate_pattern, refine_pattern, render_code
from notalabel.engine.pattern.build import MAX_TOTAL_GAIN, voices
from notalabel.engine.pattern.grid import bar, bars, weighted
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre, Mood, MusicDNA


def _models() -> list[PatternModel]:
    models = []
    for index, genre in enumerate(Genre):
        dna = MusicDNA(
            primary_genre=genre,
            preferred_mood=list(Mood)[index % len(Mood)],
            energy_level=1 + index % 10,
            complexity=10 - index % 10,
            keywords=("rain", "ocean", "piano"),
        )
        model = generate_pattern(dna, seed=index).model
        models.append(model)
        extra = [Adjustment(AdjustmentKind.MORE_DREAMY), Adjustment(AdjustmentKind.DARKER)]
        models.append(refine_pattern(model, extra).model)
    return models


def test_json_round_trip_is_exact() -> None:
    for model in _models():
        doc = json.loads(json.dumps(model.to_json()))
        assert PatternModel.from_json(doc) == model
        assert render_code(PatternModel.from_json(doc)) == render_code(model)


def _good() -> dict[str, Any]:
    return generate_pattern(MusicDNA(primary_genre=Genre.DUBSTEP, complexity=9)).model.to_json()


def _broken(path: tuple[object, ...], value: object) -> dict[str, Any]:
    doc = copy.deepcopy(_good())
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("settings",), KeyError),
        (("settings", "genre"), "polka"),
        (("settings", "mood"), None),
        (("settings", "energy"), 11),
        (("settings", "energy"), True),
        (("settings", "complexity"), "5"),
        (("settings", "keywords"), "rain"),
        (("settings", "space"), -1),
        (("settings", "tempoShift"), 99),
        (("mix",), 0),
        (("bpm",), 12.5),
        (("root",), "H"),
        (("scale",), "bebop"),
        (("layers",), []),
        (("layers", 0, "role"), "vocals"),
        (("layers", 0, "pattern"), 'bd") ; alert(1); ("'),
        (("layers", 0, "name"), "kick\nsamples('x')"),
        (("layers", 0, "gain"), "loud"),
        (("layers", 0, "effects"), {"lpf": 300}),
        (("layers", 1, "effects", 0, "name"), "lpf()"),
    ],
)
def test_malformed_json_raises_value_error(path: tuple[object, ...], value: object) -> None:
    with pytest.raises(ValueError, match=r".+"):
        PatternModel.from_json(_broken(path, value))


@pytest.mark.parametrize("doc", [None, [], "model", 3])
def test_non_object_json_raises_value_error(doc: object) -> None:
    with pytest.raises(ValueError, match="object"):
        PatternModel.from_json(doc)


def test_bad_lfo_shape_raises_value_error() -> None:
    doc = _good()
    bass = next(layer for layer in doc["layers"] if layer["role"] == "bass")
    lfo = next(effect for effect in bass["effects"] if "lfo" in effect)
    lfo["lfo"]["shape"] = "process.exit"
    with pytest.raises(ValueError, match="lfo"):
        PatternModel.from_json(doc)


def test_render_puts_one_layer_per_line_in_a_stack() -> None:
    model = generate_pattern(MusicDNA(primary_genre=Genre.HOUSE, complexity=8)).model
    lines = render_code(model).splitlines()
    assert lines[1] == f"setcpm({model.bpm}/4)"
    start = lines.index("stack(")
    body = lines[start + 1 : lines.index(")")]
    assert len(body) == len(model.layers)
    assert all(line.startswith(("  s(", "  n(")) for line in body)
    assert all(
        line.endswith(f"// {layer.name}") for line, layer in zip(body, model.layers, strict=True)
    )


def test_grid_writing_is_compact() -> None:
    assert bar(["bd", "~", "~", "~"] * 4) == "bd*4"
    assert bar(["hh"] * 16) == "hh*16"
    assert bar(["~", "~", "oh", "~"] * 4) == "[~ oh]*4"
    assert bar(["bd", "~", "~", "~", "~", "~", "~", "~"] * 2) == "bd ~ bd ~"
    assert bars(["a b", "a b", "c d", "a b"]) == "<[a b]!2 [c d] [a b]>"
    assert bars(["x", "x"]) == "x"
    assert weighted(["0", "_", "_", "_", "~", "~", "7", "_"]) == "0@2 ~ 7"


@pytest.mark.parametrize("genre", list(Genre))
def test_the_master_fader_counts_every_note_that_sounds(genre: Genre) -> None:
    # a chord layer sounds four or five notes at once: the clipping guard counts each of them
    for mood in Mood:
        for energy, complexity in ((2, 9), (9, 9), (5, 5)):
            dna = MusicDNA(
                primary_genre=genre, preferred_mood=mood, energy_level=energy,
                complexity=complexity,
            )  # fmt: skip
            model = generate_pattern(dna, energy * 31 + complexity).model
            sounding = sum(layer.gain * voices(layer.pattern) for layer in model.layers)
            assert sounding * model.mix <= MAX_TOTAL_GAIN + 0.01, (genre, mood, energy)


def test_voices_are_read_from_the_mini_notation() -> None:
    assert voices("<[0,2,4,6,8]!2 [3,5,7,9,11]!2>") == 5
    assert voices("<0!2 3!2>") == 1
    assert voices("[bd,sd] hh*2") == 2
