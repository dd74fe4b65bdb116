"""Letterbox images into model inputs and map model coordinates back to image pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Letterbox:
    """Where the resized image sits inside the model input: input = image * scale + pad."""

    scale_x: float
    scale_y: float
    pad_x: float
    pad_y: float
    input_width: int
    input_height: int

    def to_image(self, x_norm: np.ndarray, y_norm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Model outputs are normalised to the input tensor; undo the resize and the padding."""
        x = (x_norm * self.input_width - self.pad_x) / self.scale_x
        y = (y_norm * self.input_height - self.pad_y) / self.scale_y
        return x, y


def input_size_for(image_height: int, image_width: int, fixed_size: int | None, long_side: int) -> tuple[int, int]:
    """(height, width) of the model input: fixed square for single-pose, multiples of 32 for multipose."""
    if fixed_size is not None:
        return fixed_size, fixed_size
    scale = long_side / max(image_height, image_width)
    height = max(32, math.ceil(image_height * scale / 32) * 32)
    width = max(32, math.ceil(image_width * scale / 32) * 32)
    return height, width


def letterbox(
    image: np.ndarray, input_height: int, input_width: int, source_size: tuple[int, int] | None = None
) -> tuple[np.ndarray, Letterbox]:
    """Resize keeping the aspect ratio, centre, pad with black; returns uint8 HWC RGB and the transform.

    `source_size` (height, width) is the original size when `image` was already shrunk while decoding: the
    transform then maps model outputs to the original's pixels.
    """
    height, width = image.shape[:2]
    scale = min(input_height / height, input_width / width)
    new_width = max(1, min(input_width, round(width * scale)))
    new_height = max(1, min(input_height, round(height * scale)))
    # Pillow's bilinear filter widens its support when shrinking (antialiased), and is deterministic on CPU,
    # so the reference inputs rebuild bit-exactly in tests.
    resized = np.asarray(Image.fromarray(image).resize((new_width, new_height), Image.Resampling.BILINEAR))
    pad_x = (input_width - new_width) // 2
    pad_y = (input_height - new_height) // 2
    canvas = np.zeros((input_height, input_width, 3), dtype=np.uint8)
    canvas[pad_y : pad_y + new_height, pad_x : pad_x + new_width] = resized
    source_height, source_width = source_size or (height, width)
    return canvas, Letterbox(
        new_width / source_width, new_height / source_height, pad_x, pad_y, input_width, input_height
    )
