#!/usr/bin/env bash
# Vendored front-end assets, from the npm registry, pinned by version and
# integrity, unpacked into the git-ignored var/vendor/<name>/. Nothing
# vendored is committed. Idempotent: a package whose stamp matches its pin
# is not fetched again; npm's cache stays in its default place (~/.npm),
# outside the clone, so a fresh clone unpacks from the cache.
#
# `npm pack` fetches the published tarball without running any of its
# scripts and without a node_modules tree; the tarball's sha512 is checked
# against the pin below before anything is unpacked.
#
#   axe-core   the accessibility engine the browser tests inject (tests only)
#
# To upgrade: change the version, run `npm view NAME@VERSION dist.integrity`,
# paste the integrity here.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENDOR="$ROOT_DIR/var/vendor"

# name  version  integrity (sha512, as the registry publishes it)
PINNED=(
    "axe-core 4.14.1 sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

log() { printf '[assets] %s\n' "$*"; }
die() { printf '[assets] ERROR: %s\n' "$*" >&2; exit 1; }

ensure_npm() {
    command -v npm >/dev/null && return 0
    [[ $EUID -eq 0 ]] || die "npm not found (install Debian's npm package)"
    log "installing Debian's npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
}

sha512_of() {
    node -e 'const c=require("crypto"),f=require("fs");
             process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

install_one() {
    local name="$1" version="$2" integrity="$3"
    local dest="$VENDOR/$name" stamp="$VENDOR/$name/.pinned"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$version $integrity" ]]; then
        return 0
    fi
    ensure_npm
    log "fetching $name@$version"
    local tmp
    tmp="$(mktemp -d)"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" RETURN
    (cd "$tmp" && npm pack --silent --ignore-scripts "$name@$version" >/dev/null)
    local tarball
    tarball="$(ls "$tmp"/*.tgz)"
    [[ "$(sha512_of "$tarball")" == "$integrity" ]] || die "$name@$version: integrity mismatch"
    mkdir -p "$tmp/unpacked"
    tar -xzf "$tarball" -C "$tmp/unpacked" --no-same-owner
    rm -rf "$dest"
    mkdir -p "$VENDOR"
    mv "$tmp/unpacked/package" "$dest"
    # Written last, so an interrupted install is redone.
    echo "$version $integrity" >"$stamp"
    log "$name@$version -> ${dest#"$ROOT_DIR"/}"
}

for entry in "${PINNED[@]}"; do
    # shellcheck disable=SC2086
    install_one $entry
done
