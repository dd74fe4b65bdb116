#!/usr/bin/env bash
# Installs a Docker engine (26+) with BuildKit, buildx and compose v2 from Debian's own packages, then starts
# dockerd when none answers. Idempotent: a machine that already has a working engine is left as it is.
#
# Why Debian 13 (trixie) packages on Debian 12: bookworm ships engine 20.10 without the buildx and compose v2
# plugins. trixie's docker.io, containerd, docker-cli, docker-buildx and docker-compose run on bookworm; its
# runc needs a newer glibc, so bookworm's own runc is kept (pinned below).
#
# POSESTACK_CONTAINERD_STORE=1 (off by default): the engine uses the containerd image store, which the docker
# driver needs to export BuildKit layer caches to a registry (--cache-to type=registry; docs/docker-caching.md,
# "Layer cache through the registry"). It is written to /etc/docker/daemon.json only when that file does not
# exist, and applies when this script starts dockerd; a running engine with the other store is left as it is
# (the message says how to switch). Images of the other store are not migrated: they stay on disk, unseen.
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
has_plugins() { docker buildx version >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }
wants_containerd_store() { [ "${POSESTACK_CONTAINERD_STORE:-0}" = 1 ]; }
has_containerd_store() { docker info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q io.containerd.snapshotter.v1; }

if engine_answers && has_plugins; then
  if wants_containerd_store && ! has_containerd_store; then
    log "POSESTACK_CONTAINERD_STORE=1 but the running engine uses the classic image store: add"
    log '  "features": {"containerd-snapshotter": true}  to /etc/docker/daemon.json and restart dockerd'
    exit 1
  fi
  log "engine $(docker version --format '{{.Server.Version}}') with buildx and compose already running: nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root to install packages and start dockerd (try: sudo $0)"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1 || ! has_plugins; then
  . /etc/os-release
  export DEBIAN_FRONTEND=noninteractive
  if [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
    cat >/etc/apt/sources.list.d/posestack-trixie.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    # trixie only for what we name; everything else (runc included) stays on bookworm.
    cat >/etc/apt/preferences.d/posestack-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: runc
Pin: release n=trixie
Pin-Priority: -1
PIN
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -t trixie \
      docker.io containerd docker-cli docker-buildx docker-compose iptables >/dev/null
    apt-get install -y -qq --no-install-recommends runc debootstrap >/dev/null
  else
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io docker-buildx docker-compose debootstrap >/dev/null
  fi
fi

if wants_containerd_store && ! engine_answers; then
  if [ ! -e /etc/docker/daemon.json ]; then
    mkdir -p /etc/docker
    echo '{ "features": { "containerd-snapshotter": true } }' >/etc/docker/daemon.json
    log "wrote /etc/docker/daemon.json: containerd image store"
  elif ! grep -q '"containerd-snapshotter": *true' /etc/docker/daemon.json; then
    log "POSESTACK_CONTAINERD_STORE=1: add \"features\": {\"containerd-snapshotter\": true} to your /etc/docker/daemon.json (left as it is)"
    exit 1
  fi
fi

if ! engine_answers; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  # setsid: the daemon must outlive the shell (and CI step) that started it.
  setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && break
    sleep 1
  done
  if ! engine_answers; then
    log "dockerd did not answer within 60 s; last lines of /var/log/dockerd.log:"
    tail -n 20 /var/log/dockerd.log >&2
    exit 1
  fi
fi

log "engine $(docker version --format '{{.Server.Version}}'), $(docker buildx version | head -n1), $(docker compose version --short 2>/dev/null || true)"
