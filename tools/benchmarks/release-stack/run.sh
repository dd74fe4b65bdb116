#!/usr/bin/env bash
# The acceptance run of docs/releasing-images.md on the real stack, not in CI (an hour and more under QEMU on 2
# cores): the images built for linux/amd64 and linux/arm64 by Nx on an empty second engine with the containerd
# image store, with provenance mode=max and an SBOM from posestack/sbom-scanner (NX_DOCKER_PLATFORMS,
# NX_DOCKER_PROVENANCE, NX_DOCKER_SBOM), then, against the loopback distribution registry:
#   1. NX_DRY_RUN=true nx release --dry-run --yes        what would be tagged and published
#   2. nx release --dockerVersion=V --yes                tags and publishes
#   3. docker buildx imagetools inspect of each image    both platforms, an SBOM and a provenance per platform,
#                                                        neither holding the CA bundle's content or path
#   4. nx release publish                                again: a no-op for every image
#   5. a changed image (a LABEL appended to its Dockerfile) released as V again: refused, the registry unchanged
#
#   bash tools/benchmarks/release-stack/run.sh        (as root: debootstrap, a second dockerd, the registry)
#
# It runs the committed HEAD in a throw-away checkout under RELEASE_STACK_DIR (default /tmp/pstk-release; wiped
# at the end, logs kept in RELEASE_STACK_DIR-logs), whose nx.json release groups it narrows to
# RELEASE_STACK_PROJECTS (default: all seven released images, in build order) and points at the registry on
# 127.0.0.1:RELEASE_STACK_PORT (default 5000). RELEASE_STACK_VERSION (default 0.0.0-acceptance) is the version.
# RELEASE_STACK_CHANGED (default backend-api, else the last project) is the image changed in step 5.
# Each image's cold build is timed alone (nx run <p>:docker-build in build order, its bases already built), and
# debian-root's rootfs target (debootstrap of both roots) on its own.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo="$PWD"

work="${RELEASE_STACK_DIR:-/tmp/pstk-release}"
logs="$work-logs"
port="${RELEASE_STACK_PORT:-5000}"
version="${RELEASE_STACK_VERSION:-0.0.0-acceptance}"
read -r -a projects <<<"${RELEASE_STACK_PROJECTS:-debian-root base-node base-python base-python-pose backend-api frontend pose-service}"
changed="${RELEASE_STACK_CHANGED:-}"
if [ -z "$changed" ]; then
  changed="${projects[-1]}"
  [[ " ${projects[*]} " != *" backend-api "* ]] || changed=backend-api
fi
log() { printf '[release-stack] %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "needs root (debootstrap, a second dockerd, the registry)"; exit 1; }
bash tools/scripts/enable-qemu.sh
rm -rf "$work" "$logs"
mkdir -p "$work" "$logs"
declare -A seconds
order=(sbom-scanner rootfs "${projects[@]}")
summary() {
  local step
  printf '\ncold build, seconds (linux/amd64 + linux/arm64 in one build each, provenance max, SBOM)\n'
  for step in "${order[@]}"; do printf '  %-18s %s\n' "$step" "${seconds[$step]:--}"; done
}
cleanup() {
  summary
  bash tools/scripts/start-registry.sh --stop --port "$port" --dir "$work/registry" >/dev/null 2>&1 || true
  bash tools/scripts/second-engine.sh wipe --dir "$work/e" >/dev/null 2>&1 || true
  git -C "$repo" worktree remove --force "$work/ws" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs a step with its output in $logs/<label>.log; stops the script on failure unless the label ends in "?".
timed() {
  local label="$1" started=$SECONDS
  shift
  if "$@" >"$logs/$label.log" 2>&1; then
    seconds[$label]=$((SECONDS - started))
    log "$label: ${seconds[$label]} s"
  else
    tail -n 40 "$logs/$label.log" >&2
    log "$label failed after $((SECONDS - started)) s (log above, $logs/$label.log)"
    exit 1
  fi
}

log "checkout of $(git rev-parse --short HEAD) in $work/ws"
git worktree add --detach "$work/ws" HEAD >/dev/null
ln -s "$(readlink -f node_modules)" "$work/ws/node_modules"
cd "$work/ws"
# This run's release set and registry: the groups keep their projects among RELEASE_STACK_PROJECTS.
node - "$port" "${projects[@]}" <<'JS'
const { readFileSync, writeFileSync } = require('node:fs');
const [port, ...projects] = process.argv.slice(2);
const nxJson = JSON.parse(readFileSync('nx.json', 'utf8'));
nxJson.release.docker.registryUrl = `localhost:${port}`;
for (const [name, group] of Object.entries(nxJson.release.groups)) {
  group.projects = group.projects.filter((project) => projects.includes(project));
  if (group.projects.length === 0) delete nxJson.release.groups[name];
  else group.docker.groupPreVersionCommand = `npx nx run-many -t docker-release-tag -p ${group.projects.join(',')}`;
}
writeFileSync('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
JS

bash tools/scripts/start-registry.sh --port "$port" --dir "$work/registry" >"$logs/registry.log" 2>&1
export DOCKER_HOST
DOCKER_HOST="$(bash tools/scripts/second-engine.sh start --dir "$work/e" --containerd-store | sed -n 's/^DOCKER_HOST=//p')"
export NX_DAEMON=false NX_TUI=false

# The scanner for the engine's own platform: BuildKit runs an SBOM generator natively for every platform.
timed sbom-scanner env NX_DOCKER_PLATFORMS= npx nx run sbom-scanner:docker-build --outputStyle=static
export NX_DOCKER_PLATFORMS=linux/amd64,linux/arm64 NX_DOCKER_PROVENANCE=max NX_DOCKER_SBOM=posestack/sbom-scanner
[[ " ${projects[*]} " != *" debian-root "* ]] || timed rootfs npx nx run debian-root:rootfs --outputStyle=static
for project in "${projects[@]}"; do
  timed "$project" npx nx run "$project:docker-build" --outputStyle=static
done

timed dry-run env NX_DRY_RUN=true npx nx release --dry-run --yes
grep -E 'Image would be tagged with|would publish' "$logs/dry-run.log" | sed 's/^/  /' >&2
timed release npx nx release "--dockerVersion=$version" --yes
grep -E 'Image tagged with|pushed |already published|refus' "$logs/release.log" | sed 's/^/  /' >&2

# What the registry serves for each image: platforms, SBOM and provenance per platform, and no CA in either.
ca="${SSL_CERT_FILE:-}"
for project in "${projects[@]}"; do
  ref="localhost:$port/posestack/$project:$version"
  for what in Manifest SBOM Provenance; do
    docker buildx imagetools inspect --format "{{json .$what}}" "$ref" >"$logs/inspect-$project-$what.json"
  done
  log "$project: $(python3 - "$logs/inspect-$project" "$ca" <<'PY'
import json, re, sys
prefix, ca = sys.argv[1:]
manifest = json.load(open(f"{prefix}-Manifest.json"))
platforms = sorted(f'{m["platform"]["os"]}/{m["platform"]["architecture"]}' for m in manifest.get("manifests", [])
                   if m.get("platform", {}).get("os") != "unknown")
sbom, provenance = (json.load(open(f"{prefix}-{what}.json")) for what in ("SBOM", "Provenance"))
packages = {p: len(((s or {}).get("SPDX") or {}).get("packages", [])) for p, s in sorted(sbom.items())}
slsa = {p: bool((v or {}).get("SLSA")) for p, v in sorted(provenance.items())}
sbom_text, provenance_text = (open(f"{prefix}-{what}.json").read() for what in ("SBOM", "Provenance"))
leaks = []
if ca:
    # The content: any base64 line of the bundle, in either. The path: in the provenance (the build's record; an
    # SBOM may name the same path as a file of the image's own ca-certificates package, which is no leak).
    body = [line for line in open(ca).read().splitlines() if re.fullmatch(r"[A-Za-z0-9+/=]{40,}", line)]
    if ca in provenance_text: leaks.append("path")
    if any(line in sbom_text or line in provenance_text for line in body): leaks.append("content")
print(f"platforms {', '.join(platforms)}; SBOM packages per platform {packages}; provenance per platform {slsa}; "
      + (f"CA {' and '.join(leaks)} FOUND" if leaks else "no CA content or path" if ca else "no CA set"))
PY
)"
done

timed publish-again npx nx release publish
grep -E 'already published|pushed |refus' "$logs/publish-again.log" | sed 's/^/  /' >&2

# A changed image under the same version: a label, so the image's config (and digest) differs.
changed_ref="localhost:$port/posestack/$changed:$version"
before="$(docker buildx imagetools inspect --raw "$changed_ref" | sha256sum | cut -c1-64)"
dockerfile="$(node -e 'const p = JSON.parse(require("child_process").execFileSync("npx", ["nx", "show", "project", process.argv[1], "--json"], { encoding: "utf8" })); console.log(p.targets["docker-build"].options.dockerfile)' "$changed")"
printf '\nLABEL org.posestack.acceptance="changed after %s"\n' "$version" >>"$dockerfile"
if npx nx release "--dockerVersion=$version" --yes >"$logs/release-changed.log" 2>&1; then
  log "release of a changed $changed as $version SUCCEEDED: it should have been refused"; exit 1
fi
grep -E 'already exists in the registry with other content|already published|refus' "$logs/release-changed.log" | sed 's/^/  /' >&2
after="$(docker buildx imagetools inspect --raw "$changed_ref" | sha256sum | cut -c1-64)"
log "changed $changed released as $version again: refused; registry manifest sha256 $before before, $after after ($([ "$before" = "$after" ] && echo unchanged || echo CHANGED))"
