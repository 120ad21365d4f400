#!/usr/bin/env bash
# Create the admin account once. The password comes from ADMIN_PASSWORD or is
# generated and kept in var/admin-password.txt (ignored by git), so `make run`
# can print it every time.
set -euo pipefail
cd "$(dirname "$0")/.."
flask=(.venv/bin/flask --app wsgi)
user="${ADMIN_USERNAME:-admin}"
pwfile=var/admin-password.txt
mkdir -p var
if [[ -n "${ADMIN_PASSWORD:-}" ]]; then
  password="$ADMIN_PASSWORD"
elif [[ -s "$pwfile" ]]; then
  password="$(cat "$pwfile")"
else
  password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
  (umask 077; printf '%s' "$password" > "$pwfile")
fi
ARCHIVE_NEW_PASSWORD="$password" "${flask[@]}" users create "$user" --role admin \
  --clearance tuyet_mat --full-name "Quản trị viên" --if-missing
echo "Admin login: $user / $password"
