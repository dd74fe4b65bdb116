"""Choose the torch device once, at start-up (the engine sets its own numerics when it loads on a GPU)."""

from __future__ import annotations

import torch


def resolve_device(requested: str) -> torch.device:
    if requested == "auto":
        return torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    device = torch.device(requested)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(f"device {requested!r} was requested but CUDA is not available")
        index = device.index or 0
        if index >= torch.cuda.device_count():
            raise RuntimeError(f"device {requested!r} was requested but only {torch.cuda.device_count()} GPU(s) exist")
        return torch.device("cuda", index)
    return device


def describe_device(device: torch.device) -> dict[str, str | None]:
    return {
        "device": str(device),
        "gpu_name": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
        "torch_version": torch.__version__,
        "cuda_version": torch.version.cuda,
    }
