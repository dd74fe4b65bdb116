"""Memory peaks of a real pose-service process (RSS from /proc), for the two loads of issue 13:

  1. one 3000x3000, 64-frame MP4 made with OpenCV from a real photo (the astronaut), panning;
  2. 50 concurrent small images (a 512x512 JPEG of the same photo).

Each load gets a fresh server (`python -m pose_service`, CPU) so VmHWM, the kernel's peak RSS of the process, is
that load's own peak. Not a test: it prints figures. `--source` points at another checkout's `src` to measure
older code with the same load (e.g. main's, exported with `git archive`).

Usage: python scripts/benchmark_memory.py --model-dir ../../dist/pose-models [--source DIR] [--images 50]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np
from skimage import data as photos

PROJECT = Path(__file__).resolve().parents[1]

MiB = 1024 * 1024


def make_video(path: Path, size: int, frames: int) -> None:
    import cv2

    photo = cv2.cvtColor(photos.astronaut(), cv2.COLOR_RGB2BGR)
    scene = cv2.resize(photo, (size + frames * 8, size + frames * 8), interpolation=cv2.INTER_CUBIC)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 25, (size, size))
    if not writer.isOpened():
        raise SystemExit("OpenCV cannot write mp4v here")
    for i in range(frames):
        writer.write(np.ascontiguousarray(scene[i * 8 : i * 8 + size, i * 8 : i * 8 + size]))
    writer.release()


def encode_jpeg(image: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


class Server:
    def __init__(self, source: Path, model_dir: Path, extra_env: dict[str, str]) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(source),
            "POSE_MODEL_DIR": str(model_dir),
            "POSE_DEVICE": "cpu",
            "POSE_HOST": "127.0.0.1",
            "POSE_PORT": str(self.port),
            **extra_env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pose_service"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"pose-service from {source} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise SystemExit("pose-service was not ready within 180 s")

    def rss_mib(self) -> float:
        return proc_status_kib(self.process.pid, "VmRSS") / 1024

    def peak_mib(self) -> float:
        return proc_status_kib(self.process.pid, "VmHWM") / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(server: Server, load) -> dict[str, object]:
    idle = server.rss_mib()
    started = time.perf_counter()
    outcome = load(server.url)
    seconds = time.perf_counter() - started
    peak = server.peak_mib()
    time.sleep(2)
    return {
        "idle_mib": round(idle),
        "peak_mib": round(peak),
        "after_mib": round(server.rss_mib()),
        "seconds": round(seconds, 1),
        **outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--source", type=Path, default=PROJECT / "src", help="the pose_service package's parent")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--frames", type=int, default=64)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pose-memory-") as scratch:
        video_path = Path(scratch) / f"pan-{args.size}.mp4"
        make_video(video_path, args.size, args.frames)
        video = video_path.read_bytes()
        image = encode_jpeg(photos.astronaut())
        print(f"{args.label}: pose_service from {args.source}")
        print(f"video {args.size}x{args.size}, {args.frames} frames, {len(video) / MiB:.1f} MiB (OpenCV mp4v)")

        def post_video(url: str) -> dict[str, object]:
            response = httpx.post(f"{url}/v1/pose/video", files={"file": ("pan.mp4", video, "video/mp4")}, timeout=600)
            body = response.json()
            return {"status": response.status_code, "frames": body.get("frame_count")}

        def post_images(url: str) -> dict[str, object]:
            def one(_: int) -> int:
                files = {"file": ("astronaut.jpg", image, "image/jpeg")}
                return httpx.post(f"{url}/v1/pose", files=files, timeout=600).status_code

            with concurrent.futures.ThreadPoolExecutor(max_workers=args.images) as pool:
                statuses = Counter(pool.map(one, range(args.images)))
            return {"statuses": dict(statuses)}

        # The video limit is raised so the older code (300 frames by default) and the new code take the same file.
        env = {"POSE_MAX_VIDEO_FRAMES": str(max(300, args.frames))}
        results = {}
        for name, load in (("video", post_video), (f"{args.images} images", post_images)):
            server = Server(args.source, args.model_dir, env)
            try:
                results[name] = measure(server, load)
            finally:
                server.stop()
            print(f"{name:<10} {json.dumps(results[name])}")


if __name__ == "__main__":
    main()
