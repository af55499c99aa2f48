// A process's resident memory, as the benchmarks, the tests and the window's --measure-lag read it.
#pragma once

#include <QtGlobal>

namespace shoal::app {

// VmRSS of process pid (0: this process) in KiB, from /proc (Linux); -1 when unknown.
qint64 residentKiB(qint64 pid = 0);

} // namespace shoal::app
