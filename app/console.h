// The command line's two streams, shared by every form so that output written through them
// keeps its order (one QTextStream per file descriptor, never two buffering the same fd).
#pragma once

class QTextStream;

namespace shoal::app {

QTextStream &standardOutput();
QTextStream &standardError();

} // namespace shoal::app
