#!/usr/bin/env bash
# The GPU checks on a GPU host without Docker or Node: start pose-service natively from this checkout (the host's
# PyTorch, the missing packages from a wheel directory), run gpu-check.py against it, stop it.
#
#   WHEELS=/path/to/cp312-wheels MODELS=dist/pose-models E2E_IMAGE=/path/to/astronaut.png \
#     bash apps/stack-e2e/scripts/gpu-native.sh
#
# WHEELS: `pip download --only-binary=:all: --python-version 3.12 ... -r apps/pose-service/requirements.txt` made
# where PyPI is reachable; MODELS: `npx nx run pose-service:models` output. Exit status: gpu-check.py's.
set -euo pipefail
cd "$(dirname "$0")/../../.."
: "${WHEELS:?set WHEELS to a directory of cp312 wheels (fastapi, uvicorn, pydantic-settings, python-multipart, pillow)}"
: "${MODELS:?set MODELS to the MoveNet model directory (npx nx run pose-service:models -> dist/pose-models)}"
: "${E2E_IMAGE:?set E2E_IMAGE to a photograph of a person}"
PORT="${POSE_PORT:-5000}"
LOG="${LOG:-/tmp/pose-service-gpu.log}"
PYTHON="${PYTHON:-python3}" # the interpreter that has the host's torch (e.g. /opt/torch/.venv/bin/python)
SITE="${SITE:-/tmp/pose-service-gpu-site}"

# The host's torch (built for its driver) is used as is; only the service's own packages come from the wheels,
# into a separate directory put first on PYTHONPATH (a venv of a venv would not see the host's torch).
"$PYTHON" -m pip install -q --no-index --find-links "$WHEELS" --target "$SITE" --upgrade \
  fastapi uvicorn pydantic-settings python-multipart pillow opentelemetry-api
"$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'

PYTHONPATH="apps/pose-service/src:$SITE" POSE_MODEL_DIR="$MODELS" POSE_PORT="$PORT" POSE_DEVICE="${POSE_DEVICE:-auto}" \
  "$PYTHON" -m pose_service >"$LOG" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/health', timeout=2)" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "pose-service exited; its log:" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 1
done

POSE_SERVICE_URL="http://127.0.0.1:$PORT" E2E_REQUIRE_GPU="${E2E_REQUIRE_GPU:-1}" E2E_IMAGE="$E2E_IMAGE" \
  python3 apps/stack-e2e/scripts/gpu-check.py
