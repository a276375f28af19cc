"""The GE2E encoder network in numpy: 3-layer LSTM, linear 256->256, ReLU, L2 norm.

Mirrors ``torch.nn.LSTM(40, 256, 3, batch_first=True)`` (gate order i, f, g, o; zero initial
state) followed by Resemblyzer's head on the last layer's final hidden state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

N_MELS = 40
HIDDEN = 256
EMBEDDING = 256
LAYERS = 3

F32 = npt.NDArray[np.float32]


# PyTorch stacks gate rows as (i, f, g, o); reorder to (i, f, o, g) once at load so the three
# sigmoid gates are one contiguous slice and g the last quarter.
_GATE_ORDER = np.concatenate([np.arange(k * HIDDEN, (k + 1) * HIDDEN) for k in (0, 1, 3, 2)])
# sigmoid(x) = 0.5 + 0.5 tanh(x / 2) (which never overflows, unlike 1 / (1 + e^-x)). Halving the
# sigmoid gates' weights and biases up front is exact in binary floating point and lets one
# tanh call cover all four gates at each step.
_GATE_SCALE = np.concatenate([np.full(3 * HIDDEN, 0.5), np.ones(HIDDEN)]).astype(np.float32)


@dataclass(frozen=True)
class _Layer:
    # Rows in (i, f, o, g) order, the sigmoid rows halved (see _GATE_SCALE).
    w_ih: F32  # (4 * HIDDEN, input)
    w_hh: F32  # (4 * HIDDEN, HIDDEN)
    bias: F32  # b_ih + b_hh, folded into the input projection


class EncoderNetwork:
    """Forward pass of the GE2E speaker encoder over a batch of equal-length partials."""

    def __init__(self, weights: Mapping[str, F32]) -> None:
        layers = []
        for n in range(LAYERS):
            n_in = N_MELS if n == 0 else HIDDEN
            w_ih = _take(weights, f"lstm.weight_ih_l{n}", (4 * HIDDEN, n_in))
            w_hh = _take(weights, f"lstm.weight_hh_l{n}", (4 * HIDDEN, HIDDEN))
            b_ih = _take(weights, f"lstm.bias_ih_l{n}", (4 * HIDDEN,))
            b_hh = _take(weights, f"lstm.bias_hh_l{n}", (4 * HIDDEN,))
            layers.append(
                _Layer(
                    w_ih=_frozen(w_ih[_GATE_ORDER] * _GATE_SCALE[:, None]),
                    w_hh=_frozen(w_hh[_GATE_ORDER] * _GATE_SCALE[:, None]),
                    bias=_frozen((b_ih + b_hh)[_GATE_ORDER] * _GATE_SCALE),
                )
            )
        self._layers = tuple(layers)
        self._linear_w = _frozen(_take(weights, "linear.weight", (EMBEDDING, HIDDEN)))
        self._linear_b = _frozen(_take(weights, "linear.bias", (EMBEDDING,)))

    def __call__(self, mels: F32) -> F32:
        """Embed (batch, frames, 40) mel partials into (batch, 256) L2-normed embeddings."""
        if mels.ndim != 3 or mels.shape[2] != N_MELS or mels.shape[1] == 0:
            raise ValueError(f"expected (batch, frames, {N_MELS}) mels, got {mels.shape}")
        # Time-major, so each step's rows are contiguous for the per-row GEMVs.
        sequence = np.ascontiguousarray(np.swapaxes(mels, 0, 1), dtype=np.float32)
        for layer in self._layers:
            sequence = _run_layer(layer, sequence)
        hidden = sequence[-1]
        raw = np.stack([self._linear_w @ h for h in hidden]) + self._linear_b
        np.maximum(raw, np.float32(0.0), out=raw)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        # torch divides by the norm unguarded; an all-zero ReLU output would give NaN there.
        return np.asarray(raw / np.maximum(norms, np.float32(1e-12)), dtype=np.float32)


def _run_layer(layer: _Layer, sequence: F32) -> F32:
    """Run one LSTM layer over a time-major (steps, batch, input) sequence; return its outputs."""
    steps, batch, n_in = sequence.shape
    # Every matrix product is a GEMV (one row at a time): OpenBLAS runs a (few, 256) x
    # (256, 1024) GEMM several times slower than the same rows as GEMVs, and threads GEMMs,
    # which on a busy host stalls waiting for a free core (tens of ms per call measured).
    gates = np.empty((steps, batch, 4 * HIDDEN), dtype=np.float32)
    for x, out in zip(sequence.reshape(-1, n_in), gates.reshape(-1, 4 * HIDDEN), strict=True):
        np.matmul(layer.w_ih, x, out=out)
    gates += layer.bias
    outputs = np.empty((steps, batch, HIDDEN), dtype=np.float32)
    c = np.zeros((batch, HIDDEN), dtype=np.float32)
    recurrent = np.empty((batch, 4 * HIDDEN), dtype=np.float32)
    for t in range(steps):
        step = gates[t]
        if t > 0:  # h_0 = 0: the first step has no recurrent term
            for h_prev, out in zip(outputs[t - 1], recurrent, strict=True):
                np.matmul(layer.w_hh, h_prev, out=out)
            step += recurrent
        np.tanh(step, out=step)
        sig = step[:, : 3 * HIDDEN]
        sig *= np.float32(0.5)
        sig += np.float32(0.5)
        # c = f * c + i * g ; h = o * tanh(c), with the gates laid out (i, f, o, g).
        g = step[:, 3 * HIDDEN :]
        c *= step[:, HIDDEN : 2 * HIDDEN]
        g *= step[:, :HIDDEN]
        c += g
        h = outputs[t]
        np.tanh(c, out=h)
        h *= step[:, 2 * HIDDEN : 3 * HIDDEN]
    return outputs


def _take(weights: Mapping[str, F32], name: str, shape: tuple[int, ...]) -> F32:
    try:
        array = weights[name]
    except KeyError:
        raise ValueError(f"encoder weights lack {name}") from None
    if array.shape != shape:
        raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
    return np.asarray(array, dtype=np.float32)


def _frozen(array: F32) -> F32:
    out = np.ascontiguousarray(array, dtype=np.float32)
    out.setflags(write=False)
    return out
