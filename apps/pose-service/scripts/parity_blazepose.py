"""BlazePose graphs in torch against the @tensorflow/tfjs outputs made by scripts/make_reference.py, on real photos.

Prints, for every case and every output, max |torch - tfjs| and that error over max(1, max |tfjs|) (ld_3d is in
crop pixels up to ~256 and the detector's raw box regressions reach ~6e5: a float32 result is only good to a few
ulps of its magnitude there). TF32 stays off (the engine's default).

Usage: python scripts/parity_blazepose.py --model-dir ../../dist/pose-models [--reference-dir ../../dist/tfjs-blazepose]
       [--device cuda]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]

import numpy as np  # noqa: E402
import torch  # noqa: E402

from pose_service.engine.executor import GraphExecutor  # noqa: E402
from pose_service.engine.models import load_executor  # noqa: E402
from tests.photos import blazepose_input, sha256_of  # noqa: E402

WORKSPACE = PROJECT.parents[1]


@dataclass(frozen=True)
class OutputError:
    case: str
    output: str
    absolute: float
    scaled: float  # absolute / max(1, max |reference|)


def compare_case(executor: GraphExecutor, reference: Path) -> list[OutputError]:
    archive = np.load(reference)
    meta = json.loads(str(archive["meta"]))
    photo = reference.stem.removeprefix(f"{meta['graph']}-")
    batch = blazepose_input(meta["graph"], photo)
    if sha256_of(batch) != meta["input_sha256"]:
        raise ValueError(
            f"{reference.name}: the model input changed since it was made: rerun scripts/make_reference.py"
        )
    outputs = executor.run(torch.from_numpy(batch))
    errors = []
    for key, output in zip(executor.output_keys, outputs, strict=True):
        expected = archive[key]
        got = output.float().cpu().numpy()
        if got.shape != expected.shape:
            raise ValueError(f"{reference.name}: output {key} has shape {got.shape}, tfjs gave {expected.shape}")
        absolute = float(np.abs(got - expected).max())
        errors.append(OutputError(reference.stem, key, absolute, absolute / max(1.0, float(np.abs(expected).max()))))
    return errors


def compare_all(model_dir: Path, references: list[Path], device: torch.device) -> list[OutputError]:
    executors: dict[str, GraphExecutor] = {}
    errors = []
    for reference in references:
        graph = json.loads(str(np.load(reference)["meta"]))["graph"]
        if graph not in executors:
            executors[graph] = load_executor(model_dir / f"{graph}.json", device)
        errors.extend(compare_case(executors[graph], reference))
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--reference-dir", type=Path, default=WORKSPACE / "dist" / "tfjs-blazepose")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    references = sorted(args.reference_dir.glob("*.npz"))
    if not references:
        sys.exit(f"no references in {args.reference_dir}: run scripts/make_reference.py --only blazepose")
    device = torch.device(args.device)
    errors = compare_all(args.model_dir, references, device)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"BlazePose parity against tfjs on {device} ({name}), tf32 off, {len(references)} cases")
    print(f"{'case':<32} {'output':<24} {'max abs':>10} {'scaled':>10}")
    for e in errors:
        print(f"{e.case:<32} {e.output:<24} {e.absolute:>10.3g} {e.scaled:>10.3g}")
    worst = max(errors, key=lambda e: e.scaled)
    print(f"worst scaled error: {worst.scaled:.3g} ({worst.case} {worst.output})")


if __name__ == "__main__":
    main()
