"""What a new batch shape costs on a device: each BlazePose graph (the landmark model, the detector) runs at batch
sizes in a shuffled order, and for each size the first call is timed against the steady state (median of the
calls after it); a second pass in another order shows whether the cost comes back. Then a lone video runs through
the estimator (the cross-request batcher on, and off), to separate the batcher's own cost from the device's.

PyTorch keeps its cuDNN plans for the life of the thread (`--new-thread-sizes` shows it), so each `--cudnn`
setting needs a fresh process. `--cudnn engine` runs as the service does (cudnn.benchmark off); `benchmark` and
`off` (torch's own kernels) call the executor's inner run under those flags (run() would set the engine's again).

Usage: python scripts/benchmark_batch_shapes.py --model-dir DIR [--device cuda] [--models blazepose-lite]
       [--sizes 1 2 3 ... 64] [--cudnn engine|benchmark|off] [--new-thread-sizes 1 2] [--graphs all|landmarks]
       [--lone-video-frames 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import torch  # noqa: E402

from pose_service.engine.executor import GraphExecutor  # noqa: E402
from pose_service.engine.models import LoadedModel, ModelName, load_models  # noqa: E402
from pose_service.services.device import resolve_device  # noqa: E402
from pose_service.services.pose_estimator import PoseEstimator, Thresholds  # noqa: E402

STEADY_CALLS = 5


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _call(executor: GraphExecutor, images: torch.Tensor, cudnn: str) -> float:
    """cudnn: "engine" (run() as the service does: benchmark off), "benchmark" (on) or "off" (no cuDNN)."""
    _sync(executor.device)
    started = time.perf_counter()
    if cudnn == "engine":
        executor.run(images)
    else:
        flags = {"enabled": cudnn == "benchmark", "benchmark": cudnn == "benchmark"}
        with torch.inference_mode(), torch.backends.cudnn.flags(**flags, deterministic=False, allow_tf32=False):
            executor._run(images)  # run() would set the engine's flags again
    _sync(executor.device)
    return (time.perf_counter() - started) * 1000


def _in_new_thread(executor: GraphExecutor, images: torch.Tensor, cudnn: str) -> float:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_call, executor, images, cudnn).result()


def time_shapes(name: str, executor: GraphExecutor, sizes: list[int], cudnn: str, thread_sizes: list[int]) -> None:
    order = random.Random(0).sample(sizes, len(sizes))
    revisit = random.Random(1).sample(sizes, len(sizes))
    _, height, width, channels = executor.input_shape
    inputs = {n: torch.rand(n, height, width, channels, device=executor.device) for n in sizes}
    first, steady, again = {}, {}, {}
    for n in order:
        first[n] = _call(executor, inputs[n], cudnn)
        steady[n] = statistics.median(_call(executor, inputs[n], cudnn) for _ in range(STEADY_CALLS))
    for n in revisit:
        again[n] = _call(executor, inputs[n], cudnn)
    print(f"\n{name}: sizes in the order {order}; cuDNN {cudnn}")
    print(f"{'batch':>5} {'first ms':>9} {'steady ms':>10} {'first-steady':>13} {'2nd visit ms':>13}")
    for n in sizes:
        print(f"{n:>5} {first[n]:>9.1f} {steady[n]:>10.2f} {first[n] - steady[n]:>13.1f} {again[n]:>13.2f}")
    extra = sum(first[n] - steady[n] for n in sizes)
    print(f"one-time cost over {len(sizes)} new shapes: {extra / 1000:.2f} s ({extra / len(sizes):.0f} ms a shape)")
    for n in thread_sizes:
        # The same shape again, from a thread that has not run it (PyTorch keeps cuDNN plans per thread).
        print(
            f"batch {n} in a new thread: first {_in_new_thread(executor, inputs[n], cudnn):.1f} ms,"
            f" then {_in_new_thread(executor, inputs[n], cudnn):.1f} ms in another new thread"
            f" (steady {steady[n]:.2f} ms)"
        )


def lone_video(models: dict[ModelName, LoadedModel], name: ModelName, device: torch.device, frames: int) -> None:
    """The same video, one stream, through the estimator with the batcher's settings varied (shapes warm)."""
    from tests.media_files import crossing_frames

    clip = crossing_frames(count=frames)
    limits = Thresholds(min_person_score=0.2, min_keypoint_score=0.3)
    print(f"\nlone {frames}-frame crossing video, {name.value}, in-process (no HTTP), two passes each")
    print(f"{'max crops':>9} {'window ms':>9} {'pass 1 fps':>10} {'pass 2 fps':>10} {'batches':>8} {'jobs':>6}")
    for max_crops, window_ms in ((1, 5.0), (64, 5.0), (64, 0.0), (1, 5.0)):
        estimator = PoseEstimator(
            dict(models), device, 256, batch_window_s=window_ms / 1000, max_crops_per_batch=max_crops
        )
        fps = []
        for _ in range(2):
            started = time.perf_counter()
            for _ in estimator.estimate_frames(name, clip, limits, batch_size=1, smoothing=0.5, fps=10.0):
                pass
            fps.append(frames / (time.perf_counter() - started))
        stats = estimator.batch_stats()
        estimator._batcher.close()  # close() would also drop the shared models
        estimator._prepare_pool.shutdown()
        print(f"{max_crops:>9} {window_ms:>9.1f} {fps[0]:>10.1f} {fps[1]:>10.1f} {stats.batches:>8} {stats.jobs:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--models", nargs="+", default=[ModelName.blazepose_lite.value])
    parser.add_argument("--sizes", type=int, nargs="+", default=[*range(1, 17), 24, 32, 48, 64])
    parser.add_argument("--cudnn", choices=["engine", "benchmark", "off"], default="engine")
    parser.add_argument("--new-thread-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--graphs", choices=["all", "landmarks"], default="all")
    parser.add_argument("--lone-video-frames", type=int, default=0, help="0: skip the lone-video part")
    args = parser.parse_args()
    device = resolve_device(args.device)
    names = [ModelName(m) for m in args.models]
    started = time.perf_counter()
    models = load_models(names, args.model_dir, device)
    seconds = time.perf_counter() - started
    print(f"loaded {[n.value for n in names]} on {device} in {seconds:.1f} s; torch {torch.__version__}")
    if device.type == "cuda":
        print(f"{torch.cuda.get_device_name(device)}, cuDNN {torch.backends.cudnn.version()}")
    for name in names:
        time_shapes(f"{name.value} landmarks", models[name].executor, args.sizes, args.cudnn, args.new_thread_sizes)
    detector = models[names[0]].detector
    assert detector is not None
    if args.graphs == "all":
        time_shapes("detector", detector, args.sizes, args.cudnn, args.new_thread_sizes)
    if args.lone_video_frames:
        lone_video(models, names[0], device, args.lone_video_frames)


if __name__ == "__main__":
    main()
