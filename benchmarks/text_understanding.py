"""Texts understood per second on one core, over the labelled dataset sentences."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from notalabel.engine.language import analyze_description, analyze_feedback
from notalabel.engine.language.evaluation import load_jsonl

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "engine" / "language" / "data"
MIN_SECONDS = 2.0


def _rate(function: Callable[[str], object], texts: list[str]) -> tuple[float, int]:
    for text in texts:  # warm the typo-correction cache, as a running server would be
        function(text)
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MIN_SECONDS:
        for text in texts:
            function(text)
        calls += len(texts)
    return calls / elapsed, calls


def main() -> None:
    """Print calls per second for analyze_description and analyze_feedback."""
    descriptions = [row["text"] for row in load_jsonl(DATA_DIR / "descriptions.jsonl")]
    feedback = [row["text"] for row in load_jsonl(DATA_DIR / "feedback.jsonl")]
    # Three descriptions joined: the 15-20 word end of typical input.
    long_descriptions = [", ".join(descriptions[i : i + 3]) for i in range(len(descriptions))]
    for name, function, texts in (
        ("analyze_description", analyze_description, descriptions),
        ("  (15-20 word texts)", analyze_description, long_descriptions),
        ("analyze_feedback", analyze_feedback, feedback),
    ):
        rate, calls = _rate(function, texts)
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(
            f"{name:<20} {rate:>9,.0f} texts/s  ({calls:,} calls, {len(texts)} texts, "
            f"{words:.1f} words avg, {1e6 / rate:.1f} us/text)"
        )


if __name__ == "__main__":
    main()
