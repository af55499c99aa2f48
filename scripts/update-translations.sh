#!/usr/bin/env bash
# Brings translations/*.ts in step with the sources: new window strings come in
# unfinished (to translate in Qt Linguist or by hand), strings gone from the
# sources are dropped (no obsolete entries are kept). Run it after adding or
# changing a tr() string, then translate what is unfinished; tst_translations
# fails until every entry is finished.
#   scripts/update-translations.sh            update translations/*.ts in place
#   scripts/update-translations.sh DIR        update the .ts files in DIR instead
#                                             (the test's check on a copy)
# LUPDATE overrides the lupdate executable (Debian 12: qt6-l10n-tools).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/translations}
lupdate=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
[ -x "$lupdate" ] || lupdate=$(command -v lupdate6 || command -v lupdate)
shopt -s nullglob
ts=("$dir"/shoal_*.ts)
[ ${#ts[@]} -gt 0 ] || { echo "update-translations: no shoal_*.ts in $dir" >&2; exit 1; }
# Every layer: only the window's texts go through tr() (the CLI's output stays English,
# docs/DESIGN.md). -I: the includes ("model/member.h") resolve, so contexts get their
# namespaces. No source locations: they would change with every edit and make merges conflict.
cd "$root"
"$lupdate" -silent -no-obsolete -locations none -extensions cpp,h -I "$root" \
    model cluster history net ui app -ts "${ts[@]}"
