#!/usr/bin/env bash
# Writes the compose secrets (docker-compose.yml `secrets:`) with random values, keeping any that exist:
#   bash tools/scripts/make-secrets.sh [dir]     # default ./secrets (git-ignored); POSESTACK_SECRETS_DIR points compose elsewhere
# The directory is 0700 (only its owner can look inside); the files 0644, because the containers read them as
# their own unprivileged users through a bind mount.
set -euo pipefail
dir="${1:-${POSESTACK_SECRETS_DIR:-./secrets}}"
mkdir -p "$dir"
chmod 0700 "$dir"
for name in pose_service_token mongo_password me_password; do
  if [ ! -s "$dir/$name" ]; then
    (umask 022 && openssl rand -hex 32 > "$dir/$name")
    echo "wrote $dir/$name"
  fi
done
