"""Real photographs of people shipped inside scikit-image, and the model inputs built from them.

Shared by the parity tests and scripts/make_reference.py so both feed the models identical tensors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
from skimage import data

from pose_service.engine.models import BLAZEPOSE_DETECTOR, MODEL_SPECS, ModelName
from pose_service.pipeline.blazepose_inputs import DETECTOR_SIZE, LANDMARK_SIZE, detector_input, landmark_input
from pose_service.pipeline.preprocess import input_size_for, letterbox


def astronaut() -> np.ndarray:
    return data.astronaut()  # Eileen Collins, 512x512 RGB


def cameraman() -> np.ndarray:
    return np.repeat(data.camera()[:, :, None], 3, axis=2)  # 512x512 greyscale, as RGB


def two_people() -> np.ndarray:
    return np.hstack([astronaut(), cameraman()])  # 512x1024: a multi-person scene


PHOTOS: dict[str, Callable[[], np.ndarray]] = {
    "astronaut": astronaut,
    "cameraman": cameraman,
    "two_people": two_people,
}

# (model, photo) pairs with reference outputs; multipose also sees the two-person, non-square scene.
REFERENCE_CASES = [
    (ModelName.lightning, "astronaut"),
    (ModelName.lightning, "cameraman"),
    (ModelName.thunder, "astronaut"),
    (ModelName.thunder, "cameraman"),
    (ModelName.multipose, "astronaut"),
    (ModelName.multipose, "cameraman"),
    (ModelName.multipose, "two_people"),
]

MULTIPOSE_LONG_SIDE = 256


def model_input(model: ModelName, photo: str) -> np.ndarray:
    """int32 NHWC batch of one, as the service would build it."""
    image = PHOTOS[photo]()
    height, width = input_size_for(*image.shape[:2], MODEL_SPECS[model].fixed_size, MULTIPOSE_LONG_SIDE)
    canvas, _ = letterbox(image, height, width)
    return canvas[None].astype(np.int32)


# BlazePose graphs (file stems) x photos; CI checks the committed subset, scripts/parity_blazepose.py all of them.
BLAZEPOSE_GRAPHS = (BLAZEPOSE_DETECTOR, "blazepose-lite", "blazepose-full", "blazepose-heavy")
BLAZEPOSE_REFERENCE_CASES = [(graph, photo) for graph in BLAZEPOSE_GRAPHS for photo in ("astronaut", "cameraman")]
BLAZEPOSE_CI_CASES = [(BLAZEPOSE_DETECTOR, "astronaut"), ("blazepose-lite", "astronaut")]


def blazepose_input(graph: str, photo: str) -> np.ndarray:
    """float32 NHWC batch of one: the photo letterboxed and normalised as the pipeline feeds that graph."""
    size = DETECTOR_SIZE if graph == BLAZEPOSE_DETECTOR else LANDMARK_SIZE
    canvas, _ = letterbox(PHOTOS[photo](), size, size)
    normalise = detector_input if graph == BLAZEPOSE_DETECTOR else landmark_input
    return normalise(canvas)[None]


def sha256_of(array: np.ndarray) -> str:
    dtype = "<f4" if array.dtype == np.float32 else "<i4"
    return hashlib.sha256(np.ascontiguousarray(array, dtype=dtype).tobytes()).hexdigest()
