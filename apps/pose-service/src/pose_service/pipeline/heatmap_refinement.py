"""MediaPipe's landmark refinement from the heatmap (RefineLandmarksFromHeatmapCalculator, and tfjs-models'
BlazePose with these same TF.js graphs): each landmark moves to the confidence-weighted mean cell of the
kernel x kernel heatmap window around it, when the window's peak reaches `min_confidence`.

Batched over crops on the model's device, so only the refined coordinates leave it (a batch's heatmaps are
64 x 64 x 39 floats per crop). The TF.js graphs end their heatmap in a sigmoid already, so its values are the
confidences (MediaPipe's .tflite applies the sigmoid in the calculator).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# tfjs-models' BLAZEPOSE_REFINE_LANDMARKS_FROM_HEATMAP_CONFIG (pose-detection/src/blazepose_tfjs/constants.ts).
KERNEL_SIZE = 7
MIN_CONFIDENCE = 0.5


def refine_from_heatmap(
    points: torch.Tensor, heatmap: torch.Tensor, kernel_size: int = KERNEL_SIZE, min_confidence: float = MIN_CONFIDENCE
) -> torch.Tensor:
    """points: [N, L, 2] x, y normalised to the crop; heatmap: [N, H, W, L]. Returns the refined points.

    As MediaPipe: the window is centred on the cell the point truncates to, clipped at the heatmap's edges (a zero
    border), and cells count by their index over the size (col / W, not (col + 0.5) / W). A point outside the
    heatmap is left as it is.
    """
    count, height, width, landmarks = heatmap.shape
    offset = (kernel_size - 1) // 2
    cols = torch.trunc(points[..., 0] * width).long()  # C++'s float-to-int conversion truncates
    rows = torch.trunc(points[..., 1] * height).long()
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    steps = torch.arange(-offset, offset + 1, device=heatmap.device)
    window_rows = (rows.clamp(0, height - 1)[..., None] + steps)[..., :, None]  # [N, L, K, 1]
    window_cols = (cols.clamp(0, width - 1)[..., None] + steps)[..., None, :]  # [N, L, 1, K]
    padded = F.pad(heatmap, (0, 0, offset, offset, offset, offset))  # zeros beyond the edges weigh nothing
    batch = torch.arange(count, device=heatmap.device)[:, None, None, None]
    channel = torch.arange(landmarks, device=heatmap.device)[None, :, None, None]
    confidence = padded[batch, window_rows + offset, window_cols + offset, channel]  # [N, L, K, K]
    total = confidence.sum((-2, -1))
    peak = confidence.amax((-2, -1))
    refined_x = (confidence * window_cols).sum((-2, -1)) / width / total.clamp_min(1e-30)
    refined_y = (confidence * window_rows).sum((-2, -1)) / height / total.clamp_min(1e-30)
    refine = inside & (peak >= min_confidence) & (total > 0)
    return torch.where(refine[..., None], torch.stack([refined_x, refined_y], -1), points)
