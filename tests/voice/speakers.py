"""Synthetic and recorded speakers for voice tests (a helper, not a test module).

Synthetic speech comes from Debian's espeak-ng, flite and festival (text2wave); real
human speech comes from Debian's pocketsphinx-testdata package. Everything is returned
as float32 mono at 16 kHz, the rate the voice code expects.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from notalabel.voice.channel import telephone_band
from notalabel.voice.digits import WORD_TO_DIGIT
from notalabel.voice.encoder.preprocess import resample

__all__ = ["telephone_band"]  # re-exported: tests and the benchmark degrade audio with it

RATE = 16000

# Bump when the synthesis commands change so stale cached audio is not reused.
_CACHE_VERSION = "1"
_CACHE_DIR = Path(tempfile.gettempdir()) / f"nal-voice-cache-{os.getuid()}"

# name -> (engine, engine's voice id). espeak-ng variants all share one formant
# synthesizer, so half the list is flite and festival, which are different engines
# (diphone, clustergen and HTS statistical voices) with different recorded speakers.
VOICES: dict[str, tuple[str, str]] = {
    "flite-kal16": ("flite", "kal16"),  # US male, diphone
    "flite-awb": ("flite", "awb"),  # Scottish male, clustergen
    "flite-rms": ("flite", "rms"),  # US male, clustergen
    "flite-slt": ("flite", "slt"),  # US female, clustergen
    "festival-kal": ("festival", "kal_diphone"),  # US male, diphone
    "festival-slt-hts": ("festival", "cmu_us_slt_arctic_hts"),  # US female, HTS
    "espeak-us-m1": ("espeak", "en-us+m1"),
    "espeak-us-f2": ("espeak", "en-us+f2"),
    "espeak-us-nyc": ("espeak", "en-us-nyc"),
    "espeak-gb-rp": ("espeak", "en-gb-x-rp"),
    "espeak-gb-lancaster": ("espeak", "en-gb-x-gbclan"),
    "espeak-us-klatt": ("espeak", "en-us+klatt"),  # espeak's Klatt synthesis, not its default
}

# Voices the recogniser measurably struggles with, kept apart so their numbers stay
# visible without hiding regressions on VOICES: flite's 8 kHz kal has nothing above
# 4 kHz (its "six" loses the /s/), and some espeak variants have systematic
# confusions with the CMU acoustic model ("five" -> "nine" for en+f3, "nine" -> "one"
# for Scottish, dropped digits for Caribbean).
HARD_VOICES: dict[str, tuple[str, str]] = {
    "flite-kal-8khz": ("flite", "kal"),
    "espeak-f3": ("espeak", "en+f3"),
    "espeak-scotland": ("espeak", "en-gb-scotland"),
    "espeak-caribbean": ("espeak", "en-029"),
}

# more speakers for benchmarks/voice.py's verifier trials (digits are measured on them there)
SPEAKER_VOICES: dict[str, tuple[str, str]] = {
    "festival-ked": ("festival", "ked_diphone"),  # US male, diphone (festvox-kdlpc16k)
    "espeak-m3": ("espeak", "en+m3"),
}

_ALL_VOICES = {**VOICES, **HARD_VOICES, **SPEAKER_VOICES}

_BINARIES = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave"}

TESTDATA = Path("/usr/share/pocketsphinx/test/data")


def available() -> bool:
    """True when all three synthesizers are installed."""
    return all(shutil.which(b) for b in _BINARIES.values())


def require_voices() -> None:
    """Skip the calling test when synthesizers are missing (fail if NAL_REQUIRE_VOICE=1)."""
    if available():
        return
    missing = ", ".join(b for b in _BINARIES.values() if not shutil.which(b))
    message = f"speech synthesizers missing: {missing}"
    if os.environ.get("NAL_REQUIRE_VOICE") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _read_wav(data: bytes) -> np.ndarray:
    samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    mono = samples.mean(axis=1).astype(np.float32)
    return mono if rate == RATE else resample(mono, int(rate))


def _run_engine(engine: str, voice: str, text: str, out: Path) -> None:
    # Text goes through stdin or a single argv item (never a shell), so any text is safe.
    if engine == "espeak":
        cmd = ["espeak-ng", "-v", voice, "-w", str(out), "--stdin"]
        stdin: str | None = text
    elif engine == "flite":
        cmd, stdin = ["flite", "-voice", voice, "-t", text, "-o", str(out)], None
    elif engine == "festival":
        cmd, stdin = ["text2wave", "-eval", f"(voice_{voice})", "-o", str(out)], text
    else:
        raise ValueError(f"unknown engine {engine!r}")
    subprocess.run(cmd, input=stdin, text=True, check=True, capture_output=True, timeout=60)


def synthesise(voice: str, text: str) -> np.ndarray:
    """Speak `text` with a voice from VOICES or HARD_VOICES: float32 mono 16 kHz, cached."""
    engine, engine_voice = _ALL_VOICES[voice]
    key = hashlib.sha256(f"{_CACHE_VERSION}\0{engine}\0{engine_voice}\0{text}".encode()).hexdigest()
    cached = _CACHE_DIR / f"{key}.wav"
    if not cached.exists():
        _CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # Synthesise to a private file then rename, so parallel runs never see half a file.
        fd, tmp_name = tempfile.mkstemp(suffix=".wav", dir=_CACHE_DIR)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _run_engine(engine, engine_voice, text, tmp)
            os.replace(tmp, cached)
        finally:
            tmp.unlink(missing_ok=True)
    return _read_wav(cached.read_bytes())


def to_wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """Encode float samples as a 16-bit PCM WAV file in memory."""
    buf = io.BytesIO()
    sf.write(buf, np.asarray(samples, dtype=np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def add_noise(samples: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    """Add white Gaussian noise at the given signal-to-noise ratio (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    power = float(np.mean(np.square(samples, dtype=np.float64))) or 1e-10
    noise = rng.standard_normal(len(samples)) * np.sqrt(power / 10 ** (snr_db / 10))
    return np.asarray(samples + noise, dtype=np.float32)


@dataclass(frozen=True)
class Recording:
    """A real human recording from pocketsphinx-testdata, with its transcript."""

    name: str
    path: Path
    transcript: str  # lower-case words, as spoken

    def load(self) -> np.ndarray:
        """Read the audio as float32 mono 16 kHz."""
        if self.path.suffix == ".raw":
            # The .raw files are headerless 16-bit little-endian mono at 16 kHz.
            pcm = np.frombuffer(self.path.read_bytes(), dtype="<i2")
            return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
        return _read_wav(self.path.read_bytes())


def digits_of(transcript: str) -> str | None:
    """The digit string of an all-digit transcript, or None if any word is not a digit."""
    words = transcript.split()
    if not words or any(w not in WORD_TO_DIGIT for w in words):
        return None
    return "".join(WORD_TO_DIGIT[w] for w in words)


def _sphinx_transcripts(path: Path) -> dict[str, str]:
    # Lines look like "<s> words </s> (utterance-id)"; the id names the audio file.
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if "(" not in line:
            continue
        words, _, ident = line.rpartition("(")
        text = " ".join(w for w in words.split() if w not in ("<s>", "</s>"))
        out[ident.rstrip(") ").split()[0]] = text
    return out


def real_recordings() -> list[Recording]:
    """Real human recordings with transcripts found in pocketsphinx-testdata (may be empty)."""
    found: list[Recording] = []
    # Utterances whose transcripts are not shipped next to the audio; pocketsphinx's own
    # tests and tidigits file naming (2934z = "two nine three four zero") give them.
    # numbers.raw is left out: nothing documents what it says. The tidigits/*.mfc files
    # are features, not audio.
    fixed = {
        "tidigits/dhd.2934z.raw": "two nine three four zero",
        "goforward.raw": "go forward ten meters",
        "something.raw": "go somewhere and do something",
    }
    for rel, text in fixed.items():
        path = TESTDATA / rel
        if path.exists():
            found.append(Recording(Path(rel).stem, path, text))
    for folder, listing in (("cards", "cards.transcription"), ("librivox", "transcription")):
        transcript_file = TESTDATA / folder / listing
        if not transcript_file.exists():
            continue
        for ident, text in _sphinx_transcripts(transcript_file).items():
            path = TESTDATA / folder / f"{ident}.wav"
            if path.exists():
                found.append(Recording(f"{folder}/{ident}", path, text))
    return found
