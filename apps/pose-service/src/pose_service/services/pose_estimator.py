"""The one owner of the loaded models: images and frame batches in, people out.

One lock serialises device work so concurrent requests never interleave kernels or fight over GPU memory;
decoding and letterboxing happen outside it, in the request's own worker thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import torch

from pose_service.engine.models import MODEL_SPECS, LoadedModel, ModelName, load_model
from pose_service.errors import ClientDisconnectedError
from pose_service.pipeline.people import Person, decode_multipose, decode_single_pose
from pose_service.pipeline.preprocess import Letterbox, input_size_for, letterbox
from pose_service.pipeline.tracking import Tracker

# Defaults of POSE_BATCH_PIXEL_BUDGET by device (core/config.py says why).
_CPU_PIXEL_BUDGET = 512 * 1024
_CUDA_PIXEL_BUDGET = 2 * 1024 * 1024


@dataclass(frozen=True)
class Thresholds:
    min_person_score: float
    min_keypoint_score: float


@dataclass(frozen=True)
class FramePeople:
    index: int
    people: list[Person]


class UnknownModelError(LookupError):
    pass


class PoseEstimator:
    def __init__(self, models: dict[ModelName, LoadedModel], device: torch.device, multipose_long_side: int) -> None:
        self.models = models
        self.device = device
        self.multipose_long_side = multipose_long_side
        self._lock = threading.Lock()
        # Letterboxing video frames is CPU work that Pillow does without the GIL: spread it over cores.
        self._prepare_pool = ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1), thread_name_prefix="letterbox")

    @classmethod
    def load(
        cls, names: list[ModelName], model_dir: Path, device: torch.device, multipose_long_side: int
    ) -> PoseEstimator:
        models = {name: load_model(MODEL_SPECS[name], model_dir, device) for name in names}
        return cls(models, device, multipose_long_side)

    def close(self) -> None:
        self._prepare_pool.shutdown(wait=True)
        with self._lock:
            self.models.clear()
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def _model(self, name: ModelName) -> LoadedModel:
        if name not in self.models:
            raise UnknownModelError(f"model {name.value!r} is not loaded (loaded: {[m.value for m in self.models]})")
        return self.models[name]

    def input_long_side(self, name: ModelName) -> int:
        """The longest model-input edge: decoding need not keep more pixels than this."""
        return self._model(name).spec.fixed_size or self.multipose_long_side

    def _prepare(
        self, model: LoadedModel, image: np.ndarray, source_size: tuple[int, int]
    ) -> tuple[np.ndarray, Letterbox]:
        height, width = input_size_for(*source_size, model.spec.fixed_size, self.multipose_long_side)
        return letterbox(image, height, width, source_size)

    def infer(self, name: ModelName, batch: np.ndarray) -> np.ndarray:
        """Raw graph output for an int32/uint8 NHWC batch."""
        model = self._model(name)
        tensor = torch.from_numpy(batch).to(torch.int32)
        with self._lock:
            (output,) = model.executor.run(tensor)
            return output.float().cpu().numpy()

    def _decode(
        self, model: LoadedModel, output: np.ndarray, frame: Letterbox, size: tuple[int, int], limits: Thresholds
    ) -> list[Person]:
        height, width = size
        if model.spec.is_multipose:
            return decode_multipose(output, frame, width, height, limits.min_person_score)
        return decode_single_pose(output, frame, width, height, limits.min_person_score, limits.min_keypoint_score)

    def estimate_image(
        self, name: ModelName, image: np.ndarray, limits: Thresholds, source_size: tuple[int, int] | None = None
    ) -> list[Person]:
        """People in `source_size` (height, width) pixels; `image` may be a shrunk decode of that original."""
        model = self._model(name)
        size = source_size or (image.shape[0], image.shape[1])
        canvas, frame = self._prepare(model, image, size)
        output = self.infer(name, canvas[None])
        return self._decode(model, output[0], frame, size, limits)

    def batch_size_for(
        self, name: ModelName, source_size: tuple[int, int], batch_size: int, pixel_budget: int | None
    ) -> int:
        """At most `batch_size` frames, and no more model-input pixels than the budget (at least one frame)."""
        model = self._model(name)
        height, width = input_size_for(*source_size, model.spec.fixed_size, self.multipose_long_side)
        budget = pixel_budget or (_CUDA_PIXEL_BUDGET if self.device.type == "cuda" else _CPU_PIXEL_BUDGET)
        return max(1, min(batch_size, budget // (height * width)))

    def estimate_frames(
        self,
        name: ModelName,
        frames: Iterable[np.ndarray],
        limits: Thresholds,
        batch_size: int,
        smoothing: float,
        source_size: tuple[int, int] | None = None,
        is_cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FramePeople]:
        """Frames run through the model in batches; tracks and smoothing follow in frame order.

        `is_cancelled` is asked before each batch, so a request whose client went away stops within one batch.
        """
        model = self._model(name)
        tracker = Tracker(smoothing=smoothing, min_keypoint_score=limits.min_keypoint_score)
        source, start = iter(frames), 0
        while chunk := list(islice(source, batch_size)):
            if is_cancelled():
                raise ClientDisconnectedError(f"the client went away; stopped after {start} frames")
            size = source_size or (chunk[0].shape[0], chunk[0].shape[1])
            prepared = list(self._prepare_pool.map(lambda frame, size=size: self._prepare(model, frame, size), chunk))
            outputs = self.infer(name, np.stack([canvas for canvas, _ in prepared]))
            for offset, ((_, box), output) in enumerate(zip(prepared, outputs, strict=True)):
                people = self._decode(model, output, box, size, limits)
                yield FramePeople(start + offset, tracker.update(people))
            start += len(chunk)
