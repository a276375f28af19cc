"""Plain-language description of a pattern model for people, not for the engine."""

from __future__ import annotations

import re

from notalabel.engine.pattern.model import Layer, PatternModel, Role

_NAMES: dict[str, str] = {
    "piano": "piano",
    "gm_epiano1": "Rhodes",
    "gm_epiano2": "FM electric piano",
    "gm_electric_guitar_jazz": "jazz guitar",
    "gm_electric_guitar_clean": "clean guitar",
    "gm_acoustic_guitar_nylon": "nylon guitar",
    "gm_acoustic_guitar_steel": "acoustic guitar",
    "gm_acoustic_bass": "upright bass",
    "gm_electric_bass_finger": "electric bass",
    "gm_electric_bass_pick": "picked bass",
    "gm_synth_bass_1": "synth bass",
    "gm_drawbar_organ": "organ",
    "gm_string_ensemble_1": "strings",
    "gm_string_ensemble_2": "soft strings",
    "gm_synth_strings_1": "synth strings",
    "gm_choir_aahs": "choir",
    "gm_tubular_bells": "bells",
    "supersaw": "supersaw",
    "sawtooth": "saw synth",
    "square": "square synth",
    "triangle": "triangle synth",
    "sine": "sine",
    "gm_pad_poly": "polysynth",
    "gm_pad_new_age": "new-age",
    "gm_lead_1_square": "square lead",
    "gm_lead_2_sawtooth": "sawtooth lead",
}
_ROLL = re.compile(r"\[[^\]]*\*[34]")
_CHORD_SIZES = {3: "triads", 4: "seventh chords", 5: "ninth chords"}


def sound_name(sound: str) -> str:
    """A readable instrument name, e.g. gm_music_box -> "music box"."""
    known = _NAMES.get(sound)
    if known:
        return known
    return sound.removeprefix("gm_").removeprefix("pad_").replace("_", " ")


def _a(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou8" else "a ") + phrase


def _drums(layers: list[Layer]) -> str | None:
    if not layers:
        return None
    voices = ", ".join(layer.name for layer in layers)
    # a ratchet is a repeated hit inside one step: "[hh hh*3 ...]"
    rolls = any(_ROLL.search(layer.pattern) for layer in layers if layer.name == "hats")
    banks = sorted({layer.bank for layer in layers if layer.bank})
    kit = banks[0] if banks else "drum"
    extra = " with hat rolls" if rolls else ""
    return f"{kit} drums ({voices}){extra}"


def _pitched(layer: Layer) -> str:
    name = sound_name(layer.sound)
    if layer.role is Role.BASS:
        if layer.name == "808 bass":
            return "an 808 sub bass"
        return _a(f"{name} line" if name.endswith("bass") else f"{name} bass line")
    if layer.role is Role.CHORDS:
        size = layer.pattern.split("]", 1)[0].count(",") + 1
        return f"{name} {_CHORD_SIZES.get(size, 'chords')}"
    if layer.role is Role.PAD:
        return _a(f"{name} pad")
    if layer.name == "harmony":
        return f"{name} answering a third above"
    return _a(f"{name} melody")


def describe(model: PatternModel) -> str:
    """One or two sentences naming genre, mood, key, tempo and the main elements."""
    s = model.settings
    drums = [layer for layer in model.layers if layer.role is Role.DRUMS]
    parts = [_drums(drums) or "no drums"]
    parts += [_pitched(layer) for layer in model.layers if layer.octave is not None]
    textures = [layer.name for layer in model.layers if layer.role is Role.TEXTURE]
    if textures:
        parts.append(" and ".join(textures) + " in the background")
    head = (
        f"{s.genre.value.capitalize()} pattern, {s.mood.value}, in {model.key} at {model.bpm} bpm"
    )
    return f"{head}: " + ", ".join(parts) + "."
