from __future__ import annotations

import numpy as np
import torch

from pose_service.engine.ops import depth_to_space, pad, resize_bilinear, same_padding, strided_slice, top_k


def test_same_padding_puts_the_odd_pixel_at_the_end() -> None:
    assert same_padding(192, 3, 2) == (0, 1)  # symmetric padding here is the classic port bug
    assert same_padding(191, 3, 2) == (1, 1)
    assert same_padding(48, 3, 1) == (1, 1)
    assert same_padding(48, 1, 1) == (0, 0)


def test_top_k_gives_ties_to_the_lower_index() -> None:
    values, indices = top_k({"sorted": True}, [torch.tensor([[0.5, 0.75, 0.5, 0.75]]), torch.tensor(3)])
    assert values.tolist() == [[0.75, 0.75, 0.5]]
    assert indices.tolist() == [[1, 3, 0]]


def test_strided_slice_honours_masks() -> None:
    x = torch.arange(24).reshape(2, 3, 4)
    begin, end, strides = torch.tensor([0, 1, 0]), torch.tensor([0, 3, 0]), torch.tensor([1, 1, 1])
    # begin/end masks on axes 0 and 2, shrink nothing: x[:, 1:3, :]
    (out,) = strided_slice({"begin_mask": 5, "end_mask": 5}, [x, begin, end, strides])
    assert torch.equal(out, x[:, 1:3, :])
    (row,) = strided_slice({"shrink_axis_mask": 1, "begin_mask": 6, "end_mask": 6}, [x, begin, end, strides])
    assert torch.equal(row, x[0])
    (expanded,) = strided_slice(
        {"new_axis_mask": 1, "begin_mask": 6, "end_mask": 6},
        [x, torch.tensor([0, 0, 0]), torch.tensor([0, 0, 0]), strides],
    )
    assert expanded.shape == (1, 2, 3, 4)


def test_depth_to_space_follows_tf_nhwc_order() -> None:
    # One pixel of 8 channels, block 2: channel (i * 2 + j) * 2 + k lands at row i, column j, channel k.
    x = torch.arange(8.0).reshape(1, 1, 1, 8)
    (out,) = depth_to_space({"block_size": 2}, [x])
    assert out.shape == (1, 2, 2, 2)
    assert out[0, :, :, 0].tolist() == [[0.0, 2.0], [4.0, 6.0]]
    assert out[0, :, :, 1].tolist() == [[1.0, 3.0], [5.0, 7.0]]


def test_pad_takes_tf_paddings_per_axis() -> None:
    x = torch.ones(1, 2, 2, 1)
    (out,) = pad({}, [x, torch.tensor([[0, 0], [1, 2], [0, 1], [0, 0]], dtype=torch.int32)])
    assert out.shape == (1, 5, 3, 1)
    assert float(out.sum()) == 4.0 and float(out[0, 1, 0, 0]) == 1.0 and float(out[0, 0, 0, 0]) == 0.0


def _tfjs_resize_bilinear(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """TF.js's CPU kernel (half-pixel centres): the lerps in JavaScript doubles, one rounding to float32."""

    def taps(size: int, new_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        source = size / new_size * (np.arange(new_size) + 0.5) - 0.5
        low = np.maximum(0, np.floor(source)).astype(int)
        return low, np.minimum(size - 1, np.ceil(source)).astype(int), source - low

    top, bottom, row_frac = taps(x.shape[1], height)
    left, right, col_frac = taps(x.shape[2], width)
    wide = x.astype(np.float64)
    col = col_frac[None, None, :, None]
    upper = wide[:, top][:, :, left] + (wide[:, top][:, :, right] - wide[:, top][:, :, left]) * col
    lower = wide[:, bottom][:, :, left] + (wide[:, bottom][:, :, right] - wide[:, bottom][:, :, left]) * col
    return (upper + (lower - upper) * row_frac[None, :, None, None]).astype(np.float32)


def test_resize_bilinear_rounds_once_as_tfjs_does() -> None:
    # Float32 lerps land an ulp off TF.js in a third of these pixels; BlazePose's mask decoder amplifies that ~1000x.
    x = np.random.default_rng(0).normal(0, 4, (2, 8, 12, 3)).astype(np.float32)
    (out,) = resize_bilinear({"half_pixel_centers": True}, [torch.from_numpy(x), torch.tensor([16, 24])])
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(out.numpy(), _tfjs_resize_bilinear(x, 16, 24))
