from __future__ import annotations

from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool

from pose_service.api.deps import EstimatorDep, SettingsDep, read_upload
from pose_service.engine.models import ModelName
from pose_service.errors import ClientInputError
from pose_service.media.image import decode_image
from pose_service.media.video import open_video
from pose_service.models import ErrorPublic, FramePublic, ImagePosePublic, PersonPublic, VideoPosePublic
from pose_service.services.pose_estimator import Thresholds

router = APIRouter(prefix="/v1/pose", tags=["pose"])

_ERRORS = {status: {"model": ErrorPublic} for status in (400, 413, 415, 422)}

ModelQuery = Annotated[
    ModelName | None,
    Query(description="default: the service's POSE_DEFAULT_MODEL (multipose); GET /v1/models lists the loaded ones"),
]
PersonScore = Annotated[float, Query(ge=0.0, le=1.0, description="drop people scoring below this")]
KeypointScore = Annotated[float, Query(ge=0.0, le=1.0, description="keypoints below this count as unseen")]


class ModelNotLoadedError(ClientInputError):
    status_code = 422
    code = "model_not_loaded"


def _pick_model(requested: ModelName | None, estimator: EstimatorDep, settings: SettingsDep) -> ModelName:
    name = requested or settings.default_model
    if name not in estimator.models:
        raise ModelNotLoadedError(
            f"model {name.value!r} is not loaded here (loaded: {[m.value for m in estimator.models]})"
        )
    return name


@router.post("", response_model=ImagePosePublic, responses=_ERRORS)
async def estimate_image_pose(
    estimator: EstimatorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP")],
    model: ModelQuery = None,
    min_person_score: PersonScore = 0.2,
    min_keypoint_score: KeypointScore = 0.3,
) -> ImagePosePublic:
    name = _pick_model(model, estimator, settings)
    data = await read_upload(file, settings.max_upload_bytes)
    image = await run_in_threadpool(decode_image, data, settings.max_image_pixels)
    limits = Thresholds(min_person_score, min_keypoint_score)
    people = await run_in_threadpool(estimator.estimate_image, name, image, limits)
    return ImagePosePublic(
        model=name,
        device=str(estimator.device),
        width=image.shape[1],
        height=image.shape[0],
        people=[PersonPublic.from_person(p, estimator.models[name].spec.keypoint_names) for p in people],
    )


@router.post("/video", response_model=VideoPosePublic, responses=_ERRORS)
async def estimate_video_pose(
    estimator: EstimatorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="MP4 or WebM")],
    model: ModelQuery = None,
    min_person_score: PersonScore = 0.2,
    min_keypoint_score: KeypointScore = 0.3,
) -> VideoPosePublic:
    name = _pick_model(model, estimator, settings)
    data = await read_upload(file, settings.max_upload_bytes)
    video = await run_in_threadpool(open_video, data, settings.max_video_frames, settings.max_image_pixels)
    limits = Thresholds(min_person_score, min_keypoint_score)
    names = estimator.models[name].spec.keypoint_names

    def run() -> list[FramePublic]:
        # Decoding, batching and inference interleave: only one batch of frames is in memory at a time.
        with closing(video.frames):
            results = estimator.estimate_frames(
                name, video.frames, limits, settings.video_batch_size, settings.tracking_smoothing, video.fps
            )
            return [
                FramePublic(
                    index=r.index,
                    time_s=round(r.index / video.fps, 4) if video.fps else 0.0,
                    people=[PersonPublic.from_person(p, names) for p in r.people],
                )
                for r in results
            ]

    frames = await run_in_threadpool(run)
    track_ids = {p.track_id for f in frames for p in f.people}
    return VideoPosePublic(
        model=name,
        device=str(estimator.device),
        width=video.width,
        height=video.height,
        fps=round(video.fps, 3),
        frame_count=len(frames),
        track_count=len(track_ids),
        frames=frames,
    )
