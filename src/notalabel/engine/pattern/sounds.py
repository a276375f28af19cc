"""Sound keywords: which instrument each one brings in, and the ambience textures."""

from __future__ import annotations

from dataclasses import replace

from notalabel.engine.pattern.model import Effect, Layer, Lfo, Role, fx

# Instrument keywords replace the genre's choice for one part; the first keyword wins.
CHORD_KEYWORDS: dict[str, str] = {
    "piano": "piano",
    "rhodes": "gm_epiano1",
    "guitar": "gm_acoustic_guitar_nylon",
}
PAD_KEYWORDS: dict[str, str] = {
    "strings": "gm_string_ensemble_1",
    "choir": "gm_choir_aahs",
}
LEAD_KEYWORDS: dict[str, str] = {
    "bells": "gm_tubular_bells",
    "flute": "gm_flute",
    "sax": "gm_alto_sax",
    "synth": "sawtooth",
}


def pick(keywords: tuple[str, ...], table: dict[str, str]) -> str | None:
    """The sound of the first keyword found in `table`, if any."""
    for word in keywords:
        if word in table:
            return table[word]
    return None


def _texture(name: str, sound: str, pattern: str, gain: float, *fx: Effect) -> Layer:
    return Layer(Role.TEXTURE, name, sound, pattern, gain, effects=fx)


# Filtered noise and crackle from superdough's built-in synths: no samples to load.
TEXTURES: dict[str, Layer] = {
    "rain": _texture(
        "rain",
        "pink",
        "pink",
        0.07,
        fx("hpf", 1800.0),
        fx("lpf", 7000.0),
        fx("attack", 0.4),
        fx("release", 0.4),
    ),
    "vinyl": _texture("vinyl crackle", "crackle", "crackle*2", 0.22, fx("density", 0.06)),
    "ocean": _texture(
        "ocean waves",
        "brown",
        "brown",
        0.14,
        fx("lpf", Lfo("sine", 250.0, 1100.0, 0.125)),
        fx("attack", 1.5),
        fx("release", 1.5),
    ),
    "wind": _texture(
        "wind",
        "pink",
        "pink",
        0.06,
        fx("bandf", Lfo("sine", 400.0, 1600.0, 0.25)),
        fx("attack", 1.0),
        fx("release", 1.0),
    ),
}


def texture_layers(keywords: tuple[str, ...], space: int) -> list[Layer]:
    """One ambience layer per texture keyword, with more room as the pattern gets dreamier."""
    layers: list[Layer] = []
    for word in dict.fromkeys(keywords):
        layer = TEXTURES.get(word)
        if layer is None:
            continue
        if space > 0:
            room = fx("room", round(min(0.9, 0.3 + 0.15 * space), 2))
            layer = replace(layer, effects=(*layer.effects, room))
        layers.append(layer)
    return layers
