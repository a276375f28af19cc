"""Print the engine's musical-truth figures (issue 13) and fail when one misses its target.

Usage: python scripts/musical_truth.py [--only arrangements,twins,adjustments,musicianship]
                                       [--samples 300] [--seeds 12]

- arrangements: for every genre x mood x energy x complexity cell, build `--samples` seeds
  and count pairs with the same fingerprint; the collision estimate n(n-1)/2 / pairs is the
  number of equally likely arrangements that would give as many clashes (with no clash, the
  95 % lower bound n(n-1)/6). Target: at least 10,000 in every cell.
- twins: 200 artists per description; Jaccard of key-relative event sets queried from the
  real Strudel engine over 8 cycles. Target: under 1 % of pairs at 0.9 or more.
- adjustments: every adjustment on `--seeds` patterns per genre, judged on the events the
  real engine plays. Target: at least 95 % in the promised direction, none in the wrong one
  (an answer that says the adjustment is at its limit is counted apart, not as a success).
- musicianship: swung-against-straight flams, chords under the bass, minor-ninth chord
  voicings, chords under Bb2 and leads under their instrument's range. Target: all zero.
Needs ../shared/strudel-check/run.sh (or STRUDEL_CHECK) for every part but arrangements.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from notalabel.engine.language.dna import analyze_description
from notalabel.engine.pattern import generate_pattern, refine_pattern
from notalabel.engine.pattern.build import build_model
from notalabel.engine.pattern.fingerprint import fingerprint
from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.pattern.melody import lowest_note
from notalabel.engine.pattern.model import Settings
from notalabel.engine.pattern.render import render_code
from notalabel.engine.pattern.theory import MODES, ROOTS
from notalabel.engine.pattern.voicing import CHORD_FLOOR
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre, Mood

ROOT = Path(__file__).resolve().parent.parent
CHECK = os.environ.get("STRUDEL_CHECK", str(ROOT.parent / "shared" / "strudel-check" / "run.sh"))
TARGET_ARRANGEMENTS = 10_000
DESCRIPTIONS = (
    "dreamy ambient music for sleeping",
    "chill lo-fi beats for studying",
    "hard trap with heavy 808s",
    "deep house for dancing",
    "smooth jazz for a rainy evening",
    "dark techno at 4am",
)
TWIN_ARTISTS = 200


def events(codes: Sequence[str], *, keys: bool = False) -> list[dict[str, Any]]:
    """What the real Strudel engine plays for each code, over 8 cycles (one dict per code)."""
    lines = "".join(json.dumps({"id": i, "code": code}) + "\n" for i, code in enumerate(codes))
    args = [CHECK, "events", "--cycles", "8"] + (["--events"] if keys else [])
    done = subprocess.run(args, input=lines, capture_output=True, text=True, check=True)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    results.sort(key=lambda r: r["id"])
    if len(results) != len(codes) or not all(r.get("ok") for r in results):
        bad = [r for r in results if not r.get("ok")][:3]
        raise SystemExit(f"strudel-check failed on {len(codes) - len(results)} missing, {bad}")
    return results


# --- arrangements -------------------------------------------------------------------------


def _cell_row(genre_mood: tuple[Genre, Mood], samples: int) -> list[tuple[str, float]]:
    genre, mood = genre_mood
    seeds = random.Random(f"{genre}{mood}").sample(range(2**31), samples)
    rows = []
    for energy, complexity in itertools.product(range(1, 11), range(1, 11)):
        prints = Counter(
            fingerprint(build_model(Settings(genre, mood, energy, complexity, seed)))
            for seed in seeds
        )
        pairs = sum(n * (n - 1) // 2 for n in prints.values())
        total = samples * (samples - 1) / 2
        estimate = total / pairs if pairs else total / 3
        rows.append((f"{genre.value}/{mood.value}/e{energy}/c{complexity}", estimate))
    return rows


def arrangements(samples: int) -> bool:
    """Distinct arrangements per cell, estimated from fingerprint clashes among samples."""
    cells = list(itertools.product(Genre, Mood))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        rows = [r for part in pool.map(_cell_row, cells, itertools.repeat(samples)) for r in part]
    rows.sort(key=lambda row: row[1])
    short = [row for row in rows if row[1] < TARGET_ARRANGEMENTS]
    print(f"arrangements: {len(rows)} cells, {samples} seeds each")
    print(f"  fewest (estimate): {', '.join(f'{name} {value:,.0f}' for name, value in rows[:5])}")
    median = rows[len(rows) // 2][1]
    print(f"  median {median:,.0f}; cells under {TARGET_ARRANGEMENTS:,}: {len(short)}")
    return not short


# --- near-twins ---------------------------------------------------------------------------


def _relative_keys(result: dict[str, Any]) -> frozenset[str]:
    shift = ROOTS.index(result["declared"]["root"])
    out = []
    for key in result["event_keys"]:
        time, bank, sound, pitch = key.split("|")
        pitch = str(round(float(pitch)) - shift) if pitch else ""
        out.append(f"{time}|{bank}|{sound}|{pitch}")
    return frozenset(out)


def twins() -> bool:
    """Near-twin pairs among 200 artists who all typed the same description."""
    ok = True
    chooser = random.Random(13)
    for text in DESCRIPTIONS:
        dna = analyze_description(text)
        seeds = chooser.sample(range(2**31), TWIN_ARTISTS)
        patterns = [generate_pattern(dna, seed) for seed in seeds]
        sets = [_relative_keys(r) for r in events([p.code for p in patterns], keys=True)]
        pairs = near = same = 0
        for a, b in itertools.combinations(sets, 2):
            pairs += 1
            overlap = len(a & b) / len(a | b)
            near += overlap >= 0.9
            same += a == b
        prints = len({fingerprint(p.model) for p in patterns})
        rate = near / pairs
        ok &= rate < 0.01
        print(
            f"twins: {text!r}: {near}/{pairs} pairs Jaccard >= 0.9 ({rate:.2%}), "
            f"{same} identical, {prints} distinct fingerprints of {TWIN_ARTISTS}"
        )
    return ok


# --- adjustments --------------------------------------------------------------------------


def _layers(result: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    return [layer for layer in result["layers"] if test(layer)]


def _pitched_cutoff(result: dict[str, Any]) -> float:
    cutoffs = [
        layer["cutoff"]["mean"]
        for layer in _layers(result, lambda x: x["pitched"] and "bass" not in x["name"])
        if layer["cutoff"] and layer["cutoff"].get("mean") is not None
    ]
    return sum(cutoffs) / len(cutoffs) if cutoffs else 0.0


def _bass_weight(result: dict[str, Any]) -> tuple[float, float]:
    bass = _layers(result, lambda x: "bass" in x["name"])
    if not bass:
        return (0.0, 0.0)
    gain = sum(layer["gain"]["max"] * layer["events"] for layer in bass)
    low = min(layer["midi"]["min"] for layer in bass if layer["midi"])
    return (gain, -low)


def _space(result: dict[str, Any]) -> float:
    return sum(
        float(layer["room"]["mean"]) + float(layer["delay"]["mean"])
        for layer in _layers(result, lambda x: x["pitched"])
    )


def _melodic(result: dict[str, Any]) -> tuple[int, int]:
    lines = _layers(result, lambda x: x["name"] in ("melody", "harmony", "counter-melody"))
    return (len([x for x in lines if x["events"]]), sum(x["events"] for x in lines))


def _compare(before: Any, after: Any) -> int:
    """+1 when after is above before in every part and differs, -1 below, 0 mixed/equal."""
    single = not isinstance(before, tuple)
    pairs = [(before, after)] if single else list(zip(before, after, strict=True))
    up = all(b >= a for a, b in pairs) and any(b > a for a, b in pairs)
    down = all(b <= a for a, b in pairs) and any(b < a for a, b in pairs)
    return 1 if up else -1 if down else 0


def _loudness(result: dict[str, Any]) -> float:
    return float(sum(layer["gain"]["mean"] * layer["events"] for layer in result["layers"]))


def _energy_moved(before: dict[str, Any], after: dict[str, Any]) -> int:
    # tempo and events decide; loudness counts only where both stay put
    pace = (before["bpm"], before["events"]), (after["bpm"], after["events"])
    return _compare(*pace) if pace[0] != pace[1] else _compare(_loudness(before), _loudness(after))


Result = dict[str, Any]
Moved = Callable[[Result, Result], int]


def _by(measure: Callable[[Result], Any]) -> Moved:
    return lambda before, after: _compare(measure(before), measure(after))


def _brightness(result: Result) -> tuple[int, float]:
    return MODES.index(result["declared"]["mode"]), _pitched_cutoff(result)


# each adjustment: how its promise moved between two event readings, and which way it must go
PROMISES: dict[AdjustmentKind, tuple[Moved, int]] = {
    AdjustmentKind.SIMPLER: (_by(lambda r: r["events"]), -1),
    AdjustmentKind.MORE_COMPLEX: (_by(lambda r: r["events"]), 1),
    AdjustmentKind.MORE_ENERGY: (_energy_moved, 1),
    AdjustmentKind.LESS_ENERGY: (_energy_moved, -1),
    AdjustmentKind.FASTER: (_by(lambda r: r["bpm"]), 1),
    AdjustmentKind.SLOWER: (_by(lambda r: r["bpm"]), -1),
    AdjustmentKind.MORE_BASS: (_by(_bass_weight), 1),
    AdjustmentKind.LESS_BASS: (_by(_bass_weight), -1),
    AdjustmentKind.DARKER: (_by(_brightness), -1),
    AdjustmentKind.BRIGHTER: (_by(_brightness), 1),
    AdjustmentKind.MORE_DREAMY: (_by(_space), 1),
    AdjustmentKind.ADD_MELODY: (_by(_melodic), 1),
}


def _base_settings(genre: Genre, rng: random.Random) -> Settings:
    mood = rng.choice([RECIPES[genre].mood, *Mood])
    return Settings(genre, mood, rng.randint(1, 10), rng.randint(1, 10), rng.randrange(2**31))


def adjustments(seeds: int) -> bool:
    """Each adjustment's effect on what plays, over `seeds` patterns per genre."""
    rng = random.Random(2026)
    bases = [build_model(_base_settings(g, rng)) for g in Genre for _ in range(seeds)]
    jobs: list[tuple[AdjustmentKind, int, str]] = []
    limits: Counter[AdjustmentKind] = Counter()
    for index, model in enumerate(bases):
        before = render_code(model)
        for kind in PROMISES:
            after = refine_pattern(model, (Adjustment(kind),)).code
            if after == before:
                limits[kind] += 1  # the conversation answers "can't go further" here
            else:
                jobs.append((kind, index, after))
    played = events([render_code(m) for m in bases] + [code for _, _, code in jobs])
    base_results, after_results = played[: len(bases)], played[len(bases) :]
    tally: dict[AdjustmentKind, Counter[str]] = {kind: Counter() for kind in PROMISES}
    for (kind, index, _), result in zip(jobs, after_results, strict=True):
        moved_by, direction = PROMISES[kind]
        moved = moved_by(base_results[index], result)
        verdict = "right" if moved == direction else "wrong" if moved == -direction else "flat"
        tally[kind][verdict] += 1
    ok = True
    print(f"adjustments: {len(bases)} patterns ({seeds} per genre), judged on Strudel events")
    for kind, counts in tally.items():
        changed = sum(counts.values())
        share = counts["right"] / changed if changed else 1.0
        ok &= share >= 0.95 and counts["wrong"] == 0
        print(
            f"  {kind.value:13} {share:7.1%} in the promised direction "
            f"({counts['right']}/{changed}), wrong way {counts['wrong']}, "
            f"no audible change {counts['flat']}, honest 'at its limit' {limits[kind]}"
        )
    return ok


# --- musicianship -------------------------------------------------------------------------


def _corpus(seeds: int) -> Iterable[str]:
    rng = random.Random(7)
    for genre, mood in itertools.product(Genre, Mood):
        for _ in range(seeds):
            energy, complexity = rng.randint(1, 10), rng.randint(1, 10)
            settings = Settings(genre, mood, energy, complexity, rng.randrange(2**31))
            yield render_code(build_model(settings))


def musicianship(seeds: int) -> bool:
    """Flams, chords under the bass or Bb2, b9 chord voicings and leads out of range."""
    codes = list(_corpus(seeds))
    results = events(codes)
    flams = sum(r["harmony"]["flams"] for r in results)
    under_bass = sum(r["harmony"]["chord_below_bass_bars"] for r in results)
    b9 = sum(r["harmony"]["chords_b9"] for r in results)
    chords = sum(r["harmony"]["chords_total"] for r in results)
    low_chords = sum(
        1
        for r in results
        if r["harmony"]["chord_min_midi"] is not None
        and r["harmony"]["chord_min_midi"] < CHORD_FLOOR
    )
    low_leads = 0
    for r in results:
        for layer in r["layers"]:
            if layer["name"] in ("melody", "harmony", "counter-melody") and layer["midi"]:
                low_leads += layer["midi"]["min"] < lowest_note(layer["s"][0])
    bars = sum(r["harmony"]["bars"] for r in results)
    print(f"musicianship: {len(codes)} patterns (every genre x mood, {seeds} each), {bars} bars")
    print(f"  flams (swung against straight): {flams}")
    print(f"  bars with chords under the bass: {under_bass}")
    print(f"  minor-ninth chord voicings: {b9} of {chords}")
    print(f"  patterns with chords under Bb2: {low_chords}")
    print(f"  lead lines under their instrument's range: {low_leads}")
    return flams == 0 and under_bass == 0 and b9 == 0 and low_chords == 0 and low_leads == 0


def main() -> None:
    """Run the chosen parts and exit 1 when any target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="arrangements,twins,adjustments,musicianship")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seeds", type=int, default=12)
    args = parser.parse_args()
    parts: dict[str, Callable[[], bool]] = {
        "arrangements": lambda: arrangements(args.samples),
        "twins": twins,
        "adjustments": lambda: adjustments(args.seeds),
        "musicianship": lambda: musicianship(max(1, args.seeds // 4)),
    }
    failed = [name for name in args.only.split(",") if not parts[name]()]
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
