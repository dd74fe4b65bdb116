#!/usr/bin/env bash
# Cold builds of the real base-node, backend-api and frontend Dockerfiles for each platform (default: amd64 and
# arm64, arm64 under QEMU), each on an empty second engine with the containerd image store, from an air-gap Debian
# root that debootstrap builds for that architecture (docker/debian-root/build-rootfs.sh, DEBIAN_ARCH). Prints the
# time of every step per platform, then runs each platform's containers: `node --version` in base-node,
# backend-api's GET /health (503 {"mongo":"down",...} here: no database runs beside it; the point is a Node server
# of that architecture answering) and the frontend's GET / (the built page) and GET /health. The table of times is
# printed on exit whatever happened, with "-" for the steps that did not finish.
#
#   bash tools/benchmarks/arm64/run.sh [amd64] [arm64]      (as root; not part of CI: minutes under QEMU)
#
# The images are built with docker buildx directly, pinned as the plugin pins them (named contexts to the exact
# local builds), so this measures the Dockerfiles under emulation, not Nx. Everything lives under
# ARM64_BENCH_DIR (default /tmp/pstk-arm64) and is wiped at the end. ARM64_BENCH_ROOTS=DIR reuses roots that
# build-rootfs.sh already wrote to DIR/root-<arch> (debootstrap needs no Docker; its time is then not measured).
# ARM64_BENCH_FRONTEND=0 leaves the frontend out (its builder stage runs npm install, vite and tsc: under QEMU too).
# With both amd64 and arm64, a last step checks the design of debian-root as one two-platform image
# (docs/releasing-images.md): a stage per architecture picked by TARGETARCH, the amd64 tarball under its present name,
# built first for amd64 alone without the arm64 tarball, then for both platforms into one index on an empty engine.
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
steps=(debootstrap debian-root base-node backend-api)
[ "${ARM64_BENCH_FRONTEND:-1}" = 0 ] || steps+=(frontend)
declare -A seconds
summary() {
  printf '\n%-8s' platform
  for step in "${steps[@]}"; do printf ' %12s' "$step"; done
  printf ' %8s\n' total
  for arch in "${arches[@]}"; do
    local total=0 complete=1
    printf '%-8s' "$arch"
    for step in "${steps[@]}"; do
      if [ -n "${seconds[$arch-$step]:-}" ]; then
        printf ' %11ss' "${seconds[$arch-$step]}"
        total=$((total + seconds[$arch-$step]))
      else
        printf ' %12s' -
        complete=
      fi
    done
    if [ -n "$complete" ]; then printf ' %7ss\n' "$total"; else printf ' %8s\n' -; fi
  done
}
cleanup() {
  summary
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ca_args=()
for name in SSL_CERT_FILE NODE_EXTRA_CA_CERTS CURL_CA_BUNDLE; do
  if [ -n "${!name:-}" ] && [ -f "${!name}" ]; then ca_args=(--secret "id=ca,src=${!name}"); break; fi
done

log "backend-api's dist (nx run backend-api:build)"
npx nx run backend-api:build --outputStyle=static >/dev/null

timed() {
  local label="$1"; shift
  local started=$SECONDS
  "$@" >"$work/$label.log" 2>&1 || { tail -n 30 "$work/$label.log" >&2; log "$label failed after $((SECONDS - started)) s (log above)"; exit 1; }
  seconds[$label]=$((SECONDS - started))
  log "$label: ${seconds[$label]} s"
}

# The status and body of GET http://127.0.0.1:PORT/PATH inside CONTAINER, with Node's fetch (the images have no
# curl for that), retried for 60 s while the server starts (slow under QEMU). "page": the status, the size and the
# page's <title> instead of the body.
answer() {
  local container="$1" port="$2" path="$3" mode="${4:-body}" reply
  local script="fetch('http://127.0.0.1:$port$path').then(async (r) => { const t = await r.text(); console.log(r.status, process.argv[1] === 'page' ? t.length + ' bytes, title ' + (/<title>([^<]*)<\\/title>/.exec(t) || [])[1] : t); }, () => process.exit(1))"
  for _ in $(seq 1 60); do
    reply="$(docker exec "$container" node -e "$script" "$mode" 2>/dev/null)" && { echo "$reply"; return 0; }
    sleep 1
  done
  echo "no answer within 60 s"
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
  if [ "${ARM64_BENCH_FRONTEND:-1}" != 0 ]; then
    timed "$arch-frontend" "${build[@]}" "${ca_args[@]}" -f apps/frontend/Dockerfile \
      --build-context "posestack/base-node=docker-image://$prefix/base-node:$arch" -t "$prefix/frontend:$arch" .
  fi
  log "$arch base-node: $(docker run --rm --platform "linux/$arch" "$prefix/base-node:$arch" sh -c 'echo "$(uname -m), node $(node --version)"')"
  container="$(docker run -d --platform "linux/$arch" -e MONGO_URL=mongodb://127.0.0.1:1/posestack -e MONGO_SERVER_SELECTION_TIMEOUT_MS=500 \
    -e POSE_SERVICE_URL=http://127.0.0.1:2 -e POSE_SERVICE_TOKEN=arm64-benchmark-token-0123456789abcdef "$prefix/backend-api:$arch")"
  log "$arch backend-api GET /health: $(answer "$container" 3001 /health)"
  log "$arch backend-api: node $(docker exec "$container" node -p 'process.version + " " + process.arch')"
  docker rm -f "$container" >/dev/null
  if [ "${ARM64_BENCH_FRONTEND:-1}" != 0 ]; then
    container="$(docker run -d --platform "linux/$arch" -e BACKEND_URL=http://127.0.0.1:1 -e BACKEND_HEALTH_TIMEOUT_MS=500 "$prefix/frontend:$arch")"
    log "$arch frontend GET /: $(answer "$container" 5173 / page)"
    log "$arch frontend GET /health: $(answer "$container" 5173 /health)"
    log "$arch frontend: node $(docker exec "$container" node -p 'process.version + " " + process.arch')"
    docker rm -f "$container" >/dev/null
  fi
done

if [[ " ${arches[*]} " == *" amd64 "* && " ${arches[*]} " == *" arm64 "* ]]; then
  two="$work/two-platform-root"
  mkdir -p "$two"
  cp "${ARM64_BENCH_ROOTS:-$work}/root-amd64/rootfs.tar.gz" "$two/rootfs.tar.gz"
  cat >"$two/Dockerfile" <<'DOCKERFILE'
FROM scratch AS root-amd64
ADD rootfs.tar.gz /
FROM scratch AS root-arm64
ADD rootfs-arm64.tar.gz /
FROM root-${TARGETARCH}
CMD ["bash"]
DOCKERFILE
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  DOCKER_HOST="$(bash tools/scripts/second-engine.sh start --dir "$work/e" --containerd-store | sed -n 's/^DOCKER_HOST=//p')"
  timed two-platform-root-amd64-alone docker buildx build --progress plain --platform linux/amd64 --load -t "$prefix/debian-root-two:amd64" "$two"
  cp "${ARM64_BENCH_ROOTS:-$work}/root-arm64/rootfs.tar.gz" "$two/rootfs-arm64.tar.gz"
  timed two-platform-root-both docker buildx build --progress plain --platform linux/amd64,linux/arm64 --load -t "$prefix/debian-root-two:both" "$two"
  for arch in amd64 arm64; do
    log "two-platform root, --platform linux/$arch: $(docker run --rm --platform "linux/$arch" "$prefix/debian-root-two:both" sh -c 'echo "$(uname -m), dpkg $(dpkg --print-architecture)"')"
  done
  log "two-platform root, amd64-alone build: $(docker run --rm --platform linux/amd64 "$prefix/debian-root-two:amd64" dpkg --print-architecture)"
fi
