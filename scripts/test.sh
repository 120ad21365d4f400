#!/usr/bin/env bash
# The whole suite against the real services (started by `make services`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" ARCHIVE_ENV=testing
exec .venv/bin/python -m pytest "$@"
