"""A signature's fingerprint: what it plays, whatever the key and tempo it plays it in."""

from __future__ import annotations

import hashlib
import json

from notalabel.engine.pattern.model import PatternModel


def fingerprint(model: PatternModel) -> str:
    """Hex digest of the model's event content: sounds, rhythms, degrees, registers and mode.

    Root and bpm are left out, so a pattern moved to another key or tempo is the same
    signature; gains, filters and reverb are left out, so a darker mix of it is too.
    """
    content = {
        "mode": model.scale,
        "swing": round(model.swing, 4),
        "layers": sorted(
            [
                layer.role.value,
                layer.sound,
                layer.bank or "",
                layer.pattern,
                layer.rhythm or "",
                -99 if layer.octave is None else layer.octave,
                layer.swing,
            ]
            for layer in model.layers
        ),
    }
    text = json.dumps(content, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
