"""BlazePose figures on one device: single-image latency (in-process and over HTTP), graph frames/s per variant at
each batch size, the people per frame the batched landmark stage (crop + graph + decode) sustains at 30 frames/s,
the crossing-people video through the tracking pipeline, and the executor's peak GPU memory with intermediates
kept until run() returns (as before) and freed after their last reader (now).

Usage: python scripts/benchmark_blazepose.py --model-dir ../../dist/pose-models [--device cuda]
       [--batch-sizes 32 128] [--iterations 20] [--memory-batches 32 256]
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import httpx  # noqa: E402
import torch  # noqa: E402

from pose_service.core.config import Settings  # noqa: E402
from pose_service.engine.buckets import run_bucketed  # noqa: E402
from pose_service.engine.executor import GraphExecutor  # noqa: E402
from pose_service.engine.models import MODEL_SPECS, ModelName, load_executor  # noqa: E402
from pose_service.pipeline.blazepose_inputs import DETECTOR_SIZE, LANDMARK_SIZE  # noqa: E402
from pose_service.services.blazepose_runner import BlazePoseRunner, DetectorJob, LandmarkJob  # noqa: E402
from pose_service.services.pose_estimator import PoseEstimator, Thresholds  # noqa: E402
from scripts.benchmark import describe, jpeg_of, percentiles, serve_and_run, time_calls  # noqa: E402

LIMITS = Thresholds(min_person_score=0.2, min_keypoint_score=0.3)
BLAZEPOSE = [ModelName.blazepose_lite, ModelName.blazepose_full, ModelName.blazepose_heavy]


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def graph_frames_per_s(executor: GraphExecutor, batch: int, size: int, repeats: int, served: bool) -> float:
    """served: as the service runs a batch (run_bucketed: buckets of at most 64 rows, CUDA graphs where captured);
    else one eager run of the whole batch, as before the buckets."""
    device = executor.device
    inputs = torch.rand(batch, size, size, 3, device=device)

    def call() -> None:
        if served:
            run_bucketed(executor, inputs)
        else:
            executor._run_with_numerics(inputs)

    call()  # warm-up: cuDNN handles and algorithm choice stay out of the numbers
    synchronize(device)
    started = time.perf_counter()
    for _ in range(repeats):
        call()
    synchronize(device)
    return batch * repeats / (time.perf_counter() - started)


def peak_memory_mib(executor: GraphExecutor, batch: int, size: int, keep_all: bool) -> float:
    """Peak CUDA memory of one run() above what the weights and the input hold."""
    device = executor.device
    saved = executor._batch_releases, executor._item_releases
    if keep_all:  # the old behaviour: nothing freed before run() returns
        executor._batch_releases = [() for _ in executor._batch_releases]
        executor._item_releases = [() for _ in executor._item_releases]
    try:
        inputs = torch.rand(batch, size, size, 3, device=device) * 255  # MoveNet casts to int32 RGB
        torch.cuda.synchronize(device)
        torch.cuda.empty_cache()
        baseline = torch.cuda.memory_allocated(device)
        torch.cuda.reset_peak_memory_stats(device)
        outputs = executor.run(inputs)
        torch.cuda.synchronize(device)
        peak = torch.cuda.max_memory_allocated(device) - baseline
        del outputs, inputs
        return peak / 2**20
    finally:
        executor._batch_releases, executor._item_releases = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--models", nargs="+", default=[m.value for m in BLAZEPOSE])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--memory-batches", type=int, nargs="+", default=[32, 256])
    parser.add_argument("--memory-models", nargs="+", default=["thunder", "multipose", "blazepose-heavy"])
    args = parser.parse_args()
    models = [ModelName(m) for m in args.models]
    settings = Settings(
        model_dir=args.model_dir,
        service_token=secrets.token_urlsafe(32),
        device=args.device,
        models=models,
        default_model=models[0],
    )
    serve_and_run(settings, lambda estimator, http: run_benchmarks(args, estimator, http))


def run_benchmarks(args: argparse.Namespace, estimator: PoseEstimator, http: httpx.Client) -> None:
    from tests import photos
    from tests.media_files import crossing_frames

    device = estimator.device
    print(describe(device, tf32=False))
    warmup = estimator.wait_for_warm_up()
    graphs_warmed = ", ".join(f"{name} {s:.1f} s" for name, s in warmup.graph_seconds.items())
    print(f"warm-up after load: {warmup.sizes} in {warmup.seconds:.1f} s ({graphs_warmed})")
    if device.type == "cuda":
        mib = torch.cuda.memory_allocated(device) / 2**20, torch.cuda.memory_reserved(device) / 2**20
        print(f"GPU memory with every graph captured: {mib[0]:.0f} MiB allocated, {mib[1]:.0f} MiB reserved")
    image = photos.two_people()
    jpeg = jpeg_of(image)
    print(f"\nsingle image: two_people 1024x512 JPEG ({len(jpeg)} bytes), {args.iterations} iterations")
    print(f"{'model':<16} {'people':>6} {'in-process p50':>15} {'p95':>8} {'HTTP p50':>10} {'p95':>8}  (ms)")
    for name in estimator.models:
        people = len(estimator.estimate_image(name, image, LIMITS))
        local = time_calls(lambda n=name: estimator.estimate_image(n, image, LIMITS), args.iterations, 3)

        def post(n: ModelName = name) -> None:
            response = http.post("/v1/pose", params={"model": n.value}, files={"file": ("a.jpg", jpeg, "image/jpeg")})
            response.raise_for_status()

        remote = time_calls(post, args.iterations, 3)
        (lp50, lp95), (rp50, rp95) = percentiles(local), percentiles(remote)
        print(f"{name.value:<16} {people:>6} {lp50:>15.2f} {lp95:>8.2f} {rp50:>10.2f} {rp95:>8.2f}")

    repeats = max(2, args.iterations // 4)
    print("\ngraph frames/s (random inputs, every output computed): one eager run of the batch / as served")
    print("(buckets of at most 64 rows, replayed from CUDA graphs where captured)")
    print(f"{'graph':<20} " + " ".join(f"{'batch ' + str(b):>21}" for b in args.batch_sizes))
    first = next(iter(estimator.models.values()))
    assert first.detector is not None
    graphs = [("blazepose-detector", first.detector, DETECTOR_SIZE)]
    graphs += [(n.value, m.executor, LANDMARK_SIZE) for n, m in estimator.models.items()]
    for label, executor, size in graphs:
        rates = [
            (
                graph_frames_per_s(executor, b, size, repeats, False),
                graph_frames_per_s(executor, b, size, repeats, True),
            )
            for b in args.batch_sizes
        ]
        print(f"{label:<20} " + " ".join(f"{eager:>10.1f} / {served:>8.1f}" for eager, served in rates))

    print("\nlandmark stage (rotated crops on the device + landmark graph + decoding), one 1024x512 frame")
    print(f"{'model':<16} {'crops/call':>10} {'crops/s':>10} {'people/frame at 30 fps':>24}")
    for name, model in estimator.models.items():
        runner = BlazePoseRunner(model)
        (regions,) = runner.detect([DetectorJob.prepare(image, LIMITS.min_person_score)])
        for batch in args.batch_sizes:
            job = LandmarkJob(image, [regions[i % len(regions)] for i in range(batch)])
            samples = time_calls(lambda r=runner, j=job: r.landmarks([j]), repeats, 1)
            rate = batch / (min(samples) / 1000)
            print(f"{name.value:<16} {batch:>10} {rate:>10.1f} {rate / 30:>24.1f}")

    frames = crossing_frames()
    print(f"\ncrossing video: {len(frames)} frames {frames[0].shape[1]}x{frames[0].shape[0]}, tracking pipeline")
    for name in estimator.models:
        rates = []
        for _ in range(2):  # cold (each new batch shape planned once), then warm
            started = time.perf_counter()
            results = list(estimator.estimate_frames(name, frames, LIMITS, 32, 0.5, fps=10.0))
            rates.append(len(frames) / (time.perf_counter() - started))
        ids = [[(p.track_id, round((p.box[0] + p.box[2]) / 2)) for p in r.people] for r in results]
        print(f"{name.value:<16} cold {rates[0]:.1f}, warm {rates[1]:.1f} frames/s; (track id, box centre x): {ids}")

    if device.type != "cuda":
        return
    print("\npeak GPU memory of one run() above weights + input (MiB): intermediates kept (before) / freed (now)")
    for model_name in args.memory_models:
        spec = MODEL_SPECS[ModelName(model_name)]
        executor = load_executor(spec.graph_files(args.model_dir)[0], device)
        size = spec.fixed_size or 256
        for batch in args.memory_batches:
            before = peak_memory_mib(executor, batch, size, keep_all=True)
            after = peak_memory_mib(executor, batch, size, keep_all=False)
            print(f"{model_name:<16} batch {batch:>4}: {before:>10.1f} -> {after:>10.1f}  ({before / after:.1f}x less)")
        del executor


if __name__ == "__main__":
    main()
