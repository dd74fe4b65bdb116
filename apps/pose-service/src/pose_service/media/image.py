from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from pose_service.errors import CorruptMediaError, MediaTooLargeError, UnsupportedMediaError

SUPPORTED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


def decode_image(data: bytes, max_pixels: int) -> np.ndarray:
    """RGB uint8 [H, W, 3], upright per EXIF orientation."""
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns/raises at its global limit; ours is configurable and checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise UnsupportedMediaError("the upload is not a JPEG, PNG or WebP image") from error
    if image_format not in SUPPORTED_IMAGE_FORMATS:
        raise UnsupportedMediaError(f"image format {image_format} is not supported (JPEG, PNG, WebP)")
    width, height = image.size
    if width * height > max_pixels:
        raise MediaTooLargeError(f"image is {width}x{height} pixels, more than the limit of {max_pixels}")
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
        return np.asarray(upright.convert("RGB"))
    except (OSError, SyntaxError, ValueError) as error:
        raise CorruptMediaError(f"the {image_format} image could not be decoded: {error}") from error
