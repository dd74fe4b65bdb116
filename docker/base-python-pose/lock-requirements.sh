#!/usr/bin/env bash
# Regenerates the two hashed locks of one platform from requirements-ml.txt and requirements-service.txt by letting
# pip resolve inside the built base-python image, so the locks match the image's Python (3.11):
#   requirements-ml[.<arch>].lock       the closure of the ML runtime (the big, rarely changing layer)
#   requirements-service[.<arch>].lock  what the service runtime adds on top of it (a small layer)
# Both are installed with pip --require-hashes --no-deps, so nothing outside them can enter the image. A lock is
# per platform because a binary wheel's hash is (the Dockerfile picks the pair by TARGETARCH); amd64 keeps the
# unsuffixed names, so amd64 builds read exactly the files they always did.
# --arch amd64 (default) resolves for the image's own platform, linux x86_64. --arch arm64 resolves for
# linux aarch64 in the same amd64 image, with pip's cross-platform options (wheels only, the manylinux tags a
# bookworm aarch64 pip accepts), instead of running pip under QEMU. pip evaluates environment markers for the
# machine it runs on, not for --platform, so the result is then checked against the closure the requirements'
# markers give for aarch64; a difference stops the script (resolve under QEMU then).
# The host's CA bundle, when set, is mounted read-only for this run only.
# Usage: bash docker/base-python-pose/lock-requirements.sh [--arch amd64|arm64] [base-python image]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
arch=amd64
if [ "${1:-}" = --arch ]; then arch="${2:?--arch needs amd64 or arm64}"; shift 2; fi
image="${1:-posestack/base-python}"
platform_args=() suffix="" machine=x86_64
case "$arch" in
  amd64) ;;
  arm64)
    suffix=.arm64 machine=aarch64
    # Bookworm's glibc is 2.36: a pip running there accepts manylinux_2_17 up to manylinux_2_36. pip does not
    # widen a --platform tag itself, so each one is listed.
    platform_args=(--only-binary=:all: --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none
      --platform linux_aarch64 --platform manylinux2014_aarch64)
    for minor in $(seq 17 36); do platform_args+=(--platform "manylinux_2_${minor}_aarch64"); done
    ;;
  *) echo "lock-requirements: no lock for arch $arch (amd64 or arm64)" >&2; exit 1 ;;
esac
ca_args=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -s "$SSL_CERT_FILE" ]; then
  ca_args=(-v "$SSL_CERT_FILE:/tmp/ca.pem:ro" -e PIP_CERT=/tmp/ca.pem)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

resolve() { # <report.json> <requirements files...>
  local out="$1"; shift
  local args=() f
  for f in "$@"; do args+=(-v "$here/$f:/tmp/$f:ro" -r "/tmp/$f"); done
  local mounts=() reqs=()
  for ((i = 0; i < ${#args[@]}; i += 4)); do mounts+=("${args[i]}" "${args[i+1]}"); reqs+=("${args[i+2]}" "${args[i+3]}"); done
  docker run --rm "${ca_args[@]}" "${mounts[@]}" "$image" \
    pip install --dry-run --quiet --ignore-installed --report - "${platform_args[@]}" "${reqs[@]}" >"$out"
}
resolve "$tmp/ml.json" requirements-ml.txt
resolve "$tmp/all.json" requirements-ml.txt requirements-service.txt

python3 - "$tmp/ml.json" "$tmp/all.json" "$here" "$suffix" "$machine" <<'PY'
import json, sys
try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # the host's pip carries packaging too
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
ml_report, all_report, here, suffix, machine = sys.argv[1:]

def check_markers(path):
    """pip chose the closure with markers evaluated for the machine it ran on; walk the requirements again with
    platform_machine of the target and stop when that gives another set of packages."""
    report = json.load(open(path))
    env = {**report["environment"], "platform_machine": machine}
    by_name = {canonicalize_name(i["metadata"]["name"]): i for i in report["install"]}
    todo = [(name, set(i.get("requested_extras") or [])) for name, i in by_name.items() if i.get("requested")]
    seen = {}
    while todo:
        name, extras = todo.pop()
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, set()) | extras
        for spec in by_name[name]["metadata"].get("requires_dist", []) if name in by_name else []:
            req = Requirement(spec)
            if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in seen[name] | {""}):
                todo.append((canonicalize_name(req.name), set(req.extras)))
    if set(seen) != set(by_name):
        sys.exit(f"lock-requirements: the {machine} markers give another closure than pip's "
                 f"(only by markers: {sorted(set(seen) - set(by_name))}, only by pip: {sorted(set(by_name) - set(seen))}); "
                 "resolve under QEMU in the target platform's image instead")

if suffix:
    check_markers(ml_report)
    check_markers(all_report)

def pins(path):
    report = json.load(open(path))
    return {i["metadata"]["name"].lower(): (i["metadata"]["name"], i["metadata"]["version"],
            i["download_info"]["archive_info"]["hashes"]["sha256"]) for i in report["install"]}

ml, full = pins(ml_report), pins(all_report)
drift = [f"{k}: {ml[k][1]} alone, {full[k][1]} with the service" for k in ml if k in full and full[k][1] != ml[k][1]]
if drift:
    sys.exit("lock-requirements: the service requirements move ML pins; align them first:\n  " + "\n  ".join(drift))
if missing := sorted(set(ml) - set(full)):
    sys.exit(f"lock-requirements: packages resolved for ML alone but not with the service: {missing}")

def write(name, entries, what):
    with open(f"{here}/{name}", "w") as f:
        f.write(f"# Generated by docker/base-python-pose/lock-requirements.sh: {what}. Do not edit by hand.\n")
        for key in sorted(entries):
            n, v, digest = entries[key]
            f.write(f"{n}=={v} \\\n    --hash=sha256:{digest}\n")
    print(f"wrote {name}: {len(entries)} packages", file=sys.stderr)

# The amd64 locks keep their names and header line (their bytes are what amd64 builds have always read).
where = f", linux {machine}" if suffix else ""
write(f"requirements-ml{suffix}.lock", ml, f"the closure of requirements-ml.txt{where}")
write(f"requirements-service{suffix}.lock", {k: v for k, v in full.items() if k not in ml},
      f"what requirements-service.txt adds on top of requirements-ml{suffix}.lock{where}")
PY
