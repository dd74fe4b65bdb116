"""The models this service knows (MoveNet 2D, BlazePose GHUM 3D), and loading their graphs onto a device."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

import torch

from pose_service.engine.executor import GraphExecutor
from pose_service.engine.graph import load_graph

KEYPOINT_NAMES = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)

# MediaPipe's PoseLandmark order, in snake_case (the landmark model's first 33 rows; 6 auxiliary rows follow).
BLAZEPOSE_KEYPOINT_NAMES = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

BLAZEPOSE_DETECTOR = "blazepose-detector"


class ModelName(StrEnum):
    lightning = "lightning"
    thunder = "thunder"
    multipose = "multipose"
    blazepose_lite = "blazepose-lite"
    blazepose_full = "blazepose-full"
    blazepose_heavy = "blazepose-heavy"


@dataclass(frozen=True)
class ModelSpec:
    name: ModelName
    graph: str  # file stem of the graph in the model dir
    # Square input side for single-pose models; None: any size in multiples of 32 (multipose).
    fixed_size: int | None
    kind: Literal["2d", "3d"]
    keypoint_names: tuple[str, ...]
    detector: str | None = None  # BlazePose finds people with a separate graph first

    @property
    def is_multipose(self) -> bool:
        return self.fixed_size is None

    @property
    def is_blazepose(self) -> bool:
        return self.detector is not None

    def graph_files(self, model_dir: Path) -> list[Path]:
        stems = [self.graph] if self.detector is None else [self.graph, self.detector]
        return [model_dir / f"{stem}.json" for stem in stems]


def _movenet(name: ModelName, fixed_size: int | None) -> ModelSpec:
    return ModelSpec(name, f"movenet-{name.value}", fixed_size, "2d", KEYPOINT_NAMES)


def _blazepose(name: ModelName) -> ModelSpec:
    return ModelSpec(name, name.value, 256, "3d", BLAZEPOSE_KEYPOINT_NAMES, BLAZEPOSE_DETECTOR)


MODEL_SPECS = {
    ModelName.lightning: _movenet(ModelName.lightning, 192),
    ModelName.thunder: _movenet(ModelName.thunder, 256),
    ModelName.multipose: _movenet(ModelName.multipose, None),
    ModelName.blazepose_lite: _blazepose(ModelName.blazepose_lite),
    ModelName.blazepose_full: _blazepose(ModelName.blazepose_full),
    ModelName.blazepose_heavy: _blazepose(ModelName.blazepose_heavy),
}


@dataclass(frozen=True)
class LoadedModel:
    spec: ModelSpec
    executor: GraphExecutor
    detector: GraphExecutor | None = None


def load_executor(path: Path, device: torch.device, allow_tf32: bool = False) -> GraphExecutor:
    if not path.is_file():
        raise FileNotFoundError(f"graph {path.stem!r}: {path} is missing (run `nx run pose-service:models`)")
    return GraphExecutor(load_graph(path), device, allow_tf32)


def load_models(
    names: list[ModelName], model_dir: Path, device: torch.device, allow_tf32: bool = False
) -> dict[ModelName, LoadedModel]:
    """The BlazePose variants share one detector graph, loaded once."""
    cache: dict[Path, GraphExecutor] = {}

    def executor(path: Path) -> GraphExecutor:
        if path not in cache:
            cache[path] = load_executor(path, device, allow_tf32)
        return cache[path]

    loaded = {}
    for name in names:
        spec = MODEL_SPECS[name]
        main, *detector = (executor(path) for path in spec.graph_files(model_dir))
        loaded[name] = LoadedModel(spec, main, detector[0] if detector else None)
    return loaded


def load_model(spec: ModelSpec, model_dir: Path, device: torch.device, allow_tf32: bool = False) -> LoadedModel:
    return load_models([spec.name], model_dir, device, allow_tf32)[spec.name]
