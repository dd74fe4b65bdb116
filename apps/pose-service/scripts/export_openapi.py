"""Write openapi.json, the contract the frontend generates its pose API types from.

Usage: python scripts/export_openapi.py --model-dir ../../dist/pose-models  (tests fail when it is stale)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from pose_service.core.config import Settings  # noqa: E402
from pose_service.main import create_app  # noqa: E402

OPENAPI_PATH = PROJECT / "openapi.json"


def render_openapi(settings: Settings) -> str:
    # The schema needs no models loaded: create_app only wires routes; the lifespan never runs here.
    return json.dumps(create_app(settings).openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    args = parser.parse_args()
    OPENAPI_PATH.write_text(render_openapi(Settings(model_dir=args.model_dir, service_token="x" * 32, device="cpu")))
    print(f"wrote {OPENAPI_PATH}")
