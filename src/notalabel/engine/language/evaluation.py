"""Accuracy of text understanding against the labelled JSONL sets (used by a script and a test)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notalabel.engine.language.dna import analyze_description
from notalabel.engine.language.feedback import analyze_feedback
from notalabel.engine.vocabulary import MusicDNA

GENRE_THRESHOLD = 0.90
MOOD_THRESHOLD = 0.85
FEEDBACK_THRESHOLD = 0.90


@dataclass(slots=True)
class Score:
    """Right answers out of a total, with a line per miss."""

    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of right answers (1.0 for an empty set)."""
        return self.right / self.total if self.total else 1.0

    def count(self, ok: bool, miss: str) -> None:
        """Record one answer."""
        self.total += 1
        if ok:
            self.right += 1
        else:
            self.misses.append(miss)


@dataclass(slots=True)
class Report:
    """Genre, mood and feedback scores for one run."""

    genre: Score
    mood: Score
    feedback: Score

    @property
    def passed(self) -> bool:
        """Whether every score meets its threshold."""
        return (
            self.genre.accuracy >= GENRE_THRESHOLD
            and self.mood.accuracy >= MOOD_THRESHOLD
            and self.feedback.accuracy >= FEEDBACK_THRESHOLD
        )


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one JSON object per non-empty line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(descriptions: list[dict[str, Any]], feedback: list[dict[str, Any]]) -> Report:
    """Score analyze_description and analyze_feedback against labelled rows."""
    genre, mood, fb = Score(), Score(), Score()
    for row in descriptions:
        dna = analyze_description(row["text"])
        genre.count(*_genre_verdict(row, dna))
        got_mood = dna.preferred_mood.value if dna.preferred_mood else None
        wanted = row["moods"]
        mood.count(not wanted or got_mood in wanted, f"{row['text']!r}: {got_mood} not in {wanted}")
    for row in feedback:
        result = analyze_feedback(row["text"])
        got = {
            (a.kind.value, a.target_genre.value if a.target_genre else None)
            for a in result.adjustments
        }
        want = {(a["kind"], a.get("target_genre")) for a in row["adjustments"]}
        ok = result.accept == row["accept"] and got == want
        fb.count(
            ok,
            f"{row['text']!r}: accept={result.accept} {sorted(got, key=str)} "
            f"!= accept={row['accept']} {sorted(want, key=str)}",
        )
    return Report(genre, mood, fb)


def _genre_verdict(row: dict[str, Any], dna: MusicDNA) -> tuple[bool, str]:
    """A named style must be read as named; with none named, a listener's pick marked inferred.

    Rows with "genre": null list in "inferred" the genres a listener would accept for the use
    or mood described; the DNA must give one of them and say it was inferred. A null row
    without "inferred" (nothing musical to go on) expects no genre at all.
    """
    got = dna.primary_genre.value if dna.primary_genre else None
    if row["genre"] is not None:
        ok = got == row["genre"] and not dna.genre_inferred
        return ok, f"{row['text']!r}: {got} != {row['genre']}"
    accepted = row.get("inferred")
    if not accepted:
        return got is None, f"{row['text']!r}: {got} != None"
    ok = dna.genre_inferred and got in accepted
    return ok, f"{row['text']!r}: {got} (inferred={dna.genre_inferred}) not in {accepted}"


def evaluate_files(data_dir: Path) -> Report:
    """Score the descriptions.jsonl and feedback.jsonl files found in data_dir."""
    return evaluate(
        load_jsonl(data_dir / "descriptions.jsonl"), load_jsonl(data_dir / "feedback.jsonl")
    )
