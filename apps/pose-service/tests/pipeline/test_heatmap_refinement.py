from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from pose_service.pipeline.blazepose_inputs import LANDMARK_SIZE
from pose_service.pipeline.heatmap_refinement import refine_from_heatmap

LITE_ASTRONAUT = Path(__file__).parents[1] / "fixtures" / "tfjs-blazepose" / "blazepose-lite-astronaut.npz"


def _reference(points: np.ndarray, heatmap: np.ndarray, kernel: int = 7, min_confidence: float = 0.5) -> np.ndarray:
    """The calculator's loops, landmark by landmark, as MediaPipe and tfjs-models write them."""
    height, width, _ = heatmap.shape
    offset = (kernel - 1) // 2
    out = points.copy()
    for i, (x, y) in enumerate(points):
        col, row = math.trunc(x * width), math.trunc(y * height)
        if not (0 <= col < width and 0 <= row < height):
            continue
        total = weighted_col = weighted_row = peak = 0.0
        for r in range(max(0, row - offset), min(height, row + offset + 1)):
            for c in range(max(0, col - offset), min(width, col + offset + 1)):
                confidence = float(heatmap[r, c, i])
                total += confidence
                peak = max(peak, confidence)
                weighted_col += c * confidence
                weighted_row += r * confidence
        if peak >= min_confidence and total > 0:
            out[i] = (weighted_col / width / total, weighted_row / height / total)
    return out


def _one_peak(col: int, row: int, size: int = 16, value: float = 0.9) -> torch.Tensor:
    heatmap = torch.zeros(1, size, size, 1)
    heatmap[0, row, col, 0] = value
    return heatmap


def test_a_landmark_moves_to_the_heatmap_peak_near_it() -> None:
    point = torch.tensor([[[4.2 / 16, 4.7 / 16]]])
    refined = refine_from_heatmap(point, _one_peak(col=6, row=3))
    torch.testing.assert_close(refined, torch.tensor([[[6 / 16, 3 / 16]]]))


def test_a_weak_peak_a_far_peak_or_a_point_off_the_heatmap_leave_the_landmark_as_it_is() -> None:
    point = torch.tensor([[[4.2 / 16, 4.7 / 16]]])
    assert torch.equal(refine_from_heatmap(point, _one_peak(col=6, row=3, value=0.4)), point)
    assert torch.equal(refine_from_heatmap(point, _one_peak(col=12, row=3)), point)  # outside the 7x7 window
    off = torch.tensor([[[-0.1, 0.5]]])
    assert torch.equal(refine_from_heatmap(off, _one_peak(col=0, row=8)), off)


def test_the_window_is_clipped_at_the_heatmap_edge() -> None:
    heatmap = _one_peak(col=0, row=15)
    heatmap[0, 14, 1, 0] = 0.9
    refined = refine_from_heatmap(torch.tensor([[[0.5 / 16, 15.5 / 16]]]), heatmap)
    torch.testing.assert_close(refined, torch.tensor([[[0.5 / 16, 14.5 / 16]]]))


def test_the_lite_model_heatmap_refines_as_the_calculator_does() -> None:
    # The tfjs outputs of the lite landmark model on the astronaut: 39 landmarks and their 64x64 heatmaps.
    archive = np.load(LITE_ASTRONAUT)
    points = archive["ld_3d"].reshape(1, 39, 5)[..., :2].astype(np.float64) / LANDMARK_SIZE
    heatmap = archive["activation_heatmap"].astype(np.float64)
    refined = refine_from_heatmap(torch.from_numpy(points), torch.from_numpy(heatmap))[0].numpy()
    expected = _reference(points[0], heatmap[0])
    np.testing.assert_allclose(refined, expected, atol=1e-12)
    moved = np.hypot(*((refined - points[0]) * LANDMARK_SIZE).T)
    # Her head and upper body (14 of 39 landmarks; the legs are out of the photo) are confident enough to refine,
    # and refining moves them by pixels, not across the crop.
    assert (moved > 0).sum() >= 10, moved
    assert moved.max() < 16, moved
