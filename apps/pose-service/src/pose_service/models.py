"""API schemas (the OpenAPI contract the frontend's TypeScript types are generated from)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from pose_service.engine.models import ModelName
from pose_service.pipeline.people import Person


class KeypointPublic(BaseModel):
    name: str
    x: float = Field(description="pixels from the left edge of the original image")
    y: float = Field(description="pixels from the top edge of the original image")
    score: float = Field(description="MoveNet: keypoint confidence; BlazePose: visibility")
    presence: float | None = Field(
        default=None, description="BlazePose: probability that the landmark lies inside the image; null for MoveNet"
    )


class Keypoint3dPublic(BaseModel):
    name: str
    x: float = Field(description="metres, hip-centred world coordinates (BlazePose world landmarks)")
    y: float = Field(description="metres, pointing down")
    z: float = Field(description="metres, pointing away from the camera")
    score: float = Field(description="visibility")


class BoxPublic(BaseModel):
    x_min: float
    y_min: float
    x_max: float
    y_max: float


class PersonPublic(BaseModel):
    score: float
    box: BoxPublic
    keypoints: list[KeypointPublic]
    track_id: int | None = None
    keypoints_3d: list[Keypoint3dPublic] | None = Field(
        default=None, description="BlazePose: the same landmarks in metres; null for MoveNet"
    )

    @classmethod
    def from_person(cls, person: Person, names: tuple[str, ...]) -> PersonPublic:
        x0, y0, x1, y1 = person.box
        presence = [None] * len(names) if person.presence is None else [round(float(p), 5) for p in person.presence]
        keypoints_3d = None
        if person.keypoints_3d is not None:
            keypoints_3d = [
                Keypoint3dPublic(
                    name=name,
                    x=round(float(x), 4),
                    y=round(float(y), 4),
                    z=round(float(z), 4),
                    score=round(float(s), 5),
                )
                for name, (x, y, z, s) in zip(names, person.keypoints_3d, strict=True)
            ]
        return cls(
            score=round(person.score, 5),
            box=BoxPublic(x_min=round(x0, 2), y_min=round(y0, 2), x_max=round(x1, 2), y_max=round(y1, 2)),
            keypoints=[
                KeypointPublic(
                    name=name, x=round(float(x), 2), y=round(float(y), 2), score=round(float(s), 5), presence=p
                )
                for name, (x, y, s), p in zip(names, person.keypoints, presence, strict=True)
            ],
            track_id=person.track_id,
            keypoints_3d=keypoints_3d,
        )


class ImagePosePublic(BaseModel):
    model: ModelName
    device: str = Field(description="the torch device the model ran on, e.g. cuda:0 or cpu")
    width: int
    height: int
    people: list[PersonPublic]


class FramePublic(BaseModel):
    index: int
    time_s: float
    people: list[PersonPublic]


class VideoPosePublic(BaseModel):
    model: ModelName
    device: str = Field(description="the torch device the model ran on, e.g. cuda:0 or cpu")
    width: int
    height: int
    fps: float
    frame_count: int
    track_count: int
    frames: list[FramePublic]


class InferencePublic(BaseModel):
    active: int = Field(description="requests decoding or inferring now")
    queued: int = Field(description="requests waiting for a slot")
    max_active: int
    max_queued: int = Field(description="beyond active + queued, requests are answered 503 with Retry-After")
    cancelled: int = Field(description="video requests stopped because their client went away, since start")


class HealthPublic(BaseModel):
    status: str
    device: str
    gpu_name: str | None
    torch_version: str
    cuda_version: str | None
    tf32: bool
    models: list[ModelName]
    inference: InferencePublic


class ModelPublic(BaseModel):
    name: ModelName
    kind: Literal["2d", "3d"] = Field(description="3d: people also carry keypoints_3d in metres")
    keypoints: list[str] = Field(description="keypoint names, in the order every person lists them")


class ErrorPublic(BaseModel):
    code: str
    detail: str
