#!/usr/bin/env bash
# A real OCI registry for development, tests and benchmarks: the distribution registry (Debian's
# `docker-registry` package, 2.8) run natively on 127.0.0.1:<port>, its blobs in a folder of your choice, so it
# survives `docker system prune` and engine reinstalls. It stands for the team's registry (GHCR, Harbor, ECR...):
# nothing in the product may assume this script, this package or loopback.
#
#   start-registry.sh [--port N] [--dir DIR]          start (idempotent: a healthy one on that port is kept)
#   start-registry.sh --stop [--port N] [--dir DIR]   stop the one this script started there
#   start-registry.sh --status [--port N] [--dir DIR] exit 0 when it answers
#   start-registry.sh --install                        only install the package (npm run setup does)
#
# Defaults: port 5000 (REGISTRY_PORT), dir ${XDG_CACHE_HOME:-~/.cache}/posestack/registry (REGISTRY_DIR).
# DIR holds data/ (the blobs), config.yml, registry.pid and registry.log. Deletion by digest is enabled
# (storage.delete.enabled), which `docker-prune --registry` needs; blob space comes back only after the
# registry's garbage collection (`docker-registry garbage-collect DIR/config.yml` while it is stopped).
set -euo pipefail

log() { printf '[start-registry] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

port="${REGISTRY_PORT:-5000}"
dir="${REGISTRY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/posestack/registry}"
action=start
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    --stop) action=stop; shift ;;
    --status) action=status; shift ;;
    --install) action=install; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (expected --port N, --dir DIR, --stop, --status, --install)" ;;
  esac
done

ensure_package() {
  command -v docker-registry >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || die "the docker-registry package is missing: run 'sudo apt-get install docker-registry'"
  log "installing Debian's docker-registry package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends docker-registry >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-registry >/dev/null; }
  # The package enables a system service on :5000 with its own storage; this script runs its own instances.
  if [ -d /run/systemd/system ]; then systemctl disable --now docker-registry >/dev/null 2>&1 || true; fi
}
if [ "$action" = install ]; then ensure_package; exit 0; fi

[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "--port must be 1-65535, got '$port'"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pidfile="$dir/registry.pid"
address="127.0.0.1:$port"

answers() { curl -fs -o /dev/null --max-time 2 "http://$address/v2/"; }
running_pid() {
  local pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  # The pid must still be a registry: a reused pid of another process is not ours to stop.
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = docker-registry ]; then echo "$pid"; fi
}

case "$action" in
  status)
    if answers; then log "registry at $address answers (storage $dir/data)"; exit 0; fi
    log "no registry answers at $address"; exit 1 ;;
  stop)
    pid="$(running_pid)"
    if [ -z "$pid" ]; then log "no registry of this script runs from $dir"; rm -f "$pidfile"; exit 0; fi
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    rm -f "$pidfile"
    log "stopped the registry (pid $pid); its data stays in $dir/data"
    exit 0 ;;
esac

ensure_package
pid="$(running_pid)"
if [ -n "$pid" ]; then
  if answers; then log "registry already running at $address (pid $pid, storage $dir/data)"; exit 0; fi
  die "the registry started from $dir (pid $pid) does not answer at $address: is it on another port? stop it with --stop --dir $dir"
fi
answers && die "something else already answers at $address: choose another --port"

mkdir -p "$dir/data"
cat >"$dir/config.yml" <<YAML
# Written by tools/scripts/start-registry.sh on every start.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $address
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
YAML

# setsid: the registry must outlive the shell (and CI step) that started it.
setsid docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
echo $! >"$pidfile"
for _ in $(seq 1 100); do
  answers && { log "registry running at $address (pid $(cat "$pidfile"), storage $dir/data, log $dir/registry.log)"; exit 0; }
  kill -0 "$(cat "$pidfile")" 2>/dev/null || break
  sleep 0.1
done
log "the registry did not answer at $address within 10 s; last lines of $dir/registry.log:"
tail -n 20 "$dir/registry.log" >&2
kill "$(cat "$pidfile")" 2>/dev/null || true
rm -f "$pidfile"
exit 1
