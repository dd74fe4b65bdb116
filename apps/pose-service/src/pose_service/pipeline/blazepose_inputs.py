"""What the BlazePose graphs take: the detector [-1, 1] on a 224 letterbox, the landmark model [0, 1] on a
256 crop (MediaPipe's pose_detection and pose_landmark_by_roi graphs normalise the same way)."""

from __future__ import annotations

import numpy as np

DETECTOR_SIZE = 224
LANDMARK_SIZE = 256


def detector_input(rgb: np.ndarray) -> np.ndarray:
    """uint8 HWC -> float32 in [-1, 1]."""
    return rgb.astype(np.float32) / 127.5 - 1.0


def landmark_input(rgb: np.ndarray) -> np.ndarray:
    """uint8 HWC -> float32 in [0, 1]."""
    return rgb.astype(np.float32) / 255.0
