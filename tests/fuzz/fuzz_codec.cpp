// libFuzzer target for the codec: the bytes are tried as a datagram, as a bare
// pickle, and as the payload of a datagram signed with the known secret, so
// the pickle reader is reached past the HMAC. Any packet that decodes must
// re-encode to a pickle that decodes to the same packet, and survive the
// JSON form of `shoal decode` / `shoal encode` (metadata order aside).
#include "net/swim/codec.h"
#include "net/swim/packetjson.h"
#include "net/swim/pickle.h"

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace shoal::swim;

namespace {

Packet sortedMetadata(Packet p)
{
    if (auto *g = std::get_if<Gossip>(&p); g && g->metadata)
        std::sort(g->metadata->begin(), g->metadata->end());
    return p;
}

void checkJson(const Packet &packet)
{
    const PacketJsonResult back = packetFromJsonText(packetToJsonLine(packet));
    if (!std::holds_alternative<Packet>(back)
        || !(sortedMetadata(std::get<Packet>(back)) == sortedMetadata(packet)))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Codec codec(QByteArrayLiteral("s3cret"));
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    // 1. As a datagram off the wire.
    const DecodeResult asDatagram = codec.decode(input);
    if (const auto *packet = std::get_if<Packet>(&asDatagram)) {
        if (!(std::get<Packet>(codec.decode(codec.encode(*packet))) == *packet))
            std::abort();
    }

    // 2. As a bare pickle, and 3. the same pickle signed: both must agree; so must the
    // canonical reader, whenever it accepts, with the pickle machine.
    const PickleResult asPickle = readPacketPickle(input);
    if (const std::optional<Packet> canonical = readCanonicalPacketPickle(input)) {
        const PickleResult machine = readPacketPickleByMachine(input);
        if (!std::holds_alternative<Packet>(machine) || !(std::get<Packet>(machine) == *canonical))
            std::abort();
    }
    const DecodeResult signedPickle = codec.decode(codec.sign(input, QByteArrayLiteral("salt")));
    if (asPickle.index() != signedPickle.index())
        std::abort();
    if (const auto *packet = std::get_if<Packet>(&asPickle)) {
        if (!(std::get<Packet>(signedPickle) == *packet))
            std::abort();
        const PickleResult again = readPacketPickle(writePacketPickle(*packet));
        if (!std::holds_alternative<Packet>(again) || !(std::get<Packet>(again) == *packet))
            std::abort();
        checkJson(*packet);
    }
    return 0;
}
