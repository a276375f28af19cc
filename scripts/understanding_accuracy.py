"""Print text-understanding accuracy on the labelled sets; exit 1 below the thresholds.

Usage: python scripts/understanding_accuracy.py [DATA_DIR]   (default: the test data)
"""

from __future__ import annotations

import sys
from pathlib import Path

from notalabel.engine.language.evaluation import (
    FEEDBACK_THRESHOLD,
    GENRE_THRESHOLD,
    MOOD_THRESHOLD,
    Score,
    evaluate_files,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "engine" / "language" / "data"


def _show(name: str, score: Score, threshold: float) -> None:
    status = "ok" if score.accuracy >= threshold else "BELOW THRESHOLD"
    print(
        f"{name:<9} {score.accuracy:6.1%}  ({score.right}/{score.total}, need {threshold:.0%}) "
        f"{status}"
    )
    for miss in score.misses:
        print(f"    miss: {miss}")


def main() -> int:
    """Run the evaluation and return the process exit code."""
    report = evaluate_files(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR)
    _show("genre", report.genre, GENRE_THRESHOLD)
    _show("mood", report.mood, MOOD_THRESHOLD)
    _show("feedback", report.feedback, FEEDBACK_THRESHOLD)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
