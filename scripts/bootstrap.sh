#!/usr/bin/env bash
# Create the project's virtualenv (.venv, Python 3.11) and install
# requirements-dev.txt into it. Idempotent and cheap when nothing changed:
# pip is skipped while a stamp in .venv matches the sha256 of the
# requirements*.txt files.
#
# pip's download cache stays in its default place (~/.cache/pip), outside
# the clone, so fresh clones reinstall quickly.
#
# Playwright's Python package comes from requirements-dev.txt, but
# `playwright install` is deliberately NOT run: browser downloads are blocked
# here, and the tests drive the Debian chromium (/usr/bin/chromium, installed
# by scripts/services.sh install).
#
# Environment:
#   PYTHON  (python3.11)  interpreter used to create .venv
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$ROOT_DIR/.venv"
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3.11}"
WANT_VERSION="3.11"

log() { printf '[bootstrap] %s\n' "$*"; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

venv_version() {
    "$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

# One hash over every requirements file, so a change to any of them (the
# dev file includes the runtime one with -r) triggers a reinstall.
requirements_hash() {
    (cd "$ROOT_DIR" && sha256sum requirements*.txt | sha256sum | cut -d' ' -f1)
}

ensure_venv() {
    if [[ -x "$VENV/bin/python" ]]; then
        local have
        have="$(venv_version || true)"
        [[ "$have" == "$WANT_VERSION" ]] && return 0
        # A venv from another interpreter (or a broken one) cannot be
        # repaired in place; start over.
        log ".venv has Python '${have:-unknown}', want $WANT_VERSION: recreating it"
        rm -rf "$VENV"
    fi
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON to a Python $WANT_VERSION interpreter)"
    log "creating .venv with $PYTHON"
    "$PYTHON" -m venv "$VENV"
}

install_requirements() {
    local want
    want="$(requirements_hash)"
    if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
        log "requirements unchanged, skipping pip"
        return 0
    fi
    log "installing requirements-dev.txt"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input \
        -r "$ROOT_DIR/requirements-dev.txt"
    # Written only after pip succeeded, so a failed install is retried.
    echo "$want" >"$STAMP"
}

ensure_venv
install_requirements
log "ready: $VENV"
