"""BlazePose on a device: the detector on letterboxed frames, then the landmark model on every person's rotated
crop, all crops of a call in one batch (people across frames). The caller holds the device lock."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from pose_service.engine.models import LoadedModel
from pose_service.pipeline.blazepose import Landmarks, Roi, decode_detections, decode_landmarks, roi_from_detection
from pose_service.pipeline.blazepose_inputs import DETECTOR_SIZE, detector_input
from pose_service.pipeline.preprocess import letterbox
from pose_service.pipeline.roi_crop import crop_rois


def batch_bucket(count: int) -> int:
    return 1 << (count - 1).bit_length()


@dataclass(frozen=True)
class BlazePoseRunner:
    model: LoadedModel

    def detect(self, frames: list[np.ndarray], min_score: float) -> list[list[Roi]]:
        """One region per person found in each frame (uint8 RGB HWC)."""
        assert self.model.detector is not None
        prepared = [letterbox(frame, DETECTOR_SIZE, DETECTOR_SIZE) for frame in frames]
        batch = np.stack([detector_input(canvas) for canvas, _ in prepared])
        (raw,) = self.model.detector.run(torch.from_numpy(batch))
        raw_np = raw.cpu().numpy()
        return [
            [roi_from_detection(d, box) for d in decode_detections(raw_np[i], min_score)]
            for i, (_, box) in enumerate(prepared)
        ]

    def landmarks(self, frames: list[np.ndarray], crops: list[tuple[int, Roi]]) -> list[Landmarks]:
        """Landmarks for each (frame index, region); frames must share one size."""
        if not crops:
            return []
        executor = self.model.executor
        on_device = torch.from_numpy(np.stack(frames)).to(executor.device)
        # cuDNN plans each new batch shape once (slow on a GPU): powers of two keep a video to a few shapes.
        padded = crops + [crops[-1]] * (batch_bucket(len(crops)) - len(crops))
        outputs = dict(zip(executor.output_keys, executor.run(crop_rois(on_device, padded)), strict=True))
        ld_3d, world_3d = outputs["ld_3d"].cpu().numpy(), outputs["world_3d"].cpu().numpy()
        flags = outputs["output_poseflag"].cpu().numpy().reshape(-1)
        return [decode_landmarks(ld_3d[i], world_3d[i], float(flags[i]), roi) for i, (_, roi) in enumerate(crops)]
