"""Decoding uploaded images into RGB arrays, with limits checked before the expensive work."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from pose_service.errors import CorruptMediaError, MediaTooLargeError, UnsupportedMediaError

SUPPORTED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class DecodedImage:
    """RGB uint8 [h, w, 3], upright, possibly downscaled; `width` x `height` is the original, upright size."""

    pixels: np.ndarray
    width: int
    height: int


def decode_image(data: bytes, max_pixels: int, long_side: int | None = None) -> DecodedImage:
    """Decode, shrinking to no less than `long_side` on the long edge when given.

    The model sees a few hundred pixels, so a 24-megapixel photo need not be held at full size: JPEG decodes
    straight to 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, via `draft`), other formats are box-reduced
    right after decoding.
    """
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns at its global limit; ours is configurable and checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
    except Image.DecompressionBombError as error:
        # Far past Pillow's limit (twice its 89 MP): too large, not unsupported.
        raise MediaTooLargeError(f"the image is larger than the limit of {max_pixels} pixels") from error
    except UnidentifiedImageError as error:
        raise UnsupportedMediaError("the upload is not a JPEG, PNG or WebP image") from error
    if image_format not in SUPPORTED_IMAGE_FORMATS:
        raise UnsupportedMediaError(f"image format {image_format} is not supported (JPEG, PNG, WebP)")
    width, height = image.size
    if width * height > max_pixels:
        raise MediaTooLargeError(f"image is {width}x{height} pixels, more than the limit of {max_pixels}")
    try:
        if long_side is not None and image_format == "JPEG":
            scale = long_side / max(width, height)
            if scale < 1:
                image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
        image.load()
        if long_side is not None and (factor := max(image.size) // long_side) > 1:
            image = image.reduce(factor)
        # EXIF orientations 5 to 8 turn the picture by 90 degrees: the upright size is the stored one, swapped.
        is_turned = image.getexif().get(_EXIF_ORIENTATION, 1) in (5, 6, 7, 8)
        upright = ImageOps.exif_transpose(image)
        return DecodedImage(np.asarray(upright.convert("RGB")), *((height, width) if is_turned else (width, height)))
    except (OSError, SyntaxError, ValueError) as error:
        raise CorruptMediaError(f"the {image_format} image could not be decoded: {error}") from error
