from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from pose_service.api.deps import EstimatorDep, LimiterDep, SettingsDep
from pose_service.models import HealthPublic, InferencePublic
from pose_service.services.device import describe_device

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def read_health(estimator: EstimatorDep, settings: SettingsDep, limiter: LimiterDep) -> HealthPublic:
    return HealthPublic(
        status="ok",
        **describe_device(estimator.device),
        tf32=settings.allow_tf32,
        models=list(estimator.models),
        inference=InferencePublic(**asdict(limiter.stats())),
    )
