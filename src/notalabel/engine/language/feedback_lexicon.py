"""Feedback vocabulary, part one: the dimensions a request moves and the words naming them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from notalabel.engine.vocabulary import AdjustmentKind, Genre

K = AdjustmentKind


class Dim(Enum):
    """A direction the pattern can move in; +1 means "more of it"."""

    BASS = "bass"
    DREAMY = "dreamy"
    TEMPO = "tempo"
    COMPLEXITY = "complexity"
    MELODY = "melody"
    DARK = "dark"
    ENERGY = "energy"


KIND_FOR: dict[tuple[Dim, int], AdjustmentKind] = {
    (Dim.BASS, 1): K.MORE_BASS,
    (Dim.BASS, -1): K.LESS_BASS,
    (Dim.DREAMY, 1): K.MORE_DREAMY,
    (Dim.TEMPO, 1): K.FASTER,
    (Dim.TEMPO, -1): K.SLOWER,
    (Dim.COMPLEXITY, 1): K.MORE_COMPLEX,
    (Dim.COMPLEXITY, -1): K.SIMPLER,
    (Dim.MELODY, 1): K.ADD_MELODY,
    (Dim.MELODY, -1): K.SIMPLER,
    (Dim.DARK, 1): K.DARKER,
    (Dim.DARK, -1): K.BRIGHTER,
    (Dim.ENERGY, 1): K.MORE_ENERGY,
    (Dim.ENERGY, -1): K.LESS_ENERGY,
}


class Role(Enum):
    """How a word takes part in a request."""

    ADJ = 1  # "dark": asks for it unless described as a state ("it's dark") or flipped
    COMPARATIVE = 2  # "darker", "speed it up": always asks for its own direction
    CRITIQUE = 3  # "boring", "chaotic": naming it asks for the opposite
    NOUN = 4  # "bass", "tempo": needs a modifier or a qualifier to mean anything
    QUALIFIER = 5  # "heavier", "too loud": sizes a noun; alone it may act as an adjective
    MOD = 6  # "more" (+1) / "less", "too", "remove" (-1)
    ENOUGH = 7
    STATE = 8  # "it's", "a bit", "feels": a bare adjective after it is a complaint
    ACCEPT = 9
    REJECT = 10
    STYLE = 11
    GENRE = 12
    HARD_BREAK = 13
    SOFT_BREAK = 14


@dataclass(frozen=True, slots=True)
class Word:
    """One feedback phrase's meaning."""

    role: Role
    dim: Dim | None = None
    sign: int = 1
    alone: Role | None = None  # for qualifiers: the role they play with no noun around
    alone_dim: Dim | None = None
    negation: bool = False
    genre: Genre | None = None


def _dims() -> Iterator[tuple[str, Word]]:
    table: tuple[tuple[Role, Dim, int, str], ...] = (
        (
            Role.NOUN,
            Dim.BASS,
            1,
            "bass|basses|bassline|basslines|low end|lows|sub|subs|sub bass|"
            "808|808s|bottom end|low frequencies|kick|kicks|bass line",
        ),
        (
            Role.NOUN,
            Dim.MELODY,
            1,
            "melody|melodies|tune|tunes|hook|hooks|lead|leads|topline|"
            "harmony|harmonies|chords|riff|riffs",
        ),
        (Role.NOUN, Dim.ENERGY, 1, "energy|intensity|power|punch|oomph|hype|drive|volume"),
        (Role.NOUN, Dim.TEMPO, 1, "tempo|speed|bpm|pace"),
        (
            Role.NOUN,
            Dim.COMPLEXITY,
            1,
            "layers|layer|elements|complexity|detail|details|"
            "variation|variety|percussion|drums|rhythms|rhythm|fills|instruments|sounds|stuff",
        ),
        (Role.NOUN, Dim.DREAMY, 1, "reverb|atmosphere|ambience|echo|pads|space|dreaminess"),
        (Role.NOUN, Dim.DARK, 1, "darkness|mystery|tension"),
        (Role.NOUN, Dim.DARK, -1, "brightness|light|sunshine|happiness|joy"),
        (Role.ADJ, Dim.TEMPO, 1, "fast|quick|uptempo|up tempo|rapid|speedy"),
        (Role.ADJ, Dim.TEMPO, -1, "slow|slowed|downtempo|laid back tempo"),
        (
            Role.COMPARATIVE,
            Dim.TEMPO,
            1,
            "faster|quicker|speedier|speed up|speed it up|"
            "pick up the pace|pick it up|higher tempo|double time",
        ),
        (
            Role.COMPARATIVE,
            Dim.TEMPO,
            -1,
            "slower|slow down|slow it down|half time|slow things down",
        ),
        (Role.CRITIQUE, Dim.TEMPO, 1, "rushed|frantic|hurried"),
        (Role.CRITIQUE, Dim.TEMPO, -1, "sluggish|dragging|draggy"),
        (
            Role.ADJ,
            Dim.DREAMY,
            1,
            "dreamy|ethereal|spacey|spacy|spacious|airy|floaty|hazy|"
            "atmospheric|lush|washed out|reverby|cosmic|celestial|dreamlike|otherworldly|trippy|"
            "wavy|heavenly",
        ),
        (Role.COMPARATIVE, Dim.DREAMY, 1, "dreamier|airier|hazier|spacier|lusher|floatier"),
        (
            Role.ADJ,
            Dim.COMPLEXITY,
            1,
            "complex|intricate|layered|detailed|interesting|varied|"
            "technical|rich|full|experimental|complicated",
        ),
        (
            Role.COMPARATIVE,
            Dim.COMPLEXITY,
            1,
            "busier|richer|fuller|more going on|spice it up|complexify",
        ),
        (
            Role.CRITIQUE,
            Dim.COMPLEXITY,
            1,
            "busy|chaotic|cluttered|messy|crowded|noisy|"
            "overloaded|much going on|all over the place|hectic",
        ),
        (
            Role.ADJ,
            Dim.COMPLEXITY,
            -1,
            "simple|minimal|sparse|clean|minimalist|stripped back|stripped down",
        ),
        (
            Role.COMPARATIVE,
            Dim.COMPLEXITY,
            -1,
            "simpler|simplify|simplified|cleaner|"
            "strip it back|strip it down|sparser|declutter|tidy it up|less going on",
        ),
        (
            Role.CRITIQUE,
            Dim.COMPLEXITY,
            -1,
            "repetitive|basic|plain|empty|bare|monotonous|predictable|samey",
        ),
        (Role.ADJ, Dim.MELODY, 1, "melodic|catchy|tuneful|musical|harmonic|melodious"),
        (Role.COMPARATIVE, Dim.MELODY, 1, "catchier|more melodic"),
        (
            Role.ADJ,
            Dim.DARK,
            1,
            "dark|moody|sinister|gloomy|ominous|eerie|creepy|evil|spooky|"
            "grim|gritty|sad|melancholic|melancholy|mysterious|haunting|menacing|somber",
        ),
        (
            Role.COMPARATIVE,
            Dim.DARK,
            1,
            "darker|darken|moodier|gloomier|grittier|sadder|creepier|spookier|eerier",
        ),
        (
            Role.ADJ,
            Dim.DARK,
            -1,
            "bright|happy|cheerful|uplifting|sunny|positive|joyful|fun|"
            "optimistic|playful|hopeful|warm",
        ),
        (
            Role.COMPARATIVE,
            Dim.DARK,
            -1,
            "brighter|brighten|happier|cheerier|sunnier|more positive|lighten|lighten it up|warmer",
        ),
        (
            Role.ADJ,
            Dim.ENERGY,
            1,
            "energetic|hype|hyped|intense|upbeat|lively|exciting|"
            "aggressive|bouncy|banging|wild|powerful|driving|groovy|danceable|hard hitting|"
            "epic|pumping",
        ),
        (
            Role.COMPARATIVE,
            Dim.ENERGY,
            1,
            "livelier|bouncier|wilder|groovier|pump it up|"
            "amp it up|turn it up|kick it up|wake it up|crank it up|hype it up|liven it up|"
            "more intense|more aggressive|hit harder",
        ),
        (
            Role.CRITIQUE,
            Dim.ENERGY,
            -1,
            "boring|dull|flat|lifeless|sleepy|lame|tame|bland|meh energy",
        ),
        (
            Role.ADJ,
            Dim.ENERGY,
            -1,
            "chill|chilled|calm|relaxed|relaxing|mellow|laid back|"
            "peaceful|smooth|gentle|soothing|cozy|lazy|tranquil",
        ),
        (
            Role.COMPARATIVE,
            Dim.ENERGY,
            -1,
            "chiller|calmer|mellower|gentler|smoother|"
            "calm down|calm it down|tone it down|dial it back|bring it down|chill it out|"
            "tone down|cool it down|relax it",
        ),
    )
    for role, dim, sign, phrases in table:
        for phrase in phrases.split("|"):
            yield phrase, Word(role, dim, sign)


def _qualifiers() -> Iterator[tuple[str, Word]]:
    table: tuple[tuple[int, Role | None, Dim | None, str], ...] = (
        (1, Role.ADJ, Dim.ENERGY, "heavy|loud|punchy|hard|big|huge|strong|massive"),
        (1, Role.COMPARATIVE, Dim.ENERGY, "heavier|louder|punchier|harder|bigger|stronger"),
        (
            1,
            None,
            None,
            "deep|deeper|fat|fatter|thick|thicker|high|higher|prominent|"
            "present|boomy|beefy|beefier|fuller bass|extra",
        ),
        (-1, Role.ADJ, Dim.ENERGY, "soft|quiet"),
        (-1, Role.COMPARATIVE, Dim.ENERGY, "softer|quieter"),
        (-1, Role.ADJ, Dim.DARK, "light"),
        (-1, Role.COMPARATIVE, Dim.DARK, "lighter"),
        (-1, Role.CRITIQUE, Dim.ENERGY, "overpowering|overwhelming|excessive|overbearing|weak"),
        (
            -1,
            None,
            None,
            "thin|thinner|small|smaller|low|lower|subtle|subtler|muddy|weaker|quieter|buried",
        ),
    )
    for sign, alone, dim, phrases in table:
        for phrase in phrases.split("|"):
            yield phrase, Word(Role.QUALIFIER, None, sign, alone, dim)


def dimension_words() -> Iterator[tuple[str, Word]]:
    """Yield (phrase, Word) for every dimension word and qualifier."""
    yield from _dims()
    yield from _qualifiers()
