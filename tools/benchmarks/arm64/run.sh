#!/usr/bin/env bash
# Cold builds of the real base-node and backend-api Dockerfiles for each platform (default: amd64 and arm64,
# arm64 under QEMU), each on an empty second engine with the containerd image store, from an air-gap Debian root
# that debootstrap builds for that architecture (docker/debian-root/build-rootfs.sh, DEBIAN_ARCH). Prints the
# time of every step per platform, then runs arm64 containers: `node --version` in base-node, and backend-api's
# GET /health (503 {"mongo":"down",...} here: no database runs beside it; the point is an arm64 Node server answering).
#
#   sudo bash tools/benchmarks/arm64/run.sh [amd64] [arm64]      (not part of CI: minutes under QEMU)
#
# The images are built with docker buildx directly, pinned as the plugin pins them (named contexts to the exact
# local builds), so this measures the Dockerfiles under emulation, not Nx. Everything lives under
# ARM64_BENCH_DIR (default /tmp/pstk-arm64) and is wiped at the end. ARM64_BENCH_ROOTS=DIR reuses roots that
# build-rootfs.sh already wrote to DIR/root-<arch> (debootstrap needs no Docker; its time is then not measured).
set -euo pipefail
cd "$(dirname "$0")/../../.."

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64)
work="${ARM64_BENCH_DIR:-/tmp/pstk-arm64}"
prefix=pstk-arm64-bench
log() { printf '[arm64-bench] %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "needs root (debootstrap, a second dockerd)"; exit 1; }
bash tools/scripts/enable-qemu.sh
mkdir -p "$work"
cleanup() { bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
ca_args=()
for name in SSL_CERT_FILE NODE_EXTRA_CA_CERTS CURL_CA_BUNDLE; do
  if [ -n "${!name:-}" ] && [ -f "${!name}" ]; then ca_args=(--secret "id=ca,src=${!name}"); break; fi
done

log "backend-api's dist (nx run backend-api:build)"
npx nx run backend-api:build --outputStyle=static >/dev/null

declare -A seconds
timed() {
  local label="$1"; shift
  local started=$SECONDS
  "$@" >"$work/$label.log" 2>&1 || { tail -n 30 "$work/$label.log" >&2; log "$label failed (log above)"; exit 1; }
  seconds[$label]=$((SECONDS - started))
  log "$label: ${seconds[$label]} s"
}

for arch in "${arches[@]}"; do
  # An empty engine per platform: nothing cached from the other one.
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  export DOCKER_HOST
  DOCKER_HOST="$(bash tools/scripts/second-engine.sh start --dir "$work/e" --containerd-store | sed -n 's/^DOCKER_HOST=//p')"
  build=(docker buildx build --progress plain --platform "linux/$arch" --load)
  root="${ARM64_BENCH_ROOTS:-$work}/root-$arch"
  if [ -n "${ARM64_BENCH_ROOTS:-}" ] && [ -f "$root/rootfs.tar.gz" ]; then
    seconds[$arch-debootstrap]=0
    log "$arch-debootstrap: reused $root (not measured)"
  else
    timed "$arch-debootstrap" env DEBIAN_ARCH="$arch" bash docker/debian-root/build-rootfs.sh "$root"
  fi
  timed "$arch-debian-root" "${build[@]}" -f docker/debian-root/Dockerfile -t "$prefix/debian-root:$arch" "$root"
  timed "$arch-base-node" "${build[@]}" "${ca_args[@]}" --build-arg DEBIAN_ROOT=debian-root \
    --build-context "debian-root=docker-image://$prefix/debian-root:$arch" -t "$prefix/base-node:$arch" docker/base-node
  timed "$arch-backend-api" "${build[@]}" "${ca_args[@]}" -f apps/backend-api/Dockerfile \
    --build-context "posestack/base-node=docker-image://$prefix/base-node:$arch" -t "$prefix/backend-api:$arch" .
  if [ "$arch" = arm64 ]; then
    log "arm64 base-node: $(docker run --rm --platform linux/arm64 "$prefix/base-node:arm64" sh -c 'echo "$(uname -m), node $(node --version)"')"
    container="$(docker run -d --platform linux/arm64 -e MONGO_URL=mongodb://127.0.0.1:1/posestack -e MONGO_SERVER_SELECTION_TIMEOUT_MS=500 \
      -e POSE_SERVICE_URL=http://127.0.0.1:2 -e POSE_SERVICE_TOKEN=arm64-benchmark-token-0123456789abcdef "$prefix/backend-api:arm64")"
    answer=
    for _ in $(seq 1 60); do
      answer="$(docker exec "$container" node -e "fetch('http://127.0.0.1:3001/health').then(async (r) => console.log(r.status, await r.text()), () => process.exit(1))" 2>/dev/null)" && break
      sleep 1
    done
    log "arm64 backend-api GET /health: ${answer:-no answer within 60 s}"
    log "arm64 backend-api arch: $(docker exec "$container" node -p process.arch)"
    docker rm -f "$container" >/dev/null
  fi
done

printf '\n%-8s %12s %12s %10s %12s %8s\n' platform debootstrap debian-root base-node backend-api total
for arch in "${arches[@]}"; do
  total=0
  for step in debootstrap debian-root base-node backend-api; do total=$((total + seconds[$arch-$step])); done
  printf '%-8s %11ss %11ss %9ss %11ss %7ss\n' "$arch" "${seconds[$arch-debootstrap]}" "${seconds[$arch-debian-root]}" "${seconds[$arch-base-node]}" "${seconds[$arch-backend-api]}" "$total"
done
