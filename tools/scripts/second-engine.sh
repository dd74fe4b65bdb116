#!/usr/bin/env bash
# A second, independent Docker engine on this machine, standing for another CI runner or teammate: its own
# data-root (image store, BuildKit cache), exec-root, pidfile, socket and managed containerd, a bridge of its own
# and no iptables rules of dockerd's, so it never touches the main engine's config, docker0 or firewall. Tests and proofs
# use it to show what a fresh machine gets from a shared registry and remote cache.
#
#   second-engine.sh start [--dir DIR] [--containerd-store] [--bridge-subnet A.B.C.0/24]
#                                                             start (idempotent), print DOCKER_HOST=...
#   second-engine.sh stop  [--dir DIR]                        stop it; its store stays in DIR/data
#   second-engine.sh status [--dir DIR]                       exit 0 when it answers
#   second-engine.sh wipe  [--dir DIR]                        stop it and remove DIR (an empty store next start)
#
# DIR (default /tmp/posestack-engine-b, SECOND_ENGINE_DIR) should be short: the engine's sockets live under it
# and a Unix socket path has at most 107 bytes. --containerd-store turns on the containerd image store for this
# engine only (daemon.json "containerd-snapshotter"); it is remembered in DIR/daemon.json until `wipe`.
# The engine always gets a bridge of its own (Linux bridge pstk-<hash of DIR>, NAT for that /24 only): on
# --bridge-subnet A.B.C.0/24, else on 10.213.N.0/24 derived from DIR (the next free N when another interface has
# it). Not --bridge=none: that dockerd would delete docker0, the main engine's bridge, and BuildKit inside dockerd
# runs RUN steps on the network named "bridge".
# dockerd still manages no iptables rules; this script adds three rules tagged "posestack-second-engine DIR" and
# removes them, and the bridge, on stop and wipe. Needs net.ipv4.ip_forward=1 (the main engine sets it).
# Use it with `DOCKER_HOST=unix://DIR/docker.sock docker ...`. Needs root (dockerd does).
set -euo pipefail

log() { printf '[second-engine] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

action="${1:-}"
[ $# -gt 0 ] && shift
dir="${SECOND_ENGINE_DIR:-/tmp/posestack-engine-b}"
containerd_store=
subnet=
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    --containerd-store) containerd_store=1; shift ;;
    --bridge-subnet) subnet="${2:?--bridge-subnet needs A.B.C.0/24}"; shift 2 ;;
    *) die "unknown argument '$1' (expected --dir DIR, --containerd-store or --bridge-subnet A.B.C.0/24)" ;;
  esac
done
if [ -n "$subnet" ] && ! [[ "$subnet" =~ ^([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\.0/24$ ]]; then
  die "--bridge-subnet must be a /24 written A.B.C.0/24 (e.g. 10.213.7.0/24), got '$subnet'"
fi
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
bridge_file="$dir/bridge"
bridge_dev="pstk-$(printf '%s' "$dir" | sha1sum | cut -c1-8)"
rule_tag="posestack-second-engine $dir"
# The three rules that let the engine's bridge reach out (the main engine's FORWARD policy is DROP).
bridge_rules() {
  local action="$1" cidr="$2"
  iptables -t nat "$action" POSTROUTING -s "$cidr" ! -o "$bridge_dev" -j MASQUERADE -m comment --comment "$rule_tag"
  iptables "$action" FORWARD -i "$bridge_dev" -j ACCEPT -m comment --comment "$rule_tag"
  iptables "$action" FORWARD -o "$bridge_dev" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT -m comment --comment "$rule_tag"
}
remove_bridge() {
  [ -f "$bridge_file" ] || return 0
  local cidr
  cidr="$(cat "$bridge_file")"
  bridge_rules -D "$cidr" 2>/dev/null || true
  ip link del "$bridge_dev" 2>/dev/null || true
  rm -f "$bridge_file"
  log "removed bridge $bridge_dev ($cidr) and its rules"
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
  stop) stop_engine; remove_bridge; exit 0 ;;
  wipe)
    stop_engine
    remove_bridge
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

# Never --bridge=none: a dockerd started without a bridge deletes the default bridge docker0 (libnetwork's
# removeDefaultBridgeInterface), which is the MAIN engine's, and every RUN step there then fails with
# "adding interface ... to bridge docker0 failed: Device does not exist". So the engine always gets a bridge of
# its own; without --bridge-subnet, on a /24 derived from DIR (10.213.N.0/24), or the next one that no interface
# uses: two bridges on one /24 (another engine's, e.g. a benchmark's) would give the host two routes for it.
if [ -z "$subnet" ]; then
  n=$(( 0x$(printf '%s' "$dir" | sha1sum | cut -c1-2) ))
  if [ -f "$bridge_file" ] && ip link show "$bridge_dev" >/dev/null 2>&1; then
    subnet="$(cat "$bridge_file")"
  else
    for _ in $(seq 256); do
      ip -o -4 addr show | grep -q " inet 10\.213\.$n\." || break
      n=$(( (n + 1) % 256 ))
    done
    subnet="10.213.$n.0/24"
  fi
fi
if [ -n "$subnet" ]; then
  [ "$(sysctl -n net.ipv4.ip_forward)" = 1 ] || die "--bridge-subnet needs net.ipv4.ip_forward=1"
  if ! ip link show "$bridge_dev" >/dev/null 2>&1; then
    ip link add name "$bridge_dev" type bridge
    ip addr add "${subnet%.0/24}.1/24" dev "$bridge_dev"
  fi
  ip link set "$bridge_dev" up
  bridge_rules -C "$subnet" 2>/dev/null || bridge_rules -A "$subnet"
  echo "$subnet" >"$bridge_file"
  bridge_arg="--bridge=$bridge_dev"
  log "bridge $bridge_dev on $subnet (NAT for that subnet only)"
fi

# --config-file: never the main engine's /etc/docker/daemon.json. No bridge of dockerd's own and no iptables/ip-masq:
# no network objects or firewall rules that could collide with the main engine's.
setsid dockerd \
  --config-file "$dir/daemon.json" \
  --data-root "$dir/data" \
  --exec-root "$dir/exec" \
  --pidfile "$pidfile" \
  --host "unix://$socket" \
  "$bridge_arg" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
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
