#!/bin/sh
# Downloads one package tarball from the npm registry, checks it against the integrity npm publishes for it
# (`npm view <name>@<version> dist.integrity`, an SRI sha512) and unpacks it into a directory.
# Usage: fetch-npm-tarball.sh <name> <version> <sha512-integrity> <dest-dir>
# The corporate CA, when the build has one, is the BuildKit secret `ca` (never a file in a layer).
set -eu
name="$1" version="$2" integrity="$3" dest="$4"
registry="${NPM_REGISTRY:-https://registry.npmjs.org}"
url="${registry%/}/${name}/-/${name##*/}-${version}.tgz"
if [ -s /run/secrets/ca ]; then export CURL_CA_BUNDLE=/run/secrets/ca; fi

case "$integrity" in
  sha512-*) ;;
  *) echo "fetch-npm-tarball: integrity for $name@$version must be sha512-<base64>, got '$integrity'" >&2; exit 1 ;;
esac
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp" "$url"
expected="$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
actual="$(sha512sum "$tmp" | cut -d' ' -f1)"
if [ "$expected" != "$actual" ]; then
  echo "fetch-npm-tarball: $url does not match its integrity $integrity (got sha512 $actual)" >&2
  exit 1
fi
mkdir -p "$dest"
tar -xzf "$tmp" -C "$dest" --strip-components=1 --no-same-owner
