#!/usr/bin/env bash
# Builds the two static binaries of posestack/sbom-scanner into OUT (default dist/sbom-scanner): syft at a pinned
# version from the Go module proxy (go install verifies every module against go.sum and the checksum database) and
# sbom-scan, BuildKit's SBOM generator protocol around it (main.go beside this script). Needs Go (>= the go line of
# go.mod). Measured here: syft took 36 min on 2 busy cores with a cold module cache (about 2 GB of modules).
# Usage: bash docker/sbom-scanner/build-binaries.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly SYFT_VERSION=v1.57.2
readonly OUT_DIR="${1:-dist/sbom-scanner}"
command -v go >/dev/null || { echo "[sbom-scanner] go is not installed (https://go.dev/doc/install); it builds syft from the Go module proxy" >&2; exit 1; }

mkdir -p "$OUT_DIR"
out="$(cd "$OUT_DIR" && pwd)"
export CGO_ENABLED=0 GOOS=linux GOFLAGS=-modcacherw
# syft reports this as its version in every SBOM it writes (cmd/syft/main.go's version variable).
GOBIN="$out" go install -trimpath -ldflags "-s -w -X main.version=${SYFT_VERSION#v}" "github.com/anchore/syft/cmd/syft@$SYFT_VERSION"
(cd docker/sbom-scanner && go build -trimpath -ldflags '-s -w' -o "$out/sbom-scan" .)
echo "[sbom-scanner] $out: syft $SYFT_VERSION, sbom-scan"
