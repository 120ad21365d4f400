#!/usr/bin/env bash
# Serve the app on 127.0.0.1:5000 with a worker, the periodic reconcile, the
# daily retention sweep, the hourly fixity slice and the saved-search check, each
# restarted if it dies (a worker SIGKILLed, or out of memory). Ctrl-C stops them all.
# Production uses deploy/*.service.
set -euo pipefail
cd "$(dirname "$0")/.."
flask=(.venv/bin/flask --app wsgi)
log_dir="${LOG_DIR:-var/log}"
mkdir -p "$log_dir"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT INT TERM

# Keep a background command running: restart it whenever it exits.
supervise() {
  local log=$1; shift
  (
    child=0
    trap 'kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
    while true; do
      "$@" >> "$log" 2>&1 & child=$!
      wait "$child" && rc=0 || rc=$?
      echo "$(date -Is) '$*' exited with $rc; restarting in 2 s" >> "$log"
      sleep 2
    done
  ) & pids+=($!)
}

supervise "$log_dir/worker.log" "${flask[@]}" worker
supervise "$log_dir/reconcile.log" "${flask[@]}" search reconcile \
  --every "${RECONCILE_INTERVAL_SECONDS:-60}"
# Daily: records whose retention ended become "due for review".
supervise "$log_dir/retention.log" "${flask[@]}" retention sweep \
  --every "${RETENTION_SWEEP_SECONDS:-86400}"
# Hourly: re-hash the next slice of stored files (a full pass every FIXITY_PERIOD_DAYS).
supervise "$log_dir/fixity.log" "${flask[@]}" storage fixity \
  --every "${FIXITY_INTERVAL_SECONDS:-3600}"
# Saved searches with new matches are notified; e-mail an outage held back is sent.
supervise "$log_dir/notifications.log" "${flask[@]}" notifications check \
  --every "${SAVED_SEARCH_CHECK_SECONDS:-300}"
# Harvest sources that are due (each has its own interval; this only looks).
supervise "$log_dir/harvest.log" "${flask[@]}" share harvest-due \
  --every "${HARVEST_CHECK_SECONDS:-300}"
echo "Worker, reconcile, retention sweep, fixity, notifications and harvesting running (logs in $log_dir/)."
# Which database this is (credentials left out): SQLite unless DATABASE_URL says otherwise.
db_url="${DATABASE_URL:-sqlite:///var/archive.sqlite3}"
echo "Database: ${db_url%%://*} (${db_url##*[/@]})"
echo "Serving on http://127.0.0.1:${PORT:-5000}"
.venv/bin/gunicorn -c config/gunicorn_conf.py --bind "127.0.0.1:${PORT:-5000}" --workers 2 --threads 4 --timeout 300 \
  --access-logfile - wsgi:app
