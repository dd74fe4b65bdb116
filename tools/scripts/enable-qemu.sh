#!/usr/bin/env bash
# Lets this machine run linux/arm64 binaries, in build containers too: Debian's qemu-user-static (its
# interpreters) and binfmt-support (registers them with the kernel's binfmt_misc, with the F flag, so the
# interpreter is opened once at registration and works inside any container root). Idempotent; needs root.
# Exits non-zero, saying why, where the kernel refuses (no binfmt_misc, a container without the mount right).
set -euo pipefail

log() { printf '[enable-qemu] %s\n' "$*" >&2; }
entry=/proc/sys/fs/binfmt_misc/qemu-aarch64

[ "$(id -u)" -eq 0 ] || { log "needs root (try: sudo $0)"; exit 1; }
if ! dpkg -s qemu-user-static binfmt-support >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static binfmt-support >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static binfmt-support >/dev/null; }
fi
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || { log "cannot mount binfmt_misc (the kernel or this container refuses it)"; exit 1; }
fi
if ! grep -qx enabled "$entry" 2>/dev/null; then
  update-binfmts --enable qemu-aarch64 || { log "update-binfmts --enable qemu-aarch64 failed"; exit 1; }
fi
grep -qx enabled "$entry" || { log "$entry is not enabled"; exit 1; }
log "linux/arm64 binaries run through $(awk '$1 == "interpreter" {print $2}' "$entry") ($(awk '$1 == "flags:" {print $2}' "$entry"))"
