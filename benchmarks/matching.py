"""Community matching at 10,000, 100,000 and 1,000,000 artists, on one core.

For each size: the index's build time (DNA documents to profiles to rows, one artist at a
time, as the service reads them), its memory (the arrays' bytes, and the peak of everything
allocated while building it again from the same profiles, by tracemalloc), the latency of a
top-10 match query and of a collaboration query (p50, p99), and the plain reference on the
same data for as many queries as fit in its time budget, with the speed-up and a check that
both gave the same answer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from notalabel.community import reference as ref
from notalabel.community.index import Match, MatchIndex
from notalabel.community.profile import KEYWORDS, MatchProfile, profile_of
from notalabel.engine.vocabulary import Genre, Mood

LIMIT = 10
MIN_SIMILARITY = 0.3


@dataclass
class Figures:
    """What one population size measured."""

    artists: int
    build_s: float
    index_mib: float
    build_peak_mib: float
    match_p50_ms: float
    match_p99_ms: float
    collab_p50_ms: float
    collab_p99_ms: float
    reference_queries: int
    reference_p50_ms: float | None
    speedup: float | None


def random_dna(rng: random.Random) -> dict[str, Any]:
    """A DNA document like onboarding stores: a genre, a mood, levels, a few keywords."""
    genres, moods = [g.value for g in Genre], [m.value for m in Mood]
    return {
        "primaryGenre": rng.choice(genres) if rng.random() > 0.02 else None,
        "subGenres": rng.sample(genres, rng.choice((0, 0, 1, 1, 2, 3))),
        "preferredMood": rng.choice(moods),
        "energyLevel": rng.randint(1, 10),
        "complexity": rng.randint(1, 10),
        "keywords": rng.sample(KEYWORDS, rng.choice((0, 1, 2, 2, 3, 4, 6, 8))),
    }


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(size: int, queries: int, reference_budget_s: float, seed: int) -> Figures:
    """Build an index of `size` artists and time its queries against the reference."""
    rng = random.Random(seed)
    ids = [f"usr_{rng.getrandbits(128):032x}" for _ in range(size)]
    documents = [random_dna(rng) for _ in range(size)]
    start = time.perf_counter()
    index = MatchIndex()
    profiles: list[MatchProfile] = []
    for user_id, document in zip(ids, documents, strict=True):
        profile = profile_of(document)
        profiles.append(profile)
        index.upsert(user_id, profile)
    build_s = time.perf_counter() - start
    peak = index_peak_bytes(ids, profiles)
    askers = rng.sample(range(size), queries)
    match_ms, collab_ms = [], []
    for i in askers:
        me, excluded = profiles[i], {ids[i]}
        start = time.perf_counter()
        index.matches(me, excluded, limit=LIMIT, min_similarity=MIN_SIMILARITY)
        middle = time.perf_counter()
        index.collaborations(me, excluded)
        match_ms.append((middle - start) * 1e3)
        collab_ms.append((time.perf_counter() - middle) * 1e3)
    reference_ms = reference_queries(index, ids, profiles, askers, reference_budget_s)
    reference_p50 = statistics.median(reference_ms) if reference_ms else None
    match_p50 = statistics.median(match_ms)
    return Figures(
        artists=size,
        build_s=build_s,
        index_mib=index.nbytes / 2**20,
        build_peak_mib=peak / 2**20,
        match_p50_ms=match_p50,
        match_p99_ms=percentile(match_ms, 0.99),
        collab_p50_ms=statistics.median(collab_ms),
        collab_p99_ms=percentile(collab_ms, 0.99),
        reference_queries=len(reference_ms),
        reference_p50_ms=reference_p50,
        speedup=None if reference_p50 is None else reference_p50 / match_p50,
    )


def index_peak_bytes(ids: list[str], profiles: list[MatchProfile]) -> int:
    """The most memory a second build of the same index held at once (tracemalloc)."""
    tracemalloc.start()
    index = MatchIndex()
    for user_id, profile in zip(ids, profiles, strict=True):
        index.upsert(user_id, profile)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def reference_queries(
    index: MatchIndex,
    ids: list[str],
    profiles: list[MatchProfile],
    askers: list[int],
    budget_s: float,
) -> list[float]:
    """The reference's time per query while the budget lasts; each answer checked."""
    candidates = [ref.Candidate(i, p) for i, p in zip(ids, profiles, strict=True)]
    spent_ms: list[float] = []
    for i in askers:
        if sum(spent_ms) / 1e3 >= budget_s:
            break
        me = profiles[i]
        start = time.perf_counter()
        others = [c for c in candidates if c.id != ids[i] and c.profile.genre is not None]
        found = ref.best_matches(me, others, limit=LIMIT, min_similarity=MIN_SIMILARITY)
        spent_ms.append((time.perf_counter() - start) * 1e3)
        fast: list[Match] = index.matches(me, {ids[i]}, limit=LIMIT, min_similarity=MIN_SIMILARITY)
        if [(m.user_id, m.score) for m in fast] != [(s.id, s.score) for s in found]:
            raise SystemExit(f"the index and the reference disagree for {ids[i]}")
    return spent_ms


def render(rows: Sequence[Figures]) -> str:
    """The figures as a table."""
    lines = [
        "artists     build s  index MiB  build peak MiB  match p50/p99 ms  collab p50/p99 ms"
        "  reference p50 ms (queries)  speed-up"
    ]
    for f in rows:
        reference = (
            f"{f.reference_p50_ms:,.0f} ({f.reference_queries})" if f.reference_p50_ms else "-"
        )
        speedup = f"{f.speedup:,.0f}x" if f.speedup else "-"
        lines.append(
            f"{f.artists:>9,}  {f.build_s:>8.1f}  {f.index_mib:>9.1f}  {f.build_peak_mib:>14.1f}"
            f"  {f.match_p50_ms:>7.2f} / {f.match_p99_ms:<7.2f}"
            f"  {f.collab_p50_ms:>7.2f} / {f.collab_p99_ms:<7.2f}"
            f"  {reference:>26}  {speedup:>8}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each size and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200, help="timed queries per size")
    parser.add_argument(
        "--reference-seconds", type=float, default=20.0, help="time budget of the reference"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rows = []
    for size in args.sizes:
        print(f"measuring {size:,} artists", file=sys.stderr, flush=True)
        rows.append(measure(size, min(args.queries, size), args.reference_seconds, args.seed))
    print(f"one core, Python {sys.version.split()[0]}; top-{LIMIT} matches at >= {MIN_SIMILARITY}")
    print(render(rows))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
