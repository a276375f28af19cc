"""Build a complete pattern model from settings; the same settings always give the same model."""

from __future__ import annotations

import re
from dataclasses import replace

from notalabel.engine.pattern.context import Context, Tone, choose, clamp, part_stream
from notalabel.engine.pattern.drums import drum_layers
from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.pattern.harmony import bass_layer, bass_octave, chord_layer, pad_layer
from notalabel.engine.pattern.kits import KITS
from notalabel.engine.pattern.melody import melody_layers
from notalabel.engine.pattern.model import Layer, PatternModel, Settings
from notalabel.engine.pattern.moods import MOODS
from notalabel.engine.pattern.sounds import (
    CHORD_KEYWORDS,
    LEAD_KEYWORDS,
    PAD_KEYWORDS,
    pick,
    texture_layers,
)
from notalabel.engine.pattern.theory import midi, progression_cycle, shift_mode, tempo
from notalabel.engine.pattern.voicing import floor_over
from notalabel.engine.vocabulary import GENRE_FOR_MOOD, SOUND_KEYWORDS, Genre, Mood, MusicDNA

MAX_TOTAL_GAIN = 3.2  # summed layer gains above this start to clip in superdough


def settings_from_dna(dna: MusicDNA, seed: int) -> Settings:
    """Read the parameters a pattern needs from DNA, filling in genre and mood defaults."""
    genre = dna.primary_genre or (dna.sub_genres[0] if dna.sub_genres else None)
    mood = dna.preferred_mood or (dna.moods[0] if dna.moods else None)
    if genre is None:
        genre = GENRE_FOR_MOOD[mood] if mood else Genre.LOFI
    words = (word.strip().lower() for word in dna.keywords)
    return Settings(
        genre=genre,
        mood=mood or RECIPES[genre].mood,
        energy=int(clamp(dna.energy_level, 1, 10)),
        complexity=int(clamp(dna.complexity, 1, 10)),
        seed=seed,
        keywords=tuple(dict.fromkeys(w for w in words if w in SOUND_KEYWORDS)),
    )


def build_model(s: Settings) -> PatternModel:
    """Arrange drums, bass, harmony, melody and textures for the given settings."""
    recipe, profile, kit = RECIPES[s.genre], MOODS[s.mood], KITS[s.genre]
    # the arrangement stream takes a fixed number of draws; every part below has its own
    rng = part_stream(s, "arrangement")
    root = choose(rng, recipe.roots)
    chosen = choose(rng, recipe.progressions)
    turn = int(rng.random() * len(chosen))
    # a loop may start on any of its chords: the same harmony, a different first bar
    progression = chosen[turn:] + chosen[:turn]
    jitter = rng.randint(-2, 2)
    keywords = s.keywords
    bank = choose(rng, kit.banks)
    bank = "RolandTR808" if "808" in keywords else bank
    chord_sound = choose(rng, recipe.chord_sounds)
    chord_sound = pick(keywords, CHORD_KEYWORDS) or chord_sound
    mode = shift_mode(profile.mode, s.brightness)
    ctx = Context(
        settings=s,
        recipe=recipe,
        kit=kit,
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
        key_root=root,
        mode=mode,
    )
    sub = recipe.sub or "808" in keywords
    # each chord stays above the bass note under it (the bass plays every bar's root first)
    low = bass_octave(ctx, sub)
    floors = {degree: floor_over(midi(root, low, mode, degree)) for degree in range(7)}
    layers = drum_layers(ctx, bank)
    layers += (bass_layer(ctx, sub), chord_layer(ctx, chord_sound, progression, floors))
    pad_sound = pick(keywords, PAD_KEYWORDS)
    wants_pad = s.complexity >= 7 or (profile.pad and s.complexity >= 3) or s.space >= 1
    if pad_sound or (wants_pad and recipe.pad_sound != chord_sound):
        layers.append(pad_layer(ctx, pad_sound or recipe.pad_sound, floors))
    lead = pick(keywords, LEAD_KEYWORDS)
    melodic = s.mood is Mood.MELODIC and s.complexity >= 3
    # "add a melody" adds a voice to what is there: a lead, then a harmony, then a counter-line
    voices = min(3, (bool(lead) or s.complexity >= 5 or melodic) + s.melody)
    if voices:
        melody_rng = ctx.stream("melody")
        sound = lead or choose(melody_rng, recipe.lead_sounds)
        others = [x for x in recipe.lead_sounds if x != sound] or [sound]
        second = choose(melody_rng, others)
        third = next((x for x in others if x != second), second)
        layers += melody_layers(ctx, (sound, second, third), melody_rng, voices)
    layers += texture_layers(keywords, s.space)
    if kit.swing:
        # a groove swings together: a straight kick under swung hats is a flam, not a feel
        layers = [replace(layer, swing=kit.swing) for layer in layers]
    return PatternModel(
        settings=s,
        bpm=ctx.bpm,
        root=root,
        scale=mode,
        layers=tuple(layers),
        mix=_mix(layers),
        swing=kit.swing_amount if kit.swing else 0.0,
    )


def _mix(layers: list[Layer]) -> float:
    # a master fader rather than rewriting every layer: cheaper, and the balance stays readable
    total = sum(layer.gain * voices(layer.pattern) for layer in layers)
    return 1.0 if total <= MAX_TOTAL_GAIN else round(MAX_TOTAL_GAIN / total, 3)


def voices(pattern: str) -> int:
    """The most notes a layer's mini-notation sounds at once ("[0,2,4,6]" is four)."""
    groups = re.findall(r"\[([^\[\]]*)\]", pattern)
    return max((group.count(",") + 1 for group in groups), default=1)
