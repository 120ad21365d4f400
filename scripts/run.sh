#!/usr/bin/env bash
# Serve the app on 127.0.0.1:5000 with a worker, the periodic reconcile and
# the daily retention sweep. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
flask=(.venv/bin/flask --app wsgi)
mkdir -p var/log
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT INT TERM

"${flask[@]}" worker >> var/log/worker.log 2>&1 & pids+=($!)
"${flask[@]}" search reconcile --every "${RECONCILE_INTERVAL_SECONDS:-60}" \
  >> var/log/reconcile.log 2>&1 & pids+=($!)
# Daily: records whose retention ended become "due for review".
"${flask[@]}" retention sweep --every "${RETENTION_SWEEP_SECONDS:-86400}" \
  >> var/log/retention.log 2>&1 & pids+=($!)
echo "Worker, reconcile and retention sweep running (logs in var/log/)."
echo "Serving on http://127.0.0.1:5000"
.venv/bin/gunicorn -c config/gunicorn_conf.py --bind 127.0.0.1:5000 --workers 2 --threads 4 --timeout 300 \
  --access-logfile - wsgi:app
