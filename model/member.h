// A cluster member as every layer above the wire sees it: protocol-neutral,
// so that a second gossip protocol (memberlist) can feed the same models.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

namespace shoal {

// Keys are UTF-8 strings, values any bytes. QMap keeps keys sorted, so two
// equal mappings compare equal whatever order they arrived in.
using Metadata = QMap<QString, QByteArray>;

enum class MemberStatus : quint8 { Online, Suspect, Offline };

QString memberStatusName(MemberStatus status); // "ONLINE", "SUSPECT", "OFFLINE"
std::optional<MemberStatus> memberStatusFromName(const QString &name);

// What our own probes say of a member, kept apart from the gossiped status.
enum class ProbeResult : quint8 { NotProbed, Answered, NoAnswer };

struct MemberRecord
{
    QString name; // host:port, also where it is reached
    bool local = false; // the member this process runs
    MemberStatus status = MemberStatus::Offline;
    quint64 clock = 0; // version of the record (swim: clock)
    QByteArray instanceId; // identity of the process instance (swim: validity)
    std::optional<Metadata> metadata; // nullopt while unknown (differs from empty)
    QDateTime statusSince; // when status last changed, as seen here
    QDateTime lastHeard; // last packet from this member, invalid if never
    ProbeResult probe = ProbeResult::NotProbed;
    QDateTime lastProbe; // when our last probe of it ended
    qint64 rttMicros = -1; // round trip of our last answered ping, -1 if none

    bool available() const { return status != MemberStatus::Offline; }
};

} // namespace shoal
