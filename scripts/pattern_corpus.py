"""Print a reproducible corpus of generated Strudel patterns as JSON lines {"id", "code"}.

Every genre x mood x energy {2, 5, 9} x complexity {2, 5, 9}, then 200 random refinement
chains (length 1-5) from random DNA, including different_style with and without a target
and DNA without a genre. Feed it to strudel-check: see scripts/check_patterns.sh.
"""

from __future__ import annotations

import json
import random
import sys

from notalabel.engine.pattern import generate_pattern, refine_pattern
from notalabel.engine.vocabulary import (
    SOUND_KEYWORDS,
    Adjustment,
    AdjustmentKind,
    Genre,
    Mood,
    MusicDNA,
)

LEVELS = (2, 5, 9)
CHAINS = 200
CORPUS_SEED = 20240611


def _grid_lines() -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for genre in Genre:
        for mood in Mood:
            for energy in LEVELS:
                for complexity in LEVELS:
                    dna = MusicDNA(
                        primary_genre=genre,
                        preferred_mood=mood,
                        energy_level=energy,
                        complexity=complexity,
                    )
                    seed = energy * 10 + complexity
                    pattern = generate_pattern(dna, seed=seed)
                    name = f"grid:{genre.value}:{mood.value}:e{energy}:c{complexity}"
                    lines.append((name, pattern.code))
    return lines


def _random_adjustment(rng: random.Random) -> Adjustment:
    kind = rng.choice(list(AdjustmentKind))
    if kind is AdjustmentKind.DIFFERENT_STYLE and rng.random() < 0.5:
        return Adjustment(kind, rng.choice(list(Genre)))
    return Adjustment(kind)


def _chain_lines() -> list[tuple[str, str]]:
    rng = random.Random(CORPUS_SEED)
    lines: list[tuple[str, str]] = []
    for index in range(CHAINS):
        dna = MusicDNA(
            primary_genre=None if rng.random() < 0.2 else rng.choice(list(Genre)),
            preferred_mood=None if rng.random() < 0.2 else rng.choice(list(Mood)),
            energy_level=rng.randint(1, 10),
            complexity=rng.randint(1, 10),
            keywords=tuple(rng.sample(SOUND_KEYWORDS, rng.randint(0, 3))),
        )
        pattern = generate_pattern(dna, seed=rng.randint(0, 10_000))
        steps = []
        for _ in range(rng.randint(1, 5)):
            batch = [_random_adjustment(rng) for _ in range(rng.randint(1, 2))]
            pattern = refine_pattern(pattern.model, batch, seed=rng.randint(0, 100))
            steps.append("+".join(a.kind.value for a in batch))
        lines.append((f"chain:{index}:{pattern.genre.value}:{'>'.join(steps)}", pattern.code))
    return lines


def main() -> None:
    """Write the whole corpus to stdout."""
    out = sys.stdout
    for name, code in _grid_lines() + _chain_lines():
        out.write(json.dumps({"id": name, "code": code}) + "\n")


if __name__ == "__main__":
    main()
