#!/usr/bin/env bash
# The whole suite against the real services (started by `make services`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" ARCHIVE_ENV=testing
# Static security check first: no medium or high findings allowed.
echo "bandit: scanning app indexers schemas config"
.venv/bin/bandit -q -r app indexers schemas config -ll
# Known vulnerabilities in the pinned dependencies (see the script for offline machines).
.venv/bin/python scripts/audit_deps.py
exec .venv/bin/python -m pytest "$@"
