// A cluster member as every layer above the wire sees it: protocol-neutral,
// so that a second gossip protocol (memberlist) can feed the same models.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>

#include <iterator>
#include <optional>

namespace shoal {

// Keys are UTF-8 strings, values any bytes. QMap keeps keys sorted, so two
// equal mappings compare equal whatever order they arrived in.
using Metadata = QMap<QString, QByteArray>;

// Online, Suspect and Offline are every protocol's; Unknown is a member we were given or heard
// of but never heard a status for (not "offline": nothing says it is down); Leaving and Left
// only come from protocols with a graceful leave (memberlist). Values index StatusCounts.
enum class MemberStatus : quint8 { Online, Suspect, Offline, Unknown, Leaving, Left };

constexpr MemberStatus kAllMemberStatuses[] = { MemberStatus::Online, MemberStatus::Suspect,
    MemberStatus::Offline, MemberStatus::Unknown, MemberStatus::Leaving, MemberStatus::Left };
constexpr int kMemberStatusCount = int(std::size(kAllMemberStatuses));

// The CLI and JSON word: "ONLINE", "SUSPECT", "OFFLINE", "UNKNOWN", "LEAVING", "LEFT".
QString memberStatusName(MemberStatus status);
std::optional<MemberStatus> memberStatusFromName(const QString &name);
// For people (the window): the word, except Unknown, which reads "not heard yet"; in the
// language of the window's translation, if one is installed.
QString memberStatusText(MemberStatus status);

// What our own probes say of a member, kept apart from the gossiped status.
enum class ProbeResult : quint8 { NotProbed, Answered, NoAnswer };

struct MemberRecord
{
    QString name; // host:port, also where it is reached
    bool local = false; // the member this process runs
    MemberStatus status = MemberStatus::Unknown;
    quint64 clock = 0; // version of the record (swim: clock)
    QByteArray instanceId; // identity of the process instance (swim: validity)
    std::optional<Metadata> metadata; // nullopt while unknown (differs from empty)
    QDateTime statusSince; // when status last changed, as seen here
    QDateTime lastHeard; // last packet from this member, invalid if never
    ProbeResult probe = ProbeResult::NotProbed;
    QDateTime lastProbe; // when our last probe of it ended
    qint64 rttMicros = -1; // round trip of our last answered ping, -1 if none
    QString protocolStatus; // the protocol's own word ("alive", "failed", ...); empty if none

    // Taking part in the cluster as far as we know (pymap's AVAILABLE): online or suspect.
    bool available() const
    {
        return status == MemberStatus::Online || status == MemberStatus::Suspect;
    }
};

} // namespace shoal
