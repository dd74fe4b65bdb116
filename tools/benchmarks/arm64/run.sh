#!/usr/bin/env bash
# Cold builds of the real image Dockerfiles for each platform (default: amd64 and arm64, arm64 under QEMU), each on
# an empty second engine with the containerd image store, from an air-gap Debian root that debootstrap builds for
# that architecture (docker/debian-root/build-rootfs.sh, DEBIAN_ARCH). Prints the time of every step and the size
# of every image per platform, then runs each platform's containers: `node --version` in base-node,
# backend-api's GET /health (503 {"mongo":"down",...} here: no database runs beside it; the point is a Node server
# of that architecture answering), the frontend's GET / (the built page) and GET /health; python and pip in
# base-python; torch's build (torch.version.cuda, CUDA available or not) in base-python-pose; pose-service's
# GET /health on the CPU and one pose request per model in ARM64_BENCH_POSE_MODELS on a photo. The tables are
# printed on exit whatever happened, with "-" for the steps that did not finish.
#
#   bash tools/benchmarks/arm64/run.sh [amd64] [arm64]      (as root; not part of CI: minutes under QEMU)
#
# The images are built with docker buildx directly, pinned as the plugin pins them (named contexts to the exact
# local builds), so this measures the Dockerfiles under emulation, not Nx. Everything lives under
# ARM64_BENCH_DIR (default /tmp/pstk-arm64) and is wiped at the end. ARM64_BENCH_ROOTS=DIR reuses roots that
# build-rootfs.sh already wrote to DIR/root-<arch> (debootstrap needs no Docker; its time is then not measured).
# ARM64_BENCH_IMAGES picks the images, in build order (default: base-node backend-api frontend base-python
# base-python-pose pose-service; an image needs its bases in the list: backend-api and frontend base-node,
# base-python-pose base-python, pose-service base-python-pose). ARM64_BENCH_FRONTEND=0 leaves the frontend out.
# ARM64_BENCH_POSE_MODELS (default "lightning blazepose-lite") are the models pose-service loads and is asked for.
# With both amd64 and arm64, a last step builds docker/debian-root/Dockerfile (a stage per architecture picked by
# TARGETARCH, the amd64 tarball under its old name) first for amd64 alone without the arm64 tarball, then for
# both platforms into one index on an empty engine.
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
read -r -a images <<<"${ARM64_BENCH_IMAGES:-base-node backend-api frontend base-python base-python-pose pose-service}"
[ "${ARM64_BENCH_FRONTEND:-1}" != 0 ] || { for i in "${!images[@]}"; do [ "${images[i]}" != frontend ] || unset 'images[i]'; done; images=("${images[@]}"); }
read -r -a pose_models <<<"${ARM64_BENCH_POSE_MODELS:-lightning blazepose-lite}"
# The base each image is built on (a named context to the exact local build, as the plugin pins it).
declare -A base_of=([base-node]=debian-root [backend-api]=base-node [frontend]=base-node [base-python]=debian-root
  [base-python-pose]=base-python [pose-service]=base-python-pose)
listed=" debian-root ${images[*]} "
for image in "${images[@]}"; do
  [ -n "${base_of[$image]:-}" ] || { log "unknown image '$image' (known: ${!base_of[*]})"; exit 1; }
  [[ "${listed%% $image *} " == *" ${base_of[$image]} "* ]] || { log "$image needs ${base_of[$image]} before it in ARM64_BENCH_IMAGES"; exit 1; }
done
steps=(debootstrap debian-root "${images[@]}")
declare -A seconds megabytes
# One table per figure: "$1" is the array of figures, "$2" the unit, "$3" whether a total makes sense.
table() {
  local -n figures="$1"
  local unit="$2" with_total="$3" arch step total complete
  printf '\n%-8s' "$unit"
  for step in "${steps[@]}"; do printf ' %16s' "$step"; done
  [ -z "$with_total" ] || printf ' %8s' total
  printf '\n'
  for arch in "${arches[@]}"; do
    total=0 complete=1
    printf '%-8s' "$arch"
    for step in "${steps[@]}"; do
      if [ -n "${figures[$arch-$step]:-}" ]; then
        printf ' %16s' "${figures[$arch-$step]}"
        total=$((total + figures[$arch-$step]))
      else
        printf ' %16s' -
        complete=
      fi
    done
    if [ -z "$with_total" ]; then printf '\n'; elif [ -n "$complete" ]; then printf ' %8s\n' "$total"; else printf ' %8s\n' -; fi
  done
}
summary() {
  table seconds 'seconds' 1
  table megabytes 'MB' ''
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

wants() { [[ " ${images[*]} " == *" $1 "* ]]; }
# build-rootfs.sh's name for an architecture's root (the one docker/debian-root/Dockerfile's stage for it ADDs).
tarball_of() { if [ "$1" = amd64 ]; then echo rootfs.tar.gz; else echo "rootfs-$1.tar.gz"; fi; }
if wants backend-api; then
  log "backend-api's dist (nx run backend-api:build)"
  npx nx run backend-api:build --outputStyle=static >/dev/null
fi
if wants pose-service; then
  log "pose-service's models (nx run pose-service:models)"
  npx nx run pose-service:models --outputStyle=static >/dev/null
fi

timed() {
  local label="$1"; shift
  local started=$SECONDS
  "$@" >"$work/$label.log" 2>&1 || { tail -n 30 "$work/$label.log" >&2; log "$label failed after $((SECONDS - started)) s (log above)"; exit 1; }
  seconds[$label]=$((SECONDS - started))
  log "$label: ${seconds[$label]} s"
}
# The size the engine reports for the image (the containerd store: its unpacked layers), in MB.
record_size() {
  megabytes[$1]=$(( $(docker image inspect -f '{{.Size}}' "$2") / 1000000 ))
  log "$1: ${megabytes[$1]} MB"
}

# Runs the command (an argument array) in CONTAINER until it succeeds, once a second for at most SECONDS (servers
# start slowly under QEMU), and prints its output; "no answer within N s" when it never did.
retry_exec() {
  local container="$1" seconds="$2" reply
  shift 2
  for _ in $(seq 1 "$seconds"); do
    reply="$(docker exec "$container" "$@" 2>/dev/null)" && { echo "$reply"; return 0; }
    sleep 1
  done
  echo "no answer within $seconds s"
}

# The status and body of GET http://127.0.0.1:PORT/PATH inside CONTAINER, with Node's fetch (the images have no
# curl for that), retried for 60 s while the server starts. "page": the status, the size and the page's <title>
# instead of the body.
answer() {
  local container="$1" port="$2" path="$3" mode="${4:-body}"
  local script="fetch('http://127.0.0.1:$port$path').then(async (r) => { const t = await r.text(); console.log(r.status, process.argv[1] === 'page' ? t.length + ' bytes, title ' + (/<title>([^<]*)<\\/title>/.exec(t) || [])[1] : t); }, () => process.exit(1))"
  retry_exec "$container" 60 node -e "$script" "$mode"
}

# pose-service answers only its service token, /health included; the benchmark's own, for this container only.
pose_token=arm64-benchmark-token-0123456789abcdef
photo=apps/backend-api/tests/fixtures/astronaut.jpg
# One line per pose answer: the model, the device, the people found and their keypoints seen.
pose_summary='import json, sys
r = json.load(sys.stdin)
seen = [sum(1 for k in p["keypoints"] if k["score"] >= 0.3) for p in r["people"]]
print("model %s on %s, %sx%s: %d people, keypoints scoring 0.3 or more: %s" % (r["model"], r["device"], r["width"], r["height"], len(seen), seen))'

for arch in "${arches[@]}"; do
  # An empty engine per platform: nothing cached from the other one.
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  export DOCKER_HOST
  DOCKER_HOST="$(bash tools/scripts/second-engine.sh start --dir "$work/e" --containerd-store | sed -n 's/^DOCKER_HOST=//p')"
  build=(docker buildx build --progress plain --platform "linux/$arch" --load)
  root="${ARM64_BENCH_ROOTS:-$work}/root-$arch"
  if [ -n "${ARM64_BENCH_ROOTS:-}" ] && [ -f "$root/$(tarball_of "$arch")" ]; then
    seconds[$arch-debootstrap]=0
    log "$arch-debootstrap: reused $root (not measured)"
  else
    timed "$arch-debootstrap" env DEBIAN_ARCH="$arch" bash docker/debian-root/build-rootfs.sh "$root"
  fi
  timed "$arch-debian-root" "${build[@]}" -f docker/debian-root/Dockerfile -t "$prefix/debian-root:$arch" "$root"
  record_size "$arch-debian-root" "$prefix/debian-root:$arch"
  for image in "${images[@]}"; do
    base="${base_of[$image]}"
    pin=(--build-context "posestack/$base=docker-image://$prefix/$base:$arch")
    case "$image" in
      base-node | base-python) context=(--build-arg DEBIAN_ROOT=debian-root --build-context "debian-root=docker-image://$prefix/debian-root:$arch" "docker/$image") ;;
      backend-api | frontend) context=("${pin[@]}" -f "apps/$image/Dockerfile" .) ;;
      base-python-pose) context=("${pin[@]}" docker/base-python-pose) ;;
      pose-service) context=("${pin[@]}" --build-context models=dist/pose-models apps/pose-service) ;;
    esac
    timed "$arch-$image" "${build[@]}" "${ca_args[@]}" -t "$prefix/$image:$arch" "${context[@]}"
    record_size "$arch-$image" "$prefix/$image:$arch"
  done
  if wants base-node; then
    log "$arch base-node: $(docker run --rm --platform "linux/$arch" "$prefix/base-node:$arch" sh -c 'echo "$(uname -m), node $(node --version)"')"
  fi
  if wants backend-api; then
    container="$(docker run -d --platform "linux/$arch" -e MONGO_URL=mongodb://127.0.0.1:1/posestack -e MONGO_SERVER_SELECTION_TIMEOUT_MS=500 \
      -e POSE_SERVICE_URL=http://127.0.0.1:2 -e POSE_SERVICE_TOKEN=arm64-benchmark-token-0123456789abcdef "$prefix/backend-api:$arch")"
    log "$arch backend-api GET /health: $(answer "$container" 3001 /health)"
    log "$arch backend-api: node $(docker exec "$container" node -p 'process.version + " " + process.arch')"
    docker rm -f "$container" >/dev/null
  fi
  if wants frontend; then
    container="$(docker run -d --platform "linux/$arch" -e BACKEND_URL=http://127.0.0.1:1 -e BACKEND_HEALTH_TIMEOUT_MS=500 "$prefix/frontend:$arch")"
    log "$arch frontend GET /: $(answer "$container" 5173 / page)"
    log "$arch frontend GET /health: $(answer "$container" 5173 /health)"
    log "$arch frontend: node $(docker exec "$container" node -p 'process.version + " " + process.arch')"
    docker rm -f "$container" >/dev/null
  fi
  if wants base-python; then
    log "$arch base-python: $(docker run --rm --platform "linux/$arch" "$prefix/base-python:$arch" sh -c 'echo "$(uname -m), $(python --version), pip $(pip --version | cut -d" " -f2)"')"
  fi
  if wants base-python-pose; then
    log "$arch base-python-pose: $(docker run --rm --platform "linux/$arch" "$prefix/base-python-pose:$arch" python -c 'import platform, torch, torchvision
print(f"{platform.machine()}, torch {torch.__version__} (torch.version.cuda {torch.version.cuda}, CUDA built {torch.backends.cuda.is_built()}, CUDA available {torch.cuda.is_available()}), torchvision {torchvision.__version__}")')"
  fi
  if wants pose-service; then
    models_json="[$(printf '"%s",' "${pose_models[@]}")"; models_json="${models_json%,}]"
    started=$SECONDS
    container="$(docker run -d --platform "linux/$arch" --no-healthcheck -v "$PWD/$photo:/tmp/photo.jpg:ro" -e POSE_SERVICE_TOKEN="$pose_token" \
      -e POSE_DEVICE=cpu -e POSE_MODELS="$models_json" -e POSE_DEFAULT_MODEL="${pose_models[0]}" "$prefix/pose-service:$arch")"
    log "$arch pose-service GET /health: $(retry_exec "$container" 600 curl -sSf -H "Authorization: Bearer $pose_token" http://127.0.0.1:5000/health) (up after $((SECONDS - started)) s)"
    for model in "${pose_models[@]}"; do
      started=$SECONDS
      reply="$(docker exec "$container" curl -sSf -H "Authorization: Bearer $pose_token" -F file=@/tmp/photo.jpg "http://127.0.0.1:5000/v1/pose?model=$model" 2>&1)" \
        && reply="$(python3 -c "$pose_summary" <<<"$reply" 2>&1)"
      log "$arch pose-service POST /v1/pose?model=$model ($(basename "$photo")): $reply ($((SECONDS - started)) s)"
    done
    docker logs "$container" >"$work/$arch-pose-service-container.log" 2>&1 || true
    docker rm -f "$container" >/dev/null
  fi
done

if [[ " ${arches[*]} " == *" amd64 "* && " ${arches[*]} " == *" arm64 "* ]]; then
  # docker/debian-root/Dockerfile itself (a stage per TARGETARCH): amd64 alone from a context without the arm64
  # root, then both platforms into one index, on an empty engine.
  two="$work/two-platform-root"
  mkdir -p "$two"
  cp "${ARM64_BENCH_ROOTS:-$work}/root-amd64/rootfs.tar.gz" "$two/rootfs.tar.gz"
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  DOCKER_HOST="$(bash tools/scripts/second-engine.sh start --dir "$work/e" --containerd-store | sed -n 's/^DOCKER_HOST=//p')"
  timed two-platform-root-amd64-alone docker buildx build --progress plain --platform linux/amd64 --load -f docker/debian-root/Dockerfile -t "$prefix/debian-root-two:amd64" "$two"
  cp "${ARM64_BENCH_ROOTS:-$work}/root-arm64/rootfs-arm64.tar.gz" "$two/rootfs-arm64.tar.gz"
  timed two-platform-root-both docker buildx build --progress plain --platform linux/amd64,linux/arm64 --load -f docker/debian-root/Dockerfile -t "$prefix/debian-root-two:both" "$two"
  for arch in amd64 arm64; do
    log "two-platform root, --platform linux/$arch: $(docker run --rm --platform "linux/$arch" "$prefix/debian-root-two:both" sh -c 'echo "$(uname -m), dpkg $(dpkg --print-architecture)"')"
  done
  log "two-platform root, amd64-alone build: $(docker run --rm --platform linux/amd64 "$prefix/debian-root-two:amd64" dpkg --print-architecture)"
fi
