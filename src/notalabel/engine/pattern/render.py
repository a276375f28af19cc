"""The one renderer: a pattern model becomes readable Strudel code, one layer per line."""

from __future__ import annotations

from functools import lru_cache

from notalabel.engine.pattern.model import Effect, Layer, Lfo, PatternModel
from notalabel.engine.pattern.theory import strudel_scale


def number(value: float) -> str:
    """Short JavaScript number literal: 800 not 800.0, 0.35 not 0.35000001."""
    text = f"{value:.4g}" if abs(value) < 10_000 else f"{round(value)}"
    return text if "e" not in text else f"{value:.4f}".rstrip("0").rstrip(".")


def _lfo(lfo: Lfo) -> str:
    text = f"{lfo.shape}.range({number(lfo.low)}, {number(lfo.high)})"
    if lfo.rate > 1:
        return f"{text}.fast({number(lfo.rate)})"
    if lfo.rate < 1:
        return f"{text}.slow({number(1 / lfo.rate)})"
    return text


@lru_cache(maxsize=8192)
def _effect(effect: Effect) -> str:
    # effects are interned and recur across builds, so their text is worth remembering
    value = effect.value
    if isinstance(value, Lfo):
        return f".{effect.name}({_lfo(value)})"
    if isinstance(value, str):
        return f'.{effect.name}("{value}")'
    return f".{effect.name}({number(value)})"


def render_layer(layer: Layer, model: PatternModel) -> str:
    """One layer as a chain of Strudel calls."""
    parts: list[str]
    if layer.octave is None:
        parts = [f's("{layer.pattern}")']
        if layer.bank:
            parts.append(f'.bank("{layer.bank}")')
    else:
        parts = [f'n("{layer.pattern}")']
        if layer.rhythm:
            parts.append(f'.struct("{layer.rhythm}")')
        parts.append(f'.scale("{strudel_scale(model.root, layer.octave, model.scale)}")')
        parts.append(f'.s("{layer.sound}")')
    parts.extend(_effect(effect) for effect in layer.effects)
    if layer.swing and model.swing:
        # every layer of a groove swings by the same amount (the model's), or none does
        parts.append(f".swingBy({number(model.swing)}, {layer.swing})")
    parts.append(f".gain({number(round(layer.gain * model.mix, 2))})")
    return "".join(parts)


def render_code(model: PatternModel) -> str:
    """Strudel code for a model: a header comment, `setcpm`, then a `stack` of layers."""
    s = model.settings
    lines = [
        f"// {s.genre.value} · {s.mood.value} · {model.key} · {model.bpm} bpm",
        f"setcpm({model.bpm}/4)",
        "",
        "stack(",
    ]
    last = len(model.layers) - 1
    for index, layer in enumerate(model.layers):
        comma = "," if index < last else ""
        lines.append(f"  {render_layer(layer, model)}{comma} // {layer.name}")
    lines.append(")")
    return "\n".join(lines) + "\n"
