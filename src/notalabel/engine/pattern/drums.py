"""Drum layers: pick grids by seed, then add fills, ghosts, rolls and percussion by complexity."""

from __future__ import annotations

from dataclasses import replace
from random import Random

from notalabel.engine.pattern import grid
from notalabel.engine.pattern.context import Context, choose
from notalabel.engine.pattern.kits import BANK_DRUMS, Kit, drum
from notalabel.engine.pattern.model import Effect, Layer, Role, fx

_DRUM_NAMES = frozenset().union(*BANK_DRUMS.values())
_NAMES = {
    "bd": "kick",
    "sd": "snare",
    "cp": "clap",
    "rim": "rimshot",
    "hh": "hats",
    "oh": "open hat",
    "rd": "ride",
    "sh": "shaker",
    "cb": "cowbell",
    "tb": "tambourine",
    "perc": "perc",
    "shaker_small": "shaker",
    "conga": "congas",
}
_HAT_ACCENT = fx("velocity", "[1 .65 .8 .65]*4")


def drum_layers(ctx: Context, bank: str) -> list[Layer]:
    """Kick, snare, hats and percussion lines for one kit, or none when energy is too low."""
    kit, energy, complexity = ctx.kit, ctx.busy, ctx.settings.complexity
    level, room = ctx.tone.gain, ctx.tone.room
    if energy < kit.min_energy:
        return []
    level *= kit.level
    shared: tuple[Effect, ...] = (fx("lpf", float(kit.cutoff)),) if kit.cutoff else ()
    snare_fx = (*shared, fx("room", round(min(0.6, room * 0.6), 2)))
    kick = _kick(kit, bank, energy, complexity, ctx.stream("kick"))
    snare = _snare(kit, bank, complexity, ctx.stream("snare"))
    hats = _hats(kit, bank, energy, complexity, ctx.stream("hats"))
    layers = [
        _layer("bd", bank, kick, 0.9 * level, shared),
        _layer(drum(bank, kit.snare), bank, snare, 0.72 * level, snare_fx),
        _layer(drum(bank, kit.hat), bank, hats, 0.42 * level, (*shared, _HAT_ACCENT)),
    ]
    for name, pattern in _perc(kit, complexity, ctx.stream("perc")):
        banked = name in _DRUM_NAMES
        sound = drum(bank, name) if banked else name
        if sound in ("bd", "sd") and sound != name:
            continue  # the kit lacks it, and a second kick or snare line would only muddy
        line = grid.grid_bar(pattern, (("x", sound),))
        layer = _layer(sound, bank if banked else None, line, 0.36 * level, shared)
        if sound == "hh":
            # a second hat line is the pedal under a ride, or a busier shaker-like part
            layer = replace(layer, name="pedal hat" if kit.hat == "rd" else "sixteenth hats")
        layers.append(layer)
    return layers


def _layer(
    sound: str, bank: str | None, pattern: str, gain: float, fx: tuple[Effect, ...]
) -> Layer:
    name = _NAMES.get(sound, sound)
    return Layer(
        role=Role.DRUMS,
        name=name,
        sound=sound,
        pattern=pattern,
        gain=round(min(1.0, gain), 2),
        bank=bank,
        effects=fx,
    )


def _variants(options: tuple[str, ...], complexity: int) -> tuple[str, ...]:
    # simple patterns come first in every table; complexity unlocks the busier ones
    return options[: max(2, 1 + complexity * len(options) // 8)]


def _kick(kit: Kit, bank: str, energy: int, complexity: int, rng: Random) -> str:
    sounds = (("x", drum(bank, "bd")),)
    main = choose(rng, _variants(kit.kicks, complexity))
    second = rng.random()
    if energy >= 8 and main[14] == ".":
        main = main[:14] + "x" + main[15]  # a push into the next bar
    bars = [main] * 4
    if complexity >= 7 and len(kit.kicks) > 1:
        others = [k for k in kit.kicks if k != main]
        bars[1] = bars[3] = others[int(second * len(others))]
    return grid.bars([grid.grid_bar(b, sounds) for b in _dedupe(bars)])


def _snare(kit: Kit, bank: str, complexity: int, rng: Random) -> str:
    sounds = (
        ("x", drum(bank, kit.snare)),
        ("g", drum(bank, "rim")),
        ("h", drum(bank, "ht")),
        ("m", drum(bank, "mt")),
        ("l", drum(bank, "lt")),
    )
    main = choose(rng, _variants(kit.snares, complexity))
    # every draw is taken whatever the complexity, so a step up adds to this snare, not another
    ghost_order = {i: rng.random() for i in (3, 7, 9, 11, 15)}
    last_fill, second_fill = choose(rng, kit.fills), choose(rng, kit.fills)
    if complexity >= 6:
        free = sorted((i for i in ghost_order if main[i] == "."), key=ghost_order.__getitem__)
        for i in free[: 1 + (complexity >= 8)]:
            main = main[:i] + "g" + main[i + 1 :]
    bars = [main] * 4
    if complexity >= 4:
        bars[3] = _overlay(main, last_fill)
        if complexity >= 9:
            bars[1] = _overlay(main, second_fill)
    return grid.bars([grid.grid_bar(b, sounds) for b in _dedupe(bars)])


def _hats(kit: Kit, bank: str, energy: int, complexity: int, rng: Random) -> str:
    hat = drum(bank, kit.hat)
    sounds = (("x", hat), ("o", drum(bank, "oh")), ("3", f"{hat}*3"), ("4", f"{hat}*4"))
    top = len(kit.hats) - 1
    index = min(top, max(0, round((energy - 1) / 9 * top) + choose(rng, (-1, 0, 0, 1))))
    main = kit.hats[index]
    open_hat, spot = rng.random(), choose(rng, (6, 14))
    if kit.hat == "hh" and "o" not in main and energy >= 6 and open_hat < 0.6:
        main = main[:spot] + "o" + main[spot + 1 :]
    bars = [main] * 2
    if kit.rolls:
        # ratchets are the trap signature: more and denser with complexity; the draws for
        # every possible roll are taken first, so more complexity only adds rolls
        for b in range(2):
            steps = list(bars[b])
            spots = {i: (rng.random(), choose(rng, (0, 1)), rng.random()) for i in range(2, 16, 2)}
            ranked = sorted(spots, key=lambda i: spots[i][0])
            for i in ranked[: 1 + complexity // 4]:
                _, offset, fours = spots[i]
                steps[i + offset] = "4" if complexity >= 6 and fours < 0.5 else "3"
            bars[b] = "".join(steps)
    return grid.bars([grid.grid_bar(b, sounds) for b in _dedupe(bars)])


def _perc(kit: Kit, complexity: int, rng: Random) -> list[tuple[str, str]]:
    if not kit.perc:
        return []
    chosen: list[tuple[str, str]] = []
    if kit.perc_always:
        chosen.append(kit.perc[0])
    wanted = (complexity >= 5) + (complexity >= 8)
    rest = [p for p in kit.perc if p not in chosen]
    order = [rng.random() for _ in rest]
    ranked = [p for _, p in sorted(zip(order, rest, strict=True), key=lambda pair: pair[0])]
    chosen.extend(ranked[:wanted])
    return chosen


def _overlay(main: str, fill: str) -> str:
    # a fill plays over the bar's groove: it adds hits, it never takes the ghost notes away
    return "".join(f if f != "." else m for m, f in zip(main, fill, strict=True))


def _dedupe(bars: list[str]) -> list[str]:
    # a two-bar idea repeated twice is written as two bars, not four
    if len(bars) == 4 and bars[0] == bars[2] and bars[1] == bars[3]:
        return bars[:2]
    return bars
