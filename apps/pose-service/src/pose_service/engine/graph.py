"""Parse a TF.js graph model (model.json + one weight shard) into plain data.

Pure: no torch here, so the format rules (see docs in movenet-port notes) are testable alone.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}


class GraphFormatError(ValueError):
    """The model files do not follow the TF.js graph-model layout this engine supports."""


@dataclass(frozen=True)
class Node:
    name: str
    op: str
    # (producer name, output index); control inputs (`^name`) are dropped: ordering comes from data edges.
    inputs: tuple[tuple[str, int], ...]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Graph:
    nodes: dict[str, Node]
    constants: dict[str, np.ndarray]
    input_name: str
    input_shape: tuple[int, ...]  # -1 for dynamic dimensions
    input_dtype: str  # TF dtype name, e.g. DT_INT32 (MoveNet) or DT_FLOAT (BlazePose)
    output_names: tuple[str, ...]
    output_keys: tuple[str, ...]  # the signature's names for the outputs, e.g. ld_3d, world_3d


def parse_input_ref(ref: str) -> tuple[str, int] | None:
    if ref.startswith("^"):
        return None
    name, _, index = ref.partition(":")
    return name, int(index) if index else 0


def decode_attr(value: dict[str, Any]) -> Any:
    """TF.js stores attrs as protobuf-JSON: strings base64, ints as strings, lists under `list`."""
    if "list" in value:
        items = value["list"]
        if "i" in items:
            return [int(v) for v in items["i"]]
        if "s" in items:
            return [base64.b64decode(v).decode() for v in items["s"]]
        if "f" in items:
            return [float(v) for v in items["f"]]
        return []
    if "i" in value:
        return int(value["i"])
    if "f" in value:
        return float(value["f"])
    if "b" in value:
        return bool(value["b"])
    if "s" in value:
        return base64.b64decode(value["s"]).decode()
    if "type" in value:
        return value["type"]
    if "shape" in value:
        return [int(d.get("size", -1)) for d in value["shape"].get("dim", [])]
    return None


def decode_weights(manifest: list[dict[str, Any]], buffer: bytes) -> dict[str, np.ndarray]:
    """Weights lie back to back in manifest order with no alignment padding."""
    weights: dict[str, np.ndarray] = {}
    offset = 0
    for entry in manifest:
        shape = tuple(int(d) for d in entry["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        quantization = entry.get("quantization")
        if quantization:
            if quantization.get("dtype") != "float16":
                raise GraphFormatError(
                    f"weight {entry['name']!r}: quantization {quantization!r} is not supported (only float16)"
                )
            # numpy's float16 -> float32 conversion is exact, subnormals included.
            raw = np.frombuffer(buffer, "<f2", count, offset).astype(np.float32)
            offset += count * 2
        else:
            dtype = _DTYPES.get(entry["dtype"])
            if dtype is None:
                raise GraphFormatError(f"weight {entry['name']!r}: dtype {entry['dtype']!r} is not supported")
            item = np.dtype(dtype).newbyteorder("<")
            # Offsets need not be multiples of the item size: frombuffer + copy handles that.
            raw = np.frombuffer(buffer, item, count, offset).astype(dtype, copy=True)
            offset += count * item.itemsize
        weights[entry["name"]] = raw.reshape(shape)
    if offset != len(buffer):
        raise GraphFormatError(f"weights use {offset} bytes but the shard holds {len(buffer)}")
    return weights


def parse_graph(model: dict[str, Any], buffer: bytes) -> Graph:
    groups = model.get("weightsManifest") or []
    if len(groups) != 1:
        raise GraphFormatError(f"expected one weightsManifest group, found {len(groups)}")
    constants = decode_weights(groups[0]["weights"], buffer)
    nodes: dict[str, Node] = {}
    for raw in model["modelTopology"]["node"]:
        refs = (parse_input_ref(r) for r in raw.get("input", []))
        attrs = {k: decode_attr(v) for k, v in raw.get("attr", {}).items()}
        nodes[raw["name"]] = Node(raw["name"], raw["op"], tuple(r for r in refs if r), attrs)
    missing = [n.name for n in nodes.values() if n.op == "Const" and n.name not in constants]
    if missing:
        raise GraphFormatError(f"Const nodes without weights: {missing[:5]}")
    placeholders = [n for n in nodes.values() if n.op == "Placeholder"]
    if len(placeholders) != 1:
        raise GraphFormatError(f"expected one Placeholder, found {len(placeholders)}")
    signature_outputs = model["signature"]["outputs"]
    outputs = tuple(
        parse_input_ref(spec["name"])[0]  # type: ignore[index]
        for spec in signature_outputs.values()
    )
    return Graph(
        nodes=nodes,
        constants=constants,
        input_name=placeholders[0].name,
        input_shape=tuple(placeholders[0].attrs.get("shape", [])),
        input_dtype=placeholders[0].attrs.get("dtype", "DT_FLOAT"),
        output_names=outputs,
        output_keys=tuple(signature_outputs),
    )


def load_graph(model_json: Path) -> Graph:
    model = json.loads(model_json.read_text())
    paths = [p for group in model.get("weightsManifest", []) for p in group["paths"]]
    if len(paths) != 1:
        raise GraphFormatError(f"{model_json}: expected one weight shard, found {paths}")
    return parse_graph(model, (model_json.parent / paths[0]).read_bytes())
