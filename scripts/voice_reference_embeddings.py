"""Make the reference fixtures for the numpy GE2E encoder port (tests/voice/test_encoder_port.py).

1. Synthesises short clips with Debian's espeak-ng, flite and festival (text2wave), resamples
   them to 16 kHz mono and writes them as 16-bit FLAC to tests/voice/fixtures/clips/ (kept if
   present; --regenerate-clips rewrites them).
2. Builds a throwaway venv outside the repo (default /tmp/nal-ge2e-ref) holding torch==2.13.0
   (a CPU wheel lies on disk), librosa and resemblyzer==0.1.4 (--no-deps).
3. Runs the original torch VoiceEncoder.embed_utterance on each clip as decoded from its FLAC,
   and writes tests/voice/fixtures/ge2e_reference.npz: per clip the utterance and partial
   embeddings, librosa's mel spectrogram of one clip, and the torch and librosa versions.

Run from the repo root:  .venv/bin/python scripts/voice_reference_embeddings.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "voice" / "fixtures"
CLIPS = FIXTURES / "clips"
REFERENCE = FIXTURES / "ge2e_reference.npz"
TORCH = "torch==2.13.0"
RESEMBLYZER = "resemblyzer==0.1.4"
MEL_CLIP = "espeak_f3_short"

# name -> (synthesiser command with {out} and {text}, text); two clips per voice for the
# same-speaker check, one clip under 1.6 s (a single padded partial).
VOICES: dict[str, tuple[list[str], str]] = {
    "espeak_m3_a": (
        ["espeak-ng", "-v", "en+m3", "-w", "{out}", "{text}"],
        "The quick brown fox jumps over the lazy dog.",
    ),
    "espeak_m3_b": (
        ["espeak-ng", "-v", "en+m3", "-w", "{out}", "{text}"],
        "Please call Stella and ask her to bring these things.",
    ),
    "flite_slt_a": (
        ["flite", "-voice", "slt", "-t", "{text}", "-o", "{out}"],
        "She sells sea shells by the sea shore every summer.",
    ),
    "flite_slt_b": (
        ["flite", "-voice", "slt", "-t", "{text}", "-o", "{out}"],
        "A rainbow divides white light into many beautiful colours.",
    ),
    "festival_kal": (
        ["text2wave", "-o", "{out}", "{text_file}"],
        "Music brings people together in every corner of the world.",
    ),
    "espeak_f3_short": (
        ["espeak-ng", "-v", "en-us+f3", "-w", "{out}", "{text}"],
        "Good morning, Sam.",
    ),
}


def make_clips(regenerate: bool) -> None:
    """Synthesise each missing clip and store it as 16 kHz mono 16-bit FLAC."""
    from math import gcd

    import numpy as np
    import soundfile
    from scipy.signal import resample_poly

    CLIPS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (command, text) in VOICES.items():
            target = CLIPS / f"{name}.flac"
            if target.exists() and not regenerate:
                continue
            out = Path(tmp) / f"{name}.wav"
            if shutil.which(command[0]) is None:
                raise SystemExit(f"{command[0]} is not installed (needed for {name})")
            text_file = Path(tmp) / f"{name}.txt"
            text_file.write_text(text + "\n")
            argv = [arg.format(out=out, text=text, text_file=text_file) for arg in command]
            subprocess.run(argv, check=True, capture_output=True)
            wav, rate = soundfile.read(out, dtype="float64", always_2d=True)
            mono = wav.mean(axis=1)
            common = gcd(16_000, rate)
            mono = resample_poly(mono, 16_000 // common, rate // common)
            # Leave headroom so 16-bit storage never clips.
            mono *= 0.7 / max(float(np.max(np.abs(mono))), 1e-9)
            soundfile.write(target, mono, 16_000, subtype="PCM_16", format="FLAC")
            print(f"{target.relative_to(ROOT)}: {len(mono) / 16_000:.2f} s")


def ensure_venv(venv: Path) -> Path:
    """Create the reference venv once; return its python."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    # torch is pinned: the matching CPU wheel is on this machine; any other would download GBs.
    subprocess.run([*pip, TORCH, "librosa", "soundfile"], check=True)
    subprocess.run([*pip, "--no-deps", RESEMBLYZER], check=True)
    return python


def child() -> None:
    """Inside the reference venv: run the torch encoder on every clip and save the npz."""
    import types

    import librosa
    import numpy as np
    import soundfile
    import torch

    # resemblyzer.audio imports webrtcvad at module level; it is only used by preprocess_wav,
    # which is not called (the port gets the same already-prepared waves), so stub it.
    sys.modules.setdefault("webrtcvad", types.ModuleType("webrtcvad"))
    from resemblyzer import VoiceEncoder
    from resemblyzer.audio import wav_to_mel_spectrogram

    torch.set_num_threads(1)
    encoder = VoiceEncoder(device="cpu", verbose=False)
    arrays: dict[str, np.ndarray] = {
        "torch_version": np.array(torch.__version__),
        "librosa_version": np.array(librosa.__version__),
    }
    names = sorted(path.stem for path in CLIPS.glob("*.flac"))
    arrays["clips"] = np.array(names)
    for name in names:
        wav, rate = soundfile.read(CLIPS / f"{name}.flac", dtype="float32")
        if rate != 16_000 or wav.ndim != 1:
            raise SystemExit(f"{name}: expected 16 kHz mono, got {rate} Hz, {wav.ndim}-D")
        embed, partials, _ = encoder.embed_utterance(wav, return_partials=True)
        arrays[f"embed/{name}"] = embed.astype(np.float32)
        arrays[f"partials/{name}"] = partials.astype(np.float32)
        print(f"{name}: {len(wav) / 16_000:.2f} s, {len(partials)} partial(s)")
        if name == MEL_CLIP:
            arrays["mel/" + name] = wav_to_mel_spectrogram(wav)
    np.savez_compressed(REFERENCE, **arrays)
    print(f"wrote {REFERENCE.relative_to(ROOT)} (torch {torch.__version__}, "
          f"librosa {librosa.__version__})")  # fmt: skip


def main() -> None:
    """Parse arguments; make clips here, then rerun this file inside the reference venv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/nal-ge2e-ref"))
    parser.add_argument("--regenerate-clips", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    if args.venv.resolve().is_relative_to(ROOT):
        parser.error("the reference venv must live outside the repository")
    make_clips(args.regenerate_clips)
    python = ensure_venv(args.venv)
    subprocess.run([str(python), __file__, "--child"], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
