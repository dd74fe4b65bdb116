"""Video over HTTP: POST a video file to /v1/pose/video on a local uvicorn server and report frames/s
(upload, PyAV decoding, letterboxing, batched inference, tracking, JSON), p50 over the repetitions.

Usage: python scripts/benchmark_video_http.py --model-dir DIR --video clip.mp4 [--device cuda] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import httpx  # noqa: E402

from pose_service.core.config import Settings  # noqa: E402
from pose_service.engine.models import ModelName  # noqa: E402
from scripts.benchmark import start_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--video", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--models", nargs="+", default=[m.value for m in ModelName])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    token = secrets.token_urlsafe(32)
    settings = Settings(
        model_dir=args.model_dir,
        service_token=token,
        device=args.device,
        models=args.models,
        default_model=args.models[0],
        video_batch_size=args.batch_size,
        max_video_frames=10_000,
    )
    data = args.video.read_bytes()
    server, thread, base_url = start_server(settings)
    try:
        with httpx.Client(base_url=base_url, timeout=300, headers={"Authorization": f"Bearer {token}"}) as http:
            print(f"health: {http.get('/health').json()}")
            for model in args.models:
                samples, body = [], {}
                for _ in range(args.repeats + 1):  # the first call warms up
                    started = time.perf_counter()
                    response = http.post(
                        "/v1/pose/video", params={"model": model}, files={"file": (args.video.name, data)}
                    )
                    response.raise_for_status()
                    samples.append(time.perf_counter() - started)
                    body = response.json()
                seconds = statistics.median(samples[1:])
                tracks = sorted({p["track_id"] for f in body["frames"] for p in f["people"]})
                print(
                    f"{model:<10} {args.video.name} {body['width']}x{body['height']} {body['frame_count']} frames"
                    f" @ {body['fps']} fps, batch {args.batch_size}: {seconds * 1000:.0f} ms/request,"
                    f" {body['frame_count'] / seconds:.1f} frames/s over HTTP; track ids {tracks}"
                )
    finally:
        server.should_exit = True
        thread.join(timeout=30)


if __name__ == "__main__":
    main()
