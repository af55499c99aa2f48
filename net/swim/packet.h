// The swim-protocol 0.6.3 packets as plain values (SWIM-PROTOCOL.md section 3).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>
#include <variant>

namespace shoal::swim {

// swimprotocol.status.Status is a Flag; only these three are ever sent.
enum class WireStatus : quint8 { Online = 1, Offline = 2, Suspect = 4 };

// Metadata in wire order: a Python dict keeps insertion order, and keeping it
// lets the encoder reproduce the reference bytes. Keys are unique.
using WireMetadata = QList<QPair<QString, QByteArray>>;

struct Source
{
    QString name;
    QByteArray validity; // 8 random bytes per process start
    bool operator==(const Source &o) const { return name == o.name && validity == o.validity; }
};

struct Ping
{
    Source source;
    bool operator==(const Ping &o) const { return source == o.source; }
};

struct PingReq
{
    Source source;
    QString target;
    bool operator==(const PingReq &o) const { return source == o.source && target == o.target; }
};

struct Ack
{
    Source source;
    bool operator==(const Ack &o) const { return source == o.source; }
};

struct Gossip
{
    Source source;
    QString name;
    quint64 clock = 0;
    WireStatus status = WireStatus::Online;
    std::optional<WireMetadata> metadata; // None on the wire: unknown
    bool operator==(const Gossip &o) const
    {
        return source == o.source && name == o.name && clock == o.clock && status == o.status
            && metadata == o.metadata;
    }
};

struct GossipAck
{
    Source source;
    QString name;
    quint64 clock = 0;
    bool operator==(const GossipAck &o) const
    {
        return source == o.source && name == o.name && clock == o.clock;
    }
};

using Packet = std::variant<Ping, PingReq, Ack, Gossip, GossipAck>;

inline const Source &packetSource(const Packet &packet)
{
    return std::visit([](const auto &p) -> const Source & { return p.source; }, packet);
}

// "Ping", "PingReq", "Ack", "Gossip", "GossipAck": the class names on the wire.
const char *packetTypeName(const Packet &packet);

} // namespace shoal::swim
