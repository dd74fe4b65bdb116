"""BlazePose on a device: the detector on letterboxed frames, then the landmark model on every person's rotated
crop, its landmarks refined from its heatmaps (pipeline/heatmap_refinement.py). Each call takes the jobs of one
device batch, which may come from several frames of several requests (services/device_batcher.py gathers them);
the caller holds the device lock. Both graphs run in bucket-sized batches (engine/buckets.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from pose_service.engine.buckets import run_bucketed
from pose_service.engine.models import LoadedModel
from pose_service.pipeline.blazepose import Landmarks, Roi, decode_detections, decode_landmarks, roi_from_detection
from pose_service.pipeline.blazepose_inputs import DETECTOR_SIZE, LANDMARK_SIZE, detector_input
from pose_service.pipeline.heatmap_refinement import refine_from_heatmap
from pose_service.pipeline.preprocess import Letterbox, letterbox
from pose_service.pipeline.roi_crop import crop_rois


def _refined(ld_3d: torch.Tensor, heatmap: torch.Tensor) -> torch.Tensor:
    """ld_3d [N, 195] with each landmark's x, y refined from its heatmap, as MediaPipe does; on the host."""
    rows = ld_3d.reshape(len(ld_3d), -1, 5).clone()
    rows[..., :2] = refine_from_heatmap(rows[..., :2] / LANDMARK_SIZE, heatmap) * LANDMARK_SIZE
    return rows.reshape(len(ld_3d), -1).cpu()


@dataclass(frozen=True)
class DetectorJob:
    """One frame, letterboxed and normalised on the requester's thread (CPU work kept out of the device batch)."""

    model_input: np.ndarray
    box: Letterbox
    min_score: float

    @classmethod
    def prepare(cls, frame: np.ndarray, min_score: float) -> DetectorJob:
        canvas, box = letterbox(frame, DETECTOR_SIZE, DETECTOR_SIZE)
        return cls(detector_input(canvas), box, min_score)


@dataclass(frozen=True)
class LandmarkJob:
    """The regions of the people to follow in one frame (uint8 RGB HWC)."""

    frame: np.ndarray
    rois: list[Roi]


@dataclass(frozen=True)
class BlazePoseRunner:
    model: LoadedModel

    def detect(self, jobs: list[DetectorJob]) -> list[list[Roi]]:
        """One region per person found in each job's frame."""
        assert self.model.detector is not None
        (raw,) = run_bucketed(self.model.detector, torch.from_numpy(np.stack([job.model_input for job in jobs])))
        raw_np = raw.cpu().numpy()
        return [
            [roi_from_detection(d, job.box) for d in decode_detections(raw_np[i], job.min_score)]
            for i, job in enumerate(jobs)
        ]

    def landmarks(self, jobs: list[LandmarkJob]) -> list[list[Landmarks]]:
        """Landmarks for each job's regions, every crop of every job in one landmark-model batch."""
        if not any(job.rois for job in jobs):
            return [[] for _ in jobs]
        executor = self.model.executor
        # Frames may differ in size across requests: each is cropped on its own, the crops then share the batch.
        crops = torch.cat(
            [
                # A copy: decoded frames are read-only arrays, which torch will not wrap.
                crop_rois(
                    torch.from_numpy(np.array(job.frame[None])).to(executor.device), [(0, roi) for roi in job.rois]
                )
                for job in jobs
                if job.rois
            ]
        )
        # Padded to a bucket size (engine/buckets.py): a GPU plans each new batch shape once, and slowly.
        outputs = dict(zip(executor.output_keys, run_bucketed(executor, crops), strict=True))
        ld_3d = _refined(outputs["ld_3d"], outputs["activation_heatmap"]).numpy()
        world_3d = outputs["world_3d"].cpu().numpy()
        flags = outputs["output_poseflag"].cpu().numpy().reshape(-1)
        results, start = [], 0
        for job in jobs:
            results.append(
                [
                    decode_landmarks(ld_3d[start + i], world_3d[start + i], float(flags[start + i]), roi)
                    for i, roi in enumerate(job.rois)
                ]
            )
            start += len(job.rois)
        return results
