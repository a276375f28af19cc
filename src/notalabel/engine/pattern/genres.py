"""Per-genre recipes: tempo range, default mood, keys, bass style, harmony and lead sounds."""

from __future__ import annotations

from dataclasses import dataclass

from notalabel.engine.pattern.theory import ROOTS
from notalabel.engine.vocabulary import Genre, Mood


@dataclass(frozen=True, slots=True)
class Recipe:
    """Everything except drums that makes a genre sound like itself."""

    tempo: tuple[int, int]
    mood: Mood
    roots: tuple[str, ...]
    bass_sound: str
    # bass grids: x root, o octave, f fifth, a approach to the next chord, - hold
    bass_grids: tuple[str, ...]
    bass_cutoff: int
    chord_sounds: tuple[str, ...]
    chord_rhythms: tuple[str, ...]  # `struct` masks for one bar; "" holds the chord
    progressions: tuple[tuple[int, ...], ...]
    pad_sound: str
    lead_sounds: tuple[str, ...]
    cutoff: int  # chord and lead brightness before mood and refinements
    bass_octave: int = 2
    chord_size: int = 3  # 3 triads, 4 sevenths, 5 ninths
    melody_density: float = 0.5
    bars_per_chord: int = 1
    walking: bool = False  # jazz: a new bass note on every beat
    wobble: bool = False  # dubstep: the bass filter is swept by an LFO
    sub: bool = False  # 808-style sine bass with drive and a long decay


_MINOR = ("C", "D", "Eb", "F", "G", "A", "Bb")
_ALL = ROOTS

RECIPES: dict[Genre, Recipe] = {
    Genre.LOFI: Recipe(
        tempo=(70, 90),
        mood=Mood.CHILL,
        roots=_MINOR,
        bass_sound="gm_electric_bass_finger",
        bass_grids=("x.......x.....x.", "x.....x...x.....", "x.......f...x..a"),
        bass_cutoff=700,
        chord_sounds=("gm_epiano1", "piano", "gm_electric_guitar_jazz"),
        chord_rhythms=("", "x ~ ~ [~ x] ~ ~ ~ ~", "x ~ ~ ~ ~ ~ [~ x] ~"),
        chord_size=4,
        progressions=((1, 4, 0, 5), (0, 5, 1, 4), (3, 2, 1, 0), (0, 3, 1, 4)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_vibraphone", "piano", "gm_music_box"),
        cutoff=1800,
        melody_density=0.45,
    ),
    Genre.HIPHOP: Recipe(
        tempo=(84, 98),
        mood=Mood.MELANCHOLIC,
        roots=_MINOR,
        bass_sound="gm_electric_bass_finger",
        bass_grids=("x......xx.x.....", "x.........x.....", "x.....x.x.....x."),
        bass_cutoff=650,
        chord_sounds=("piano", "gm_epiano2", "gm_string_ensemble_1"),
        chord_rhythms=("", "x ~ ~ ~ ~ ~ x ~"),
        chord_size=4,
        progressions=((0, 5, 3, 4), (0, 3, 0, 4), (0, 6, 5, 6)),
        pad_sound="gm_string_ensemble_1",
        lead_sounds=("gm_flute", "piano", "gm_vibraphone"),
        cutoff=2200,
        melody_density=0.4,
    ),
    Genre.TRAP: Recipe(
        tempo=(130, 150),
        mood=Mood.DARK,
        roots=("C#", "D", "F", "F#", "G", "A"),
        bass_sound="sine",
        bass_grids=("x......x..x.....", "x.....x...x..x..", "x------x--o-----"),
        bass_octave=1,
        bass_cutoff=300,
        chord_sounds=("gm_string_ensemble_1", "piano", "gm_pad_bowed"),
        chord_rhythms=("",),
        progressions=((0, 5, 6, 4), (0, 0, 5, 4), (0, 3, 5, 4)),
        pad_sound="gm_pad_halo",
        lead_sounds=("gm_music_box", "gm_glockenspiel", "gm_pizzicato_strings", "gm_flute"),
        cutoff=2500,
        sub=True,
    ),
    Genre.DRILL: Recipe(
        tempo=(138, 146),
        mood=Mood.AGGRESSIVE,
        roots=("C#", "D", "E", "F", "F#", "G"),
        bass_sound="sine",
        bass_grids=("x.....x...o.....", "x........x..x...", "x---------x--o--"),
        bass_octave=1,
        bass_cutoff=320,
        chord_sounds=("gm_string_ensemble_1", "gm_choir_aahs", "piano"),
        chord_rhythms=("",),
        progressions=((0, 1, 0, 5), (0, 5, 6, 5), (0, 3, 1, 0)),
        pad_sound="gm_pad_choir",
        lead_sounds=("piano", "gm_pizzicato_strings", "gm_flute", "gm_celesta"),
        cutoff=2000,
        sub=True,
    ),
    Genre.HOUSE: Recipe(
        tempo=(120, 126),
        mood=Mood.UPBEAT,
        roots=_ALL,
        bass_sound="sawtooth",
        bass_grids=("..x...x...x...x.", "..x..xx...x..x.x", "x.x...x.x.x...x."),
        bass_cutoff=600,
        chord_sounds=("piano", "gm_drawbar_organ", "gm_epiano1"),
        chord_rhythms=("[~ x]*4", "x ~ ~ x ~ ~ x ~", "~ x ~ [~ x] ~ x ~ ~"),
        chord_size=4,
        progressions=((0, 0, 3, 3), (0, 5, 3, 4), (0, 6, 5, 6)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_vibraphone", "piano", "gm_lead_2_sawtooth"),
        cutoff=2600,
        melody_density=0.45,
    ),
    Genre.TECHNO: Recipe(
        tempo=(125, 138),
        mood=Mood.ENERGETIC,
        roots=("C", "D", "E", "F", "G", "A"),
        bass_sound="sawtooth",
        bass_grids=("x.xx.xx.x.xx.xx.", "..x...x...x...x.", "xx.xx.xx.xx.x.x."),
        bass_cutoff=500,
        chord_sounds=("supersaw", "gm_pad_poly", "sawtooth"),
        chord_rhythms=("[~ x] ~ [~ x] ~", "~ ~ ~ x", "[~ x]*4"),
        progressions=((0, 0, 0, 0), (0, 0, 5, 5), (0, 6, 0, 5)),
        pad_sound="gm_pad_sweep",
        lead_sounds=("square", "gm_lead_1_square", "sawtooth"),
        cutoff=1500,
    ),
    Genre.AMBIENT: Recipe(
        tempo=(60, 84),
        mood=Mood.DREAMY,
        roots=_ALL,
        bass_sound="sine",
        bass_grids=("x---------------", "x-------f-------"),
        bass_cutoff=400,
        chord_sounds=(
            "gm_pad_new_age",
            "gm_pad_halo",
            "gm_string_ensemble_2",
            "gm_pad_choir",
            "gm_pad_bowed",
            "gm_synth_strings_1",
        ),
        chord_rhythms=("",),
        chord_size=5,
        # slow loops that float rather than resolve: I-IV, I-V, the lydian I-II, I-iii-IV
        progressions=((0, 3, 0, 5), (0, 4, 5, 3), (0, 1, 0, 1), (0, 2, 3, 2), (5, 3, 0, 0)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_celesta", "gm_music_box", "gm_kalimba"),
        cutoff=1600,
        melody_density=0.3,
        bars_per_chord=2,
    ),
    Genre.DRUM_AND_BASS: Recipe(
        tempo=(170, 176),
        mood=Mood.ENERGETIC,
        roots=("C", "D", "E", "F", "G", "A"),
        bass_sound="sawtooth",
        bass_grids=("x-------..x-----", "x.......x.......", "x-----x---x-----"),
        bass_octave=1,
        bass_cutoff=450,
        chord_sounds=("gm_pad_warm", "gm_string_ensemble_1", "gm_epiano1"),
        chord_rhythms=("",),
        chord_size=4,
        progressions=((0, 5, 3, 4), (0, 6, 5, 6), (1, 4, 0, 0)),
        pad_sound="gm_pad_halo",
        lead_sounds=("triangle", "gm_vibraphone", "gm_flute"),
        cutoff=2000,
        melody_density=0.4,
        bars_per_chord=2,
    ),
    Genre.DUBSTEP: Recipe(
        tempo=(138, 145),
        mood=Mood.AGGRESSIVE,
        roots=("C", "D", "E", "F", "F#", "G"),
        bass_sound="sawtooth",
        bass_grids=("x-------x-------", "x---x---x---x---", "x.x.x-----x.x.x-"),
        bass_octave=1,
        bass_cutoff=900,
        chord_sounds=("gm_pad_sweep", "supersaw"),
        chord_rhythms=("",),
        progressions=((0, 5, 3, 4), (0, 1, 0, 6)),
        pad_sound="gm_pad_metallic",
        lead_sounds=("square", "gm_lead_2_sawtooth"),
        cutoff=1800,
        melody_density=0.4,
        wobble=True,
    ),
    Genre.SYNTHWAVE: Recipe(
        tempo=(84, 118),
        mood=Mood.MELODIC,
        roots=("C", "D", "E", "F", "G", "A", "B"),
        bass_sound="sawtooth",
        bass_grids=("x.x.x.x.x.x.x.x.", "x.xox.xox.xox.xo", "xxxxxxxxxxxxxxxx"),
        bass_cutoff=700,
        chord_sounds=("supersaw", "gm_synth_strings_1", "gm_pad_poly"),
        chord_rhythms=("",),
        progressions=((0, 5, 3, 4), (0, 6, 5, 6), (5, 3, 0, 4)),
        pad_sound="gm_synth_strings_1",
        lead_sounds=("gm_lead_2_sawtooth", "square", "gm_lead_1_square"),
        cutoff=2400,
    ),
    Genre.AFROBEATS: Recipe(
        tempo=(98, 112),
        mood=Mood.UPBEAT,
        roots=_ALL,
        bass_sound="gm_electric_bass_finger",
        bass_grids=("x..x..x...x.....", "x.....x.x..x....", "x..x....x.x....."),
        bass_cutoff=800,
        chord_sounds=("gm_electric_guitar_clean", "piano", "gm_marimba"),
        chord_rhythms=("x ~ x x ~ x ~ x", "[~ x]*4", "~ x ~ x ~ x x ~"),
        chord_size=4,
        progressions=((0, 3, 4, 3), (0, 5, 3, 4), (1, 4, 0, 0)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_kalimba", "gm_marimba", "gm_pan_flute", "gm_steel_drums"),
        cutoff=3000,
    ),
    Genre.REGGAETON: Recipe(
        tempo=(88, 100),
        mood=Mood.UPBEAT,
        roots=_MINOR,
        bass_sound="gm_synth_bass_1",
        bass_grids=("x..x..x.x..x..x.", "x...x...x...x...", "x..x..x.x...x.x."),
        bass_cutoff=500,
        chord_sounds=("piano", "gm_acoustic_guitar_nylon", "gm_pad_poly"),
        chord_rhythms=("x ~ ~ x ~ ~ x ~", ""),
        progressions=((0, 5, 3, 4), (5, 3, 0, 4), (0, 6, 5, 6)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_pan_flute", "gm_acoustic_guitar_nylon", "gm_lead_2_sawtooth"),
        cutoff=2600,
    ),
    Genre.JAZZ: Recipe(
        tempo=(90, 150),
        mood=Mood.MELODIC,
        roots=("C", "D", "Eb", "F", "G", "Bb"),
        bass_sound="gm_acoustic_bass",
        bass_grids=("x...x...x...x...",),
        bass_cutoff=1200,
        chord_sounds=("piano", "gm_epiano1", "gm_electric_guitar_jazz"),
        chord_rhythms=("~ x ~ ~ ~ [~ x] ~ ~", "[~ x] ~ ~ x", "~ ~ x ~ ~ ~ ~ x"),
        chord_size=4,
        progressions=((1, 4, 0, 0), (0, 5, 1, 4), (2, 5, 1, 4)),
        pad_sound="gm_string_ensemble_1",
        lead_sounds=("gm_alto_sax", "gm_tenor_sax", "gm_vibraphone", "gm_muted_trumpet"),
        cutoff=3000,
        melody_density=0.55,
        walking=True,
    ),
    Genre.POP: Recipe(
        tempo=(100, 124),
        mood=Mood.UPBEAT,
        roots=_ALL,
        bass_sound="gm_electric_bass_pick",
        bass_grids=("x.x.x.x.x.x.x.x.", "x.......x.x.....", "x..x..x.x..x..x."),
        bass_cutoff=900,
        chord_sounds=("piano", "gm_acoustic_guitar_steel", "gm_epiano2"),
        chord_rhythms=("", "x*4", "[x ~ ~ x] [~ ~ x ~] x ~"),
        progressions=((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4), (3, 4, 0, 5)),
        pad_sound="gm_pad_warm",
        lead_sounds=("gm_vibraphone", "square", "gm_pizzicato_strings", "piano"),
        cutoff=3000,
        melody_density=0.55,
    ),
}

# Musically close genres, in order of preference, for "different style" without a target.
NEIGHBOURS: dict[Genre, tuple[Genre, ...]] = {
    Genre.LOFI: (Genre.HIPHOP, Genre.JAZZ, Genre.AMBIENT),
    Genre.HIPHOP: (Genre.LOFI, Genre.TRAP, Genre.JAZZ),
    Genre.TRAP: (Genre.DRILL, Genre.HIPHOP, Genre.DUBSTEP),
    Genre.DRILL: (Genre.TRAP, Genre.DUBSTEP, Genre.HIPHOP),
    Genre.HOUSE: (Genre.TECHNO, Genre.AFROBEATS, Genre.POP),
    Genre.TECHNO: (Genre.HOUSE, Genre.DRUM_AND_BASS, Genre.SYNTHWAVE),
    Genre.AMBIENT: (Genre.LOFI, Genre.SYNTHWAVE, Genre.JAZZ),
    Genre.DRUM_AND_BASS: (Genre.DUBSTEP, Genre.TECHNO, Genre.HOUSE),
    Genre.DUBSTEP: (Genre.DRUM_AND_BASS, Genre.TRAP, Genre.DRILL),
    Genre.SYNTHWAVE: (Genre.POP, Genre.TECHNO, Genre.AMBIENT),
    Genre.AFROBEATS: (Genre.REGGAETON, Genre.HOUSE, Genre.POP),
    Genre.REGGAETON: (Genre.AFROBEATS, Genre.POP, Genre.TRAP),
    Genre.JAZZ: (Genre.LOFI, Genre.HIPHOP, Genre.AMBIENT),
    Genre.POP: (Genre.SYNTHWAVE, Genre.HOUSE, Genre.AFROBEATS),
}
