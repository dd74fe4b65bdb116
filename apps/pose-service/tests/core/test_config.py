from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pose_service.core.config import Settings


def test_model_dir_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSE_MODEL_DIR", raising=False)
    with pytest.raises(ValidationError, match="model_dir"):
        Settings()  # type: ignore[call-arg]


def test_a_model_dir_without_models_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"lacks movenet-lightning\.json"):
        Settings(model_dir=tmp_path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("device", "tpu"),
        ("multipose_long_side", 250),
        ("port", 70000),
        ("max_upload_bytes", 0),
        ("models", []),
        ("default_model", "thunder"),
    ],
)
def test_bad_values_are_rejected_at_start_up(model_dir: Path, field: str, value: object) -> None:
    with pytest.raises(ValidationError, match=field):
        extra = {"models": ["lightning"]} if field == "default_model" else {}
        Settings(model_dir=model_dir, **{field: value, **extra})


def test_the_environment_configures_the_service(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSE_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("POSE_PORT", "5100")
    monkeypatch.setenv("POSE_MODELS", '["lightning"]')
    monkeypatch.setenv("POSE_DEFAULT_MODEL", "lightning")
    settings = Settings()  # type: ignore[call-arg]
    assert (settings.port, [m.value for m in settings.models]) == (5100, ["lightning"])
