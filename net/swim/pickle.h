// The pickle subset of swim-protocol 0.6.3 packets: a strict reader for
// protocols 2-5 and a writer that reproduces CPython's protocol-5 bytes.
#pragma once

#include "net/swim/packet.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <string>
#include <variant>

namespace shoal::swim {

// Bounds for untrusted pickles. The defaults fit any packet the reference
// sends (a gossip with over 100000 metadata keys) and keep the memory of the
// worst pickle within tens of MB.
struct PickleLimits
{
    qsizetype maxSize = 16 * 1024 * 1024; // payload bytes
    qsizetype maxStack = 1 << 18; // values on the stack, all marks together
    qsizetype maxMarks = 32; // MARK nesting
    qsizetype maxMemo = 1 << 18; // memo entries
    qsizetype maxObjects = 1 << 19; // values created plus items stored in containers
    qsizetype maxGlobalLine = 256; // bytes of a GLOBAL module or name line
};

struct PickleError
{
    QString detail; // what and where, e.g. "memo index 7 out of range (BINGET at byte 42)"
};

using PickleResult = std::variant<Packet, PickleError>;

// Reads one packet; never builds anything but the seven swim-protocol
// classes. Like pickle.loads, bytes after STOP are ignored. Tries the canonical reader first
// (for a pickle of at most CanonicalSizeLimit bytes and limits at least the defaults), then
// the pickle machine.
PickleResult readPacketPickle(QByteArrayView pickle, const PickleLimits &limits = {});

// The two readers, for tests and the fuzzer. The canonical one reads only the layout CPython
// and writePacketPickle give a packet, in one pass, and returns nullopt for anything else;
// whatever it accepts, the machine (a general pickle VM within `limits`) reads the same.
constexpr qsizetype CanonicalSizeLimit = 16 * 1024;
std::optional<Packet> readCanonicalPacketPickle(QByteArrayView pickle);
PickleResult readPacketPickleByMachine(QByteArrayView pickle, const PickleLimits &limits = {});

// Writes the protocol-5 pickle of a packet as CPython 3.11 does (frames,
// MEMOIZE, BINGET, SETITEM/SETITEMS batches of 1000). CPython memoizes by
// object identity; this writer memoizes equal strings and equal bytes, which
// is what CPython does for the interned field names and for values that are
// the same object (see tests/tst_pickle.cpp). Strings are written as UTF-8:
// an unpaired surrogate (which the reader refuses) is written as '?'.
QByteArray writePacketPickle(const Packet &packet);
// The same bytes appended to `out` (the codec writes them behind its header).
void appendPacketPickle(std::string &out, const Packet &packet);

} // namespace shoal::swim
