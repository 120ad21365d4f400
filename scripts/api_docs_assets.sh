#!/usr/bin/env bash
# Redoc's standalone bundle for the API reference page (/api/v1/docs), from the npm
# package `redoc`, pinned by version and by the tarball's integrity, into the
# git-ignored app/static/vendor/redoc/ (served as static files; nothing minified is
# committed). Idempotent: nothing is fetched while the stamp matches.
#
# npm keeps its download cache in its default place (~/.npm), outside the clone.
# Run by `make install` (so by `make run` and `make test`).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# 2.x, not 3.x: Redoc 3 always fetches its logo from a CDN (a third-party request
# from an archive page, and a CSP error) and bundles telemetry hooks.
VERSION="2.5.4"
INTEGRITY="sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ=="
DEST="$ROOT_DIR/app/static/vendor/redoc"
STAMP="$DEST/.installed"
WANT="redoc@$VERSION $INTEGRITY"

log() { printf '[api-docs] %s\n' "$*"; }
die() { printf '[api-docs] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -s "$DEST/redoc.standalone.js" ]]; then
    log "redoc $VERSION already installed"
    exit 0
fi

if ! command -v npm >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        log "installing npm (Debian package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null
    else
        die "npm is needed to install Redoc (apt-get install npm)"
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "fetching redoc@$VERSION from npm"
(cd "$work" && npm pack "redoc@$VERSION" --json --silent >pack.json)
got="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].integrity)' \
       "$work/pack.json")"
[[ "$got" == "$INTEGRITY" ]] || die "redoc@$VERSION integrity $got, expected $INTEGRITY"
tar -xzf "$work/redoc-$VERSION.tgz" -C "$work" package/bundles/redoc.standalone.js \
    package/bundles/redoc.standalone.js.LICENSE.txt package/LICENSE
rm -rf "$DEST"
mkdir -p "$DEST"
install -m 0644 "$work/package/bundles/redoc.standalone.js"* "$DEST/"
install -m 0644 "$work/package/LICENSE" "$DEST/LICENSE"
echo "$WANT" >"$STAMP"
log "installed redoc $VERSION into ${DEST#"$ROOT_DIR"/}"
