#!/usr/bin/env bash
# A second, independent Docker engine on this machine, standing for another CI runner or teammate: its own
# data-root (image store, BuildKit cache), exec-root, pidfile, socket and managed containerd, no bridge network
# and no iptables rules, so it never touches the main engine's config, networks or firewall. Tests and proofs
# use it to show what a fresh machine gets from a shared registry and remote cache.
#
#   second-engine.sh start [--dir DIR] [--containerd-store]   start (idempotent), print DOCKER_HOST=...
#   second-engine.sh stop  [--dir DIR]                        stop it; its store stays in DIR/data
#   second-engine.sh status [--dir DIR]                       exit 0 when it answers
#   second-engine.sh wipe  [--dir DIR]                        stop it and remove DIR (an empty store next start)
#
# DIR (default /tmp/posestack-engine-b, SECOND_ENGINE_DIR) should be short: the engine's sockets live under it
# and a Unix socket path has at most 107 bytes. --containerd-store turns on the containerd image store for this
# engine only (daemon.json "containerd-snapshotter"); it is remembered in DIR/daemon.json until `wipe`.
# Use it with `DOCKER_HOST=unix://DIR/docker.sock docker ...`. Needs root (dockerd does).
set -euo pipefail

log() { printf '[second-engine] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

action="${1:-}"
[ $# -gt 0 ] && shift
dir="${SECOND_ENGINE_DIR:-/tmp/posestack-engine-b}"
containerd_store=
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    --containerd-store) containerd_store=1; shift ;;
    *) die "unknown argument '$1' (expected --dir DIR or --containerd-store)" ;;
  esac
done
case "$action" in start|stop|status|wipe) ;; *) die "usage: second-engine.sh start|stop|status|wipe [--dir DIR] [--containerd-store]" ;; esac
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
[ "$dir" != / ] || die "--dir must not be /"

socket="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
# The managed containerd's socket is the longest path the engine creates under the exec-root.
[ ${#dir} -le 60 ] || die "--dir '$dir' is too long for the engine's Unix sockets: use a path of at most 60 characters"

answers() { DOCKER_HOST="unix://$socket" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
running_pid() {
  local pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ]; then echo "$pid"; fi
}
stop_engine() {
  local pid
  pid="$(running_pid)"
  if [ -z "$pid" ]; then log "no engine of this script runs from $dir"; return 0; fi
  kill "$pid"
  # dockerd stops its containers and its containerd first; give it the time it asks for.
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "dockerd $pid did not stop within 30 s: killing it"; kill -9 "$pid"; fi
  log "stopped the engine (pid $pid)"
}

case "$action" in
  status)
    if answers; then log "engine at unix://$socket answers"; exit 0; fi
    log "no engine answers at unix://$socket"; exit 1 ;;
  stop) stop_engine; exit 0 ;;
  wipe)
    stop_engine
    # Mounts (overlay layers, the containerd snapshotter) must go before the folder can.
    { grep -F " $dir/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r | while read -r mount; do umount "$mount" || umount -l "$mount"; done
    rm -rf "$dir"
    log "removed $dir"
    exit 0 ;;
esac

[ "$(id -u)" -eq 0 ] || die "dockerd needs root (try: sudo $0 start)"
command -v dockerd >/dev/null || die "dockerd is missing: run tools/scripts/install-docker.sh first"
if [ -n "$(running_pid)" ] && answers; then
  log "engine already running (pid $(running_pid))"
  echo "DOCKER_HOST=unix://$socket"
  exit 0
fi

mkdir -p "$dir/data" "$dir/exec"
if [ -n "$containerd_store" ]; then
  echo '{ "features": { "containerd-snapshotter": true } }' >"$dir/daemon.json"
elif [ ! -f "$dir/daemon.json" ]; then
  echo '{}' >"$dir/daemon.json"
fi

# --config-file: never the main engine's /etc/docker/daemon.json. --bridge=none, no iptables/ip-masq: no network
# objects or firewall rules that could collide with the main engine's. RUN steps use the host network instead.
setsid dockerd \
  --config-file "$dir/daemon.json" \
  --data-root "$dir/data" \
  --exec-root "$dir/exec" \
  --pidfile "$pidfile" \
  --host "unix://$socket" \
  --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
  --cgroup-parent "posestack-$(basename "$dir")" \
  >>"$dir/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  answers && break
  sleep 1
done
if ! answers; then
  log "the engine did not answer within 60 s; last lines of $dir/dockerd.log:"
  tail -n 20 "$dir/dockerd.log" >&2
  exit 1
fi
log "engine $(DOCKER_HOST="unix://$socket" docker version --format '{{.Server.Version}}') running (pid $(running_pid), store $(DOCKER_HOST="unix://$socket" docker info --format '{{.Driver}}'), log $dir/dockerd.log)"
echo "DOCKER_HOST=unix://$socket"
