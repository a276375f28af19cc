"""Text understanding: descriptions -> MusicDNA, feedback -> adjustments, and artist names.

Pure, rule-based and stdlib-only: phrase tables compiled at import, typo corrections cached.
"""

from __future__ import annotations

from notalabel.engine.language.dna import analyze_description
from notalabel.engine.language.feedback import analyze_feedback
from notalabel.engine.language.names import extract_artist_name
from notalabel.engine.language.vibe import describe_vibe

__all__ = ["analyze_description", "analyze_feedback", "describe_vibe", "extract_artist_name"]
