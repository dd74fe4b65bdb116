from __future__ import annotations

import numpy as np

from pose_service.pipeline.preprocess import input_size_for, letterbox


def test_input_sizes_follow_each_model_family() -> None:
    assert input_size_for(480, 640, 192, 256) == (192, 192)
    assert input_size_for(512, 1024, None, 256) == (128, 256)
    assert input_size_for(1080, 1920, None, 256) == (160, 256)  # 144 rounds up to a multiple of 32


def test_letterbox_round_trips_pixel_positions() -> None:
    image = np.zeros((300, 600, 3), np.uint8)
    canvas, frame = letterbox(image, 192, 192)
    assert canvas.shape == (192, 192, 3)
    assert (frame.pad_x, frame.pad_y) == (0, 48)
    # The image centre lands on the input centre; corners map back to image corners.
    x, y = frame.to_image(np.array([0.5, 0.0, 1.0]), np.array([0.5, 48 / 192, 144 / 192]))
    np.testing.assert_allclose(x, [300, 0, 600])
    np.testing.assert_allclose(y, [150, 0, 300])
