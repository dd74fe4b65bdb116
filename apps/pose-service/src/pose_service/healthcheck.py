"""`python -m pose_service.healthcheck`: the container's health probe, with the service token /health requires.

Reads the token the way the service does (POSE_SERVICE_TOKEN or POSE_SERVICE_TOKEN_FILE), so the secret
never appears on a command line or in the image's HEALTHCHECK.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path


def main() -> int:
    token_file = os.environ.get("POSE_SERVICE_TOKEN_FILE")
    token = Path(token_file).read_text().rstrip("\r\n") if token_file else os.environ.get("POSE_SERVICE_TOKEN", "")
    port = os.environ.get("POSE_PORT", "5000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/health", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"pose-service healthcheck: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
