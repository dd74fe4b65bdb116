"""Regenerate tests/fixtures/tfjs-reference.json with @tensorflow/tfjs (Node, pure-JS CPU backend).

Usage (from the workspace root, after `nx run pose-service:models`):
    apps/pose-service/.venv/bin/python apps/pose-service/scripts/make_reference.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
WORKSPACE = PROJECT.parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

from tests.photos import REFERENCE_CASES, model_input, sha256_of  # noqa: E402

MODEL_DIR = WORKSPACE / "dist" / "pose-models"
OUTPUT = PROJECT / "tests" / "fixtures" / "tfjs-reference.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for model, photo in REFERENCE_CASES:
            array = model_input(model, photo)
            case_id = f"{model.value}-{photo}"
            (Path(tmp) / f"{case_id}.bin").write_bytes(array.astype("<i4").tobytes())
            cases.append(
                {
                    "id": case_id,
                    "model": model.value,
                    "photo": photo,
                    "file": f"{case_id}.bin",
                    "shape": list(array.shape),
                    "inputSha256": sha256_of(array),
                }
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
    by_id = {r["id"]: r for r in tfjs["results"]}
    reference = {
        "generator": "apps/pose-service/scripts/tfjs-reference.mjs",
        "tfjsVersion": tfjs["tfjsVersion"],
        "backend": "cpu",
        "cases": [
            {
                **{k: c[k] for k in ("id", "model", "photo", "shape", "inputSha256")},
                "outputShape": by_id[c["id"]]["outputShape"],
                "output": by_id[c["id"]]["output"],
            }
            for c in cases
        ],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(reference, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
