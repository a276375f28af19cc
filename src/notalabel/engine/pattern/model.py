"""The pattern data model: settings, layers and effects, with a strict JSON round-trip."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

from notalabel.engine.pattern.theory import MODES, ROOTS
from notalabel.engine.vocabulary import Genre, Mood

_E = TypeVar("_E", bound=StrEnum)
_UNSAFE = frozenset('"`\\\n\r')
# Signals strudel.cc knows by name; an LFO shape is written into code as an identifier.
LFO_SHAPES: tuple[str, ...] = ("sine", "cosine", "saw", "isaw", "tri", "square", "perlin")


class Role(StrEnum):
    """What a layer does in the arrangement."""

    DRUMS = "drums"
    BASS = "bass"
    CHORDS = "chords"
    PAD = "pad"
    MELODY = "melody"
    TEXTURE = "texture"


@dataclass(frozen=True, slots=True)
class Lfo:
    """A slow continuous modulation, rendered as e.g. `sine.range(200, 1600).fast(2)`."""

    shape: str
    low: float
    high: float
    rate: float  # cycles per bar; below 1 means `.slow(1 / rate)`


EffectValue = float | str | Lfo


@dataclass(frozen=True, slots=True)
class Effect:
    """One Strudel control call; a string value is mini-notation."""

    name: str
    value: EffectValue


@lru_cache(maxsize=8192)
def fx(name: str, value: EffectValue) -> Effect:
    """An interned Effect: builds reuse the same few hundred, and creating them is not free."""
    return Effect(name, value)


@dataclass(frozen=True, slots=True)
class Layer:
    """One line of the stack: a drum voice (samples) or a pitched part (scale degrees)."""

    role: Role
    name: str
    sound: str
    pattern: str  # mini-notation: sample names for drums and textures, scale degrees otherwise
    gain: float
    bank: str | None = None
    rhythm: str | None = None  # optional `struct` mask for pitched parts
    octave: int | None = None  # pitched parts only: the register the degrees sit in
    swing: int = 0  # swing subdivision per bar (4 = eighths, 8 = sixteenths), 0 = straight
    effects: tuple[Effect, ...] = ()

    @property
    def pitched(self) -> bool:
        """True when the pattern holds scale degrees rather than sample names."""
        return self.octave is not None


LEGACY_SWING = 1 / 6

# How far refinements may push each setting; repeated feedback ("faster" x 20) stops here.
TEMPO_STEPS = (-4, 4)
BRIGHTNESS_STEPS = (-3, 3)
BASS_STEPS = (-2, 3)
SPACE_STEPS = (0, 3)
MELODY_STEPS = (0, 2)


@dataclass(frozen=True, slots=True)
class Settings:
    """The DNA-like parameters a pattern is rebuilt from, plus accumulated refinements."""

    genre: Genre
    mood: Mood
    energy: int
    complexity: int
    seed: int
    keywords: tuple[str, ...] = ()
    tempo_shift: int = 0
    brightness: int = 0
    bass: int = 0
    space: int = 0
    melody: int = 0


@dataclass(frozen=True, slots=True)
class PatternModel:
    """A complete pattern: tempo, key and layers, plus the settings that produced it."""

    settings: Settings
    bpm: int
    root: str
    scale: str
    layers: tuple[Layer, ...]
    mix: float = 1.0  # master level: each layer plays at gain * mix, keeping the sum unclipped
    # how late swung off-beats land, as swingBy's first argument: 1/3 is a triplet shuffle
    # (off-beats at 2/3 of the subdivision), 1/6 a light 58 % swing
    swing: float = 0.0

    @property
    def key(self) -> str:
        """Human key name such as "F# dorian"."""
        return f"{self.root} {self.scale}"

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-safe document that `from_json` turns back into an equal model."""
        s = self.settings
        return {
            "settings": {
                "genre": s.genre.value,
                "mood": s.mood.value,
                "energy": s.energy,
                "complexity": s.complexity,
                "seed": s.seed,
                "keywords": list(s.keywords),
                "tempoShift": s.tempo_shift,
                "brightness": s.brightness,
                "bass": s.bass,
                "space": s.space,
                "melody": s.melody,
            },
            "bpm": self.bpm,
            "root": self.root,
            "scale": self.scale,
            "layers": [_layer_json(layer) for layer in self.layers],
            "mix": self.mix,
            "swing": self.swing,
        }

    @classmethod
    def from_json(cls, data: Any) -> PatternModel:
        """Rebuild a model from `to_json` output; raise ValueError on anything malformed."""
        doc = _dict(data, "model")
        raw = _dict(doc.get("settings"), "settings")
        settings = Settings(
            genre=_enum(Genre, raw.get("genre"), "genre"),
            mood=_enum(Mood, raw.get("mood"), "mood"),
            energy=_int(raw.get("energy"), "energy", 1, 10),
            complexity=_int(raw.get("complexity"), "complexity", 1, 10),
            seed=_int(raw.get("seed"), "seed"),
            keywords=tuple(_str(k, "keyword") for k in _list(raw.get("keywords"), "keywords")),
            tempo_shift=_int(raw.get("tempoShift", 0), "tempoShift", *TEMPO_STEPS),
            brightness=_int(raw.get("brightness", 0), "brightness", *BRIGHTNESS_STEPS),
            bass=_int(raw.get("bass", 0), "bass", *BASS_STEPS),
            space=_int(raw.get("space", 0), "space", *SPACE_STEPS),
            melody=_int(raw.get("melody", 0), "melody", *MELODY_STEPS),
        )
        layers = tuple(_layer_from(item) for item in _list(doc.get("layers"), "layers"))
        if not layers:
            raise ValueError("a pattern needs at least one layer")
        return cls(
            settings=settings,
            bpm=_int(doc.get("bpm"), "bpm", 20, 400),
            root=_choice(doc.get("root"), ROOTS, "root"),
            scale=_choice(doc.get("scale"), MODES, "scale"),
            layers=layers,
            mix=_float(doc.get("mix", 1.0), "mix", 0.01, 1.0),
            # models stored before the amount was kept were all rendered with 1/6
            swing=_float(doc.get("swing", LEGACY_SWING), "swing", 0.0, 0.5),
        )


def _layer_json(layer: Layer) -> dict[str, Any]:
    return {
        "role": layer.role.value,
        "name": layer.name,
        "sound": layer.sound,
        "pattern": layer.pattern,
        "gain": layer.gain,
        "bank": layer.bank,
        "rhythm": layer.rhythm,
        "octave": layer.octave,
        "swing": layer.swing,
        "effects": [_effect_json(e) for e in layer.effects],
    }


def _effect_json(effect: Effect) -> dict[str, Any]:
    value = effect.value
    if isinstance(value, Lfo):
        lfo = {"shape": value.shape, "low": value.low, "high": value.high, "rate": value.rate}
        return {"name": effect.name, "lfo": lfo}
    return {"name": effect.name, "value": value}


def _layer_from(data: Any) -> Layer:
    doc = _dict(data, "layer")
    bank, rhythm, octave = doc.get("bank"), doc.get("rhythm"), doc.get("octave")
    return Layer(
        role=_enum(Role, doc.get("role"), "role"),
        name=_code(doc.get("name"), "name"),
        sound=_code(doc.get("sound"), "sound"),
        pattern=_code(doc.get("pattern"), "pattern"),
        gain=_float(doc.get("gain"), "gain", 0.0, 2.0),
        bank=None if bank is None else _code(bank, "bank"),
        rhythm=None if rhythm is None else _code(rhythm, "rhythm"),
        octave=None if octave is None else _int(octave, "octave", -2, 9),
        swing=_int(doc.get("swing", 0), "swing", 0, 64),
        effects=tuple(_effect_from(e) for e in _list(doc.get("effects", []), "effects")),
    )


def _effect_from(data: Any) -> Effect:
    doc = _dict(data, "effect")
    name = _str(doc.get("name"), "effect name")
    if not name.isidentifier():
        raise ValueError(f"invalid effect name {name!r}")
    if "lfo" in doc:
        lfo = _dict(doc["lfo"], "lfo")
        return Effect(
            name,
            Lfo(
                shape=_choice(lfo.get("shape"), LFO_SHAPES, "lfo shape"),
                low=_float(lfo.get("low"), "lfo low"),
                high=_float(lfo.get("high"), "lfo high"),
                rate=_float(lfo.get("rate"), "lfo rate"),
            ),
        )
    value = doc.get("value")
    if isinstance(value, str):
        return Effect(name, _code(value, "effect value"))
    return Effect(name, _float(value, "effect value"))


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string")
    return value


def _code(value: Any, what: str) -> str:
    # these strings are pasted into code and share links: nothing may close a string or line
    text = _str(value, what)
    if any(ch in _UNSAFE for ch in text):
        raise ValueError(f"{what} contains characters not allowed in Strudel strings")
    return text


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what}: {value!r}")
    return str(value)


def _int(value: Any, what: str, low: int | None = None, high: int | None = None) -> int:
    # bool is an int subclass; a stored `true` is corruption, not a number
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{what} out of range: {value}")
    return value


def _float(value: Any, what: str, low: float | None = None, high: float | None = None) -> float:
    # NaN and infinity are valid Python floats but not JSON, and not gains
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a number")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{what} out of range: {value}")
    return float(value)


def _enum(enum: type[_E], value: Any, what: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"unknown {what}: {value!r}") from None
