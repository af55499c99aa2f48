// The headless forms' resident memory (docs/PERFORMANCE.md, "Footprint and start-up"): most of
// a fresh process's resident pages are read-only pages of its shared libraries that only the
// loading touched (the dynamic linker's symbol lookups: Debian builds Qt, ICU and Kerberos with
// BIND_NOW) and that the process never reads again.
#pragma once

namespace shoal::app {

// Unmaps from this process the resident pages of its executable's and shared libraries'
// read-only segments that it never wrote (MADV_DONTNEED: they stay in the page cache; a later
// read maps the same bytes back in from it). Segments with a private copy of any page (the
// relocated, then write-protected RELRO data) are left alone. Does nothing unless the process
// has one thread (none can load or unload a library alongside). Returns the segments trimmed.
int trimStartupPages();

} // namespace shoal::app
