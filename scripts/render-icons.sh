#!/usr/bin/env bash
# Renders packaging/icons/shoal.svg into the committed hicolor PNGs
# (packaging/icons/<size>/shoal.png) with rsvg-convert (Debian: librsvg2-bin).
# Run it after editing the SVG and commit the PNGs. With --check it renders into
# a temporary folder and fails when a committed PNG differs (CI's drift check).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ICONS=$ROOT/packaging/icons
SIZES=(16 22 24 32 48 64 128 256)
"$ROOT/scripts/install-deps.sh" librsvg2-bin
out=$ICONS
if [ "${1:-}" = --check ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
for size in "${SIZES[@]}"; do
    mkdir -p "$out/$size"
    rsvg-convert -w "$size" -h "$size" "$ICONS/shoal.svg" -o "$out/$size/shoal.png"
done
if [ "${1:-}" = --check ]; then
    for size in "${SIZES[@]}"; do
        if ! cmp -s "$out/$size/shoal.png" "$ICONS/$size/shoal.png"; then
            echo "shoal: packaging/icons/$size/shoal.png differs from shoal.svg; run scripts/render-icons.sh" >&2
            exit 1
        fi
    done
fi
