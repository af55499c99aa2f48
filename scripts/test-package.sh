#!/usr/bin/env bash
# CI's package step, after scripts/package.sh: checks build/shoal_*.deb with Debian's own tools
# (desktop-file-validate, appstreamcli validate --no-net, man --warnings, lintian: an error
# fails, warnings and infos are listed), installs it into this machine with apt-get, runs the
# installed shoal (--version, members --help, the window on offscreen, man -w, members against a
# served cluster), removes it with dpkg -r and fails when any file or folder it brought is left
# behind.
# Changes the machine: run it where that is fine (CI, a container). Root or sudo.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SHOAL_BUILD_DIR:-$ROOT/build}
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
step() { echo "test-package: $*"; }
fail() {
    echo "test-package: $*" >&2
    exit 1
}
work=$(mktemp -d)
include_rule=/etc/dpkg/dpkg.cfg.d/zz-shoal-test-man
installed_here=
cleanup() {
    [ -z "${serve_pid:-}" ] || kill "$serve_pid" 2>/dev/null || true
    [ -z "$installed_here" ] || "${sudo[@]}" dpkg -r shoal >/dev/null 2>&1 || true
    "${sudo[@]}" rm -f "$include_rule"
    rm -rf "$work"
}
trap cleanup EXIT
# Whether dpkg skips PATH: the filters of minimal images ("path-exclude /usr/share/man/*" in
# /etc/dpkg/dpkg.cfg.d), where the last matching path-exclude or path-include wins.
excluded() {
    local verdict=1 kind glob
    while read -r kind glob; do
        # shellcheck disable=SC2053 # the right side is a glob on purpose
        [[ $1 == $glob ]] || continue
        if [ "$kind" = path-exclude ]; then verdict=0; else verdict=1; fi
    done < <(cat /etc/dpkg/dpkg.cfg.d/* 2>/dev/null |
        sed -n 's/^\(path-exclude\|path-include\)[= ]*\(.*\)/\1 \2/p')
    return $verdict
}

"$ROOT/scripts/install-deps.sh" dpkg-dev file desktop-file-utils appstream lintian man-db librsvg2-bin \
    bash-completion systemd
shopt -s nullglob
debs=("$BUILD"/shoal_*_amd64.deb)
[ ${#debs[@]} -eq 1 ] || fail "want one $BUILD/shoal_*_amd64.deb, found ${#debs[@]}"
! dpkg-query -W -f='${db:Status-Status}' shoal 2>/dev/null | grep -qx installed ||
    fail "shoal is installed already: remove it first (dpkg -r shoal)"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
step "$deb: Version $version, Depends: $(dpkg-deb -f "$deb" Depends)"
# --metrics-listen links Qt HTTP Server: dpkg-shlibdeps must have found it.
dpkg-deb -f "$deb" Depends | grep -q 'libqt6httpserver6' || fail "Depends lacks libqt6httpserver6"

step "validators"
# The package's own files, unpacked: the metainfo with its desktop file and icons (validate-tree),
# and the metainfo as it would be with screenshots listed (SHOAL_SCREENSHOT_BASE_URL).
dpkg-deb -x "$deb" "$work/tree"
desktop-file-validate "$work/tree/usr/share/applications/shoal.desktop"
appstreamcli validate-tree --no-net --pedantic "$work/tree"
appstreamcli validate --no-net --pedantic "$BUILD/packaging/screenshots-check.metainfo.xml"
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
    "$BUILD/packaging/shoal.1" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man --warnings: $warnings"
"$ROOT/scripts/render-icons.sh" --check
# --fail-on error: warnings and infos are listed, not fatal.
lintian_status=0
lintian --display-info --fail-on error "$deb" >"$work/lintian" 2>&1 || lintian_status=$?
grep -v 'running with root privileges' "$work/lintian" || true
[ "$lintian_status" -eq 0 ] || fail "lintian: errors (status $lintian_status)"

# Debian's minimal images tell dpkg to skip manual pages (path-exclude in /etc/dpkg/dpkg.cfg.d);
# `man shoal` needs this one, so it is let in for the test (and the rule removed afterwards).
if excluded /usr/share/man/man1/shoal.1.gz; then
    echo "path-include=/usr/share/man/man1/shoal.1.gz" | "${sudo[@]}" tee "$include_rule" >/dev/null
fi
# What the package brings that is not on the machine yet: all of it must go again.
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^$' >"$work/paths"
: >"$work/new"
while read -r path; do [ -e "$path" ] || echo "$path" >>"$work/new"; done <"$work/paths"

step "install"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=120 "$deb" >"$work/apt.log" 2>&1 || fail "apt-get install: $(cat "$work/apt.log")"
installed_here=1
while read -r path; do
    # Only what dpkg was told to skip (e.g. /usr/share/doc on minimal images) may be missing.
    [ -e "$path" ] || excluded "$path" || fail "$path missing after install"
done <"$work/new"

step "run the installed shoal"
[ "$(command -v shoal)" = /usr/bin/shoal ]
shoal --version | tee "$work/version"
grep -qx "shoal $version" "$work/version"
grep -q '^protocols: swim-protocol ' "$work/version"
# Into files first: grep -q stops reading at its match, and under pipefail the writer's
# SIGPIPE (status 141) would fail the step once the output outgrows the pipe's timing.
shoal members --help > "$work/members-help"
grep -q -- '--max-wait' "$work/members-help"
# The window form execs the private shoal-window (libexec/shoal/) in shoal's place.
[ -x /usr/libexec/shoal/shoal-window ] || fail "/usr/libexec/shoal/shoal-window missing"
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    shoal --demo 2 --screenshot "$work/demo.png" --screenshot-delay 1 >"$work/demo.log" 2>&1 ||
    fail "shoal --demo: $(cat "$work/demo.log")"
[ -s "$work/demo.png" ] || fail "shoal --demo: no screenshot"
grep -q '^protocols: swim-protocol .*, serf ' "$work/version"
[ "$(man -w shoal)" = /usr/share/man/man1/shoal.1.gz ]
MANWIDTH=80 man -P cat shoal > "$work/man" 2>/dev/null
grep -q 'EXIT STATUS' "$work/man"
[ -f /usr/share/applications/shoal.desktop ] && [ -f /usr/share/icons/hicolor/scalable/apps/shoal.svg ]
[ -f /usr/share/doc/shoal/CLI.md ] || excluded /usr/share/doc/shoal/CLI.md
# The headless watch's unit, as systemd reads it (an instance of the template, the binary found).
unit=/usr/lib/systemd/system/shoal-watch@.service
[ -f "$unit" ] || fail "$unit missing"
cp "$unit" "$work/shoal-watch@ci.service"
verify=$(systemd-analyze verify --man=no "$work/shoal-watch@ci.service" 2>&1) || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify: $verify"
# shellcheck disable=SC2016 # expanded by the inner bash
completed=$(bash -c 'source /usr/share/bash-completion/bash_completion
    COMP_WORDS=(shoal members --max-w); COMP_CWORD=2; COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}; _completion_loader shoal; _shoal shoal --max-w members
    echo "${COMPREPLY[*]}"')
[ "$completed" = --max-wait ] || fail "bash completion of 'shoal members --max-w': '$completed'"

step "shoal members against shoal serve --nodes 3"
SWIM_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export SWIM_SECRET
shoal serve --nodes 3 --duration 60 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
for _ in $(seq 100); do
    [ "$(wc -l <"$work/serve.out")" -ge 3 ] && break
    kill -0 "$serve_pid" 2>/dev/null || fail "serve: $(cat "$work/serve.err")"
    sleep 0.1
done
peer=$(head -n 1 "$work/serve.out")
shoal members --json --peer "$peer" >"$work/members.json" || fail "members: status $?"
members=$(grep -o '"name"' "$work/members.json" | wc -l)
served=$(grep -o '"node"' "$work/members.json" | wc -l)
step "members: $members (3 served, with their metadata: $served, and the local one)"
if [ "$members" -ne 4 ] || [ "$served" -ne 3 ]; then fail "members: $(cat "$work/members.json")"; fi
kill "$serve_pid"
wait "$serve_pid" || true
serve_pid=

step "remove"
"${sudo[@]}" dpkg -r shoal >"$work/dpkg-r.log" 2>&1 || fail "dpkg -r: $(cat "$work/dpkg-r.log")"
installed_here=
status=$(dpkg-query -W -f='${db:Status-Status}' shoal 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = not-installed ] || fail "shoal is $status after dpkg -r"
left=0
while read -r path; do
    if [ -d "$path" ] && [ -n "$(find "$path" -mindepth 1 -print -quit)" ]; then
        # Kept by files of others (e.g. an icon cache a trigger wrote), none of them ours.
        echo "test-package: note: $path stays, holding: $(find "$path" -mindepth 1 -maxdepth 1 -printf '%f ')"
    elif [ -e "$path" ]; then
        echo "test-package: left behind: $path" >&2
        left=1
    fi
done <"$work/new"
[ "$left" -eq 0 ] || fail "files left behind"
hash -r
[ -z "$(command -v shoal)" ] || fail "shoal still on PATH"
step "removed: none of the $(wc -l <"$work/new") paths it brought is left"
