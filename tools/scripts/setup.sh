#!/usr/bin/env bash
# One command from a fresh Debian machine to every image built: the Docker engine (when none answers), the
# workspace's npm packages, the pose-service's Python environment, Chromium for the browser tests, then
# `nx run-many -t docker-build`. Each step is idempotent, so it is also the way to catch up after a pull.
# SKIP_IMAGES=1 stops before the image build (CI builds them through the test targets' dependencies).
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { printf '\n== %s\n' "$*"; }

step "Docker engine"
if [ "$(id -u)" -eq 0 ]; then
  bash tools/scripts/install-docker.sh
else
  docker version --format 'engine {{.Server.Version}}' || { echo "Docker is not reachable: run 'sudo bash tools/scripts/install-docker.sh'" >&2; exit 1; }
fi

step "System packages (debootstrap for the air-gapped Debian root, Chromium for the browser tests)"
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install as root: apt-get install ${missing[*]}" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

step "QEMU for arm64 images (Debian's qemu-user-static and binfmt-support; see docs/releasing-images.md)"
if [ "$(id -u)" -eq 0 ]; then
  bash tools/scripts/enable-qemu.sh || echo "arm64 emulation unavailable here; the multi-platform test skips and says why" >&2
else
  echo "not root: arm64 emulation not set up (sudo bash tools/scripts/enable-qemu.sh)"
fi

step "The distribution registry of the shared-cache tests (Debian's docker-registry; not started here)"
bash tools/scripts/start-registry.sh --install

step "npm packages"
npm ci --no-audit --no-fund

step "pose-service Python environment"
bash apps/pose-service/scripts/setup-venv.sh

step "schemathesis (API fuzzing) environment"
[ -x tools/schemathesis/.venv/bin/python ] || python3 -m venv tools/schemathesis/.venv
tools/schemathesis/.venv/bin/pip install --disable-pip-version-check -q -r tools/schemathesis/requirements.txt

if [ "${SKIP_IMAGES:-0}" != "1" ]; then
  step "Every image, in graph order (nx run-many -t docker-build)"
  # sbom-scanner compiles syft from the Go module proxy (tens of minutes on 2 cores): built when a release needs it.
  npx nx run-many -t docker-build --exclude=sbom-scanner --outputStyle=static
fi
