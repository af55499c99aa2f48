// The protocol-neutral values a gossip backend hands to the layers above it: member update
// batches, rejection reports, traffic counters and what the protocol can do.
#pragma once

#include "model/member.h"

#include <QFlags>
#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

#include <optional>

namespace shoal::cluster {

// What moved in a member's record since the batch it was last reported in.
enum class ChangeFlag : quint16 {
    Added = 0x001, // first time this member is reported
    Status = 0x002,
    Metadata = 0x004, // includes unknown -> known
    Clock = 0x008,
    Instance = 0x010, // the process instance's identity learnt or changed
    Restarted = 0x020, // the instance changed from a known one: the process restarted
    Probe = 0x040, // probe, lastProbe or rttMicros changed (our own probe ended)
    Heard = 0x080, // only lastHeard moved (a packet came from it)
    LocalVerdict = 0x100, // whether the current version was authored here changed
    // Gone from the backend's table (evicted to bound memory): only the name is meaningful.
    Removed = 0x200,
};
Q_DECLARE_FLAGS(ChangeFlags, ChangeFlag)

// One member's change in a batch, with its record before (nullopt when first seen).
struct MemberUpdate
{
    MemberRecord member;
    std::optional<MemberRecord> previous;
    ChangeFlags what;
    // The current version was authored by this process's own verdict, not learnt.
    bool localVerdict = false;
};

// Datagrams refused since the last report: from "host:port", reason as counted.
struct RejectReport
{
    QString from;
    QString reason;
    quint64 count = 0;
};

// Refused datagrams counted by source and reason, for every backend: the totals since start
// and what is pending for the next report. Bounded: sources beyond maxSources share "other".
class RejectTally final
{
public:
    using Counts = QHash<QString, QHash<QString, quint64>>;
    static constexpr qsizetype maxSources = 1024;

    void note(const QString &from, const QString &reason);
    bool hasPending() const { return !m_pending.isEmpty(); }
    // What was noted since the last call, one report per source and reason.
    QList<RejectReport> takePending();
    const Counts &totals() const { return m_totals; }

private:
    Counts m_pending;
    Counts m_totals;
};

// Something a protocol carries besides member state (Serf's user events and queries), as
// `watch --json` prints it: {"event": kind, "name", "payload", "ltime"}.
struct ClusterEvent
{
    QString kind; // "user-event" or "query"
    QString name;
    QByteArray payload;
    quint64 ltime = 0; // the protocol's logical clock of the event
    QString source; // queries: the asking node; empty when unknown
};

// A snapshot of a backend's traffic, read by the status bar and the commands. Plain values.
struct TrafficCounters
{
    quint64 udpIn = 0; // datagrams
    quint64 udpOut = 0;
    quint64 tcpIn = 0; // datagrams received over TCP (one per connection)
    quint64 tcpOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 sendFailures = 0; // unresolved names, refused or timed out TCP, socket errors
    quint64 tcpRefused
        = 0; // incoming connections closed: too many open (overall or from one address)
    quint64 tcpOversize = 0; // incoming connections closed: more than the size limit
    quint64 tcpTimedOut = 0; // incoming connections closed: open longer than the deadline
    QMap<QString, quint64> packetsIn; // by packet type, counted by whoever decodes
    QMap<QString, quint64> packetsOut;
    QMap<QString, quint64>
        rejectedByReason; // "signature", "framing", "pickle", "tcp-oversize", ...
    QHash<QString, quint64> rejectedBySource; // by source address (no port), bounded
    quint64 rejectedSourcesOverflow = 0; // rejects from sources beyond the bound

    quint64 rejectedTotal() const;
    quint64 datagramsIn() const { return udpIn + tcpIn; }
    quint64 datagramsOut() const { return udpOut + tcpOut; }
};

// What a protocol offers, so that the window shows only what it can fill.
struct Capabilities
{
    // The backend reports which peers acknowledged our local record, and up to which clock.
    bool spreadTracking = false;
    // Members announce that they leave (LEAVING, LEFT) instead of just falling silent.
    bool gracefulLeave = false;
    // The protocol carries user events or queries besides member state.
    bool events = false;
    // What leaving does to the cluster, in the protocol's words, for the question before a
    // user leaves (one or two sentences); empty: nothing worth asking about.
    QString leaveNote;
};

// Registers the types above for queued connections; idempotent.
void registerMetaTypes();

} // namespace shoal::cluster

Q_DECLARE_OPERATORS_FOR_FLAGS(shoal::cluster::ChangeFlags)
Q_DECLARE_METATYPE(shoal::cluster::MemberUpdate)
Q_DECLARE_METATYPE(shoal::cluster::RejectReport)
Q_DECLARE_METATYPE(shoal::cluster::TrafficCounters)
Q_DECLARE_METATYPE(shoal::cluster::ClusterEvent)
