#!/usr/bin/env bash
# Builds the Debian package build/shoal_<version>_amd64.deb. It reuses the build folder of
# scripts/test.sh and scripts/run.sh (./build, RelWithDebInfo, through setup.sh): after
# test.sh the build is already up to date, so this takes seconds. cpack installs the build
# into a staging folder (stripped), computes Depends with dpkg-shlibdeps (dpkg-dev) and packs.
# Install it with: apt-get install ./build/shoal_*.deb   (CI checks it: scripts/test-package.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# dpkg-shlibdeps (dpkg-dev) computes Depends; CPack finds the ELF files with file.
"$SHOAL_ROOT/scripts/install-deps.sh" dpkg-dev file
rm -f "$SHOAL_BUILD_DIR"/shoal_*.deb
(cd "$SHOAL_BUILD_DIR" && cpack -G DEB)
ls "$SHOAL_BUILD_DIR"/shoal_*.deb
