"""Voice login figures: verifier EER (clean, 20 dB noise, telephone band), digit accuracy,
melody-match EER, and the time and memory of one verification of 3 s of speech.

    PYTHONPATH=. .venv/bin/python benchmarks/voice.py [--digits-per-voice 12]

The speakers are synthetic (Debian's flite, festival and espeak-ng voices, as in the tests):
these figures say how the pipeline behaves on them, not how it does on real people.
Each voice enrols on 3 sentences and is tested on 5 others (text-independent); every test
utterance is tried against every voiceprint. Noise and telephone band touch test audio only.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tests.voice.hums import melody_eer, signature_melodies
from tests.voice.speakers import add_noise, synthesise, telephone_band, to_wav_bytes

from notalabel.voice.analysis import Analysis, analyse
from notalabel.voice.audio import read_recording
from notalabel.voice.digits import recognise_digits, spoken_phrase
from notalabel.voice.humming import MATCH_THRESHOLD
from notalabel.voice.verification import (
    DEFAULT_THRESHOLD,
    calibrated,
    centroid,
    cosine,
)

# one voice per speaker: flite-kal/festival-kal and flite-slt/festival-slt-hts are one person
# one voice per speaker: flite-kal and festival-kal are one recorded person, as are flite-slt
# and festival-slt-hts; espeak-ng's accents (en-gb-x-rp, en-us-nyc, ...) keep one voice, so
# only its voice variants (+m1, +f2, +m3, +klatt) count as other speakers
VOICES = (
    "flite-kal16", "flite-awb", "flite-rms", "flite-slt", "festival-ked",
    "espeak-gb-rp", "espeak-us-m1", "espeak-us-f2", "espeak-m3", "espeak-us-klatt",
)  # fmt: skip
ENROL = (
    "My favourite music has deep bass and slow, dreamy chords.",
    "I make beats late at night with a cup of tea beside me.",
    "The quick brown fox jumps over the lazy dog by the river.",
)
TEST = (
    "Please call Stella and ask her to bring these things with her from the store.",
    "We walked along the beach until the sun went down behind the hills.",
    "A good melody stays in your head for days after you first hear it.",
    "Turn the reverb up a little and let the snare breathe in the mix.",
    "Seven red boats sailed past the old lighthouse early this morning.",
)
CONDITIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "clean": lambda x: x,
    "noise 20 dB": lambda x: add_noise(x, 20.0, seed=len(x)),
    "telephone band": telephone_band,
}


def heard(samples: np.ndarray, *, enrolment: bool = False) -> Analysis:
    """What the service makes of synthetic samples, through its own upload path."""
    return analyse(read_recording(to_wav_bytes(samples)), enrolment=enrolment)


def embed(samples: np.ndarray) -> np.ndarray:
    """The speaker embedding of synthetic samples."""
    return heard(samples).embedding


@dataclass(frozen=True)
class Voiceprint:
    """A speaker's centroid, and the phone-line one the service keeps beside it."""

    wide: np.ndarray
    phone: np.ndarray

    def score(self, test: Analysis) -> float:
        """The calibrated score of a test recording, against the print its channel matches."""
        reference = self.phone if test.narrowband else self.wide
        return calibrated(cosine(test.embedding, reference), narrowband=test.narrowband)


def enrol(voice: str) -> Voiceprint:
    """The voiceprint of `voice` from the three enrolment sentences."""
    samples = [heard(synthesise(voice, s), enrolment=True) for s in ENROL]
    return Voiceprint(
        centroid([s.embedding for s in samples]),
        centroid([s.phone_embedding for s in samples if s.phone_embedding is not None]),
    )


def equal_error_rate(genuine: list[float], impostor: list[float]) -> tuple[float, float]:
    """(EER, threshold) from the score lists: where false accepts meet false rejects."""
    best = (1.0, 0.0)
    for threshold in sorted(set(genuine) | set(impostor)):
        far = sum(s >= threshold for s in impostor) / len(impostor)
        frr = sum(s < threshold for s in genuine) / len(genuine)
        gap = abs(far - frr)
        if gap < best[0]:
            best, eer = (gap, threshold), (far + frr) / 2
    return eer, best[1]


def challenge_answers(voice: str, count: int = 5) -> list[str]:
    """Random 4-digit answers, read the way the login asks (a login-like trial)."""
    rng = random.Random(voice)
    return [", ".join(spoken_phrase(f"{rng.randrange(10_000):04d}").split()) for _ in range(count)]


def verifier(voices: tuple[str, ...]) -> None:
    """EER per condition, and false accepts / rejects at the default threshold."""
    prints = {v: enrol(v) for v in voices}
    trials = {"sentences": lambda v: TEST, "4 digits": challenge_answers}
    for (name, degrade), (kind, texts) in itertools.product(CONDITIONS.items(), trials.items()):
        tests = {v: [heard(degrade(synthesise(v, s))) for s in texts(v)] for v in voices}
        genuine = [prints[v].score(t) for v in voices for t in tests[v]]
        impostor = [prints[v].score(t)
                    for v in voices for w in voices if w != v for t in tests[w]]  # fmt: skip
        eer, at = equal_error_rate(genuine, impostor)
        far = sum(s >= DEFAULT_THRESHOLD for s in impostor) / len(impostor)
        frr = sum(s < DEFAULT_THRESHOLD for s in genuine) / len(genuine)
        print(
            f"verifier {name:15} {kind:9} EER {eer:6.1%} (at score {at:.2f})   at "
            f"{DEFAULT_THRESHOLD}: "
            f"false accepts {far:5.1%} of {len(impostor)}, false rejects {frr:5.1%} of "
            f"{len(genuine)}"
        )


def digits(voices: tuple[str, ...], per_voice: int) -> None:
    """How often the four digits said are the four digits heard."""
    rng = random.Random(14)
    right = total = 0
    for voice in voices:
        for _ in range(per_voice):
            said = "".join(rng.choice("0123456789") for _ in range(4))
            text = ", ".join(spoken_phrase(said).split())
            audio = read_recording(to_wav_bytes(synthesise(voice, text)))
            right += recognise_digits(audio.samples) == said
            total += 1
    print(
        f"digit challenges  {right / total:6.1%} right ({right} of {total}, {len(voices)} voices)"
    )


def melodies() -> None:
    """EER of humming a signature melody against other signatures' melodies."""
    result = melody_eer(signature_melodies(24), trials=40)
    print(
        f"melody match      EER {result.eer:6.1%} over {len(result.genuine)} genuine hums "
        f"(lowest {min(result.genuine):.2f}) and {len(result.impostor)} of other melodies "
        f"(highest {max(result.impostor):.2f}); threshold {MATCH_THRESHOLD}"
    )


def one_verification() -> None:
    """Time of one verification of 3 s of speech (decode, embed, features, compare, digits)."""
    speech = synthesise("flite-rms", TEST[0])[: 3 * 16000]
    data = to_wav_bytes(speech)
    voiceprint = embed(speech)

    def verify() -> float:
        return calibrated(cosine(analyse(read_recording(data)).embedding, voiceprint))

    def with_digits() -> str:
        return recognise_digits(read_recording(data).samples)

    for label, call in (("speaker check", verify), ("digit recognition", with_digits)):
        call()
        walls, cpus = [], []
        for _ in range(20):
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall_ms, cpu_ms = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        print(
            f"one verification: {label:17} median {wall_ms:5.0f} ms wall, {cpu_ms:5.0f} ms CPU "
            "(20 runs, 3 s of audio)"
        )


MEMORY_PROBE = """
import sys
def rss():  # resident now: a forked child inherits its parent's peak, so ru_maxrss misleads
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
before = rss()
from notalabel.app import create_app  # the service as it starts, before any voice work
started = rss()
from notalabel.voice.analysis import analyse_challenge
from notalabel.voice.audio import read_recording
data = open(sys.argv[1], "rb").read()
analyse_challenge(read_recording(data))
print(started - before, rss() - started)
"""


def memory() -> None:
    """Peak resident memory the first verification adds to a started service process."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".wav") as handle:
        handle.write(to_wav_bytes(synthesise("flite-rms", TEST[0])[: 3 * 16000]))
        handle.flush()
        out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, handle.name], check=True,
                             capture_output=True, text=True).stdout.split()  # fmt: skip
    app_kb, voice_kb = (int(x) for x in out)
    print(
        f"memory: the app {app_kb / 1024:.0f} MB resident; the first verification adds "
        f"{voice_kb / 1024:.0f} MB (encoder weights, pocketsphinx model, buffers)"
    )


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits-per-voice", type=int, default=12)
    args = parser.parse_args()
    print("synthetic voices: no claim about real speakers\n")
    verifier(VOICES)
    digits(VOICES, args.digits_per_voice)
    melodies()
    one_verification()
    memory()


if __name__ == "__main__":
    main()
