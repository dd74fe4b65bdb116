from __future__ import annotations

import asyncio
import threading
from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from pose_service.api.deps import EstimatorDep, LimiterDep, SettingsDep, read_upload, require_single_file
from pose_service.engine.models import ModelName
from pose_service.errors import ClientDisconnectedError, ClientInputError
from pose_service.media.image import decode_image
from pose_service.media.video import open_video
from pose_service.models import ErrorPublic, FramePublic, ImagePosePublic, PersonPublic, VideoPosePublic
from pose_service.services.pose_estimator import Thresholds

router = APIRouter(prefix="/v1/pose", tags=["pose"], dependencies=[Depends(require_single_file)])

_ERRORS = {status: {"model": ErrorPublic} for status in (400, 408, 413, 415, 422, 503)}
_DISCONNECT_POLL_S = 0.2

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


async def _watch_disconnect(request: Request, gone: threading.Event) -> None:
    while not gone.is_set():
        if await request.is_disconnected():
            gone.set()
            return
        await asyncio.sleep(_DISCONNECT_POLL_S)


@router.post("", response_model=ImagePosePublic, responses=_ERRORS)
async def estimate_image_pose(
    estimator: EstimatorDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP")],
    model: ModelQuery = None,
    min_person_score: PersonScore = 0.2,
    min_keypoint_score: KeypointScore = 0.3,
) -> ImagePosePublic:
    name = _pick_model(model, estimator, settings)
    data = await read_upload(file, settings.max_upload_bytes)
    limits = Thresholds(min_person_score, min_keypoint_score)
    async with limiter.slot():
        image = await run_in_threadpool(decode_image, data, settings.max_image_pixels, estimator.input_long_side(name))
        source_size = (image.height, image.width)
        people = await run_in_threadpool(estimator.estimate_image, name, image.pixels, limits, source_size)
    return ImagePosePublic(
        model=name,
        device=str(estimator.device),
        width=image.width,
        height=image.height,
        people=[PersonPublic.from_person(p, estimator.models[name].spec.keypoint_names) for p in people],
    )


@router.post("/video", response_model=VideoPosePublic, responses=_ERRORS)
async def estimate_video_pose(
    request: Request,
    estimator: EstimatorDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    file: Annotated[UploadFile, File(description="MP4 or WebM")],
    model: ModelQuery = None,
    min_person_score: PersonScore = 0.2,
    min_keypoint_score: KeypointScore = 0.3,
) -> VideoPosePublic:
    name = _pick_model(model, estimator, settings)
    data = await read_upload(file, settings.max_upload_bytes)
    limits = Thresholds(min_person_score, min_keypoint_score)
    names = estimator.models[name].spec.keypoint_names
    async with limiter.slot():
        video = await run_in_threadpool(
            open_video, data, settings.max_video_frames, settings.max_image_pixels, estimator.input_long_side(name)
        )
        source_size = (video.height, video.width)
        batch_size = estimator.batch_size_for(name, source_size, settings.video_batch_size, settings.batch_pixel_budget)
        gone = threading.Event()

        def run() -> list[FramePublic]:
            # Decoding, batching and inference interleave: only one batch of frames is in memory at a time.
            with closing(video.frames):
                results = estimator.estimate_frames(
                    name,
                    video.frames,
                    limits,
                    batch_size,
                    settings.tracking_smoothing,
                    fps=video.fps,
                    source_size=source_size,
                    is_cancelled=gone.is_set,
                )
                return [
                    FramePublic(
                        index=r.index,
                        time_s=round(r.index / video.fps, 4) if video.fps else 0.0,
                        people=[PersonPublic.from_person(p, names) for p in r.people],
                    )
                    for r in results
                ]

        # A caller that goes away (backend-api killed, or its lease on the job lost) stops the work within a
        # batch, so the job's next holder never runs alongside it.
        watcher = asyncio.create_task(_watch_disconnect(request, gone))
        try:
            frames = await run_in_threadpool(run)
        except ClientDisconnectedError:
            limiter.count_cancelled()
            raise
        finally:
            watcher.cancel()
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
