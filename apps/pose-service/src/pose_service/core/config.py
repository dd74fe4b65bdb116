"""Service configuration from the environment (prefix POSE_), validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import torch
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pose_service.engine.models import MODEL_SPECS, ModelName

_DEVICE = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POSE_", frozen=True)

    # Required: the folder made by `nx run pose-service:models` (movenet-*, blazepose-* .json + .bin).
    model_dir: Path
    # Required: the shared secret backend-api sends (Authorization: Bearer); every API route refuses calls
    # without it. POSE_SERVICE_TOKEN_FILE names a file holding it instead (a compose secret).
    service_token: SecretStr
    service_token_file: Annotated[Path | None, Field(exclude=True)] = None
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    # Loopback unless a deployment says otherwise (the image sets 0.0.0.0 for the compose network).
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 5000
    max_upload_bytes: Annotated[int, Field(gt=0)] = 25 * 1024 * 1024
    max_image_pixels: Annotated[int, Field(gt=0)] = 40_000_000
    max_video_frames: Annotated[int, Field(gt=0)] = 300
    video_batch_size: Annotated[int, Field(ge=1, le=256)] = 32  # ~2000 graph frames/s on an H200 (multipose)
    # Model-input pixels per video batch (the activations of a batch dominate host memory on CPU: a 3000x3000
    # video peaked at 3.6 GB RSS with 32-frame batches, 1.5 GB with 8). Unset: 512 Ki on CPU (8 frames at
    # 256x256), 2 Mi on CUDA (32 frames, the GPU's throughput sweet spot); batches never exceed video_batch_size.
    batch_pixel_budget: Annotated[int | None, Field(gt=0)] = None
    # Requests decoding or inferring at once; the rest wait in a queue of max_queued_requests, beyond which the
    # service answers 503 with Retry-After. Memory is bounded by the active ones (decoded media), not the queue
    # (a queued upload is spooled to disk by the multipart parser).
    max_concurrent_inference: Annotated[int, Field(ge=1, le=64)] = 2
    max_queued_requests: Annotated[int, Field(ge=0)] = 64
    retry_after_s: Annotated[int, Field(ge=1)] = 2
    # A request body (headers excepted) must arrive within this; slow or stalled uploads get 408.
    body_timeout_s: Annotated[float, Field(gt=0)] = 30.0
    multipose_long_side: Annotated[int, Field(ge=128, le=1024, multiple_of=32)] = 256
    models: Annotated[list[ModelName], Field(min_length=1)] = list(ModelName)
    default_model: ModelName = ModelName.multipose
    tracking_smoothing: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.5  # MoveNet EMA; BlazePose: One Euro when > 0
    # BlazePose video: the detector also runs every N frames (besides whenever someone is lost) to find newcomers.
    blazepose_redetect_every: Annotated[int, Field(ge=1)] = 30
    # BlazePose's detector and landmark batches gather the frames of every request running at once: a batch
    # leaves when all of them wait on it, else after this window (a lone video never waits), or when it holds
    # max_crops_per_batch people (1: each frame alone, as without the batcher). Unset: 64 on CUDA, where every
    # batch size replays a CUDA graph captured at load (warmup_max_batch), 1 on the CPU (batches help little there,
    # and a batch of 64 crops is ~1.5 GB of activations).
    batch_window_ms: Annotated[float, Field(ge=0.0, le=1000.0)] = 5.0
    max_crops_per_batch: Annotated[int | None, Field(ge=1, le=1024)] = None
    # BlazePose's graphs run in batches padded to 1, 2, 4 ... 64 rows (engine/buckets.py). After load, every bucket
    # up to this batch size is captured as a CUDA graph on a thread of its own while requests are served (a bucket
    # not captured yet is not used): the capture pays a shape's first call once (3.5-7 s per graph and shape on an
    # H200, README), then any thread replays it. 0: none. Unset: 64 (every bucket) on CUDA, 0 on the CPU (a new
    # shape costs milliseconds there).
    warmup_max_batch: Annotated[int | None, Field(ge=0, le=1024)] = None
    # TF32 convolutions are faster on Ampere+ GPUs but move outputs by ~1e-3; off keeps TF.js parity.
    allow_tf32: bool = False

    @model_validator(mode="before")
    @classmethod
    def read_service_token_file(cls, data: dict) -> dict:
        token_file = data.get("service_token_file") if isinstance(data, dict) else None
        if token_file is None:
            return data
        if data.get("service_token") is not None:
            raise ValueError("set service_token or service_token_file, not both")
        try:
            data["service_token"] = Path(token_file).read_text().rstrip("\r\n")
        except OSError as error:
            raise ValueError(f"service_token_file {token_file} cannot be read: {error.strerror}") from error
        return data

    @field_validator("service_token")
    @classmethod
    def check_service_token(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError("service_token must have at least 32 characters (e.g. `openssl rand -hex 32`)")
        return value

    @field_validator("device")
    @classmethod
    def check_device(cls, value: str) -> str:
        if not _DEVICE.match(value):
            raise ValueError(f"device {value!r} is not one of auto, cpu, cuda, cuda:N")
        return value

    @model_validator(mode="after")
    def check_model_files(self) -> Settings:
        # Only the selected models must be there: a lean host can carry the graphs it serves and no others.
        needed = dict.fromkeys(path for name in self.models for path in MODEL_SPECS[name].graph_files(self.model_dir))
        missing = [path.name for path in needed if not path.is_file()]
        if missing:
            raise ValueError(
                f"model_dir {self.model_dir} lacks {', '.join(missing)} for models"
                f" {[m.value for m in self.models]} (run `nx run pose-service:models`)"
            )
        return self

    @model_validator(mode="after")
    def check_default_model_is_loaded(self) -> Settings:
        if self.default_model not in self.models:
            raise ValueError(
                f"default_model {self.default_model.value!r} is not among models {[m.value for m in self.models]}"
            )
        return self

    def resolved_max_crops_per_batch(self, device: torch.device) -> int:
        if self.max_crops_per_batch is not None:
            return self.max_crops_per_batch
        return 64 if device.type == "cuda" else 1

    def resolved_warmup_max_batch(self, device: torch.device) -> int:
        if self.warmup_max_batch is not None:
            return self.warmup_max_batch
        return 64 if device.type == "cuda" else 0


def load_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]  # values come from the environment
