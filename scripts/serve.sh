#!/usr/bin/env bash
# Serve the portal at http://127.0.0.1:8000 with Django's development server (`make run`).
# With REDIS_URL set, tasks go through Redis, so a Celery worker and beat run in the background
# and are stopped when the server stops. Without it, settings run every task in-process.
set -euo pipefail
cd "$(dirname "$0")/.."

venv_bin=${VENV:-.venv}/bin
address=${RUN_ADDRESS:-127.0.0.1:8000}
children=()

stop_children() {
    trap - EXIT INT TERM
    if [[ ${#children[@]} -gt 0 ]]; then
        echo "serve: stopping the server${REDIS_URL:+, the Celery worker and beat}"
        kill -TERM "${children[@]}" 2>/dev/null || true
        wait "${children[@]}" 2>/dev/null || true
    fi
}
trap stop_children EXIT
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM

if [[ -n "${REDIS_URL:-}" ]]; then
    mkdir -p var
    "$venv_bin/celery" -A config worker --loglevel INFO &
    children+=("$!")
    "$venv_bin/celery" -A config beat --loglevel INFO --schedule var/celerybeat-schedule &
    children+=("$!")
fi

echo "serve: the portal is at http://$address/"
# In the background too, so that `wait` returns at once when this script gets a signal.
"$venv_bin/python" manage.py runserver "$address" &
server=$!
children+=("$server")
status=0
wait "$server" || status=$?
exit "$status"
