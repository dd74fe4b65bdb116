"""TF ops as PyTorch functions, matching TF.js semantics (see movenet-port notes).

Tensors stay NHWC between ops because the graphs' post-processing (Reshape, GatherNd, flattened ArgMax)
assumes that layout; only convolutions, pools and resizes look at NCHW views of them.

Every op takes (attrs, inputs) and returns a list of outputs. Integer operands that steer shapes
(axes, sizes, slice bounds) are read on the host with `to_ints`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

Tensor = torch.Tensor
Op = Callable[[dict[str, Any], list[Tensor]], list[Tensor]]

TF_DTYPES = {"DT_FLOAT": torch.float32, "DT_INT32": torch.int32, "DT_BOOL": torch.bool, "DT_INT64": torch.int64}


def to_ints(value: Tensor) -> list[int]:
    return [int(v) for v in value.reshape(-1).tolist()]


def same_device(inputs: list[Tensor]) -> list[Tensor]:
    """Shape arithmetic lives on the CPU; bring it to the accelerator only when it meets device data."""
    devices = {t.device for t in inputs}
    if len(devices) <= 1:
        return inputs
    target = next(d for d in devices if d.type != "cpu")
    return [t.to(target) for t in inputs]


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TF SAME: the odd pixel of padding goes at the end (bottom/right), unlike torch's symmetric padding."""
    out = math.ceil(size / stride)
    total = max(0, (out - 1) * stride + kernel - size)
    return total // 2, total - total // 2


def _spatial_padding(
    attrs: dict[str, Any], x_nchw: Tensor, kernel: tuple[int, int], stride: tuple[int, int]
) -> tuple[int, ...]:
    """(left, right, top, bottom); padding modes other than SAME and VALID are refused when the graph loads."""
    if attrs.get("padding", "VALID") != "SAME":
        return (0, 0, 0, 0)
    top, bottom = same_padding(x_nchw.shape[2], kernel[0], stride[0])
    left, right = same_padding(x_nchw.shape[3], kernel[1], stride[1])
    return (left, right, top, bottom)


def _conv(attrs: dict[str, Any], x: Tensor, weight: Tensor, bias: Tensor | None, groups: int) -> Tensor:
    # Layout and dilations were checked when the graph loaded.
    _, stride_h, stride_w, _ = attrs.get("strides", [1, 1, 1, 1])
    x_nchw = x.permute(0, 3, 1, 2)  # a channels_last view: no copy
    left, right, top, bottom = _spatial_padding(attrs, x_nchw, weight.shape[2:], (stride_h, stride_w))
    if left == right and top == bottom:
        y = F.conv2d(x_nchw, weight, bias, (stride_h, stride_w), (top, left), 1, groups)
    else:
        y = F.conv2d(F.pad(x_nchw, (left, right, top, bottom)), weight, bias, (stride_h, stride_w), 0, 1, groups)
    return y.permute(0, 2, 3, 1)


def _activate(fused_ops: list[str], y: Tensor) -> Tensor:
    for name in fused_ops:
        if name == "BiasAdd":
            continue  # folded into the conv
        if name == "Relu":
            y = torch.relu(y)
        elif name == "Relu6":
            y = torch.clamp(y, 0.0, 6.0)
        else:
            raise NotImplementedError(f"fused op {name!r}")
    return y


def fused_conv2d(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, weight, *rest = inputs
    fused = attrs.get("fused_ops", [])
    bias = rest[0] if "BiasAdd" in fused else None
    return [_activate(fused, _conv(attrs, x, weight, bias, 1))]


def fused_depthwise(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, weight, *rest = inputs
    fused = attrs.get("fused_ops", [])
    bias = rest[0] if "BiasAdd" in fused else None
    return [_activate(fused, _conv(attrs, x, weight, bias, weight.shape[0]))]


def depthwise(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, weight = inputs
    return [_conv(attrs, x, weight, None, weight.shape[0])]


def conv2d(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, weight = inputs
    return [_conv(attrs, x, weight, None, 1)]


def pad(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, paddings = inputs
    pairs = torch.as_tensor(paddings).reshape(-1, 2).tolist()
    # F.pad lists (before, after) from the last axis backwards; TF's Pad fills with zeros.
    return [F.pad(x, [int(v) for pair in reversed(pairs) for v in pair])]


def depth_to_space(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    (x,) = inputs
    block = attrs["block_size"]
    n, h, w, c = x.shape
    # NHWC (TF's DCR order): out[h*b + i, w*b + j, k] = in[h, w, (i*b + j)*C_out + k]
    blocks = x.reshape(n, h, w, block, block, c // (block * block))
    return [blocks.permute(0, 1, 3, 2, 4, 5).reshape(n, h * block, w * block, c // (block * block))]


def resize_bilinear(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, size = inputs
    if attrs.get("align_corners") or not attrs.get("half_pixel_centers"):
        raise NotImplementedError("ResizeBilinear is only supported with half_pixel_centers and no align_corners")
    height, width = to_ints(size)
    # half_pixel_centers == torch's align_corners=False; pass size, not scale_factor, to match TF's scale.
    # TF.js interpolates in JavaScript doubles and rounds once to float32; float32 lerps differ by an ulp, which
    # BlazePose's segmentation decoder amplifies ~1000x (1.7e-4 in the mask). Interpolating in float64 is exact.
    wide = x.permute(0, 3, 1, 2).to(torch.float64)
    y = F.interpolate(wide, size=(height, width), mode="bilinear", align_corners=False).to(x.dtype)
    return [y.permute(0, 2, 3, 1)]


def max_pool(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    (x,) = inputs
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    x_nchw = x.permute(0, 3, 1, 2)
    left, right, top, bottom = _spatial_padding(attrs, x_nchw, (kh, kw), (sh, sw))
    padded = F.pad(x_nchw, (left, right, top, bottom), value=-math.inf)
    return [F.max_pool2d(padded, (kh, kw), (sh, sw)).permute(0, 2, 3, 1)]


def _binary(fn: Callable[[Tensor, Tensor], Tensor]) -> Op:
    def op(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
        a, b = same_device(inputs)
        return [fn(a, b)]

    return op


def _unary(fn: Callable[[Tensor], Tensor]) -> Op:
    return lambda _attrs, inputs: [fn(inputs[0])]


def _floor_div(a: Tensor, b: Tensor) -> Tensor:
    if a.is_floating_point() or b.is_floating_point():
        return torch.floor(a / b)
    return torch.div(a, b, rounding_mode="floor")


def cast(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    return [inputs[0].to(TF_DTYPES[attrs["DstT"]])]


def _axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def expand_dims(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, dim = inputs
    (axis,) = to_ints(dim)
    return [x.unsqueeze(_axis(axis, x.dim() + 1))]


def squeeze(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    (x,) = inputs
    dims = attrs.get("squeeze_dims") or [i for i, s in enumerate(x.shape) if s == 1]
    return [x.squeeze(tuple(_axis(d, x.dim()) for d in dims))]


def unpack(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    return list(torch.unbind(inputs[0], attrs.get("axis", 0)))


def pack(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    tensors = same_device(inputs)
    return [torch.stack(tensors, _axis(attrs.get("axis", 0), tensors[0].dim() + 1))]


def concat(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    *tensors, axis = inputs
    tensors = same_device(tensors)
    return [torch.cat(tensors, _axis(to_ints(axis)[0], tensors[0].dim()))]


def reshape(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, shape = inputs
    return [x.reshape(to_ints(shape))]


def shape(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    return [torch.tensor(list(inputs[0].shape), dtype=torch.int32)]


def size(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    return [torch.tensor(inputs[0].numel(), dtype=torch.int32)]


def strided_slice(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, begin, end, strides = inputs
    begins, ends, steps = to_ints(begin), to_ints(end), to_ints(strides)
    index: list[Any] = []
    for i, (b, e, s) in enumerate(zip(begins, ends, steps, strict=True)):
        bit = 1 << i
        if attrs.get("ellipsis_mask", 0) & bit:
            index.append(Ellipsis)
        elif attrs.get("new_axis_mask", 0) & bit:
            index.append(None)
        elif attrs.get("shrink_axis_mask", 0) & bit:
            index.append(b)
        else:
            if s <= 0:
                raise NotImplementedError(f"StridedSlice with stride {s}")
            start = None if attrs.get("begin_mask", 0) & bit else b
            stop = None if attrs.get("end_mask", 0) & bit else e
            index.append(slice(start, stop, s))
    return [x[tuple(index)]]


def arg_max(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, dim = inputs
    # torch.argmax returns the first maximal index, as TF does.
    return [torch.argmax(x, dim=to_ints(dim)[0]).to(TF_DTYPES[attrs.get("output_type", "DT_INT64")])]


def gather_nd(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    params, indices = same_device(inputs)
    indices = indices.long()
    return [params[tuple(indices[..., k] for k in range(indices.shape[-1]))]]


def range_op(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    start, limit, delta = (t.cpu() for t in inputs)
    dtype = torch.promote_types(torch.promote_types(start.dtype, limit.dtype), delta.dtype)
    return [torch.arange(start.item(), limit.item(), delta.item(), dtype=dtype)]


def fill(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    dims, value = inputs
    return [torch.full(to_ints(dims), value.item(), dtype=value.dtype, device=value.device)]


def tile(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, multiples = inputs
    return [x.repeat(to_ints(multiples))]


def top_k(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    x, k = inputs
    # A stable descending sort gives ties to the lower index, as TF's TopKV2 does; torch.topk does not promise it.
    values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
    count = to_ints(k)[0]
    return [values[..., :count], indices[..., :count].to(torch.int32)]


def _reduce(fn: Callable[..., Tensor]) -> Op:
    def op(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
        x, axes = inputs
        dims = tuple(_axis(a, x.dim()) for a in to_ints(axes))
        return [fn(x, dim=dims, keepdim=bool(attrs.get("keep_dims", False)))]

    return op


def add_n(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    tensors = same_device(inputs)
    total = tensors[0]
    for t in tensors[1:]:
        total = total + t
    return [total]


def split(attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    dim, x = inputs
    axis = _axis(to_ints(dim)[0], x.dim())
    return list(torch.chunk(x, attrs["num_split"], axis))


def select(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    condition, then, otherwise = same_device(inputs)
    if condition.dim() == 1 and then.dim() > 1:
        # TF's Select with a vector condition picks whole rows.
        condition = condition.reshape(-1, *([1] * (then.dim() - 1)))
    return [torch.where(condition, then, otherwise)]


def identity(_attrs: dict[str, Any], inputs: list[Tensor]) -> list[Tensor]:
    return [inputs[0]]


OPS: dict[str, Op] = {
    "_FusedConv2D": fused_conv2d,
    "FusedDepthwiseConv2dNative": fused_depthwise,
    "DepthwiseConv2dNative": depthwise,
    "Conv2D": conv2d,
    "Pad": pad,
    "DepthToSpace": depth_to_space,
    "ResizeBilinear": resize_bilinear,
    "MaxPool": max_pool,
    "Cast": cast,
    "ExpandDims": expand_dims,
    "Squeeze": squeeze,
    "Unpack": unpack,
    "Pack": pack,
    "ConcatV2": concat,
    "Reshape": reshape,
    "Shape": shape,
    "Size": size,
    "StridedSlice": strided_slice,
    "ArgMax": arg_max,
    "GatherNd": gather_nd,
    "Range": range_op,
    "Fill": fill,
    "Tile": tile,
    "TopKV2": top_k,
    "Max": _reduce(torch.amax),
    "Sum": _reduce(torch.sum),
    "AddN": add_n,
    "Split": split,
    "Select": select,
    "Identity": identity,
    "Sub": _binary(torch.sub),
    "Mul": _binary(torch.mul),
    "AddV2": _binary(torch.add),
    "RealDiv": _binary(torch.div),
    "FloorDiv": _binary(_floor_div),
    "SquaredDifference": _binary(lambda a, b: (a - b) * (a - b)),
    "Minimum": _binary(torch.minimum),
    "Maximum": _binary(torch.maximum),
    "Equal": _binary(torch.eq),
    "Less": _binary(torch.lt),
    "Greater": _binary(torch.gt),
    "GreaterEqual": _binary(torch.ge),
    "LogicalAnd": _binary(torch.logical_and),
    "Sqrt": _unary(torch.sqrt),
    "Sigmoid": _unary(torch.sigmoid),
    "Exp": _unary(torch.exp),
    "Abs": _unary(torch.abs),
    "Reciprocal": _unary(torch.reciprocal),
    "Relu": _unary(torch.relu),
    "Relu6": _unary(lambda x: torch.clamp(x, 0.0, 6.0)),
}

# Ops that act on each batch item alone, so a stacked batch can run through them in one call.
BATCH_POLYMORPHIC_OPS = frozenset(
    {
        "_FusedConv2D",
        "FusedDepthwiseConv2dNative",
        "DepthwiseConv2dNative",
        "Conv2D",
        "DepthToSpace",
        "ResizeBilinear",
        "MaxPool",
        "Cast",
        "Identity",
        "Sub",
        "Mul",
        "AddV2",
        "RealDiv",
        "SquaredDifference",
        "Minimum",
        "Maximum",
        "Sqrt",
        "Sigmoid",
        "Exp",
        "Abs",
        "Reciprocal",
        "Relu",
        "Relu6",
    }
)
# Ops computing on shapes: cheap host integers, identical for every batch item.
SHAPE_OPS = frozenset({"Shape", "StridedSlice", "Mul", "Pack", "Cast", "Identity", "AddV2", "Sub"})
