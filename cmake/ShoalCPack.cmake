# The .deb: `scripts/package.sh` (cpack in the build folder) -> build/shoal_<version>_amd64.deb.
# It packs what `cmake --install` installs (app/ and packaging/), under /usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shoal)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Shoal authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "live monitor for SWIM gossip clusters")
# CPack turns the lines into the Debian extended description (an empty line becomes " .").
set(CPACK_PACKAGE_DESCRIPTION
    "Shoal is a desktop monitor for clusters whose processes find each other\n"
    "with SWIM gossip: the Python swim-protocol library, as used by the pymap\n"
    "IMAP server. It joins the cluster as a real member over UDP (and TCP for\n"
    "oversized packets), by default as an observer that never spreads its own\n"
    "verdicts about other members.\n"
    "\n"
    "It shows every member, its status and metadata, the metadata per key\n"
    "across the cluster and an event log, in a Qt window. It lets you edit the\n"
    "local member's metadata. The same views are on the command line (shoal\n"
    "members, shoal watch), with JSON output for scripts.")
string(CONCAT CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SHOAL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(SHOAL_HOMEPAGE_URL)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SHOAL_HOMEPAGE_URL}")
endif()
# Depends computed by dpkg-shlibdeps (dpkg-dev) from the libraries the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt loads the SQLite driver of the history as a plugin at run time: shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
# Qt's own texts (standard buttons, file dialogs) in the window's language; Shoal's own
# translations are in the binary. libsecret: QtKeychain (libqt6keychain1, which shlibdeps
# finds) loads it at run time to reach the desktop keyring; without it secrets go to a file.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, libsecret-1-0")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Debian policy 10.1: installed binaries are stripped (the build folder keeps the debug info).
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
# Directories the package shares with others (/usr, /usr/share/...) are not the package's own.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
