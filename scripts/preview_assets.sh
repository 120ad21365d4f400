#!/usr/bin/env bash
# Vendored pdf.js for the document viewer: the npm package pdfjs-dist, pinned by
# version and integrity, unpacked into app/static/vendor/pdfjs/ (git-ignored,
# served as static files). Idempotent: nothing is fetched while the stamp there
# names the pinned version. npm keeps its download cache in its default place
# (~/.npm), outside the clone, so fresh clones install from the cache.
#
# Only the readable (non-minified) ES modules are copied: the display layer
# (build/pdf.mjs), its worker, the viewer components (web/pdf_viewer.mjs and
# .css with their images) and the data the worker fetches on demand (standard
# fonts, CMaps, the JPEG 2000 / JBIG2 decoders' JavaScript fallbacks).
set -euo pipefail

VERSION="6.5.438"
INTEGRITY="sha512-vg8Pw1x+AFKy4AMDvhuWl5cOYV8d698UoEANoFFhc79hqXDnZQqnOXoxw3HG907WHOg1JYOvLhP756boddFxpA=="

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DEST="$ROOT_DIR/app/static/vendor/pdfjs"
STAMP="$DEST/.version"

log() { printf '[preview-assets] %s\n' "$*"; }
die() { printf '[preview-assets] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "pdfjs-dist@$VERSION" ]]; then
    log "pdfjs-dist $VERSION already installed"
    exit 0
fi
if ! command -v npm >/dev/null; then
    # A fresh Debian machine (make install runs before scripts/services.sh install).
    command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]] \
        || die "npm not found (Debian: apt-get install npm)"
    log "installing npm (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
log "fetching pdfjs-dist $VERSION"
(cd "$WORK" && npm pack --silent "pdfjs-dist@$VERSION" >/dev/null)
TARBALL="$WORK/pdfjs-dist-$VERSION.tgz"
[[ -f "$TARBALL" ]] || die "npm pack did not produce $TARBALL"
HAVE="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
[[ "$HAVE" == "$INTEGRITY" ]] || die "integrity mismatch for pdfjs-dist $VERSION: $HAVE"
tar -xzf "$TARBALL" -C "$WORK"
PKG="$WORK/package"

NEW="$DEST.new"
rm -rf "$NEW"
mkdir -p "$NEW/build" "$NEW/web" "$NEW/wasm"
cp "$PKG/LICENSE" "$NEW/"
cp "$PKG/build/pdf.mjs" "$PKG/build/pdf.worker.mjs" "$NEW/build/"
cp "$PKG/web/pdf_viewer.mjs" "$PKG/web/pdf_viewer.css" "$NEW/web/"
cp -r "$PKG/web/images" "$NEW/web/"
cp -r "$PKG/standard_fonts" "$PKG/cmaps" "$NEW/"
cp "$PKG"/wasm/*_nowasm_fallback.js "$PKG"/wasm/LICENSE_* "$NEW/wasm/"
echo "pdfjs-dist@$VERSION" >"$NEW/.version"
rm -rf "$DEST"
mv "$NEW" "$DEST"
log "installed pdfjs-dist $VERSION into ${DEST#"$ROOT_DIR"/}"
