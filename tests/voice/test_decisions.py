"""Pure voice decisions: sealing, calibration, enrolment agreement, replays and lockout."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from notalabel.voice.channel import is_narrowband, telephone_band
from notalabel.voice.features import replay_fingerprint, voice_features
from notalabel.voice.sealing import SealBroken, VoiceprintSeal, vector
from notalabel.voice.verification import (
    DEFAULT_THRESHOLD,
    calibrated,
    centroid,
    is_replay,
    judge_enrolment,
    running_average,
    voice_lock,
)
from tests.voice.speakers import require_voices, synthesise
from tests.voice.test_audio import voice_like

KEY = bytes(range(32))


def unit(seed: int, near: np.ndarray | None = None, spread: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.random(256) if near is None else near + spread * rng.standard_normal(256)
    return (base / np.linalg.norm(base)).astype(np.float32)


def test_a_sealed_voiceprint_opens_only_for_its_artist_and_key() -> None:
    seal = VoiceprintSeal(KEY)
    embedding = unit(1)
    sealed = seal.seal("usr_a", {"embedding": embedding})
    assert embedding.tobytes() not in sealed
    assert np.array_equal(vector(seal.open("usr_a", sealed), "embedding"), embedding)
    with pytest.raises(SealBroken):
        seal.open("usr_b", sealed)  # a row copied onto another account
    with pytest.raises(SealBroken):
        VoiceprintSeal(bytes(reversed(range(32)))).open("usr_a", sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealBroken):
        seal.open("usr_a", tampered)
    assert seal.seal("usr_a", {"embedding": embedding}) != sealed  # a fresh nonce each time


def test_a_retired_key_still_opens_and_reseal_moves_rows_to_the_current_key() -> None:
    old, new = bytes(range(32)), bytes(range(100, 132))
    sealed = VoiceprintSeal(old).seal("usr_a", {"embedding": unit(2)})
    rotated = VoiceprintSeal(new, retired=[old])
    assert np.array_equal(vector(rotated.open("usr_a", sealed), "embedding"), unit(2))
    moved = rotated.reseal("usr_a", sealed)
    assert moved is not None
    assert moved != sealed
    only_new = VoiceprintSeal(new)
    assert np.array_equal(vector(only_new.open("usr_a", moved), "embedding"), unit(2))
    assert rotated.reseal("usr_a", moved) is None  # already under the current key
    with pytest.raises(SealBroken):
        only_new.open("usr_a", sealed)
    with pytest.raises(SealBroken):
        rotated.reseal("usr_b", sealed)  # the artist binding survives rotation


def test_calibration_is_monotonic_and_puts_the_default_threshold_above_the_midpoint() -> None:
    scores = [calibrated(c) for c in np.linspace(-1, 1, 41)]
    assert scores == sorted(scores)
    assert 0 < scores[0] < 0.01
    assert 0.99 < scores[-1] < 1
    assert calibrated(0.5) < DEFAULT_THRESHOLD < calibrated(0.95)


def test_enrolment_names_the_sample_that_does_not_fit() -> None:
    speaker = unit(7)
    same = [unit(s, speaker, 0.01) for s in (1, 2, 3)]
    verdict = judge_enrolment(same)
    assert verdict.outlier is None
    assert verdict.quality > 0.9
    # embeddings are non-negative (ReLU); another speaker lights up other dimensions
    stranger = speaker.copy()
    stranger[np.argsort(speaker)[-128:]] = 0
    stranger = stranger / np.linalg.norm(stranger)
    assert judge_enrolment([same[0], stranger, same[2]]).outlier == 1
    assert judge_enrolment([same[0], same[1], stranger]).outlier == 2


def test_centroid_is_unit_length() -> None:
    assert np.linalg.norm(centroid([unit(1), unit(2), unit(3)])) == pytest.approx(1.0)


def test_a_copy_of_a_recording_is_a_replay_but_another_take_is_not() -> None:
    require_voices()
    take = synthesise("flite-rms", "four, zero, seven, two")
    print_ = replay_fingerprint(take)
    noise = np.random.default_rng(1).standard_normal(len(take)).astype(np.float32)
    copies = {
        "quieter": take * 0.5,
        "padded and trimmed": np.concatenate([np.zeros(4000, np.float32), take[:-800]]),
        "noisy (about 25 dB SNR)": take + 0.01 * noise,
        "telephone band": telephone_band(take),
    }
    for how, copy in copies.items():
        assert is_replay(replay_fingerprint(copy), [print_]), how
    others = {
        "same voice, other words": synthesise("flite-rms", "nine, one, three, eight"),
        "other voice, same words": synthesise("flite-slt", "four, zero, seven, two"),
    }
    for how, other in others.items():
        assert not is_replay(replay_fingerprint(other), [print_]), how
    assert not is_replay(print_, [])


def test_running_average_and_voice_lock_grow_as_promised() -> None:
    assert running_average(None, 1, 0.9) == 0.9
    assert running_average(0.9, 2, 0.8) == pytest.approx(0.85)
    assert voice_lock(2, 3) is None
    assert voice_lock(3, 3) == timedelta(minutes=1)
    assert voice_lock(4, 3) == timedelta(minutes=2)
    assert voice_lock(5, 3) == timedelta(minutes=4)
    assert voice_lock(40, 3) == timedelta(hours=1)
    assert voice_lock(1, 1) == timedelta(minutes=1)


def test_features_of_a_known_voice() -> None:
    features = voice_features(voice_like(2.0))
    assert features.fundamental_hz is not None
    assert 120 < features.fundamental_hz < 165  # the buzz glides between 120 and 160 Hz
    assert len(features.mfcc) == 13
    assert 0 < features.spectral_centroid_hz < features.spectral_rolloff_hz < 8000
    brighter = voice_features(np.diff(voice_like(2.0), prepend=0).astype(np.float32))
    assert brighter.spectral_centroid_hz > features.spectral_centroid_hz


def test_a_phone_line_is_told_from_a_soft_wideband_voice() -> None:
    require_voices()
    for voice in ("flite-slt", "flite-rms", "festival-slt-hts"):
        for text in ("nine, one, three, eight", "My favourite music has deep bass."):
            speech = synthesise(voice, text)
            assert not is_narrowband(speech), (voice, text)
            assert is_narrowband(telephone_band(speech)), (voice, text)
