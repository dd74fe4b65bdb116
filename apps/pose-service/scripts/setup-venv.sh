#!/usr/bin/env bash
# Create or refresh apps/pose-service/.venv with the pinned dev requirements (idempotent; used by
# tools/scripts/setup.sh and `nx run pose-service:setup`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --disable-pip-version-check -q -r requirements-dev.txt
