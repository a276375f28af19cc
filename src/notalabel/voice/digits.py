"""Offline recognition of spoken digit challenges (voice login) with pocketsphinx.

A login challenge is a short random digit string the person reads aloud. The audio is
decoded twice with the bundled US English acoustic model: against a grammar that accepts
exactly N digits, and with a free phone loop. The phone loop says where speech really is
and what it sounds like, so the grammar's forced answer is refused when it leaves much
speech unexplained, sits on phones unlike its digits, or there is hardly any speech.
Decoding is CPU-bound (~0.2 s for 3 s of audio): call it from a worker thread.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pocketsphinx

RATE = 16000
CHALLENGE_LENGTH = 4
MAX_SECONDS = 20.0  # the login upload allows 10 s; refuse to spend CPU on more

# Pronunciations from the CMUdict bundled with pocketsphinx. Adding only these words
# instead of loading the 130k-word dictionary saves ~25 MB and ~0.1 s per decoder.
_PRONUNCIATIONS: dict[str, tuple[str, ...]] = {
    "zero": ("Z IH R OW", "Z IY R OW"),
    "oh": ("OW",),
    "one": ("W AH N",),
    "two": ("T UW",),
    "three": ("TH R IY",),
    # Not in CMUdict: non-rhotic "faw" (British) and "foh-r" (hoarse vowel, Scottish,
    # Irish, some US accents). Measured: "four, four, ..." 86% -> 95% right.
    "four": ("F AO R", "F AO", "F OW R"),
    "five": ("F AY V",),
    "six": ("S IH K S",),
    "seven": ("S EH V AH N",),
    "eight": ("EY T",),
    "nine": ("N AY N",),
}
WORD_TO_DIGIT = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
# We show "zero", so "oh" gets a lower prior: it is what a non-rhotic "four" (F AO)
# most often turns into.
_WEIGHTS: dict[str, float] = {"oh": 0.1}
_DIGIT_PHONES = {w: frozenset(" ".join(p).split()) for w, p in _PRONUNCIATIONS.items()}
_DIGIT_TO_WORD = {d: w for w, d in WORD_TO_DIGIT.items() if w != "oh"}

# Clean or synthetic audio has digital silence and spectral holes the acoustic model
# (trained on microphone speech) never saw; a steady pink noise floor 30 dB under the
# signal fills them, like a quiet room would. Measured on 16 synthetic voices x 20
# challenges (language weight 6.5): no floor 70%, white floor 87%, pink floor 90%.
# White noise looks like an /f/ and turned leading silence into "five". Seeded, so the
# same audio always gives the same answer.
_NOISE_FLOOR_DB = 30.0
_NOISE_SEED = 20240607
# Grammar vs. acoustics. The default 6.5 made the pause between two equal digits too
# dear ("four, four" -> "five four"); 2, 3 and 4 all fixed that, 3 is the middle.
_LANGUAGE_WEIGHT = 3.0

# Rejection thresholds in 10 ms frames, from synthetic digits vs. other speech.
_MAX_UNEXPLAINED_FRAMES = 60  # speech the digits leave to silence (digits: <= ~50)
_MIN_SPEECH_FRAMES = 50  # even two digits take more than half a second to say
# Share of the digits' frames where the free phone loop heard one of that digit's own
# phones. Synthetic digits: 0.25-0.96, median 0.65; other speech forced into digits:
# 0.0-0.79, median 0.4. The bar only catches speech that is plainly not digits.
_MIN_PHONE_AGREEMENT = 0.2


@dataclass(frozen=True)
class Recognition:
    """What the recogniser heard, with the evidence used to accept or reject it."""

    digits: str  # digits heard, "" when rejected or nothing was heard
    best_guess: str  # the grammar's answer before rejection, for logs and tuning
    speech_frames: int  # 10 ms frames the phone loop heard as speech
    unexplained_frames: int  # of those, frames the digit answer leaves to silence/noise
    phone_agreement: float  # share of digit frames where the phone loop heard that digit's phones


class _Seg(NamedTuple):
    word: str
    start: int  # first frame
    end: int  # one past the last frame


def _grammar(length: int) -> str:
    # Exactly `length` digits; pocketsphinx inserts optional silence and filler words
    # between words itself (fsgusefiller), which absorbs the pauses between digits.
    words = " | ".join(f"/{_WEIGHTS.get(w, 1.0):g}/ {w}" for w in _PRONUNCIATIONS)
    digits = " ".join(["<digit>"] * length)
    return f"#JSGF V1.0;\ngrammar digits;\n<digit> = {words};\npublic <digits> = {digits};\n"


def _new_decoder() -> pocketsphinx.Decoder:
    model = os.path.join(pocketsphinx.get_model_path(), "en-us")
    decoder = pocketsphinx.Decoder(
        hmm=os.path.join(model, "en-us"),
        lm=None,
        dict=None,
        samprate=RATE,
        dither=False,  # identical audio must give identical answers
        bestpath=False,  # lattice rescoring does not help a digit grammar; skip its cost
        lw=_LANGUAGE_WEIGHT,
        loglevel="FATAL",
        logfn=os.devnull,
    )
    for word, prons in _PRONUNCIATIONS.items():
        for i, pron in enumerate(prons):
            decoder.add_word(word if i == 0 else f"{word}({i + 1})", pron, False)
    decoder.add_allphone_file("phones", os.path.join(model, "en-us-phone.lm.bin"))
    return decoder


class _Local(threading.local):
    def __init__(self) -> None:
        self.decoder: pocketsphinx.Decoder | None = None
        self.grammars: set[int] = set()


# A decoder is not thread-safe: one per thread, built on first use. It takes ~10 ms and
# ~4-7 MB (the acoustic model is memory-mapped and shared), so no pool is needed.
_local = _Local()


def _decoder_for(length: int) -> tuple[pocketsphinx.Decoder, str]:
    if _local.decoder is None:
        _local.decoder = _new_decoder()
    name = f"digits{length}"
    if length not in _local.grammars:
        _local.decoder.add_jsgf_string(name, _grammar(length))
        _local.grammars.add(length)
    return _local.decoder, name


def _pink_noise(n: int) -> np.ndarray:
    white = np.random.default_rng(_NOISE_SEED).standard_normal(n)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 2 else 1.0
    pink = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    std = float(pink.std())
    return pink / std if std > 0 else pink


def _pcm16(samples: np.ndarray) -> bytes:
    x = np.nan_to_num(np.asarray(samples, dtype=np.float64).ravel())
    x -= x.mean() if x.size else 0.0
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 0.0:
        # Peak-normalise so quiet microphones still use the 16-bit range.
        x *= 0.5 / peak
        rms = float(np.sqrt(np.mean(np.square(x))))
        x += _pink_noise(x.size) * rms * 10 ** (-_NOISE_FLOOR_DB / 20)
    return (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _decode(decoder: pocketsphinx.Decoder, search: str, pcm: bytes) -> tuple[int, list[_Seg]]:
    """Decode `pcm` with one search: frame count and its words (fillers dropped)."""
    decoder.activate_search(search)
    # Noise and cepstral-mean estimates otherwise carry over from the previous clip,
    # which made answers depend on what this thread decoded before.
    decoder.reinit_feat()
    decoder.start_utt()
    # full_utt lets cepstral mean normalisation use the whole clip, not a running guess.
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    frames = max(int(decoder.n_frames()), 0)
    if decoder.hyp() is None:
        return frames, []
    words = []
    for seg in decoder.seg() or ():
        word = str(seg.word).split("(")[0]  # "zero(2)" is an alternative pronunciation
        # Silence, sentence markers and noise fillers ("<sil>", "SIL", "+NSN+", "[NOISE]").
        if word[:1] in "<+[" or word in ("", "SIL") or seg.start_frame < 0:
            continue
        words.append(_Seg(word, int(seg.start_frame), int(seg.end_frame) + 1))
    return frames, words


def recognise(samples: np.ndarray, length: int = CHALLENGE_LENGTH) -> Recognition:
    """Recognise exactly `length` spoken digits in float32 mono 16 kHz audio."""
    if length < 1:
        raise ValueError("length must be positive")
    if len(samples) > MAX_SECONDS * RATE:
        raise ValueError(f"audio longer than {MAX_SECONDS:g} s")
    pcm = _pcm16(samples)
    if len(pcm) < 2 * _MIN_SPEECH_FRAMES * RATE // 100:
        return Recognition("", "", 0, 0, 0.0)  # too short to hold any answer
    decoder, grammar = _decoder_for(length)
    try:
        frames, digits = _decode(decoder, grammar, pcm)
        phone_frames, phones = _decode(decoder, "phones", pcm)
    except BaseException:
        # A decoder that failed mid-utterance refuses new ones: build a fresh one next time.
        _local.decoder = None
        _local.grammars.clear()
        raise
    guess = "".join(WORD_TO_DIGIT.get(d.word, "") for d in digits)
    # Per frame: which phone the free phone loop heard there ("" for silence/noise).
    heard = np.full(max(frames, phone_frames), "", dtype=object)
    for ph in phones:
        heard[ph.start : ph.end] = ph.word
    in_digit = np.zeros(heard.size, dtype=bool)
    agreeing = 0
    for d in digits:
        in_digit[d.start : d.end] = True
        agreeing += sum(p in _DIGIT_PHONES.get(d.word, ()) for p in heard[d.start : d.end])
    speech = heard != ""
    digit_frames = int(in_digit.sum())
    result = Recognition(
        digits="",
        best_guess=guess,
        speech_frames=int(speech.sum()),
        unexplained_frames=int((speech & ~in_digit).sum()),
        phone_agreement=agreeing / digit_frames if digit_frames else 0.0,
    )
    accepted = (
        len(guess) == length
        and result.speech_frames >= _MIN_SPEECH_FRAMES
        and result.unexplained_frames <= _MAX_UNEXPLAINED_FRAMES
        and result.phone_agreement >= _MIN_PHONE_AGREEMENT
    )
    return dataclasses.replace(result, digits=guess) if accepted else result


def recognise_digits(samples: np.ndarray, length: int = CHALLENGE_LENGTH) -> str:
    """Digits heard in the audio as a string like "4072", or "" when none were heard."""
    return recognise(samples, length).digits


def new_challenge(length: int = CHALLENGE_LENGTH) -> str:
    """A fresh random digit challenge such as "4072"."""
    return "".join(secrets.choice("0123456789") for _ in range(length))


def spoken_phrase(digits: str) -> str:
    """Words a person should say for a challenge: "4072" -> "four zero seven two"."""
    return " ".join(_DIGIT_TO_WORD[d] for d in digits)
