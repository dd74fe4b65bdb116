#!/usr/bin/env python3
"""The stack-e2e GPU checks for a machine without Node or Docker (the GPU host): Python standard library only.

Same checks as src/stack/gpu.e2e.ts (`npx jest -c apps/stack-e2e/jest.config.cjs -t gpu` where Node exists):
  1. pose-service GET /health reports a CUDA device and names the GPU;
  2. POST /v1/pose with a photograph of a person runs on that CUDA device and finds at least one person.
They run when /health reports CUDA or E2E_REQUIRE_GPU=1; otherwise they are skipped with the reason.

    POSE_SERVICE_URL=http://127.0.0.1:5000 E2E_IMAGE=astronaut.png E2E_REQUIRE_GPU=1 python3 gpu-check.py
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def fail(message: str) -> None:
    print(f"FAIL {message}")
    sys.exit(1)


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def post_image(url: str, image: Path) -> tuple[int, dict, float]:
    boundary = uuid.uuid4().hex
    content_type = "image/png" if image.suffix.lower() == ".png" else "image/jpeg"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{image.name}\"\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + image.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.load(response), (time.perf_counter() - started) * 1000
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), (time.perf_counter() - started) * 1000


def main() -> None:
    base = os.environ.get("POSE_SERVICE_URL", "").rstrip("/")
    if not base:
        fail("POSE_SERVICE_URL is not set (e.g. http://127.0.0.1:5000)")
    is_required = os.environ.get("E2E_REQUIRE_GPU", "") in ("1", "true")
    health = get_json(f"{base}/health")
    print(f"pose-service /health {json.dumps(health)}")
    device = str(health.get("device", ""))
    if not device.startswith("cuda") and not is_required:
        print(f"SKIP gpu checks: pose-service reports device {device or '(none)'}, not CUDA; set E2E_REQUIRE_GPU=1 to fail instead")
        return
    if not device.startswith("cuda"):
        fail(f"gpu: /health device is {device!r}, expected cuda[:N] (E2E_REQUIRE_GPU=1)")
    if not any(word in json.dumps(health).upper() for word in ("NVIDIA", "H100", "H200", "A100", "TESLA", "RTX", "L4", "T4")):
        fail("gpu: /health does not name the GPU")
    print(f"PASS gpu: /health reports {device}")

    image_path = os.environ.get("E2E_IMAGE")
    if not image_path or not Path(image_path).is_file():
        fail("gpu: E2E_IMAGE must name a photograph of a person (PNG or JPEG)")
    image = Path(image_path)
    timings = []
    for _ in range(5):
        status, body, elapsed = post_image(f"{base}/v1/pose", image)
        if status != 200:
            fail(f"gpu: POST /v1/pose answered {status}: {json.dumps(body)[:300]}")
        timings.append(elapsed)
    people = body.get("people") or []
    # The answer names its device when pose-service reports it; otherwise every model runs on /health's device.
    ran_on = body.get("device") or get_json(f"{base}/health").get("device")
    source = "" if body.get("device") else " (from /health: the answer carries no device field)"
    print(f"gpu: POST /v1/pose x5 over HTTP: {', '.join(f'{t:.1f}' for t in timings)} ms; people {len(people)}; device {ran_on!r}{source}")
    if not str(ran_on).startswith("cuda"):
        fail(f"gpu: the analysis ran on {ran_on!r}, not CUDA")
    if len(people) < 1:
        fail("gpu: no person found in the photograph")
    print("PASS gpu: the analysis ran on the CUDA device")


if __name__ == "__main__":
    main()
