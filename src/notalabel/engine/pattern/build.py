"""Build a complete pattern model from settings; the same settings always give the same model."""

from __future__ import annotations

import re
from random import Random

from notalabel.engine.pattern.context import Context, Tone, choose, clamp
from notalabel.engine.pattern.drums import drum_layers
from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.pattern.harmony import bass_layer, chord_layer, pad_layer
from notalabel.engine.pattern.kits import KITS
from notalabel.engine.pattern.melody import melody_layers
from notalabel.engine.pattern.model import Layer, PatternModel, Settings
from notalabel.engine.pattern.moods import GENRE_FOR_MOOD, MOODS
from notalabel.engine.pattern.sounds import (
    CHORD_KEYWORDS,
    LEAD_KEYWORDS,
    PAD_KEYWORDS,
    pick,
    texture_layers,
)
from notalabel.engine.pattern.theory import progression_cycle, shift_mode, tempo
from notalabel.engine.vocabulary import SOUND_KEYWORDS, Genre, Mood, MusicDNA

_GENRE_INDEX = {genre: index for index, genre in enumerate(Genre)}
MAX_TOTAL_GAIN = 3.2  # summed layer gains above this start to clip in superdough
_ARRANGEMENT, _MELODY = range(2)


def settings_from_dna(dna: MusicDNA, seed: int) -> Settings:
    """Read the parameters a pattern needs from DNA, filling in genre and mood defaults."""
    genre = dna.primary_genre or (dna.sub_genres[0] if dna.sub_genres else None)
    mood = dna.preferred_mood or (dna.moods[0] if dna.moods else None)
    if genre is None:
        genre = Genre(GENRE_FOR_MOOD[mood]) if mood else Genre.LOFI
    words = (word.strip().lower() for word in dna.keywords)
    return Settings(
        genre=genre,
        mood=mood or RECIPES[genre].mood,
        energy=int(clamp(dna.energy_level, 1, 10)),
        complexity=int(clamp(dna.complexity, 1, 10)),
        seed=seed,
        keywords=tuple(dict.fromkeys(w for w in words if w in SOUND_KEYWORDS)),
    )


def _rng(settings: Settings, part: int) -> Random:
    # the melody has its own stream, so adding one never reshuffles the arrangement;
    # odd 64-bit multipliers spread neighbouring seeds apart (MT's first draws correlate)
    mixed = (
        settings.seed * 0x9E3779B97F4A7C15
        + _GENRE_INDEX[settings.genre] * 0xBF58476D1CE4E5B9
        + part * 0x94D049BB133111EB
    ) & 0xFFFFFFFFFFFFFFFF
    # musical variation, not security: a seeded PRNG is exactly what is wanted
    return Random(mixed)  # noqa: S311


def build_model(s: Settings) -> PatternModel:
    """Arrange drums, bass, harmony, melody and textures for the given settings."""
    recipe, profile = RECIPES[s.genre], MOODS[s.mood]
    # choices with a fixed number of draws come first, so energy or complexity changes
    # (which change how many draws the drums take) never swap the key or the instruments
    rng = _rng(s, _ARRANGEMENT)
    root = choose(rng, recipe.roots)
    progression = choose(rng, recipe.progressions)
    jitter = rng.randint(-2, 2)
    keywords = s.keywords
    bank = "RolandTR808" if "808" in keywords else choose(rng, KITS[s.genre].banks)
    chord_sound = pick(keywords, CHORD_KEYWORDS) or choose(rng, recipe.chord_sounds)
    ctx = Context(
        settings=s,
        recipe=recipe,
        kit=KITS[s.genre],
        roots=tuple(progression_cycle(progression, recipe.bars_per_chord)),
        bpm=tempo(*recipe.tempo, s.energy, jitter, s.tempo_shift),
        tone=Tone(
            cutoff=profile.cutoff * 1.25**s.brightness * 0.85**s.space,
            room=profile.room + 0.12 * s.space,
            delay=profile.delay + 0.1 * s.space,
            gain=profile.gain * (0.85 + 0.025 * s.energy),
            register=profile.register,
            drive=profile.drive,
        ),
        busy=int(clamp(s.energy + round((profile.density - 1) * 5), 1, 10)),
    )
    chords = chord_layer(ctx, chord_sound, rng)
    bass = bass_layer(ctx, recipe.sub or "808" in keywords, rng)
    layers = drum_layers(ctx, bank, rng)
    layers += (bass, chords)
    pad_sound = pick(keywords, PAD_KEYWORDS)
    wants_pad = s.complexity >= 7 or (profile.pad and s.complexity >= 3) or s.space >= 1
    if pad_sound or (wants_pad and recipe.pad_sound != chord_sound):
        layers.append(pad_layer(ctx.roots, pad_sound or recipe.pad_sound, ctx.tone))
    lead = pick(keywords, LEAD_KEYWORDS)
    melodic = s.mood is Mood.MELODIC and s.complexity >= 3
    if lead or s.melody >= 1 or s.complexity >= 5 or melodic:
        melody_rng = _rng(s, _MELODY)
        sound = lead or choose(melody_rng, recipe.lead_sounds)
        others = [x for x in recipe.lead_sounds if x != sound] or [sound]
        layers += melody_layers(ctx, sound, choose(melody_rng, others), melody_rng)
    layers += texture_layers(keywords, s.space)
    return PatternModel(
        settings=s,
        bpm=ctx.bpm,
        root=root,
        scale=shift_mode(profile.mode, s.brightness),
        layers=tuple(layers),
        mix=_mix(layers),
    )


def _mix(layers: list[Layer]) -> float:
    # a master fader rather than rewriting every layer: cheaper, and the balance stays readable
    total = sum(layer.gain * voices(layer.pattern) for layer in layers)
    return 1.0 if total <= MAX_TOTAL_GAIN else round(MAX_TOTAL_GAIN / total, 3)


def voices(pattern: str) -> int:
    """The most notes a layer's mini-notation sounds at once ("[0,2,4,6]" is four)."""
    groups = re.findall(r"\[([^\[\]]*)\]", pattern)
    return max((group.count(",") + 1 for group in groups), default=1)
