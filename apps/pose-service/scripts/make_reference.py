"""Regenerate the @tensorflow/tfjs reference outputs (Node, pure-JS CPU backend) the parity checks compare with.

- MoveNet: tests/fixtures/tfjs-reference.json (every case).
- BlazePose: one .npz per (graph, photo) case in --blazepose-dir (all four graphs, for
  scripts/parity_blazepose.py and the GPU run), and the CI subset copied to tests/fixtures/tfjs-blazepose/.

Usage (from the workspace root, after `nx run pose-service:models`):
    apps/pose-service/.venv/bin/python apps/pose-service/scripts/make_reference.py [--only movenet|blazepose]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[1]
WORKSPACE = PROJECT.parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

from pose_service.engine.models import MODEL_SPECS  # noqa: E402
from tests.photos import (  # noqa: E402
    BLAZEPOSE_CI_CASES,
    BLAZEPOSE_REFERENCE_CASES,
    REFERENCE_CASES,
    blazepose_input,
    model_input,
    sha256_of,
)

MODEL_DIR = WORKSPACE / "dist" / "pose-models"
MOVENET_OUTPUT = PROJECT / "tests" / "fixtures" / "tfjs-reference.json"
BLAZEPOSE_FIXTURES = PROJECT / "tests" / "fixtures" / "tfjs-blazepose"


def run_tfjs(inputs: dict[str, tuple[str, np.ndarray]]) -> tuple[str, dict[str, dict[str, np.ndarray]]]:
    """inputs: case id -> (graph file stem, NHWC batch); returns the tfjs version and each case's outputs by name."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for case_id, (graph, array) in inputs.items():
            dtype = "float32" if array.dtype == np.float32 else "int32"
            (Path(tmp) / f"{case_id}.bin").write_bytes(array.astype("<f4" if dtype == "float32" else "<i4").tobytes())
            cases.append(
                {"id": case_id, "graph": graph, "file": f"{case_id}.bin", "shape": list(array.shape), "dtype": dtype}
            )
        (Path(tmp) / "cases.json").write_text(json.dumps(cases))
        completed = subprocess.run(
            ["node", str(PROJECT / "scripts" / "tfjs-reference.mjs"), str(MODEL_DIR), tmp],
            cwd=WORKSPACE,
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(completed.stderr)
        tfjs = json.loads(completed.stdout)
        outputs = {
            result["id"]: {
                out["key"]: np.fromfile(Path(tmp) / f"{result['id']}.{out['key']}.f32", "<f4").reshape(out["shape"])
                for out in result["outputs"]
            }
            for result in tfjs["results"]
        }
    return tfjs["tfjsVersion"], outputs


def make_movenet() -> None:
    inputs = {f"{m.value}-{photo}": (MODEL_SPECS[m].graph, model_input(m, photo)) for m, photo in REFERENCE_CASES}
    version, outputs = run_tfjs(inputs)
    cases = []
    for (model, photo), (case_id, (_, array)) in zip(REFERENCE_CASES, inputs.items(), strict=True):
        (output,) = outputs[case_id].values()
        cases.append(
            {
                "id": case_id,
                "model": model.value,
                "photo": photo,
                "shape": list(array.shape),
                "inputSha256": sha256_of(array),
                "outputShape": list(output.shape),
                "output": output.reshape(-1).tolist(),
            }
        )
    reference = {"generator": "apps/pose-service/scripts/tfjs-reference.mjs", "tfjsVersion": version, "backend": "cpu"}
    MOVENET_OUTPUT.write_text(json.dumps({**reference, "cases": cases}, separators=(",", ":")) + "\n")
    print(f"wrote {MOVENET_OUTPUT} ({MOVENET_OUTPUT.stat().st_size} bytes, {len(cases)} cases)")


def make_blazepose(out_dir: Path) -> None:
    inputs = {f"{graph}-{photo}": (graph, blazepose_input(graph, photo)) for graph, photo in BLAZEPOSE_REFERENCE_CASES}
    version, outputs = run_tfjs(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    BLAZEPOSE_FIXTURES.mkdir(parents=True, exist_ok=True)
    ci_ids = {f"{graph}-{photo}" for graph, photo in BLAZEPOSE_CI_CASES}
    for case_id, (graph, array) in inputs.items():
        path = out_dir / f"{case_id}.npz"
        meta = {"graph": graph, "input_sha256": sha256_of(array), "tfjs_version": version}
        np.savez_compressed(path, meta=json.dumps(meta), **outputs[case_id])
        print(f"wrote {path} ({path.stat().st_size} bytes: {', '.join(outputs[case_id])})")
        if case_id in ci_ids:
            shutil.copyfile(path, BLAZEPOSE_FIXTURES / path.name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["movenet", "blazepose"])
    parser.add_argument("--blazepose-dir", type=Path, default=WORKSPACE / "dist" / "tfjs-blazepose")
    args = parser.parse_args()
    if args.only != "blazepose":
        make_movenet()
    if args.only != "movenet":
        make_blazepose(args.blazepose_dir)
