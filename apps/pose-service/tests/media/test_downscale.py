"""Shrinking while decoding: the arrays are model-sized, the reported size and the coordinates are the original's."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from pose_service.engine.models import ModelName
from pose_service.errors import MediaTooLargeError
from pose_service.media.image import decode_image
from pose_service.media.video import scaled_size
from tests import photos
from tests.media_files import encode_image


def _big(scale: int) -> np.ndarray:
    photo = photos.astronaut()
    return np.asarray(Image.fromarray(photo).resize((512 * scale, 512 * scale), Image.Resampling.BILINEAR))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_large_image_is_decoded_near_the_model_size(image_format: str) -> None:
    decoded = decode_image(encode_image(_big(4), image_format), max_pixels=40_000_000, long_side=256)
    assert (decoded.width, decoded.height) == (2048, 2048)
    assert 256 <= decoded.pixels.shape[0] <= 512 and decoded.pixels.shape[:2] == decoded.pixels.shape[1::-1][:2]


def test_without_a_long_side_the_image_is_kept_whole() -> None:
    decoded = decode_image(encode_image(_big(2), "JPEG"), max_pixels=40_000_000)
    assert decoded.pixels.shape == (1024, 1024, 3)


def test_exif_rotation_reports_the_upright_size() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(np.zeros((300, 1200, 3), np.uint8)).save(buffer, "JPEG", exif=exif)
    decoded = decode_image(buffer.getvalue(), max_pixels=40_000_000, long_side=256)
    assert (decoded.width, decoded.height) == (300, 1200)
    assert decoded.pixels.shape[0] > decoded.pixels.shape[1]


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny real PNG whose header claims a huge size (a decompression bomb's calling card)."""
    png = bytearray(encode_image(np.zeros((8, 8, 3), np.uint8), "PNG"))
    png[16:24] = struct.pack(">II", width, height)  # IHDR data follows the 8-byte signature and 8-byte chunk head
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    return bytes(png)


@pytest.mark.parametrize("side", [10_000, 100_000], ids=["over-our-limit", "over-pillows-bomb-limit"])
def test_image_bombs_are_too_large_not_unsupported(side: int) -> None:
    with pytest.raises(MediaTooLargeError):
        decode_image(_png_declaring(side, side), max_pixels=40_000_000, long_side=256)


def test_video_frames_shrink_to_the_long_side_keeping_the_aspect() -> None:
    assert scaled_size(3000, 3000, 256) == (256, 256)
    assert scaled_size(1920, 1080, 256) == (256, 144)
    assert scaled_size(200, 100, 256) == (200, 100)
    assert scaled_size(1920, 1080, None) == (1920, 1080)


def test_batches_follow_the_pixel_budget(client) -> None:
    estimator = client.app.state.estimator
    # multipose at a 3000x3000 source: 256x256 inputs, 64 Ki pixels each.
    assert estimator.batch_size_for(ModelName.multipose, (3000, 3000), 32, 4 * 65536) == 4
    assert estimator.batch_size_for(ModelName.multipose, (3000, 3000), 2, 4 * 65536) == 2
    assert estimator.batch_size_for(ModelName.multipose, (3000, 3000), 32, 1) == 1
    assert estimator.batch_size_for(ModelName.multipose, (3000, 3000), 32, None) == 8  # the CPU default
