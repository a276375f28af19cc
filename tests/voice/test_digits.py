"""Spoken digit challenges are recognised offline across many synthetic and real voices."""

from __future__ import annotations

import random
import threading
from typing import Any

import numpy as np
import pytest

from notalabel.voice import digits as digits_module
from notalabel.voice.digits import (
    Recognition,
    new_challenge,
    recognise,
    recognise_digits,
    spoken_phrase,
)
from tests.voice import speakers

PER_VOICE = 8
# Measured with 20 fresh challenges per voice (seed 31337): VOICES 239/240 clean; with
# white noise 120/120 at 30 dB SNR, 118/120 at 25 dB, 113/120 at 20 dB; telephone band
# 85/120 (flite/festival 54/60, espeak 31/60). HARD_VOICES 58/80.
MIN_OVERALL = 0.95
MIN_PER_VOICE = 0.75
MIN_HARD_OVERALL = 0.4  # chance is 1 in 10,000


def challenges(count: int, seed: int) -> list[str]:
    """Deterministic random challenges; the first ones between them use every digit."""
    rng = random.Random(seed)
    digits = list("0123456789") * 2
    rng.shuffle(digits)
    fixed = ["".join(digits[i : i + 4]) for i in range(0, 20, 4)]
    extra = ["".join(rng.choice("0123456789") for _ in range(4)) for _ in range(count)]
    return (fixed + extra)[:count]


def say(voice: str, digits: str) -> np.ndarray:
    """`voice` reading a challenge one word at a time with short pauses, as asked to."""
    return speakers.synthesise(voice, ", ".join(spoken_phrase(digits).split()) + ".")


def accuracy(results: list[tuple[str, str]]) -> float:
    """Share of (asked, heard) pairs where the heard digits are exactly the ones asked."""
    return sum(asked == heard for asked, heard in results) / len(results)


@pytest.fixture(scope="module")
def voiced() -> None:
    speakers.require_voices()


def run_voices(voices: dict[str, tuple[str, str]], seed: int) -> dict[str, list[tuple[str, str]]]:
    """Every voice reads its challenges; returns (asked, heard) pairs per voice."""
    out: dict[str, list[tuple[str, str]]] = {}
    for i, voice in enumerate(voices):
        out[voice] = [(c, recognise_digits(say(voice, c))) for c in challenges(PER_VOICE, seed + i)]
    return out


def report(results: dict[str, list[tuple[str, str]]]) -> str:
    lines = [
        f"{v}: {accuracy(r):.0%} misses={[p for p in r if p[0] != p[1]]}"
        for v, r in results.items()
    ]
    return "\n".join(lines)


def test_spoken_phrase_and_challenges() -> None:
    assert spoken_phrase("4072") == "four zero seven two"
    assert spoken_phrase("1389") == "one three eight nine"
    made = {new_challenge() for _ in range(200)}
    assert all(len(c) == 4 and c.isdigit() for c in made)
    assert len(made) > 150  # random, not a short cycle
    assert len(new_challenge(6)) == 6


def test_synthetic_voices_are_recognised(voiced: None) -> None:
    results = run_voices(speakers.VOICES, seed=1)
    pairs = [p for r in results.values() for p in r]
    overall = accuracy(pairs)
    print(f"\noverall {overall:.1%} of {len(pairs)}\n{report(results)}")
    assert len(speakers.VOICES) >= 10
    assert {e for e, _ in speakers.VOICES.values()} == {"espeak", "flite", "festival"}
    assert overall >= MIN_OVERALL, report(results)
    for voice, r in results.items():
        assert accuracy(r) >= MIN_PER_VOICE, f"{voice}\n{report(results)}"


def test_hard_voices_stay_far_above_chance(voiced: None) -> None:
    """Known-weak voices (see speakers.HARD_VOICES): tracked, held to a low bar."""
    results = run_voices(speakers.HARD_VOICES, seed=101)
    pairs = [p for r in results.values() for p in r]
    print(f"\nhard voices {accuracy(pairs):.1%} of {len(pairs)}\n{report(results)}")
    assert accuracy(pairs) >= MIN_HARD_OVERALL, report(results)
    for voice, r in results.items():
        assert accuracy(r) > 0, f"{voice}\n{report(results)}"


def degraded(how: str, seed: int) -> list[tuple[str, str]]:
    """Two challenges per main voice, degraded by `how`; (asked, heard) pairs."""
    pairs = []
    for i, voice in enumerate(speakers.VOICES):
        for j, c in enumerate(challenges(2, seed + i)):
            audio = say(voice, c)
            if how == "noise":
                audio = speakers.add_noise(audio, snr_db=20, seed=j)
            else:
                audio = speakers.telephone_band(audio)
            pairs.append((c, recognise_digits(audio)))
    return pairs


def test_noise_is_tolerated(voiced: None) -> None:
    pairs = degraded("noise", seed=500)  # 20 dB SNR white noise: 22/24 right
    assert accuracy(pairs) >= 0.8, pairs


def test_telephone_band_mostly_works(voiced: None) -> None:
    """A wideband model on 300-3400 Hz audio: weaker (13/24 here), still far above chance."""
    pairs = degraded("telephone", seed=600)
    assert accuracy(pairs) >= 0.3, pairs


def test_same_audio_same_answer_in_any_order_and_thread(voiced: None) -> None:
    clips = [speakers.add_noise(say("flite-slt", c), 20, i) for i, c in enumerate(challenges(3, 7))]
    first = [recognise(x) for x in clips]
    assert [recognise(x) for x in reversed(clips)] == first[::-1]
    seen: dict[int, list[Recognition]] = {}

    def work(k: int) -> None:
        seen[k] = [recognise(x) for x in clips]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(v == first for v in seen.values())


def test_silence_and_noise_give_nothing() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(3 * speakers.RATE) / speakers.RATE
    for name, audio in {
        "silence": np.zeros(3 * speakers.RATE, dtype=np.float32),
        "hiss": (0.05 * rng.standard_normal(t.size)).astype(np.float32),
        "hum": (0.2 * np.sin(2 * np.pi * 50 * t)).astype(np.float32),
        "click": np.pad(np.ones(20, dtype=np.float32), (24000, 23980)),
    }.items():
        assert recognise_digits(audio) == "", name


def test_empty_and_tiny_input_give_nothing() -> None:
    for n in (0, 1, 400, 8000):
        assert recognise_digits(np.zeros(n, dtype=np.float32)) == ""


def test_a_failed_decode_does_not_break_the_thread(
    voiced: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = say("flite-rms", "4072")
    real_decode = digits_module._decode

    def fail_mid_utterance(decoder: Any, search: str, pcm: bytes) -> Any:
        decoder.activate_search(search)
        decoder.start_utt()  # left open, as when processing raises
        raise RuntimeError("boom")

    monkeypatch.setattr(digits_module, "_decode", fail_mid_utterance)
    with pytest.raises(RuntimeError):
        recognise(audio)
    monkeypatch.setattr(digits_module, "_decode", real_decode)
    assert recognise_digits(audio) == "4072"


NOT_DIGITS = (
    "Hello, my name is Alice and I like to make music at night.",
    "The quick brown fox jumps over the lazy dog.",
    "Please let me in, I forgot my password again.",
    "I would like two tickets for the concert tonight.",
    "Not a Label is a community for independent musicians.",
)


def test_other_speech_is_rejected(voiced: None) -> None:
    """Sentences leave speech the digits cannot explain, so they are refused outright."""
    heard = {
        (v, s): recognise(speakers.synthesise(v, s))
        for v in ("flite-rms", "flite-slt", "festival-kal", "festival-slt-hts", "espeak-us-m1")
        for s in NOT_DIGITS
    }
    refused = [k for k, r in heard.items() if r.digits == ""]
    # Measured 25/25 here and 58/60 over all VOICES. Short phrases ("open sesame") are
    # mostly still forced into 4 digits (70/84 accepted), which then fail the comparison
    # with the challenge unless they match it by chance.
    assert len(refused) >= 0.9 * len(heard), {k: r for k, r in heard.items() if r.digits}


def test_grammar_only_returns_whole_challenges(voiced: None) -> None:
    three = recognise_digits(speakers.synthesise("flite-rms", "four, zero, seven."))
    five = recognise_digits(say("flite-rms", "40729"))
    assert len(three) in (0, 4)
    assert len(five) in (0, 4)
    assert recognise_digits(say("flite-rms", "40729"), length=5) == "40729"


REAL = [r for r in speakers.real_recordings() if speakers.digits_of(r.transcript)]
OTHER_REAL = [r for r in speakers.real_recordings() if not speakers.digits_of(r.transcript)]


@pytest.mark.skipif(not REAL, reason="pocketsphinx-testdata is not installed")
@pytest.mark.parametrize("recording", REAL, ids=[r.name for r in REAL])
def test_real_digit_recordings(recording: speakers.Recording) -> None:
    expected = speakers.digits_of(recording.transcript)
    assert expected is not None
    assert recognise_digits(recording.load(), length=len(expected)) == expected


@pytest.mark.skipif(not OTHER_REAL, reason="pocketsphinx-testdata is not installed")
def test_real_read_speech_is_rejected() -> None:
    """People reading a novel aloud (librivox) are not taken for a digit answer."""
    books = [r for r in OTHER_REAL if r.name.startswith("librivox/")]
    assert books
    taken = {r.name: recognise(r.load()) for r in books}
    taken = {name: r for name, r in taken.items() if r.digits}
    assert len(taken) <= len(books) // 5, taken


def test_helpers_round_trip() -> None:
    tone = (0.3 * np.sin(np.linspace(0, 200 * np.pi, speakers.RATE))).astype(np.float32)
    wav = speakers.to_wav_bytes(tone)
    assert wav[:4] == b"RIFF"
    noisy = speakers.add_noise(tone, 10, seed=1)
    ratio = np.mean(tone**2) / np.mean((noisy - tone) ** 2)
    assert 10 ** (9 / 10) < ratio < 10 ** (11 / 10)
    assert np.array_equal(noisy, speakers.add_noise(tone, 10, seed=1))
    assert speakers.telephone_band(tone).shape == tone.shape
