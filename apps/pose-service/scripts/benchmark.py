"""Latency and throughput of pose-service on one device.

Prints, per model: single-image latency p50/p95 in-process (PoseEstimator.estimate_image: letterbox,
graph, decoding) and over HTTP (POST /v1/pose with a JPEG to a real uvicorn server on localhost), then
batched video throughput in frames/s (estimate_frames: letterbox, batched graph, decoding, tracking) and
the graph alone, for each batch size.

Usage: python scripts/benchmark.py --model-dir ../../dist/pose-models [--device cuda] [--iterations 50]
"""

from __future__ import annotations

import argparse
import io
import secrets
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import uvicorn  # noqa: E402
from PIL import Image  # noqa: E402

from pose_service.core.config import Settings  # noqa: E402
from pose_service.engine.models import ModelName  # noqa: E402
from pose_service.main import create_app  # noqa: E402
from pose_service.services.pose_estimator import PoseEstimator, Thresholds  # noqa: E402

LIMITS = Thresholds(min_person_score=0.2, min_keypoint_score=0.3)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_calls(call: Callable[[], object], iterations: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the benchmark server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def serve_and_run(settings: Settings, run: Callable[[PoseEstimator, httpx.Client], None]) -> None:
    """Start a real server on localhost, hand its estimator and an HTTP client to `run`, stop it after."""
    server, thread, base_url = start_server(settings)
    try:
        token = settings.service_token.get_secret_value()
        with httpx.Client(base_url=base_url, timeout=600, headers={"Authorization": f"Bearer {token}"}) as http:
            print(f"health: {http.get('/health').json()}")
            run(server.config.app.state.estimator, http)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def describe(device: torch.device, tf32: bool) -> str:
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    return f"device: {device} ({name}), torch {torch.__version__}, threads {torch.get_num_threads()}, tf32 {tf32}"


def jpeg_of(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def panning_frames(scene: np.ndarray, count: int, width: int, height: int) -> list[np.ndarray]:
    step = max(1, (scene.shape[1] // 4) // count)
    crop_width = scene.shape[1] - step * (count - 1)
    return [
        np.asarray(Image.fromarray(scene[:, i * step : i * step + crop_width]).resize((width, height)))
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--models", nargs="+", default=[m.value for m in ModelName])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--video-frames", type=int, default=64)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--tf32", action="store_true", help="allow TF32 (faster on GPU, ~1e-3 off TF.js)")
    args = parser.parse_args()

    token = secrets.token_urlsafe(32)
    settings = Settings(
        model_dir=args.model_dir,
        service_token=token,
        device=args.device,
        models=args.models,
        default_model=args.models[0],
        allow_tf32=args.tf32,
        max_video_frames=max(args.video_frames, 1),
    )
    serve_and_run(settings, lambda estimator, http: run_benchmarks(args, estimator, http))


def run_benchmarks(args: argparse.Namespace, estimator: PoseEstimator, http: httpx.Client) -> None:
    from tests import photos  # scikit-image: only the photo benchmarks need it

    print(describe(estimator.device, args.tf32))
    image = photos.astronaut()
    jpeg = jpeg_of(image)
    print(f"\nsingle image: astronaut 512x512 JPEG ({len(jpeg)} bytes), {args.iterations} iterations")
    print(f"{'model':<10} {'in-process p50':>15} {'p95':>8} {'HTTP p50':>10} {'p95':>8}  (ms)")
    for name in map(ModelName, args.models):
        local = time_calls(lambda n=name: estimator.estimate_image(n, image, LIMITS), args.iterations, args.warmup)

        def post(n: ModelName = name) -> None:
            response = http.post("/v1/pose", params={"model": n.value}, files={"file": ("a.jpg", jpeg, "image/jpeg")})
            response.raise_for_status()

        remote = time_calls(post, args.iterations, args.warmup)
        (lp50, lp95), (rp50, rp95) = percentiles(local), percentiles(remote)
        print(f"{name.value:<10} {lp50:>15.2f} {lp95:>8.2f} {rp50:>10.2f} {rp95:>8.2f}")

    frames = panning_frames(photos.two_people(), args.video_frames, 640, 320)
    print(f"\nvideo: {len(frames)} frames of 640x320 (two people, panning)")
    print(f"{'model':<10} {'batch':>5} {'pipeline frames/s':>18} {'graph-only frames/s':>20}")
    for name in map(ModelName, args.models):
        model = estimator.models[name]
        prepared = np.stack([estimator._prepare(model, f, f.shape[:2])[0] for f in frames])
        for batch_size in args.batch_sizes:

            def pipeline(b: int = batch_size, n: ModelName = name) -> None:
                list(estimator.estimate_frames(n, frames, LIMITS, b, smoothing=0.5))

            def graph_only(b: int = batch_size, n: ModelName = name, inputs: np.ndarray = prepared) -> None:
                for start in range(0, len(inputs), b):
                    estimator.infer(n, inputs[start : start + b])

            repeats = max(1, min(3, args.iterations // 10))
            pipeline_ms = min(time_calls(pipeline, repeats, 1))
            graph_ms = min(time_calls(graph_only, repeats, 1))
            print(
                f"{name.value:<10} {batch_size:>5} {len(frames) / pipeline_ms * 1000:>18.1f}"
                f" {len(frames) / graph_ms * 1000:>20.1f}"
            )


if __name__ == "__main__":
    main()
