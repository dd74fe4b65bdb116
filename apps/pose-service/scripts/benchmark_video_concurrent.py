"""Several BlazePose videos at once over HTTP: frames/s with the cross-request micro-batcher (the people of every
stream's current frame in one device batch) against each frame alone (POSE_MAX_CROPS_PER_BATCH=1, the old way),
and how many frames the batches held on average. The two modes run alone, batched, batched, alone (each in a fresh
run), and each figure is the mean of its two runs, so a drift over the run (clocks, caches) cancels out. All four
runs share one server, after its warm-up (on a GPU: every bucket captured as a CUDA graph) has ended: the mode is
the batcher's limit, set between runs.

The video is the two-people crossing clip (tests/media_files.py, OpenCV + PyAV), so each frame has two people.

Usage: python scripts/benchmark_video_concurrent.py --model-dir DIR [--device cuda] [--model blazepose-lite]
       [--streams 1 2 4 8] [--frames 30] [--repeats 2] [--window-ms 5] [--warmup-max-batch N]
       [--no-warmup-request]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import httpx  # noqa: E402

from pose_service.core.config import Settings  # noqa: E402
from pose_service.engine.models import ModelName  # noqa: E402
from pose_service.services.pose_estimator import PoseEstimator  # noqa: E402
from scripts.benchmark import serve_and_run  # noqa: E402
from tests.media_files import crossing_frames, encode_video  # noqa: E402


def post_at_once(http: httpx.Client, video: bytes, model: str, streams: int) -> tuple[float, set[int]]:
    """Seconds until all `streams` uploads of the video are answered; the track counts they reported."""

    def post(_: int) -> int:
        response = http.post("/v1/pose/video", params={"model": model}, files={"file": ("crossing.mp4", video)})
        response.raise_for_status()
        return response.json()["track_count"]

    started = time.perf_counter()
    with ThreadPoolExecutor(streams) as pool:
        tracks = set(pool.map(post, range(streams)))
    return time.perf_counter() - started, tracks


def measure(args: argparse.Namespace, video: bytes) -> dict[int, list[list[tuple[int, float, float, set[int]]]]]:
    """Per mode (max crops 1 or 64), per run: (streams, frames/s over all streams, frames per device batch, track
    counts) for each stream count."""
    settings = Settings(
        model_dir=args.model_dir,
        service_token=secrets.token_urlsafe(32),
        device=args.device,
        models=[args.model],
        default_model=args.model,
        max_video_frames=args.frames,
        max_concurrent_inference=max(args.streams),
        batch_window_ms=args.window_ms,
        warmup_max_batch=args.warmup_max_batch,
    )
    runs: dict[int, list] = {1: [], 64: []}

    def run(estimator: PoseEstimator, http: httpx.Client) -> None:
        warmup = estimator.wait_for_warm_up()
        graphs = ", ".join(f"{name} {s:.1f} s" for name, s in warmup.graph_seconds.items())
        print(f"warm-up {warmup.sizes} in {warmup.seconds:.1f} s ({graphs})")
        for max_crops in (1, 64, 64, 1):
            estimator.max_crops_per_batch = max_crops
            if args.warmup_request:
                post_at_once(http, video, args.model, max(args.streams))  # decoder, allocator and threads warmed
            rows = []
            for streams in args.streams:
                before = estimator.batch_stats()
                samples, tracks = [], set()
                for _ in range(args.repeats):
                    seconds, tracks = post_at_once(http, video, args.model, streams)
                    samples.append(seconds)
                after = estimator.batch_stats()
                frames_per_batch = (after.jobs - before.jobs) / max(1, after.batches - before.batches)
                rows.append((streams, streams * args.frames / statistics.median(samples), frames_per_batch, tracks))
            runs[max_crops].append(rows)

    serve_and_run(settings, run)
    return runs


def mean_rows(runs: list[list[tuple[int, float, float, set[int]]]]) -> list[tuple[int, float, float, set[int]]]:
    return [
        (
            rows[0][0],
            statistics.mean(r[1] for r in rows),
            statistics.mean(r[2] for r in rows),
            set().union(*(r[3] for r in rows)),
        )
        for rows in zip(*runs, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--model", default=ModelName.blazepose_lite.value)
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--window-ms", type=float, default=5.0)
    # Both modes warm every bucket, so "alone" (max crops 1 would warm only batch 1) is not charged for the
    # two- and four-person landmark batches it meets.
    parser.add_argument("--warmup-max-batch", type=int, default=64, help="POSE_WARMUP_MAX_BATCH (64)")
    parser.add_argument(
        "--no-warmup-request",
        dest="warmup_request",
        action="store_false",
        help="measure from the first request after load (only the load-time warm-up ran)",
    )
    args = parser.parse_args()
    video = encode_video(crossing_frames(count=args.frames), "mp4")
    runs = measure(args, video)
    alone, batched = (mean_rows(runs[1]), mean_rows(runs[64]))
    clip = f"{args.frames}-frame 448x224 crossing clip (2 people)"
    warmup = "" if args.warmup_request else ", no warm-up request"
    print(f"\n{args.model}, {clip}, {args.device}, window {args.window_ms} ms{warmup}")
    header = ("streams", "alone fps", "batched fps", "ratio", "frames/batch", "track counts")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (7, 10, 12, 6, 13, 13), strict=True)))
    for (streams, fps_alone, _, _), (_, fps_batched, per_batch, tracks) in zip(alone, batched, strict=True):
        print(
            f"{streams:>7} {fps_alone:>10.1f} {fps_batched:>12.1f} {fps_batched / fps_alone:>6.2f}"
            f" {per_batch:>13.2f} {sorted(tracks)!s:>13}"
        )


if __name__ == "__main__":
    main()
