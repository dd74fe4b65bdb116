"""Cut rotated regions out of frames on the model's device, all people of all frames in one batch."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from pose_service.pipeline.blazepose import Roi
from pose_service.pipeline.blazepose_inputs import LANDMARK_SIZE


def crop_rois(frames: torch.Tensor, crops: list[tuple[int, Roi]], size: int = LANDMARK_SIZE) -> torch.Tensor:
    """frames: uint8 [F, H, W, 3] on the device; crops: (frame index, region) pairs.

    Returns float32 NHWC [len(crops), size, size, 3] in [0, 1], the landmark model's input; outside the frame
    is black, as MediaPipe's zero border.
    """
    _, height, width, _ = frames.shape
    theta = torch.from_numpy(np.stack([roi.affine(width, height) for _, roi in crops])).to(frames.device, torch.float32)
    grid = F.affine_grid(theta, [len(crops), 3, size, size], align_corners=False)
    index = torch.tensor([i for i, _ in crops], device=frames.device)
    images = frames.index_select(0, index).permute(0, 3, 1, 2).float()
    sampled = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return (sampled / 255.0).permute(0, 2, 3, 1)
