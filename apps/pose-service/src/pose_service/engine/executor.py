"""Execute a parsed TF.js graph with torch, on batches.

The graphs were exported for batch 1. The backbone (convolutions, resizes, element-wise maths on the
image) works on any batch, but the decoding tail (Reshape to fixed shapes, GatherNd with batch index 0,
flattened ArgMax) does not. So nodes are split once, at load time:
- `batch` nodes run once on the stacked batch (the expensive part);
- `shape` nodes are host-side shape maths and folded constants, computed as if the batch were 1;
- `item` nodes (the decoding tail) run per item on a batch-1 slice, exactly as the exported graph expects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from pose_service.engine.graph import Graph, Node
from pose_service.engine.ops import BATCH_POLYMORPHIC_OPS, OPS, SHAPE_OPS

Ref = tuple[str, int]


class UnsupportedOpError(NotImplementedError):
    """The graph uses an op this engine does not implement."""


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


def _is_batch_node(op: str, input_kinds: list[str]) -> bool:
    if op == "Placeholder":
        return True
    if op == "ResizeBilinear":
        # The output size comes from shape maths, which is the same for every item.
        return input_kinds[0] == "batch" and input_kinds[1] in ("const", "shape")
    return op in BATCH_POLYMORPHIC_OPS and "batch" in input_kinds and set(input_kinds) <= {"batch", "const"}


def _is_shape_node(op: str, input_kinds: list[str]) -> bool:
    if op == "Shape":
        return input_kinds == ["batch"]
    # Folded constants (no batch input at all) and integer maths on shapes.
    return set(input_kinds) <= {"const", "shape"} and (op in SHAPE_OPS or "shape" not in input_kinds)


def _classify(steps: Iterable[Step]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for step in steps:
        input_kinds = [kinds[r[0]] for r in step.inputs]
        if step.node.op == "Const":
            kinds[step.node.name] = "const"
        elif _is_batch_node(step.node.op, input_kinds):
            kinds[step.node.name] = "batch"
        elif _is_shape_node(step.node.op, input_kinds):
            kinds[step.node.name] = "shape"
        else:
            kinds[step.node.name] = "item"
    return kinds


class GraphExecutor:
    """Owns a graph's weights on one device and runs batches through it."""

    def __init__(self, graph: Graph, device: torch.device) -> None:
        steps = _plan(graph, _alias_batch_one_round_trips(graph))
        unsupported = sorted({s.node.op for s in steps} - set(OPS) - {"Const", "Placeholder"})
        if unsupported:
            raise UnsupportedOpError(f"graph uses unsupported ops: {unsupported}")
        self.device = device
        self.input_name = graph.input_name
        self.input_shape = graph.input_shape
        self._outputs: list[Ref] = [(name, 0) for name in graph.output_names]
        self._kinds = _classify(steps)
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

    @torch.inference_mode()
    def run(self, images: torch.Tensor) -> list[torch.Tensor]:
        """images: int32 NHWC [N, H, W, 3]; returns each graph output stacked over the batch."""
        values: dict[Ref, torch.Tensor] = {(k, 0): v for k, v in self._constants.items()}
        values[(self.input_name, 0)] = images.to(self.device, torch.int32)
        for step in self._batch_steps:
            inputs = [values[r] for r in step.inputs]
            if step.node.op == "Shape" and self._kinds[step.node.name] == "shape":
                # Shape maths is shared by all items: report the batch-1 shape the graph was built for.
                outputs = [torch.tensor([1, *inputs[0].shape[1:]], dtype=torch.int32)]
            else:
                outputs = OPS[step.node.op](step.node.attrs, inputs)
            values.update(((step.node.name, i), out) for i, out in enumerate(outputs))
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

        for step in self._item_steps:
            outputs = OPS[step.node.op](step.node.attrs, [fetch(r) for r in step.inputs])
            values.update(((step.node.name, i), out) for i, out in enumerate(outputs))
        return [fetch(ref) for ref in self._outputs]


# TF filters are HWIO (depthwise: H, W, C, 1); torch wants OIHW (depthwise: C, 1, H, W).
_FILTER_PERMUTATIONS = {
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
