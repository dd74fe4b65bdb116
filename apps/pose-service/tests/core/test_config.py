from __future__ import annotations

from pathlib import Path

import pytest
import torch
from pydantic import ValidationError

from pose_service.core.config import Settings
from tests.conftest import SERVICE_TOKEN


def test_model_dir_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSE_MODEL_DIR", raising=False)
    with pytest.raises(ValidationError, match="model_dir"):
        Settings()  # type: ignore[call-arg]


def test_a_model_dir_without_models_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"lacks movenet-lightning\.json"):
        Settings(model_dir=tmp_path, service_token=SERVICE_TOKEN)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("device", "tpu"),
        ("multipose_long_side", 250),
        ("port", 70000),
        ("max_upload_bytes", 0),
        ("models", []),
        ("default_model", "thunder"),
        ("batch_window_ms", -1),
        ("max_crops_per_batch", 0),
        ("warmup_max_batch", -1),
    ],
)
def test_bad_values_are_rejected_at_start_up(model_dir: Path, field: str, value: object) -> None:
    with pytest.raises(ValidationError, match=field):
        extra = {"models": ["lightning"]} if field == "default_model" else {}
        Settings(model_dir=model_dir, service_token=SERVICE_TOKEN, **{field: value, **extra})


def test_the_environment_configures_the_service(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSE_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("POSE_SERVICE_TOKEN", SERVICE_TOKEN)
    monkeypatch.setenv("POSE_PORT", "5100")
    monkeypatch.setenv("POSE_MODELS", '["lightning"]')
    monkeypatch.setenv("POSE_DEFAULT_MODEL", "lightning")
    monkeypatch.setenv("POSE_WARMUP_MAX_BATCH", "0")
    settings = Settings()  # type: ignore[call-arg]
    assert (settings.port, [m.value for m in settings.models]) == (5100, ["lightning"])
    assert settings.warmup_max_batch == 0


def test_batching_and_the_warm_up_default_by_device_and_settings_win(model_dir: Path) -> None:
    cpu, cuda = torch.device("cpu"), torch.device("cuda:0")
    defaults = Settings(model_dir=model_dir, service_token=SERVICE_TOKEN)
    # On CUDA every bucket is captured as a CUDA graph after load, so batching costs no first calls there.
    assert (defaults.resolved_max_crops_per_batch(cuda), defaults.resolved_warmup_max_batch(cuda)) == (64, 64)
    assert (defaults.resolved_max_crops_per_batch(cpu), defaults.resolved_warmup_max_batch(cpu)) == (1, 0)
    chosen = Settings(model_dir=model_dir, service_token=SERVICE_TOKEN, max_crops_per_batch=8, warmup_max_batch=4)
    for device in (cpu, cuda):
        assert (chosen.resolved_max_crops_per_batch(device), chosen.resolved_warmup_max_batch(device)) == (8, 4)


def test_the_service_token_is_required_and_long(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSE_SERVICE_TOKEN", raising=False)
    with pytest.raises(ValidationError, match="service_token"):
        Settings(model_dir=model_dir)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(model_dir=model_dir, service_token="short")


def test_the_service_token_can_come_from_a_file(model_dir: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "pose_service_token"
    token_file.write_text(SERVICE_TOKEN + "\n")
    settings = Settings(model_dir=model_dir, service_token_file=token_file)
    assert settings.service_token.get_secret_value() == SERVICE_TOKEN
    assert SERVICE_TOKEN not in repr(settings)
    with pytest.raises(ValidationError, match="cannot be read"):
        Settings(model_dir=model_dir, service_token_file=tmp_path / "missing")


def test_native_runs_listen_on_loopback(model_dir: Path) -> None:
    assert Settings(model_dir=model_dir, service_token=SERVICE_TOKEN).host == "127.0.0.1"
