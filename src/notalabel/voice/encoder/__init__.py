"""Numpy port of the Resemblyzer GE2E speaker encoder (no torch at run time).

The weights come from the ``resemblyzer`` wheel (requirements-model.lock, installed with
--no-deps); only its ``pretrained.pt`` is read, never its code. ``SpeakerEncoder`` reproduces
``VoiceEncoder.embed_utterance`` (1.6 s partials at 1.3 per second, the last one kept if it is
75 % covered, mean of the partial embeddings L2-normed); tests/voice/test_encoder_port.py
checks it against the torch original on committed clips.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from notalabel.voice.encoder.checkpoint import (
    CheckpointError,
    read_legacy_checkpoint,
    resemblyzer_weights_path,
)
from notalabel.voice.encoder.mel import HOP_LENGTH, SAMPLE_RATE, mel_spectrogram
from notalabel.voice.encoder.network import EMBEDDING, EncoderNetwork
from notalabel.voice.encoder.preprocess import preprocess

__all__ = [
    "EMBEDDING",
    "SAMPLE_RATE",
    "CheckpointError",
    "SpeakerEncoder",
    "load_encoder",
    "partial_slices",
    "preprocess",
]

PARTIAL_FRAMES = 160  # 1.6 s of 10 ms frames
RATE = 1.3  # partials per second
MIN_COVERAGE = 0.75

F32 = npt.NDArray[np.float32]


def partial_slices(
    n_samples: int, rate: float = RATE, min_coverage: float = MIN_COVERAGE
) -> tuple[list[slice], list[slice]]:
    """Return Resemblyzer's (wave slices, mel slices) of the partial utterances."""
    if not 0 < min_coverage <= 1:
        raise ValueError("min_coverage must be in (0, 1]")
    n_frames = int(np.ceil((n_samples + 1) / HOP_LENGTH))
    frame_step = int(np.round((SAMPLE_RATE / rate) / HOP_LENGTH))
    if not 0 < frame_step <= PARTIAL_FRAMES:
        raise ValueError("rate out of range")
    steps = max(1, n_frames - PARTIAL_FRAMES + frame_step + 1)
    mel_slices = [slice(i, i + PARTIAL_FRAMES) for i in range(0, steps, frame_step)]
    wav_slices = [slice(s.start * HOP_LENGTH, s.stop * HOP_LENGTH) for s in mel_slices]
    # Keep a last partial that needs padding only if it is mostly real audio.
    last = wav_slices[-1]
    coverage = (n_samples - last.start) / (last.stop - last.start)
    if coverage < min_coverage and len(mel_slices) > 1:
        mel_slices, wav_slices = mel_slices[:-1], wav_slices[:-1]
    return wav_slices, mel_slices


class SpeakerEncoder:
    """Embeds 16 kHz utterances into 256-d L2-normed GE2E speaker vectors."""

    def __init__(self, weights: dict[str, F32]) -> None:
        self._network = EncoderNetwork(weights)

    @classmethod
    def from_checkpoint(cls, path: Path | None = None) -> SpeakerEncoder:
        """Build an encoder from a legacy torch checkpoint (default: Resemblyzer's)."""
        return cls(read_legacy_checkpoint(path or resemblyzer_weights_path()))

    @staticmethod
    def preprocess(wav: npt.NDArray[np.floating], sample_rate: int) -> F32:
        """Resample to 16 kHz, normalise to -30 dBFS (raise only) and cut long silences."""
        return preprocess(wav, sample_rate)

    def embed_partials(self, wav16k: npt.NDArray[np.floating]) -> F32:
        """Return the (partials, 256) embeddings of an already preprocessed 16 kHz wave."""
        wav = np.asarray(wav16k, dtype=np.float32)
        if wav.ndim != 1 or wav.size == 0:
            raise ValueError("expected a non-empty mono (1-D) waveform")
        wav_slices, mel_slices = partial_slices(len(wav))
        # Zero-pad so the last partial has all its frames, exactly as Resemblyzer does.
        end = wav_slices[-1].stop
        if end >= len(wav):
            wav = np.pad(wav, (0, end - len(wav)))
        mel = mel_spectrogram(wav)
        mels = np.stack([mel[s] for s in mel_slices])
        return self._network(mels)

    def embed_utterance(self, wav16k: npt.NDArray[np.floating]) -> F32:
        """Return the 256-d L2-normed float32 embedding of a preprocessed 16 kHz wave."""
        raw = self.embed_partials(wav16k).mean(axis=0)
        norm = float(np.linalg.norm(raw))
        if norm == 0.0:
            raise ValueError("the encoder found nothing to embed in this wave")
        return np.asarray(raw / norm, dtype=np.float32)


@lru_cache(maxsize=1)
def load_encoder() -> SpeakerEncoder:
    """Return the process-wide encoder, parsing the weights on first use only."""
    return SpeakerEncoder.from_checkpoint()
