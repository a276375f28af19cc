"""The labelled sets must stay above the accuracy thresholds."""

from __future__ import annotations

from pathlib import Path

from notalabel.engine.language.evaluation import (
    FEEDBACK_THRESHOLD,
    GENRE_THRESHOLD,
    MOOD_THRESHOLD,
    evaluate_files,
    load_jsonl,
)
from notalabel.engine.vocabulary import AdjustmentKind, Genre, Mood

DATA_DIR = Path(__file__).parent / "data"


def test_dataset_sizes_and_coverage() -> None:
    descriptions = load_jsonl(DATA_DIR / "descriptions.jsonl")
    feedback = load_jsonl(DATA_DIR / "feedback.jsonl")
    assert len(descriptions) >= 170
    assert len(feedback) >= 70
    assert {row["genre"] for row in descriptions} >= {g.value for g in Genre} | {None}
    assert {m for row in descriptions for m in row["moods"]} == {m.value for m in Mood}
    kinds = {a["kind"] for row in feedback for a in row["adjustments"]}
    assert kinds == {k.value for k in AdjustmentKind}


def test_accuracy_thresholds() -> None:
    report = evaluate_files(DATA_DIR)
    assert report.genre.accuracy >= GENRE_THRESHOLD, report.genre.misses
    assert report.mood.accuracy >= MOOD_THRESHOLD, report.mood.misses
    assert report.feedback.accuracy >= FEEDBACK_THRESHOLD, report.feedback.misses
