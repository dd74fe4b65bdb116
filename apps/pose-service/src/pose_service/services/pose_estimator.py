"""The one owner of the loaded models: images and frame batches in, people out.

One lock serialises device work so concurrent requests never interleave kernels or fight over GPU memory;
decoding and letterboxing happen outside it, in the request's own worker thread. BlazePose's device work goes
through one micro-batcher, so the people of concurrent requests' frames share detector and landmark batches.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import Any

import numpy as np
import torch

from pose_service.core.config import Settings
from pose_service.engine.buckets import warm_up
from pose_service.engine.executor import GraphExecutor
from pose_service.engine.models import LoadedModel, ModelName, load_models
from pose_service.errors import ClientDisconnectedError
from pose_service.pipeline.blazepose import Landmarks, Roi
from pose_service.pipeline.people import Person, decode_multipose, decode_single_pose, person_from_landmarks
from pose_service.pipeline.pose_tracking import PoseTracker, drop_duplicates, is_near_tracked
from pose_service.pipeline.preprocess import Letterbox, input_size_for, letterbox
from pose_service.pipeline.tracking import Tracker
from pose_service.services.blazepose_runner import BlazePoseRunner, DetectorJob, LandmarkJob
from pose_service.services.device_batcher import BatcherStats, DeviceBatcher

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Warmup:
    """The batch sizes each graph warmed (by graph file stem), how long each graph took, and all of it."""

    sizes: dict[str, list[int]]
    seconds: float
    graph_seconds: dict[str, float] = field(default_factory=dict)


class UnknownModelError(LookupError):
    pass


class _Stage(StrEnum):
    detect = "detect"
    landmarks = "landmarks"


class PoseEstimator:
    def __init__(
        self,
        models: dict[ModelName, LoadedModel],
        device: torch.device,
        multipose_long_side: int,
        redetect_every: int = 30,
        batch_window_s: float = 0.005,
        max_crops_per_batch: int = 1,
    ) -> None:
        self.models = models
        self.device = device
        self.multipose_long_side = multipose_long_side
        self.redetect_every = redetect_every
        self._lock = threading.Lock()
        # Letterboxing video frames is CPU work that Pillow does without the GIL: spread it over cores.
        self._prepare_pool = ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1), thread_name_prefix="letterbox")
        self._batcher = DeviceBatcher(self._run_blazepose, batch_window_s, max_crops_per_batch, "blazepose-batcher")
        self.warmup = Warmup({}, 0.0)
        self._warm_thread: threading.Thread | None = None
        self._is_closing = threading.Event()

    @classmethod
    def load(cls, settings: Settings, device: torch.device) -> PoseEstimator:
        models = load_models(settings.models, settings.model_dir, device, settings.allow_tf32)
        estimator = cls(
            models,
            device,
            settings.multipose_long_side,
            settings.blazepose_redetect_every,
            settings.batch_window_ms / 1000,
            settings.resolved_max_crops_per_batch(device),
        )
        estimator.start_warm_up(settings.resolved_warmup_max_batch(device))
        return estimator

    def start_warm_up(self, max_batch: int) -> None:
        """Warms the buckets up to `max_batch` on a thread of its own while requests are served (a bucket not yet
        captured is not used: engine/buckets.py), so start-up does not wait for it; see wait_for_warm_up."""
        if max_batch < 1:
            return
        self._warm_thread = threading.Thread(
            target=self.warm_up, args=(max_batch,), name="blazepose-warm-up", daemon=True
        )
        self._warm_thread.start()

    def wait_for_warm_up(self, timeout_s: float | None = None) -> Warmup:
        """The warm-up started at load, once it has ended (or as far as it got within the timeout)."""
        if self._warm_thread is not None:
            self._warm_thread.join(timeout_s)
        return self.warmup

    def warm_up(self, max_batch: int) -> Warmup:
        """Each BlazePose graph (the shared detector once) at every bucket size up to `max_batch`, here and now:
        captured as CUDA graphs on a GPU (engine/cuda_graphs.py says why any thread can then replay them), run
        once elsewhere. Not under the device lock: requests go on meanwhile, on the buckets already captured."""
        started = time.perf_counter()
        graphs: dict[str, GraphExecutor] = {}
        for model in self.models.values():
            if model.spec.is_blazepose:
                graphs[model.spec.graph] = model.executor
                if model.detector is not None and model.spec.detector is not None:
                    graphs[model.spec.detector] = model.detector
        sizes, graph_seconds = {}, {}
        for name, executor in graphs.items():
            graph_started = time.perf_counter()
            if warmed := warm_up(executor, max_batch, keep_going=lambda: not self._is_closing.is_set()):
                sizes[name] = warmed
                graph_seconds[name] = time.perf_counter() - graph_started
        if self.device.type == "cuda":
            # The captures' eager runs left their largest activations in the allocator's cache (about a GB for
            # heavy at 64 rows); the graphs keep their own pools.
            torch.cuda.empty_cache()
        self.warmup = Warmup(sizes, time.perf_counter() - started, graph_seconds)
        if sizes:
            how = "captured as CUDA graphs" if self.device.type == "cuda" else "ran"
            logger.info("warm-up: %s batch sizes %s in %.1f s", how, sizes, self.warmup.seconds)
        return self.warmup

    def close(self) -> None:
        self._is_closing.set()  # a warm-up under way stops after the bucket it is on
        self.wait_for_warm_up()
        self._prepare_pool.shutdown(wait=True)
        self._batcher.close()
        with self._lock:
            self.models.clear()
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    @property
    def max_crops_per_batch(self) -> int:
        """The most people one BlazePose device batch gathers (1: each frame alone); may change while serving."""
        return self._batcher.max_items

    @max_crops_per_batch.setter
    def max_crops_per_batch(self, value: int) -> None:
        if value < 1:
            raise ValueError(f"max_crops_per_batch must be at least 1, not {value}")
        self._batcher.max_items = value

    def batch_stats(self) -> BatcherStats:
        """BlazePose device batches so far, and the jobs (frames) and items (people or frames) they held."""
        return self._batcher.stats()

    def _model(self, name: ModelName) -> LoadedModel:
        if name not in self.models:
            raise UnknownModelError(f"model {name.value!r} is not loaded (loaded: {[m.value for m in self.models]})")
        return self.models[name]

    def input_long_side(self, name: ModelName) -> int | None:
        """The longest model-input edge: decoding need not keep more pixels than this. None for BlazePose, whose
        landmark model crops each person from the full frame (shrinking first would blur small people), and which
        holds one frame at a time anyway."""
        spec = self._model(name).spec
        if spec.is_blazepose:
            return None
        return spec.fixed_size or self.multipose_long_side

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
        if model.spec.is_blazepose:
            return self._blazepose_image(model, image, limits)
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

    def _run_blazepose(self, key: Hashable, payloads: list[Any]) -> list[Any]:
        """One batch of the micro-batcher: detector or landmark jobs of one model, from any requests."""
        name, stage = key
        runner = BlazePoseRunner(self._model(name))
        with self._lock:
            return runner.detect(payloads) if stage is _Stage.detect else runner.landmarks(payloads)

    def _detect(self, model: LoadedModel, frame: np.ndarray, min_score: float) -> list[Roi]:
        return self._batcher.submit((model.spec.name, _Stage.detect), DetectorJob.prepare(frame, min_score))

    def _landmarks(self, model: LoadedModel, frame: np.ndarray, rois: list[Roi]) -> list[Landmarks]:
        return self._batcher.submit((model.spec.name, _Stage.landmarks), LandmarkJob(frame, rois), max(1, len(rois)))

    def _blazepose_image(self, model: LoadedModel, image: np.ndarray, limits: Thresholds) -> list[Person]:
        with self._batcher.client():
            found = self._landmarks(model, image, self._detect(model, image, limits.min_person_score))
        people = drop_duplicates([lm for lm in found if lm.pose_score >= limits.min_person_score])
        height, width = image.shape[:2]
        return sorted((person_from_landmarks(lm, width, height) for lm in people), key=lambda p: -p.score)

    def estimate_frames(
        self,
        name: ModelName,
        frames: Iterable[np.ndarray],
        limits: Thresholds,
        batch_size: int,
        smoothing: float,
        fps: float = 30.0,
        source_size: tuple[int, int] | None = None,
        is_cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FramePeople]:
        """Frames run through the model in batches; tracks and smoothing follow in frame order.

        `is_cancelled` is asked before each batch, so a request whose client went away stops within one batch.
        """
        model = self._model(name)
        if model.spec.is_blazepose:
            yield from self._blazepose_frames(model, frames, limits, fps, smoothing > 0, is_cancelled)
            return
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

    def _blazepose_frames(
        self,
        model: LoadedModel,
        frames: Iterable[np.ndarray],
        limits: Thresholds,
        fps: float,
        smooth: bool,
        is_cancelled: Callable[[], bool],
    ) -> Iterator[FramePeople]:
        """As MediaPipe tracks: each frame's regions come from the previous frame's landmarks, and the detector
        runs only when someone is lost (and every `redetect_every` frames, to notice newcomers).

        The region chain makes one video's frames sequential: its landmark jobs hold the people of one frame, and
        the micro-batcher puts them in one batch with the frames of the other requests running at the time.
        """
        tracker = PoseTracker(smoothing=smooth)
        with self._batcher.client():
            for index, frame in enumerate(frames):
                if is_cancelled():
                    raise ClientDisconnectedError(f"the client went away; stopped after {index} frames")
                regions = tracker.regions()
                if tracker.is_lost() or index % self.redetect_every == 0:
                    detected = self._detect(model, frame, limits.min_person_score)
                    regions += [roi for roi in detected if not is_near_tracked(roi, regions)]
                found = self._landmarks(model, frame, regions)
                candidates = drop_duplicates([lm for lm in found if lm.pose_score >= limits.min_person_score])
                height, width = frame.shape[:2]
                tracked = tracker.update(candidates, index / fps if fps > 0 else float(index))
                people = [person_from_landmarks(t.landmarks, width, height, t.track_id) for t in tracked]
                yield FramePeople(index, people)
