"""The MoveNet variants this service knows, and loading them onto a device."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

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


class ModelName(StrEnum):
    lightning = "lightning"
    thunder = "thunder"
    multipose = "multipose"


@dataclass(frozen=True)
class ModelSpec:
    name: ModelName
    # Square input side for single-pose models; None: any size in multiples of 32 (multipose).
    fixed_size: int | None

    @property
    def is_multipose(self) -> bool:
        return self.fixed_size is None

    def model_json(self, model_dir: Path) -> Path:
        return model_dir / f"movenet-{self.name.value}.json"


MODEL_SPECS = {
    ModelName.lightning: ModelSpec(ModelName.lightning, 192),
    ModelName.thunder: ModelSpec(ModelName.thunder, 256),
    ModelName.multipose: ModelSpec(ModelName.multipose, None),
}


@dataclass(frozen=True)
class LoadedModel:
    spec: ModelSpec
    executor: GraphExecutor


def load_model(spec: ModelSpec, model_dir: Path, device: torch.device) -> LoadedModel:
    path = spec.model_json(model_dir)
    if not path.is_file():
        raise FileNotFoundError(f"model {spec.name.value!r}: {path} is missing (run `nx run pose-service:models`)")
    return LoadedModel(spec, GraphExecutor(load_graph(path), device))
