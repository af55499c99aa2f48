// LZW as Go 1.19's compress/lzw writes and reads it (LSB bit order, literal
// width 8), the only compression memberlist 0.2.2 knows (MEMBERLIST-SERF.md 2.5).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace shoal::serf::lzw {

// Byte-identical to Go's NewWriter(w, LSB, 8) + one Write + Close.
QByteArray compress(QByteArrayView input);

// Decodes up to the eof code; fails (with *error set) on an invalid code,
// data ending before eof, or output beyond maxOutput bytes (the bound against
// decompression bombs: Go has none).
std::optional<QByteArray> decompress(QByteArrayView input, qsizetype maxOutput, QString *error);

} // namespace shoal::serf::lzw
