from __future__ import annotations

from fastapi import APIRouter

from pose_service.api.deps import EstimatorDep
from pose_service.models import ModelPublic

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.get("", response_model=list[ModelPublic])
def list_models(estimator: EstimatorDep) -> list[ModelPublic]:
    """The models this service has loaded, for a picker: their kind and keypoint names."""
    return [
        ModelPublic(name=name, kind=model.spec.kind, keypoints=list(model.spec.keypoint_names))
        for name, model in estimator.models.items()
    ]
