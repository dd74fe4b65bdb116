"""Execute a parsed TF.js graph with torch, on batches.

The graphs were exported for batch 1. The backbone (convolutions, resizes, element-wise maths on the
image) works on any batch, but the decoding tail (Reshape to fixed shapes, GatherNd with batch index 0,
flattened ArgMax) does not. So nodes are split once, at load time:
- `batch` nodes run once on the stacked batch (the expensive part);
- `shape` nodes are host-side shape maths and folded constants, computed as if the batch were 1;
- `item` nodes (the decoding tail) run per item on a batch-1 slice, exactly as the exported graph expects.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from pose_service.engine.cuda_graphs import CapturedRuns
from pose_service.engine.graph import Graph, Node
from pose_service.engine.ops import BATCH_POLYMORPHIC_OPS, OPS, SHAPE_OPS, TF_DTYPES

Ref = tuple[str, int]

_CONVS = ("Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative")
_DEPTHWISE = ("DepthwiseConv2dNative", "FusedDepthwiseConv2dNative")


class UnsupportedOpError(NotImplementedError):
    """The graph uses an op, or an op setting, this engine does not implement."""


class InputShapeError(ValueError):
    """run() got a tensor the graph's input cannot take."""


@dataclass(frozen=True)
class Step:
    node: Node
    inputs: tuple[Ref, ...]


def _alias_batch_one_round_trips(graph: Graph) -> dict[str, Ref]:
    """Map `ExpandDims(Squeeze(x, 0), 0)` and `ExpandDims(Unpack(x, axis=0, num=1), 0)` to x.

    Single-pose graphs open with unstack -> expand -> squeeze -> expand on the batch axis: a no-op at
    batch 1 that would otherwise pin the whole backbone to batch 1.
    """
    aliases: dict[str, Ref] = {}

    def resolve(ref: Ref) -> Ref:
        while ref[0] in aliases:
            ref = aliases[ref[0]]
        return ref

    for node in graph.nodes.values():
        if node.op != "ExpandDims" or len(node.inputs) != 2:
            continue
        dim = graph.constants.get(node.inputs[1][0])
        producer = graph.nodes.get(resolve(node.inputs[0])[0])
        if dim is None or int(dim.reshape(-1)[0]) != 0 or producer is None:
            continue
        is_squeeze0 = producer.op == "Squeeze" and producer.attrs.get("squeeze_dims") == [0]
        is_unstack0 = producer.op == "Unpack" and producer.attrs.get("axis", 0) == 0 and producer.attrs.get("num") == 1
        if is_squeeze0 or is_unstack0:
            aliases[node.name] = resolve(producer.inputs[0])
    return aliases


def _plan(graph: Graph, aliases: dict[str, Ref]) -> list[Step]:
    """Topological order of the nodes the outputs need, with aliases applied."""

    def resolve(ref: Ref) -> Ref:
        while ref[0] in aliases:
            ref = aliases[ref[0]]
        return ref

    order: list[Step] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(resolve((name, 0))[0], False) for name in graph.output_names]
    while stack:
        name, expanded = stack.pop()
        if expanded:
            node = graph.nodes[name]
            order.append(Step(node, tuple(resolve(r) for r in node.inputs)))
            continue
        if name in seen:
            continue
        seen.add(name)
        stack.append((name, True))
        stack.extend((resolve(r)[0], False) for r in reversed(graph.nodes[name].inputs) if resolve(r)[0] not in seen)
    return order


def _check_supported(steps: list[Step], constants: dict[str, np.ndarray]) -> None:
    """Refuse, at load time, what the ops would otherwise compute wrongly or fail on mid-request."""
    unsupported = sorted({s.node.op for s in steps} - set(OPS) - {"Const", "Placeholder"})
    if unsupported:
        raise UnsupportedOpError(f"graph uses unsupported ops: {unsupported}")
    for step in steps:
        node, attrs = step.node, step.node.attrs
        where = f"node {node.name!r} ({node.op})"
        if node.op in (*_CONVS, "MaxPool"):
            padding = attrs.get("padding", "VALID")
            if padding not in ("SAME", "VALID"):
                raise UnsupportedOpError(f"{where}: padding {padding!r} is not supported (only SAME and VALID)")
            if attrs.get("data_format", "NHWC") != "NHWC":
                raise UnsupportedOpError(f"{where}: data_format {attrs['data_format']!r} is not supported (only NHWC)")
            strides = attrs.get("strides", [1, 1, 1, 1])
            if strides[0] != 1 or strides[3] != 1:
                raise UnsupportedOpError(f"{where}: strides {strides} move across batch or channels")
        if node.op in _CONVS and any(d != 1 for d in attrs.get("dilations", [1, 1, 1, 1])):
            raise UnsupportedOpError(f"{where}: dilations {attrs['dilations']} are not supported (only 1)")
        if node.op in _DEPTHWISE:
            multiplier = constants[step.inputs[1][0]].shape[3]
            if multiplier != 1:
                raise UnsupportedOpError(f"{where}: channel multiplier {multiplier} is not supported (only 1)")


def _is_batch_node(op: str, input_kinds: list[str], operand: np.ndarray | None = None) -> bool:
    if op == "Placeholder":
        return True
    if op == "ResizeBilinear":
        # The output size comes from shape maths, which is the same for every item.
        return input_kinds[0] == "batch" and input_kinds[1] in ("const", "shape")
    if op == "Pad":
        # Padding the batch axis would add items: only spatial/channel padding is per item.
        return input_kinds == ["batch", "const"] and operand is not None and not operand[0].any()
    if op == "Reshape":
        # [-1, fixed...] keeps each item's values together: the same as reshaping item by item.
        return input_kinds == ["batch", "const"] and operand is not None and _is_batch_reshape(operand)
    return op in BATCH_POLYMORPHIC_OPS and "batch" in input_kinds and set(input_kinds) <= {"batch", "const"}


def _is_shape_node(op: str, input_kinds: list[str]) -> bool:
    if op == "Shape":
        return input_kinds == ["batch"]
    # Folded constants (no batch input at all) and integer maths on shapes.
    return set(input_kinds) <= {"const", "shape"} and (op in SHAPE_OPS or "shape" not in input_kinds)


def _is_batch_reshape(shape: np.ndarray) -> bool:
    dims = shape.reshape(-1).tolist()
    return len(dims) >= 1 and dims[0] == -1 and -1 not in dims[1:]


def _classify(steps: Iterable[Step], constants: dict[str, np.ndarray]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for step in steps:
        input_kinds = [kinds[r[0]] for r in step.inputs]
        operand = constants.get(step.inputs[1][0]) if step.node.op in ("Pad", "Reshape") else None
        if step.node.op == "Const":
            kinds[step.node.name] = "const"
        elif _is_batch_node(step.node.op, input_kinds, operand):
            kinds[step.node.name] = "batch"
        elif _is_shape_node(step.node.op, input_kinds):
            kinds[step.node.name] = "shape"
        else:
            kinds[step.node.name] = "item"
    return kinds


def releases_after(steps: list[Step], keep: set[Ref]) -> list[tuple[Ref, ...]]:
    """For each step, the values it is the last reader of: dropping them there bounds memory by the widest
    cut of the graph instead of the sum of all its activations (which grows with the batch)."""
    last_use: dict[Ref, int] = {}
    for index, step in enumerate(steps):
        for ref in step.inputs:
            last_use[ref] = index
    releases: list[list[Ref]] = [[] for _ in steps]
    for ref, index in last_use.items():
        if ref not in keep:
            releases[index].append(ref)
    return [tuple(r) for r in releases]


def _numerics(device: torch.device, allow_tf32: bool) -> contextlib.AbstractContextManager:
    """cuDNN settings for a run: TF32 moves conv outputs by ~1e-3 (a thunder keypoint by 24 px seen on an H200),
    so it stays off unless asked for, whoever else flips the process-wide switches."""
    if device.type != "cuda":
        return contextlib.nullcontext()
    return torch.backends.cudnn.flags(enabled=True, benchmark=False, deterministic=False, allow_tf32=allow_tf32)


def configure_numerics(allow_tf32: bool) -> None:
    """Process-wide switches, set whenever a graph loads on a GPU (matmuls have no per-call guard)."""
    torch.backends.cudnn.allow_tf32 = allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = allow_tf32
    torch.backends.cudnn.benchmark = False


class GraphExecutor:
    """Owns a graph's weights on one device and runs batches through it."""

    def __init__(self, graph: Graph, device: torch.device, allow_tf32: bool = False) -> None:
        steps = _plan(graph, _alias_batch_one_round_trips(graph))
        _check_supported(steps, graph.constants)
        if device.type == "cuda":
            configure_numerics(allow_tf32)
        self.device = device
        self.allow_tf32 = allow_tf32
        self.input_name = graph.input_name
        self.input_shape = graph.input_shape
        self.input_dtype = TF_DTYPES[graph.input_dtype]
        self.output_keys = graph.output_keys
        self._outputs: list[Ref] = [(name, 0) for name in graph.output_names]
        self._kinds = _classify(steps, graph.constants)
        layouts = _filter_layouts(steps)
        self._constants = {
            s.node.name: _to_tensor(graph.constants[s.node.name], layouts.get(s.node.name), device)
            for s in steps
            if s.node.op == "Const"
        }
        self._batch_steps = [
            s
            for s in steps
            if self._kinds[s.node.name] in ("batch", "shape") and s.node.op not in ("Const", "Placeholder")
        ]
        self._item_steps = [s for s in steps if self._kinds[s.node.name] == "item"]
        # Batch-node values the tail reads (outputs included): sliced per item, or vmapped over.
        self._item_batch_inputs = sorted(
            {r for s in self._item_steps for r in s.inputs if self._kinds[r[0]] == "batch"}
            | {r for r in self._outputs if self._kinds[r[0]] == "batch"}
        )
        constant_refs = {(name, 0) for name in self._constants}
        # Everything the tail reads (batch values and shape maths) outlives the batch phase.
        batch_keep = {*self._outputs, *constant_refs, *(r for s in self._item_steps for r in s.inputs)}
        self._batch_releases = releases_after(self._batch_steps, batch_keep)
        # Outputs no one reads (the other halves of Unpack, Split, TopKV2) are never stored.
        self._batch_needed = batch_keep | {r for s in self._batch_steps for r in s.inputs}
        item_keep = {*self._outputs, *constant_refs}
        self._item_releases = releases_after(self._item_steps, item_keep)
        self._item_needed = item_keep | {r for s in self._item_steps for r in s.inputs}
        # CUDA graphs need every input dimension fixed (MoveNet's multipose takes any image size: never captured).
        has_fixed_shape = bool(self.input_shape) and all(d >= 1 for d in self.input_shape[1:])
        self._captured = (
            CapturedRuns(self._run_with_numerics, device, self.input_shape, self.input_dtype)
            if device.type == "cuda" and has_fixed_shape
            else None
        )

    @property
    def captured_sizes(self) -> frozenset[int]:
        """The batch sizes run() replays from a CUDA graph (engine/cuda_graphs.py); none off CUDA."""
        return self._captured.sizes if self._captured else frozenset()

    @property
    def can_capture(self) -> bool:
        return self._captured is not None

    def capture(self, batch_size: int) -> None:
        """Records run() at `batch_size` rows as a CUDA graph: later runs of that size replay it from any thread.
        Raises ValueError where graphs cannot be used (not on CUDA, or an input size that is not fixed), and what
        the capture raised where it failed (runs of that size then stay eager)."""
        if self._captured is None:
            raise ValueError(f"graph input {self.input_name!r} cannot be captured on {self.device} (CUDA, fixed size)")
        self._captured.capture(batch_size)

    def check_input(self, images: torch.Tensor) -> None:
        """The batch axis is free (the executor batches graphs exported for 1); every other one must match."""
        expected = self.input_shape
        got = tuple(images.shape)
        if not expected:
            return
        matches = (
            len(got) == len(expected)
            and got[0] >= 1
            and all(e in (-1, g) for e, g in zip(expected[1:], got[1:], strict=True))
        )
        if not matches:
            wanted = ", ".join(["N", *("any" if e == -1 else str(e) for e in expected[1:])])
            raise InputShapeError(f"input {self.input_name!r}: got shape {list(got)}, the graph takes [{wanted}]")

    @torch.inference_mode()
    def run(self, images: torch.Tensor) -> list[torch.Tensor]:
        """images: NHWC [N, H, W, 3] (int32 RGB for MoveNet, float for BlazePose); returns each graph output
        stacked over the batch, in `output_keys` order."""
        self.check_input(images)
        if self._captured is not None and (replayed := self._captured.replay(images)) is not None:
            return replayed
        return self._run_with_numerics(images)

    @torch.inference_mode()
    def _run_with_numerics(self, images: torch.Tensor) -> list[torch.Tensor]:
        with _numerics(self.device, self.allow_tf32):
            return self._run(images)

    def _run(self, images: torch.Tensor) -> list[torch.Tensor]:
        values: dict[Ref, torch.Tensor] = {(k, 0): v for k, v in self._constants.items()}
        values[(self.input_name, 0)] = images.to(self.device, self.input_dtype)
        for step, releases in zip(self._batch_steps, self._batch_releases, strict=True):
            inputs = [values[r] for r in step.inputs]
            if step.node.op == "Shape" and self._kinds[step.node.name] == "shape":
                # Shape maths is shared by all items: report the batch-1 shape the graph was built for.
                outputs = [torch.tensor([1, *inputs[0].shape[1:]], dtype=torch.int32)]
            else:
                outputs = OPS[step.node.op](step.node.attrs, inputs)
            del inputs
            values.update(_needed_outputs(step, outputs, self._batch_needed))
            del outputs
            for ref in releases:
                values.pop(ref, None)
        if not self._item_steps:
            return [values[ref] for ref in self._outputs]
        if images.shape[0] == 1:
            return self._run_item(values, {ref: values[ref] for ref in self._item_batch_inputs})
        # vmap runs the batch-1 tail once for the whole batch (N times fewer kernel launches on a GPU);
        # each item still sees its own [1, ...] slice, exactly the shapes the exported graph expects.
        stacked = [values[ref].unsqueeze(1) for ref in self._item_batch_inputs]
        outputs = torch.vmap(
            lambda *items: tuple(self._run_item(values, dict(zip(self._item_batch_inputs, items, strict=True))))
        )(*stacked)
        return [output.flatten(0, 1) for output in outputs]

    def _run_item(self, shared: dict[Ref, torch.Tensor], items: dict[Ref, torch.Tensor]) -> list[torch.Tensor]:
        """The decoding tail for one item: `items` holds its batch-1 slices of the batch nodes it reads."""
        values = dict(items)

        def fetch(ref: Ref) -> torch.Tensor:
            return values[ref] if ref in values else shared[ref]

        for step, releases in zip(self._item_steps, self._item_releases, strict=True):
            outputs = OPS[step.node.op](step.node.attrs, [fetch(r) for r in step.inputs])
            values.update(_needed_outputs(step, outputs, self._item_needed))
            for ref in releases:
                values.pop(ref, None)
        return [fetch(ref) for ref in self._outputs]


def _needed_outputs(step: Step, outputs: list[torch.Tensor], needed: set[Ref]) -> Iterable[tuple[Ref, torch.Tensor]]:
    return (((step.node.name, i), out) for i, out in enumerate(outputs) if (step.node.name, i) in needed)


# TF filters are HWIO (depthwise: H, W, C, 1); torch wants OIHW (depthwise: C, 1, H, W).
_FILTER_PERMUTATIONS = {
    "Conv2D": (3, 2, 0, 1),
    "_FusedConv2D": (3, 2, 0, 1),
    "FusedDepthwiseConv2dNative": (2, 3, 0, 1),
    "DepthwiseConv2dNative": (2, 3, 0, 1),
}


def _filter_layouts(steps: list[Step]) -> dict[str, tuple[int, ...]]:
    return {s.inputs[1][0]: _FILTER_PERMUTATIONS[s.node.op] for s in steps if s.node.op in _FILTER_PERMUTATIONS}


def _to_tensor(array: np.ndarray, permutation: tuple[int, ...] | None, device: torch.device) -> torch.Tensor:
    tensor = torch.from_numpy(array.copy())  # not ascontiguousarray: it turns scalars into shape (1,)
    if permutation:
        tensor = tensor.permute(permutation).contiguous()
    # Integer constants steer shapes and indices: keep them on the host so reading them never syncs the GPU.
    return tensor.to(device) if array.dtype == np.float32 else tensor
