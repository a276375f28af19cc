"""Drum programming per genre, as 16-step grids, and which drums each machine bank has."""

from __future__ import annotations

from dataclasses import dataclass

from notalabel.engine.vocabulary import Genre

# Drums present in each default strudel.cc bank we use (from tidal-drum-machines).
BANK_DRUMS: dict[str, frozenset[str]] = {
    "RolandTR808": frozenset(
        ["bd", "cb", "cp", "cr", "hh", "ht", "lt", "mt", "oh", "perc", "rim", "sd", "sh"]
    ),
    "RolandTR909": frozenset(["bd", "cp", "cr", "hh", "ht", "lt", "mt", "oh", "rd", "rim", "sd"]),
    "RolandTR707": frozenset(
        ["bd", "cb", "cp", "cr", "hh", "ht", "lt", "mt", "oh", "rim", "sd", "tb"]
    ),
    "LinnDrum": frozenset(
        [
            "bd",
            "cb",
            "cp",
            "cr",
            "hh",
            "ht",
            "lt",
            "mt",
            "oh",
            "perc",
            "rd",
            "rim",
            "sd",
            "sh",
            "tb",
        ]
    ),
    "AkaiMPC60": frozenset(
        ["bd", "cp", "cr", "hh", "ht", "lt", "misc", "mt", "oh", "perc", "rd", "rim", "sd"]
    ),
    "KorgMinipops": frozenset(["bd", "hh", "misc", "oh", "sd"]),
    "RolandCompurhythm78": frozenset(["bd", "cb", "hh", "misc", "oh", "perc", "sd", "tb"]),
    "OberheimDMX": frozenset(
        ["bd", "cp", "cr", "hh", "ht", "lt", "mt", "oh", "rd", "rim", "sd", "sh", "tb"]
    ),
}

# What to play instead when a bank lacks a drum; every chain ends in a drum all banks have.
_FALLBACK: dict[str, str] = {
    "oh": "hh",
    "rd": "hh",
    "cr": "oh",
    "cp": "sd",
    "rim": "sd",
    "sh": "hh",
    "tb": "sh",
    "cb": "rim",
    "perc": "rim",
    "mt": "lt",
    "lt": "sd",
    "ht": "mt",
}


def drum(bank: str, name: str) -> str:
    """The closest drum to `name` that `bank` really has."""
    have = BANK_DRUMS[bank]
    while name not in have:
        name = _FALLBACK.get(name, "sd")
    return name


@dataclass(frozen=True, slots=True)
class Kit:
    """A genre's drum programming; hats run from sparse to busy and energy picks among them."""

    banks: tuple[str, ...]
    kicks: tuple[str, ...]
    snares: tuple[str, ...]
    hats: tuple[str, ...]
    fills: tuple[str, ...]
    perc: tuple[tuple[str, str], ...] = ()  # (drum or default sample, grid)
    snare: str = "sd"
    hat: str = "hh"
    rolls: bool = False  # trap-style ratchets on the hats
    swing: int = 0  # swing subdivisions per bar: 4 swings eighths, 8 sixteenths; 0 straight
    # how late the swung off-beats land (swingBy's first argument): off-beats at (1 + x) / 2
    swing_amount: float = 0.0
    min_energy: int = 1  # below this energy the genre plays without drums
    perc_always: bool = False
    level: float = 1.0
    cutoff: int = 0  # low-pass on the whole kit (lo-fi dust); 0 = open


_STRAIGHT_HATS = ("x...x...x...x...", "x.x.x.x.x.x.x.x.", "x.xxx.x.x.xxx.x.", "xxxxxxxxxxxxxxxx")
_BACKBEAT = ("....x.......x...",)
_FILLS = ("....x.......x.xx", "....x.....x.xxxx", "....x.......hhml")

KITS: dict[Genre, Kit] = {
    Genre.LOFI: Kit(
        banks=("AkaiMPC60", "RolandTR808", "KorgMinipops"),
        kicks=("x.....x...x.....", "x......x..x.....", "x.........x..x..", "x.....x..x......"),
        snares=("....x.......x...", "....x.......x..x", "....x......x...."),
        hats=_STRAIGHT_HATS,
        fills=_FILLS,
        perc=(("rim", "......x.......x."), ("sh", "x.x.x.x.x.x.x.x.")),
        swing=8,
        swing_amount=0.24,  # lazy 62 % sixteenths, the dusty lo-fi push
        level=0.85,
        cutoff=3500,
    ),
    Genre.HIPHOP: Kit(
        banks=("AkaiMPC60", "LinnDrum", "RolandTR808"),
        kicks=("x......xx.x.....", "x.........xx....", "x.....x.x.....x.", "x..x......x....."),
        snares=("....x.......x...", "....x.......x..x", "....x..x....x..."),
        hats=_STRAIGHT_HATS,
        fills=_FILLS,
        perc=(("cp", "....x.......x..."), ("rim", "..x.......x....x")),
        swing=8,
        swing_amount=0.16,  # 58 % sixteenths, the MPC shuffle of boom bap
    ),
    Genre.TRAP: Kit(
        banks=("RolandTR808",),
        kicks=("x......x..x.....", "x.....x...x..x..", "x..x......x.....", "x.......x.x...x."),
        snares=("........x.......", "........x......x", "........x.....x."),
        hats=("x.x.x.x.x.x.x.x.", "x.x.x.x.xxx.x.x.", "xxxxxxxxxxxxxxxx"),
        fills=("........x...x.xx", "........x.xxxxxx"),
        perc=(("oh", "......x.......x."), ("rim", "...x......x....x")),
        snare="cp",
        rolls=True,
    ),
    Genre.DRILL: Kit(
        banks=("RolandTR808",),
        kicks=("x.........x.....", "x......x...x....", "x.....x..x......", "x..x......x..x.."),
        snares=("........x....x..", "........x..x....", "....x.......x..x"),
        hats=("x..x..x.x..x..x.", "x.xx.x.xx.x.x.xx", "xxx.xx.xxxx.xx.x"),
        fills=("........x..x.xxx", "........x....xhh"),
        perc=(("rim", "..x.....x......x"), ("perc", "...x......x....x")),
        rolls=True,
    ),
    Genre.HOUSE: Kit(
        banks=("RolandTR909", "RolandTR707"),
        kicks=("x...x...x...x...", "x...x...x...x..x"),
        snares=_BACKBEAT,
        hats=("..x...x...x...x.", "..o...o...o...o.", "x.o.x.o.x.o.x.o.", "xxoxxxoxxxoxxxox"),
        fills=("....x.......xxxx", "....x.......x.xx"),
        perc=(("rim", "...x..x....x..x."), ("sh", "xxxxxxxxxxxxxxxx"), ("cb", "..x.......x..x..")),
        snare="cp",
    ),
    Genre.TECHNO: Kit(
        banks=("RolandTR909",),
        kicks=("x...x...x...x...", "x...x...x...x.x."),
        # the clap on 2 and 4: on 4 alone it reads as half time at 130 bpm
        snares=("....x.......x...", "....x.......x..x", "....x..x....x..."),
        hats=("..x...x...x...x.", "x.x.x.x.x.x.x.x.", "xxxxxxxxxxxxxxxx", "xxoxxxoxxxoxxxox"),
        fills=("....x.......xxxx", "....x...x.x.xxxx"),
        perc=(("rim", "..x..x....x..x.x"), ("rd", "x.x.x.x.x.x.x.x.")),
        snare="cp",
    ),
    Genre.AMBIENT: Kit(
        banks=("RolandCompurhythm78", "KorgMinipops"),
        kicks=("x.........x.....", "x..............."),
        snares=("........x.......", "............x..."),
        hats=("x.......x.......", "x...x...x...x...", "x.x.x.x.x.x.x.x."),
        fills=("........x.....xx",),
        perc=(("tb", "..x.......x....."),),
        min_energy=6,
        level=0.6,
        cutoff=2500,
    ),
    Genre.DRUM_AND_BASS: Kit(
        banks=("LinnDrum", "AkaiMPC60", "RolandTR909"),
        kicks=("x.........x.....", "x.........x..x..", "x......x..x.....", "x.x.......x....."),
        snares=("....x.......x...", "....x..x.x..x...", "....x.......x..x"),
        hats=("x.x.x.x.x.x.x.x.", "x.xxx.xxx.xxx.xx", "xxxxxxxxxxxxxxxx"),
        fills=("....x..x.x..xxxx", "....x.....xxhhml"),
        perc=(("rd", "x...x...x...x..."), ("sh", "..x...x...x...x.")),
    ),
    Genre.DUBSTEP: Kit(
        banks=("RolandTR909", "RolandTR808"),
        kicks=("x...............", "x.........x.....", "x......x........"),
        snares=("........x.......",),
        hats=("x...x...x...x...", "x.x.x.x.x.x.x.x.", "x.xxx.x.x.xxx.x."),
        fills=("........x...xxxx", "........x.x.hhml"),
        perc=(("oh", "..x.......x....."), ("rim", "...x.....x....x.")),
        rolls=True,
    ),
    Genre.SYNTHWAVE: Kit(
        banks=("LinnDrum", "RolandTR707", "OberheimDMX"),
        kicks=("x.......x.......", "x.......x.x.....", "x...x...x...x..."),
        snares=_BACKBEAT,
        hats=("x.x.x.x.x.x.x.x.", "x.x.x.xox.x.x.xo", "xxxxxxxxxxxxxxxx"),
        fills=("....x.......hhml", "....x...hhmmllll"),
        perc=(("cp", "....x.......x..."), ("tb", "..x...x...x...x.")),
    ),
    Genre.AFROBEATS: Kit(
        banks=("RolandTR808", "AkaiMPC60"),
        kicks=("x...x...x...x...", "x.....x...x.....", "x..x....x..x...."),
        snares=("....x.......x...", "...x..x....x....", "....x..x....x..."),
        hats=("x.x.x.x.x.x.x.x.", "x.xxx.xxx.xxx.xx", "xxxxxxxxxxxxxxxx"),
        fills=("....x.......x.xx", "....x.....x.hhml"),
        perc=(
            ("shaker_small", "xxxxxxxxxxxxxxxx"),
            ("rim", "x..x..x...x..x.."),
            ("conga", "..x..x....x.x..x"),
        ),
        snare="cp",
        perc_always=True,
    ),
    Genre.REGGAETON: Kit(
        banks=("RolandTR808", "RolandTR909"),
        kicks=("x...x...x...x...",),
        snares=("...x..x....x..x.", "...x..x....x..xx", "...x..x...xx..x."),
        hats=("x.x.x.x.x.x.x.x.", "x.xxx.x.x.xxx.x.", "xxxxxxxxxxxxxxxx"),
        fills=("...x..x....xxxxx", "...x..x....x.xhh"),
        perc=(("rim", "...x..x....x..x."), ("cb", "x.....x...x.....")),
    ),
    Genre.JAZZ: Kit(
        banks=("LinnDrum", "AkaiMPC60"),
        kicks=("x...............", "x.........x.....", "..........x....."),
        snares=("......x.......x.", "...x.......x....", "......x....x...."),
        hats=("x...x...x...x...", "x...x.x.x...x.x.", "x.x.x.x.x.x.x.x."),
        fills=("......x....x.xxx", "......x...hhmmll"),
        perc=(("hh", "....x.......x..."), ("rim", "..........x.....")),
        hat="rd",
        swing=4,
        swing_amount=1 / 3,  # a triplet shuffle on the eighths (67 %): jazz swings
        perc_always=True,
        level=0.75,
    ),
    Genre.POP: Kit(
        banks=("RolandTR707", "LinnDrum", "RolandTR909"),
        kicks=("x.......x.......", "x.......x.x.....", "x..x....x......."),
        snares=_BACKBEAT,
        hats=("x.x.x.x.x.x.x.x.", "x.x.x.xox.x.x.xo", "xxxxxxxxxxxxxxxx"),
        fills=_FILLS,
        perc=(("tambourine", "....x.......x..."), ("sh", "xxxxxxxxxxxxxxxx")),
        snare="cp",
    ),
}
