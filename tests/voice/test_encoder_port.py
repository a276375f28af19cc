"""The numpy GE2E encoder port against the torch original (scripts/voice_reference_embeddings.py).

Skipped when the Resemblyzer weights are not installed (requirements-model.lock), unless
NAL_REQUIRE_VOICE=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile

from notalabel.voice.encoder import (
    SpeakerEncoder,
    load_encoder,
    partial_slices,
    preprocess,
)
from notalabel.voice.encoder import checkpoint as ckpt
from notalabel.voice.encoder.mel import mel_filterbank, mel_spectrogram, n_frames
from notalabel.voice.encoder.preprocess import normalize_volume, trim_long_silences

try:
    ckpt.resemblyzer_weights_path()
except ckpt.CheckpointError as exc:
    if os.environ.get("NAL_REQUIRE_VOICE") == "1":
        pytest.fail(f"NAL_REQUIRE_VOICE=1 but {exc}", pytrace=False)
    pytest.skip(str(exc), allow_module_level=True)

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = np.load(FIXTURES / "ge2e_reference.npz")
CLIPS = [str(name) for name in REFERENCE["clips"]]
# Measured port-vs-torch: cosine distance <= 6e-8, max |difference| <= 4.3e-7 (float32).
MAX_ABS_DIFF = 5e-6
MIN_COSINE = 0.99999


def _clip(name: str) -> np.ndarray:
    wav, rate = soundfile.read(FIXTURES / "clips" / f"{name}.flac", dtype="float32")
    assert rate == 16_000
    return wav


@pytest.fixture(scope="module")
def embeddings() -> dict[str, np.ndarray]:
    encoder = load_encoder()
    return {name: encoder.embed_utterance(_clip(name)) for name in CLIPS}


def test_fixtures_cover_short_and_multi_partial_clips() -> None:
    lengths = [len(_clip(name)) / 16_000 for name in CLIPS]
    assert min(lengths) < 1.6 < max(lengths)
    assert str(REFERENCE["torch_version"]).startswith("2.13.0")
    assert str(REFERENCE["librosa_version"])


@pytest.mark.parametrize("name", CLIPS)
def test_embedding_matches_torch(name: str, embeddings: dict[str, np.ndarray]) -> None:
    ours, theirs = embeddings[name], REFERENCE[f"embed/{name}"]
    assert ours.dtype == np.float32
    assert ours.shape == (256,)
    assert abs(float(np.linalg.norm(ours)) - 1.0) < 1e-5
    assert float(ours @ theirs) >= MIN_COSINE
    assert float(np.abs(ours - theirs).max()) <= MAX_ABS_DIFF
    partials = load_encoder().embed_partials(_clip(name))
    assert partials.shape == REFERENCE[f"partials/{name}"].shape
    assert float(np.abs(partials - REFERENCE[f"partials/{name}"]).max()) <= MAX_ABS_DIFF


def test_same_speaker_scores_higher(embeddings: dict[str, np.ndarray]) -> None:
    def cos(a: str, b: str) -> float:
        return float(embeddings[a] @ embeddings[b])

    same = [cos("espeak_m3_a", "espeak_m3_b"), cos("flite_slt_a", "flite_slt_b")]
    voice = {name: name.rsplit("_", 1)[0] for name in CLIPS}
    different = [cos(a, b) for a in CLIPS for b in CLIPS if a < b and voice[a] != voice[b]]
    assert min(same) > max(different) + 0.05


def test_mel_matches_librosa_reference() -> None:
    name = next(key.split("/", 1)[1] for key in REFERENCE.files if key.startswith("mel/"))
    ours, theirs = mel_spectrogram(_clip(name)), REFERENCE[f"mel/{name}"]
    assert ours.shape == theirs.shape
    assert ours.dtype == np.float32
    assert float(np.abs(ours - theirs).max()) <= 1e-5 * float(theirs.max())


def test_mel_places_a_tone_in_its_band() -> None:
    # Slaney mel scale: 40 bands evenly spaced in mel between 0 and 8 kHz.
    def hz_to_mel(hz: float) -> float:
        return hz / (200 / 3) if hz < 1000 else 15 + np.log(hz / 1000) / (np.log(6.4) / 27)

    centres_mel = np.linspace(0, hz_to_mel(8000), 42)[1:-1]
    t = np.arange(16_000) / 16_000
    for hz in (300.0, 1000.0, 3000.0):
        mel = mel_spectrogram(0.5 * np.sin(2 * np.pi * hz * t).astype(np.float32))
        assert mel.shape == (n_frames(16_000), 40) == (101, 40)
        band = int(np.argmax(mel[10:-10].mean(axis=0)))
        assert abs(band - int(np.argmin(np.abs(centres_mel - hz_to_mel(hz))))) <= 1
    assert mel_filterbank().shape == (40, 201)
    assert np.allclose(mel_spectrogram(np.zeros(3200, np.float32)), 0.0)


def test_partial_slices_follow_resemblyzer() -> None:
    wav_slices, mel_slices = partial_slices(48_000)
    assert [(s.start, s.stop) for s in mel_slices] == [(0, 160), (77, 237), (154, 314)]
    assert wav_slices[0] == slice(0, 25_600)
    assert len(partial_slices(8_000)[1]) == 1


def test_embed_refuses_empty_audio() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        load_encoder().embed_utterance(np.zeros(0, np.float32))


def test_encoder_is_loaded_once() -> None:
    assert load_encoder() is load_encoder()
    assert isinstance(load_encoder(), SpeakerEncoder)


def test_preprocess_normalises_and_trims_silence() -> None:
    speech = _clip("flite_slt_a")
    quiet = 0.01 * speech
    raised = normalize_volume(quiet, -30.0, increase_only=True)
    assert 20 * np.log10(np.sqrt(np.mean(raised.astype(np.float64) ** 2))) == pytest.approx(-30)
    assert normalize_volume(speech, -60.0, increase_only=True) is speech
    gap = np.zeros(16_000, np.float32)
    padded = np.concatenate([speech, gap, speech])
    trimmed = trim_long_silences(padded)
    assert len(trimmed) % 480 == 0
    # The 1 s gap shrinks to a few windows; the speech around it stays.
    assert 2 * len(speech) - 16_000 < len(trimmed) < len(padded) - 12_000
    out = preprocess(np.interp(np.arange(0, len(speech), 16 / 22.05), np.arange(len(speech)),
                               speech).astype(np.float32), 22_050)  # fmt: skip
    assert abs(len(out) - len(speech)) < 0.25 * len(speech)


# -- the checkpoint reader: a hand-assembled legacy file, valid or hostile ---------------------

_TORCH_GLOBALS = b"ctorch._utils\n_rebuild_tensor_v2\n"


def _op(value: object) -> bytes:
    """Opcodes that push value (protocol 2, without PROTO and STOP)."""
    return pickle.dumps(value, protocol=2)[2:-1]


def _tensor(
    key: str, numel: int, offset: int, size: tuple[int, ...], stride: tuple[int, ...]
) -> bytes:
    storage_id = b"(" + _op("storage") + b"ctorch\nFloatStorage\n" + _op(key) + _op("cpu")
    storage_id += _op(numel) + b"Nt" + b"Q"
    hooks = b"ccollections\nOrderedDict\n)R"
    args = storage_id + _op(offset) + _op(size) + _op(stride) + b"\x89" + hooks
    return _TORCH_GLOBALS + b"(" + args + b"tR"


def _legacy(main: bytes, storages: dict[str, np.ndarray], magic: bytes | None = None) -> bytes:
    sys_info = {"protocol_version": 1001, "little_endian": True, "type_sizes": {"int": 4}}
    head = magic or pickle.dumps(ckpt._LEGACY_MAGIC, protocol=2)
    out = head + pickle.dumps(1001, protocol=2) + pickle.dumps(sys_info, protocol=2)
    out += b"\x80\x02" + main + b"." + pickle.dumps(list(storages), protocol=2)
    for data in storages.values():
        out += struct.pack("<q", data.size) + data.astype("<f4").tobytes()
    return out


def _state(entries: dict[str, bytes], extra: bytes = b"") -> bytes:
    body = b"}(" + b"".join(_op(name) + value for name, value in entries.items()) + b"u"
    return b"}(" + _op("model_state") + body + extra + b"u"


def test_checkpoint_reader_round_trip(tmp_path: Path) -> None:
    shared = np.arange(10, dtype=np.float32)
    moments = np.full(7, 9.0, np.float32)
    main = _state(
        {
            "lstm.weight_ih_l0": _tensor("a", 10, 2, (2, 3), (3, 1)),
            "linear.weight": _tensor("a", 10, 0, (2, 2), (1, 2)),
            "similarity_weight": _tensor("a", 10, 0, (1,), (1,)),
        },
        extra=_op("optimizer_state") + _tensor("b", 7, 0, (7,), (1,)),
    )
    path = tmp_path / "ok.pt"
    path.write_bytes(_legacy(main, {"a": shared, "b": moments}))
    weights = ckpt.read_legacy_checkpoint(path)
    assert sorted(weights) == ["linear.weight", "lstm.weight_ih_l0"]
    np.testing.assert_array_equal(weights["lstm.weight_ih_l0"], shared[2:8].reshape(2, 3))
    np.testing.assert_array_equal(weights["linear.weight"], [[0, 2], [1, 3]])


@pytest.mark.parametrize("where", ["main", "header"])
def test_checkpoint_reader_refuses_foreign_globals(tmp_path: Path, where: str) -> None:
    victim = tmp_path / "pwned"
    attack = b"cposix\nmkdir\n(" + _op(str(victim)) + b"tR"
    if where == "main":
        data = _legacy(_state({"linear.bias": attack}), {})
    else:
        data = _legacy(_state({}), {}, magic=b"\x80\x02" + attack + b".")
    path = tmp_path / "evil.pt"
    path.write_bytes(data)
    with pytest.raises(ckpt.CheckpointError, match=r"disallowed global posix\.mkdir"):
        ckpt.read_legacy_checkpoint(path)
    assert not victim.exists()


@pytest.mark.parametrize(
    ("main", "message"),
    [
        (_state({"linear.bias": _tensor("a", 4, 2, (3,), (1,))}), "past the end"),
        (_state({"linear.bias": b"ctorch\nFloatStorage\n(tR"}), "cannot read"),
        (_state({"linear.bias": _op(("storage", 1)) + b"Q"}), "persistent id"),
        (_state({"linear.bias": _op(3)}), "not a tensor"),
        (_state({"similarity_weight": _tensor("a", 4, 0, (4,), (1,))}), "no lstm"),
    ],
)
def test_checkpoint_reader_refuses_malformed(tmp_path: Path, main: bytes, message: str) -> None:
    path = tmp_path / "bad.pt"
    path.write_bytes(_legacy(main, {"a": np.zeros(4, np.float32)}))
    with pytest.raises(ckpt.CheckpointError, match=message):
        ckpt.read_legacy_checkpoint(path)


def test_checkpoint_reader_refuses_truncated_and_foreign_files(tmp_path: Path) -> None:
    good = _legacy(_state({"linear.bias": _tensor("a", 4, 0, (4,), (1,))}), {"a": np.ones(4)})
    path = tmp_path / "cut.pt"
    path.write_bytes(good[:-3])
    with pytest.raises(ckpt.CheckpointError, match="truncated"):
        ckpt.read_legacy_checkpoint(path)
    path.write_bytes(b"PK\x03\x04 a zip-format checkpoint")
    with pytest.raises(ckpt.CheckpointError):
        ckpt.read_legacy_checkpoint(path)


def test_missing_weights_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ckpt.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ckpt.CheckpointError, match=r"requirements-model\.lock"):
        ckpt.resemblyzer_weights_path()
