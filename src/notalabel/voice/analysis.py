"""Everything the service needs to know about one recording, computed off the event loop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from notalabel.voice.audio import SAMPLE_RATE, Recording
from notalabel.voice.channel import is_narrowband, telephone_band
from notalabel.voice.digits import recognise_digits
from notalabel.voice.encoder import load_encoder
from notalabel.voice.exceptions import AudioSilent
from notalabel.voice.features import VoiceFeatures, replay_fingerprint, voice_features


@dataclass(frozen=True, slots=True)
class Analysis:
    """Who is speaking (embedding), how the voice sounds, and the recording's replay print."""

    embedding: np.ndarray
    features: VoiceFeatures
    fingerprint: np.ndarray
    # the recording came through a phone line (nothing above the telephone band)
    narrowband: bool = False
    # enrolment only: the embedding of the sample as a phone line would carry it
    phone_embedding: np.ndarray | None = None


def analyse(recording: Recording, *, enrolment: bool = False) -> Analysis:
    """Speaker embedding, features and replay fingerprint of a checked recording."""
    samples = recording.samples
    wideband = not is_narrowband(samples)
    return Analysis(
        embedding=_embed(samples),
        features=voice_features(samples),
        fingerprint=replay_fingerprint(samples),
        narrowband=not wideband,
        phone_embedding=_embed(telephone_band(samples)) if enrolment and wideband else None,
    )


def _embed(samples: np.ndarray) -> np.ndarray:
    encoder = load_encoder()
    try:
        return encoder.embed_utterance(encoder.preprocess(samples, SAMPLE_RATE))
    except ValueError as exc:
        # nothing voice-like survived the silence trim
        raise AudioSilent(
            "We could not hear a voice in the recording: check the microphone and speak clearly."
        ) from exc


def analyse_challenge(recording: Recording) -> tuple[Analysis, str]:
    """The analysis of a login recording and the digits heard in it."""
    return analyse(recording), recognise_digits(recording.samples)
