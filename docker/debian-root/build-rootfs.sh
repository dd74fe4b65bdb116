#!/usr/bin/env bash
# Builds the air-gap stand-in for debian:bookworm-slim from Debian's packages alone and writes a deterministic
# tarball (sorted entries, mtimes = SOURCE_DATE_EPOCH, numeric owners, gzip without name/time) that the
# Dockerfile beside this script ADDs onto scratch.
#
# The steps follow what the official image's build (debuerreotype: init --variant=minbase, minimizing-config,
# slimify, fixup) does, so services behave the same on either root; see docs/base-images.md.
# snapshot.debian.org is not reachable here, so by default the suite is pinned by name and point release and
# the exact package set is recorded in manifest.txt; set DEBIAN_SNAPSHOT=YYYYMMDDTHHMMSSZ where it is reachable.
# Nx caches the outputs (dist/debian-root), so a warm cache restores the very same tarball.
#
# One architecture per run (DEBIAN_ARCH, default amd64). The amd64 root is rootfs.tar.gz (and manifest.txt), the
# name it always had, so an amd64-only context is what it was; another architecture writes rootfs-<arch>.tar.gz
# (and manifest-<arch>.txt) beside it: the Dockerfile's stage for each TARGETARCH ADDs its own.
# --for-image PROJECT_ROOT builds the roots of every platform that image project's docker-build builds, read by the
# plugin's own resolution (node tools/nx-docker/image-platforms.js: its "platforms" option, else NX_DOCKER_PLATFORMS
# over nx.json's; none set: this machine's platform, the local engine's), and removes roots of architectures no
# longer in that set, so the context holds exactly the roots the image is built from.
#
# Runs as root (debootstrap needs chroot and mknod).
# Usage: [DEBIAN_ARCH=arm64] bash docker/debian-root/build-rootfs.sh [out-dir]
#        bash docker/debian-root/build-rootfs.sh --for-image docker/debian-root [out-dir]   (the rootfs target)
set -euo pipefail

if [ "${1:-}" = --for-image ]; then
  project_root="${2:?--for-image needs the image project root, e.g. docker/debian-root}"
  out_dir="${3:-dist/debian-root}"
  platforms="$(node tools/nx-docker/image-platforms.js "$project_root")" || exit 1
  mapfile -t platforms <<<"$platforms"
  arches=()
  for platform in "${platforms[@]}"; do
    [ -n "$platform" ] || continue
    case "$platform" in
      linux/amd64) arches+=(amd64) ;;
      linux/arm64 | linux/arm64/v8) arches+=(arm64) ;;
      *) echo "[debian-root] error: no Debian root for platform $platform (the Dockerfile has stages for amd64 and arm64)" >&2; exit 1 ;;
    esac
  done
  mkdir -p "$out_dir"
  for stale in "$out_dir"/rootfs.tar.gz "$out_dir"/rootfs-*.tar.gz; do
    [ -e "$stale" ] || continue
    name="${stale##*/}" arch=amd64
    [ "$name" = rootfs.tar.gz ] || { arch="${name#rootfs-}"; arch="${arch%.tar.gz}"; }
    if [[ " ${arches[*]} " != *" $arch "* ]]; then
      echo "[debian-root] removing the $arch root (not among the image's platforms)" >&2
      if [ "$arch" = amd64 ]; then rm -f "$out_dir/rootfs.tar.gz" "$out_dir/manifest.txt"; else rm -f "$stale" "$out_dir/manifest-$arch.txt"; fi
    fi
  done
  for arch in "${arches[@]}"; do DEBIAN_ARCH="$arch" bash "$0" "$out_dir"; done
  exit 0
fi

readonly SUITE=bookworm
readonly POINT_RELEASE=12.15
# 2026-08-03 00:00:00 UTC: the snapshot time of the official debian:12.15-slim (bookworm-20260803) that
# base Dockerfiles pin by digest in upstream mode, so both roots carry the same timestamps.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1785715200}"
# DEBIAN_ARCH=arm64 builds the arm64 root (foreign: its maintainer scripts run under QEMU through binfmt_misc,
# qemu-user-static's F-flag entry; tools/scripts/setup.sh registers it); the default is the amd64 root of the image.
readonly ARCH="${DEBIAN_ARCH:-amd64}"
readonly OUT_DIR="${1:-dist/debian-root}"
if [ "$ARCH" = amd64 ]; then readonly TARBALL=rootfs.tar.gz MANIFEST=manifest.txt; else readonly TARBALL="rootfs-$ARCH.tar.gz" MANIFEST="manifest-$ARCH.txt"; fi
readonly KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

if [ -n "${DEBIAN_SNAPSHOT:-}" ]; then
  MIRROR="http://snapshot.debian.org/archive/debian/${DEBIAN_SNAPSHOT}"
  SECURITY_MIRROR="http://snapshot.debian.org/archive/debian-security/${DEBIAN_SNAPSHOT}"
else
  MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
fi

log() { printf '[debian-root] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap needs chroot and mknod); try: sudo $0"
command -v debootstrap >/dev/null || die "debootstrap not found; install it (bash tools/scripts/install-docker.sh does)"
[ -r "$KEYRING" ] || die "Debian archive keyring $KEYRING missing; install debian-archive-keyring"

work="$(mktemp -d /var/tmp/debian-root.XXXXXX)"
rootfs="$work/rootfs"
unmount_all() {
  # Deepest first; a failed debootstrap can leave proc/sys mounted inside the target.
  local m
  for m in $(awk -v r="$rootfs" '$2 ~ "^"r {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
}
cleanup() { unmount_all; rm -rf "$work"; }
trap cleanup EXIT

# The point release the suite is at now (debootstrap verifies the signed Release itself; this is for the record).
if command -v curl >/dev/null; then fetch() { curl -fsS "$1"; }; else fetch() { wget -qO- "$1"; }; fi
release_version="$(fetch "$MIRROR/dists/$SUITE/Release" | awk -F': ' '$1=="Version"{print $2}')" \
  || die "cannot read $MIRROR/dists/$SUITE/Release (is the mirror reachable?)"
if [ "$release_version" != "$POINT_RELEASE" ]; then
  log "warning: $SUITE is at point release $release_version, this script pins $POINT_RELEASE; the root will differ from the one recorded in docs/base-images.md"
fi

log "debootstrap --variant=minbase $SUITE ($release_version) from $MIRROR"
debootstrap --variant=minbase --arch="$ARCH" --components=main --keyring="$KEYRING" \
  "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 40 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

# Same sources as the official image (deb822, with updates and security).
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC

# debuerreotype-minimizing-config: no daemons started by maintainer scripts, no apt caches or translations.
cat >"$rootfs/usr/sbin/policy-rc.d" <<'RC'
#!/bin/sh
# Installed by posestack's debian-root (as in the official image): containers start no services on install.
exit 101
RC
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
echo 'force-unsafe-io' >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"

# debuerreotype-slimify: dpkg keeps excluding these for every later apt-get install in derived images.
excludes=('/usr/share/doc/*' '/usr/share/groff/*' '/usr/share/info/*' '/usr/share/linda/*' '/usr/share/lintian/overrides/*'
  '/usr/share/locale/*' '/usr/share/man/*')
{
  echo '# Installed by posestack debian-root, as debuerreotype-slimify does for the official slim images.'
  for p in "${excludes[@]}"; do echo "path-exclude $p"; done
  echo 'path-include /usr/share/doc/*/copyright'
} >"$rootfs/etc/dpkg/dpkg.cfg.d/docker"

# Security and -updates fixes, as the official image carries them. Point apt at the chosen mirrors only for
# this step; the image keeps deb.debian.org.
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
sed -e "s#http://deb.debian.org/debian-security#$SECURITY_MIRROR#" -e "s#http://deb.debian.org/debian\$#$MIRROR#" \
  "$rootfs/etc/apt/sources.list.d/debian.sources" >"$work/build.sources"
cp "$work/build.sources" "$rootfs/etc/apt/sources.list.d/zz-build.sources"
mv "$rootfs/etc/apt/sources.list.d/debian.sources" "$work/debian.sources"
log "applying $SUITE-updates and $SUITE-security"
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get update -qq >"$work/apt.log" 2>&1 \
  && chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -y -qq dist-upgrade >>"$work/apt.log" 2>&1 \
  || { tail -n 40 "$work/apt.log" >&2; die "apt-get dist-upgrade in the new root failed (log above)"; }
mv "$work/debian.sources" "$rootfs/etc/apt/sources.list.d/debian.sources"
rm -f "$rootfs/etc/apt/sources.list.d/zz-build.sources"
chroot "$rootfs" apt-get clean
umount "$rootfs/proc"

# Remove what the exclusions would have kept out (copyright files stay).
for p in "${excludes[@]}"; do
  dir="${p%/\*}"
  [ -d "$rootfs$dir" ] || continue
  if [ "$dir" = /usr/share/doc ]; then
    find "$rootfs$dir" -mindepth 1 ! -type d ! -name copyright -delete
  else
    find "$rootfs$dir" -mindepth 1 ! -type d -delete
  fi
  find "$rootfs$dir" -mindepth 1 -depth -type d -empty -delete
done

# debuerreotype-fixup: drop what differs per build (logs, caches, host identity, timestamps in shadow).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
rm -f "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/cache/debconf/*-old
rm -f "$rootfs"/etc/passwd- "$rootfs"/etc/group- "$rootfs"/etc/shadow- "$rootfs"/etc/gshadow- "$rootfs"/etc/subuid- "$rootfs"/etc/subgid-
find "$rootfs/var/log" -type f -exec truncate --size=0 {} +
rm -f "$rootfs/etc/resolv.conf" "$rootfs/etc/machine-id" "$rootfs/var/lib/dbus/machine-id"
: >"$rootfs/etc/hostname"
find "$rootfs/tmp" "$rootfs/var/tmp" "$rootfs/run" -mindepth 1 -delete 2>/dev/null || true
# Days since the epoch of the last password change: pin to SOURCE_DATE_EPOCH's day.
lastchg=$(( SOURCE_DATE_EPOCH / 86400 ))
sed -i -E "s/^([^:]*:[^:]*:)[0-9]+:/\1${lastchg}:/" "$rootfs/etc/shadow"

mkdir -p "$OUT_DIR"
{
  echo "suite: $SUITE"
  echo "point-release: $release_version"
  echo "mirror: $MIRROR"
  echo "security-mirror: $SECURITY_MIRROR"
  echo "source-date-epoch: $SOURCE_DATE_EPOCH"
  echo "packages:"
  chroot "$rootfs" dpkg-query -W -f '  ${Package} ${Version}\n' | LC_ALL=C sort
} >"$OUT_DIR/$MANIFEST"

log "writing $OUT_DIR/$TARBALL"
# dev/proc/sys stay empty: the runtime mounts them.
tar --create --directory="$rootfs" --sort=name --numeric-owner \
  --mtime="@$SOURCE_DATE_EPOCH" --format=posix \
  --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
  --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
  . | gzip -n -6 >"$OUT_DIR/$TARBALL.tmp"
mv "$OUT_DIR/$TARBALL.tmp" "$OUT_DIR/$TARBALL"
log "done: $(du -h "$OUT_DIR/$TARBALL" | cut -f1) sha256 $(sha256sum "$OUT_DIR/$TARBALL" | cut -c1-16)"
