"""Throughput of generate_pattern and refine_pattern on one core, in patterns per second."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from notalabel.engine.pattern import generate_pattern, refine_pattern
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre, Mood, MusicDNA

ROUNDS = 5


def _dnas() -> list[MusicDNA]:
    moods = list(Mood)
    keywords = (("rain",), ("piano", "vinyl"), (), ("808", "bells"), ("strings",))
    return [
        MusicDNA(
            primary_genre=genre,
            preferred_mood=moods[(index + level) % len(moods)],
            energy_level=level,
            complexity=11 - level,
            keywords=keywords[(index + level) % len(keywords)],
        )
        for index, genre in enumerate(Genre)
        for level in (2, 5, 9)
    ]


def _rate(label: str, count: int, work: Callable[[], object]) -> None:
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        rates.append(count / (time.perf_counter() - start))
    best, median = max(rates), statistics.median(rates)
    print(f"{label:<40} best {best:>7,.0f}/s ({1e6 / best:.0f} µs)  median {median:>7,.0f}/s")


def main() -> None:
    """Print generate and refine throughput for a fixed DNA set."""
    dnas = _dnas()
    seeds = range(20)
    jobs = [(dna, seed) for dna in dnas for seed in seeds]
    start = time.perf_counter()
    models = [generate_pattern(dna, seed).model for dna, seed in jobs]
    cold = len(jobs) / (time.perf_counter() - start)
    chain = [Adjustment(AdjustmentKind.FASTER), Adjustment(AdjustmentKind.MORE_DREAMY)]
    style = [Adjustment(AdjustmentKind.DIFFERENT_STYLE)]
    print(f"{len(jobs)} patterns per round, {ROUNDS} rounds, one core")
    print(f"{'generate_pattern, first round (cold caches)':<40} {cold:>12,.0f}/s")
    _rate("generate_pattern", len(jobs), lambda: [generate_pattern(d, s) for d, s in jobs])
    _rate(
        "refine_pattern (faster + more_dreamy)",
        len(models),
        lambda: [refine_pattern(m, chain) for m in models],
    )
    _rate(
        "refine_pattern (different_style)",
        len(models),
        lambda: [refine_pattern(m, style, 1) for m in models],
    )


if __name__ == "__main__":
    main()
