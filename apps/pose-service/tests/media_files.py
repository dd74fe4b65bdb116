"""Encode the fixture photos into the uploads the API tests send (JPEG/PNG/WebP images, MP4/WebM videos)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from skimage import data


def encode_image(image: np.ndarray, image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, image_format)
    return buffer.getvalue()


def panning_frames(scene: np.ndarray, count: int, width: int, height: int, step: int) -> list[np.ndarray]:
    """A camera panning right across the scene, downscaled: people move a little from frame to frame."""
    crop_width = scene.shape[1] - step * (count - 1)
    frames = []
    for i in range(count):
        crop = scene[:, i * step : i * step + crop_width]
        frames.append(np.asarray(Image.fromarray(crop).resize((width, height), Image.Resampling.BILINEAR)))
    return frames


def crossing_frames(count: int = 12, width: int = 448, height: int = 224) -> list[np.ndarray]:
    """Two people from real photographs crossing over a blurred photograph: the astronaut walks left to right,
    her mirror image right to left in front of her (hiding her in the middle frames). Mirrored, her 3D pose
    turns the other way, so pose and predicted location, not looks, must keep the two apart.

    Made with OpenCV: each person is the photo resized to a 176-pixel square and pasted at its position.
    """
    import cv2  # the test video is the only user

    background = cv2.GaussianBlur(cv2.resize(data.coffee(), (width, height)), (0, 0), 5)
    walker = cv2.resize(data.astronaut(), (176, 176), interpolation=cv2.INTER_AREA)
    people = (walker, cv2.flip(walker, 1))
    frames = []
    for i in range(count):
        frame = background.copy()
        step = i / (count - 1)
        for person, start in zip(people, (0.0, 1.0), strict=True):
            left = round(abs(start - step) * (width - 176))
            frame[height - 176 :, left : left + 176] = person
        frames.append(frame)
    return frames


def encode_video(frames: list[np.ndarray], container: str, fps: int = 10) -> bytes:
    av = pytest.importorskip("av", reason="PyAV is not installed here (the GPU host runs without it)")
    codec = {"mp4": "mpeg4", "webm": "libvpx"}[container]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        if codec == "mpeg4":
            stream.bit_rate = 2_000_000
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return buffer.getvalue()
