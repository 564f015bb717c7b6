"""CAM++ on onnxruntime, for the engine benchmark: the second route the issue asked to measure.

The graph is written directly with the ``onnx`` package (no torch) from the same weights the
app ships (``campplus-cn-en-common-fp16.npz``, read and sha256-checked by
:func:`voiceprint_studio.local.campp.load_weights`, batch norms folded exactly as the numpy
port folds them), so both routes compute the same function: opset 17, float32, input
``fbank`` (1, frames, 80), output ``embedding`` (1, 192). It is built in memory when the
benchmark runs, and is not part of the app: the app runs CAM++ with numpy
(README, "Offline speaker identification", has the figures and the reasons).

Needs ``pip install onnx onnxruntime`` in the environment that runs the benchmark.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voiceprint_studio.local import campp

OPSET = 17


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.count = 0

    def name(self, base: str) -> str:
        self.count += 1
        return f"{base}_{self.count}"

    def const(self, value: np.ndarray, base: str = "c") -> str:
        from onnx import numpy_helper

        name = self.name(base)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def ints(self, *values: int) -> str:
        return self.const(np.array(values, dtype=np.int64), "i")

    def op(self, op: str, inputs: list[str], **attrs: Any) -> str:
        from onnx import helper

        out = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out


def build(weights: campp.CamppWeights) -> bytes:
    """The serialised ONNX model of CAM++ with ``weights`` (checked by ``onnx.checker``)."""
    import onnx
    from onnx import TensorProto, helper

    g = _Graph()
    f32 = np.float32

    def conv2d(x: str, conv: campp.Conv, weight: np.ndarray, stride: int, k: int = 3) -> str:
        channels = weight.shape[1] // (k * k)
        inputs = [x, g.const(weight.reshape(weight.shape[0], channels, k, k).astype(f32), "w")]
        if conv.bias is not None:
            inputs.append(g.const(conv.bias, "b"))
        p = (k - 1) // 2
        return g.op("Conv", inputs, kernel_shape=[k, k], pads=[p, p, p, p], strides=[stride, 1])

    def conv1x1(x: str, weight: np.ndarray, bias: np.ndarray | None) -> str:
        inputs = [x, g.const(weight[:, :, None].astype(f32), "w")]
        if bias is not None:
            inputs.append(g.const(bias.astype(f32), "b"))
        return g.op("Conv", inputs, kernel_shape=[1])

    def norm_relu_linear(x: str, layer: campp.NormReluLinear) -> str:
        floor = layer.floor[:, 0]
        negative = np.zeros(floor.size, dtype=bool)
        negative[layer.negative] = True
        y = g.op("Max", [x, g.const(np.where(negative, -np.inf, floor).astype(f32)[:, None])])
        if negative.any():
            y = g.op("Min", [y, g.const(np.where(negative, floor, np.inf).astype(f32)[:, None])])
        return conv1x1(y, layer.weight, layer.bias)

    x = g.op("Transpose", ["fbank"], perm=[0, 2, 1])  # (1, 80, T)
    x = g.op("Unsqueeze", [x, g.ints(1)])  # (1, 1, 80, T)
    conv1 = weights.head["conv1"]
    x = g.op("Relu", [conv2d(x, conv1, conv1.weight, 1)])
    for prefix, stride in (
        ("head.layer1.0", 2),
        ("head.layer1.1", 1),
        ("head.layer2.0", 2),
        ("head.layer2.1", 1),
    ):
        first, second = weights.head[f"{prefix}.conv1"], weights.head[f"{prefix}.conv2"]
        channels = first.weight.shape[1] // 9
        hidden = g.op("Relu", [conv2d(x, first, first.weight, stride)])
        main = conv2d(hidden, second, second.weight[:, : channels * 9], 1)
        shortcut_weight = second.weight[:, channels * 9 :]
        if np.array_equal(shortcut_weight, np.eye(channels, dtype=f32)):
            shortcut = x
        else:
            no_bias = campp.Conv(shortcut_weight, None)
            shortcut = conv2d(x, no_bias, shortcut_weight, stride, k=1)
        x = g.op("Relu", [g.op("Add", [main, shortcut])])
    conv2 = weights.head["conv2"]
    x = g.op("Relu", [conv2d(x, conv2, conv2.weight, 2)])  # (1, 32, 10, T)
    x = g.op("Reshape", [x, g.ints(1, conv2.weight.shape[0] * 10, -1)])  # (1, 320, T)
    tdnn = weights.tdnn.weight.reshape(weights.tdnn.weight.shape[0], -1, 5)
    assert weights.tdnn.bias is not None
    x = g.op(
        "Conv",
        [x, g.const(tdnn, "w"), g.const(weights.tdnn.bias, "b")],
        kernel_shape=[5],
        pads=[2, 2],
        strides=[2],
    )
    x = g.op("Relu", [x])
    seg = campp.SEGMENT_FRAMES
    for block, (_layers, dilation), transit in zip(
        weights.blocks, campp.BLOCKS, weights.transits, strict=True
    ):
        for layer in block:
            h = g.op("Relu", [norm_relu_linear(x, layer.linear1)])
            n_out = layer.local.shape[0] // 3
            local_w = layer.local.reshape(3, n_out, -1).transpose(1, 2, 0)  # (32, 128, 3)
            local = g.op(
                "Conv",
                [h, g.const(np.ascontiguousarray(local_w), "w")],
                kernel_shape=[3],
                pads=[dilation, dilation],
                dilations=[dilation],
            )
            mean = g.op("ReduceMean", [h], axes=[2], keepdims=1)
            # ceil_mode: the last, shorter segment is averaged over its own frames
            segments = g.op("AveragePool", [h], kernel_shape=[seg], strides=[seg], ceil_mode=1)
            context = g.op("Add", [segments, mean])
            assert layer.mask1.bias is not None and layer.mask2.bias is not None
            m = g.op("Relu", [conv1x1(context, layer.mask1.weight, layer.mask1.bias)])
            m = g.op("Sigmoid", [conv1x1(m, layer.mask2.weight, layer.mask2.bias)])
            m = g.op("Expand", [g.op("Unsqueeze", [m, g.ints(3)]), g.ints(1, 1, 1, seg)])
            m = g.op("Reshape", [m, g.ints(0, 0, -1)])
            frames = g.op("Shape", [h], start=2, end=3)
            m = g.op("Slice", [m, g.ints(0), frames, g.ints(2)])
            x = g.op("Concat", [x, g.op("Mul", [local, m])], axis=1)
        x = norm_relu_linear(x, transit)
    out_norm = weights.out_norm
    x = g.op("Mul", [x, g.const(out_norm.scale[:, None], "s")])
    x = g.op("Relu", [g.op("Add", [x, g.const(out_norm.shift[:, None], "t")])])
    mean = g.op("ReduceMean", [x], axes=[2], keepdims=1)
    squares = g.op("ReduceSumSquare", [g.op("Sub", [x, mean])], axes=[2], keepdims=0)
    frames = g.op("Cast", [g.op("Shape", [x], start=2, end=3)], to=TensorProto.FLOAT)
    count = g.op("Sub", [frames, g.const(np.array([1.0], f32))])
    std = g.op("Sqrt", [g.op("Div", [squares, count])])
    stats = g.op("Concat", [g.op("Squeeze", [mean, g.ints(2)]), std], axis=1)
    assert weights.dense.bias is not None
    dense = [stats, g.const(weights.dense.weight, "w"), g.const(weights.dense.bias, "b")]
    g.nodes.append(helper.make_node("Gemm", dense, ["embedding"], transB=1))
    graph = helper.make_graph(
        g.nodes,
        "campplus",
        [helper.make_tensor_value_info("fbank", TensorProto.FLOAT, [1, "frames", campp.N_MELS])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 192])],
        g.initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="voiceprint-studio"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


def session(model: bytes) -> Any:
    """An onnxruntime session on one thread (as the numpy route's one BLAS thread)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class CamppOnnxEngine(campp.CamppEngine):
    """CAM++ with the network on onnxruntime (front end, VAD, segments and score as the app's)."""

    def __init__(self, model: bytes, *, use_vad: bool = True) -> None:
        # the numpy weights are not needed (nor loaded): the session holds its own copy
        super().__init__(None, use_vad=use_vad)  # type: ignore[arg-type]
        self.session = session(model)

    def network(self, feats: np.ndarray) -> np.ndarray:
        out = self.session.run(None, {"fbank": np.ascontiguousarray(feats[None])})[0][0]
        return np.asarray(out, dtype=np.float32)


def available() -> bool:
    """Whether ``onnx`` and ``onnxruntime`` are installed."""
    import importlib.util

    return all(importlib.util.find_spec(name) for name in ("onnx", "onnxruntime"))
