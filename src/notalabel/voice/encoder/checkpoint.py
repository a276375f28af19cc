"""Read Resemblyzer's legacy (pre-zip) torch checkpoint with pickle and numpy only.

A torch checkpoint is a pickle, and unpickling runs whatever callables the stream names. The
reader below therefore resolves globals through a short allow-list of inert shims (no torch
function is ever called), validates every persistent id and tensor view against the storage it
points into, and never keeps more than the model weights (the optimizer state is skipped).
"""

from __future__ import annotations

import collections
import importlib.util
import io
import pickle
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

# Constants torch.serialization writes at the head of a legacy file.
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001
_MODEL_PREFIXES = ("lstm.", "linear.")
_MAX_DIMS = 8


class CheckpointError(ValueError):
    """The checkpoint is missing, malformed, or names something it may not."""


@dataclass(frozen=True, slots=True)
class _StorageType:
    """Stand-in for torch.FloatStorage & co: carries the dtype, cannot be called."""

    name: str
    dtype: np.dtype[Any]


_STORAGE_TYPES = {
    name: _StorageType(name, np.dtype(dtype))
    for name, dtype in (
        ("FloatStorage", "<f4"),
        ("DoubleStorage", "<f8"),
        ("HalfStorage", "<f2"),
        ("LongStorage", "<i8"),
        ("IntStorage", "<i4"),
        ("ShortStorage", "<i2"),
        ("CharStorage", "i1"),
        ("ByteStorage", "u1"),
        ("BoolStorage", "?"),
    )
}


@dataclass(frozen=True, slots=True)
class _StorageRef:
    key: str
    dtype: np.dtype[Any]
    numel: int


@dataclass(frozen=True, slots=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _int_tuple(value: object, what: str) -> tuple[int, ...]:
    if not isinstance(value, tuple) or len(value) > _MAX_DIMS:
        raise CheckpointError(f"tensor {what} is not a short tuple")
    if not all(type(v) is int and v >= 0 for v in value):
        raise CheckpointError(f"tensor {what} holds a non-natural number")
    return value


class _RebuildTensorV2:
    """Shim for torch._utils._rebuild_tensor_v2: records the view, builds nothing yet."""

    # No __dict__: a pickle BUILD opcode aimed at this shared object must fail, not mutate it.
    __slots__ = ()

    def __call__(
        self, storage: object, offset: object, size: object, stride: object, *_rest: object
    ) -> _TensorRef:
        return _tensor_ref(storage, offset, size, stride)


def _tensor_ref(storage: object, offset: object, size: object, stride: object) -> _TensorRef:
    if not isinstance(storage, _StorageRef) or type(offset) is not int or offset < 0:
        raise CheckpointError("malformed tensor record")
    ref = _TensorRef(storage, offset, _int_tuple(size, "size"), _int_tuple(stride, "stride"))
    if len(ref.size) != len(ref.stride):
        raise CheckpointError("tensor size and stride differ in rank")
    # The furthest element the view touches must lie inside its storage, else as_strided
    # would read foreign memory.
    if all(ref.size):
        last = offset + sum((n - 1) * s for n, s in zip(ref.size, ref.stride, strict=True))
        if last >= storage.numel:
            raise CheckpointError("tensor view runs past the end of its storage")
    return ref


_ALLOWED_GLOBALS: dict[tuple[str, str], object] = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _RebuildTensorV2(),
    **{("torch", name): storage_type for name, storage_type in _STORAGE_TYPES.items()},
}


class _Unpickler(pickle.Unpickler):
    """Resolves only allow-listed globals; turns storage ids into _StorageRef records."""

    def __init__(self, file: IO[bytes], storages: dict[str, _StorageRef] | None) -> None:
        super().__init__(file)
        self._storages = storages

    def find_class(self, module: str, name: str) -> Any:
        # Header records (storages is None) may name no global at all.
        found = _ALLOWED_GLOBALS.get((module, name)) if self._storages is not None else None
        if found is None:
            raise CheckpointError(f"checkpoint names a disallowed global {module}.{name}")
        return found

    def persistent_load(self, pid: Any) -> Any:
        if self._storages is None or not isinstance(pid, tuple) or len(pid) != 6:
            raise CheckpointError("unexpected persistent id in checkpoint")
        tag, storage_type, key, _location, numel, view = pid
        if tag != "storage" or not isinstance(storage_type, _StorageType):
            raise CheckpointError("persistent id is not a known storage")
        if not isinstance(key, str) or type(numel) is not int or numel < 0 or view is not None:
            raise CheckpointError("malformed storage id in checkpoint")
        ref = _StorageRef(key, storage_type.dtype, numel)
        if self._storages.setdefault(key, ref) != ref:
            raise CheckpointError(f"storage {key} is declared twice with different types")
        return ref


def _load_plain(file: IO[bytes]) -> Any:
    """Unpickle a header record that has no business naming any global."""
    return _Unpickler(file, None).load()


def read_legacy_checkpoint(path: Path) -> dict[str, npt.NDArray[np.float32]]:
    """Return the float32 model weights (lstm.*, linear.*) of a legacy torch checkpoint."""
    with path.open("rb") as file:
        try:
            return _read(file)
        except (pickle.UnpicklingError, EOFError, struct.error, TypeError, ValueError) as exc:
            if isinstance(exc, CheckpointError):
                raise
            raise CheckpointError(f"cannot read {path}: {exc}") from exc


def _read(file: IO[bytes]) -> dict[str, npt.NDArray[np.float32]]:
    if _load_plain(file) != _LEGACY_MAGIC:
        raise CheckpointError("not a legacy torch checkpoint (bad magic number)")
    if _load_plain(file) != _LEGACY_PROTOCOL:
        raise CheckpointError("unsupported legacy checkpoint protocol")
    sys_info = _load_plain(file)
    if not isinstance(sys_info, dict) or sys_info.get("little_endian") is not True:
        raise CheckpointError("checkpoint is not little-endian")

    storages: dict[str, _StorageRef] = {}
    root = _Unpickler(file, storages).load()
    state = root.get("model_state") if isinstance(root, dict) else None
    if not isinstance(state, dict):
        raise CheckpointError("checkpoint has no model_state dict")
    wanted = {
        name: ref
        for name, ref in state.items()
        if isinstance(name, str) and name.startswith(_MODEL_PREFIXES)
    }
    if not wanted:
        raise CheckpointError("model_state holds no lstm.* or linear.* weights")
    for name, ref in wanted.items():
        if not isinstance(ref, _TensorRef):
            raise CheckpointError(f"model_state entry {name} is not a tensor")

    keys = _load_plain(file)
    if not isinstance(keys, list) or sorted(keys) != sorted(storages):
        raise CheckpointError("storage key list does not match the storages referenced")
    needed = {ref.storage.key for ref in wanted.values()}
    data: dict[str, npt.NDArray[Any]] = {}
    for key in keys:
        ref = storages[key]
        (numel,) = struct.unpack("<q", _read_exactly(file, 8))
        if numel != ref.numel:
            raise CheckpointError(f"storage {key} has {numel} elements, expected {ref.numel}")
        nbytes = numel * ref.dtype.itemsize
        if key in needed:
            data[key] = np.frombuffer(_read_exactly(file, nbytes), dtype=ref.dtype)
        else:
            # Optimizer moments are twice the model's size: skip them instead of reading.
            file.seek(nbytes, io.SEEK_CUR)
    return {name: _materialise(ref, data[ref.storage.key]) for name, ref in wanted.items()}


def _read_exactly(file: IO[bytes], n: int) -> bytes:
    chunk = file.read(n)
    if len(chunk) != n:
        raise CheckpointError("checkpoint is truncated")
    return chunk


def _materialise(ref: _TensorRef, storage: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    item = storage.itemsize
    view = np.lib.stride_tricks.as_strided(
        storage[ref.offset :],
        shape=ref.size,
        strides=tuple(s * item for s in ref.stride),
        writeable=False,
    )
    # A fresh contiguous copy per tensor, so the shared (flattened cuDNN) buffer can be freed.
    return np.ascontiguousarray(view, dtype=np.float32)


def resemblyzer_weights_path() -> Path:
    """Locate resemblyzer/pretrained.pt without importing the package (it needs torch)."""
    spec = importlib.util.find_spec("resemblyzer")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / "pretrained.pt"
        if candidate.is_file():
            return candidate
    raise CheckpointError(
        "Resemblyzer weights not found: install requirements-model.lock "
        "(pip install --no-deps -r requirements-model.lock)"
    )
