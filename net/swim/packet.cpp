#include "net/swim/packet.h"

namespace shoal::swim {

const char *packetTypeName(const Packet &packet)
{
    static const char *const names[] = { "Ping", "PingReq", "Ack", "Gossip", "GossipAck" };
    static_assert(std::variant_size_v<Packet> == 5);
    return names[packet.index()];
}

} // namespace shoal::swim
