// One live swim-protocol member, the first ClusterBackend: the engine driven by real time, fed by
// the transport through the codec, and mirrored into a ClusterMetadata as pymap's SwimService does.
#pragma once

#include "cluster/clusterbackend.h"
#include "model/clustermetadata.h"
#include "model/member.h"
#include "net/enginetimer.h"
#include "net/swim/codec.h"
#include "net/swim/swimconfig.h"
#include "net/swim/swimengine.h"
#include "net/transport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace shoal::swim {

struct ServiceConfig
{
    // localName HOST:PORT; port 0: bind a free port, and the name carries it.
    MemberConfig member;
    QByteArray secret; // never logged
    QByteArray protocolVersion = Codec::defaultVersion();
    QString bindHost; // empty: the name's host
    int bindPort = -1; // -1: the name's port
    net::Transport::Limits limits;
    EngineOptions engine = liveEngineOptions();

    static EngineOptions liveEngineOptions()
    {
        EngineOptions options;
        options.syncToNewcomers = true;
        return options;
    }
};

// The editor's size indicator for swim: the exact datagram of a Gossip about localName with the
// mapping, as this secret and version sign it (a long-lived member's three-byte clock).
cluster::SizeEstimator gossipSizeEstimator(
    const QByteArray &secret, const QByteArray &protocolVersion, const QString &localName);

class SwimService final : public cluster::ClusterBackend
{
    Q_OBJECT
public:
    // metadata: mirror to keep (pymap's rule); null: the service keeps its own.
    explicit SwimService(
        ServiceConfig config, ClusterMetadata *metadata = nullptr, QObject *parent = nullptr);
    ~SwimService() override;

    // Binds, then joins: the local member becomes ONLINE and probing starts. False with a
    // one-line error (which address, which protocol) when the port cannot be bound.
    bool start(QString *error) override;
    // Stops all traffic (swim-protocol has no leave message: others will see us OFFLINE).
    void stop() override;
    bool isRunning() const override { return m_engine != nullptr; }

    QString localName() const override { return m_localName; }
    ClusterMetadata *metadata() const { return m_metadata; }
    QList<MemberRecord> members() const override;
    Metadata localMetadata() const override;
    void setLocalMetadata(const Metadata &local) override;
    cluster::TrafficCounters trafficCounters() const override { return m_transport.counters(); }
    // GossipAck tells which peer holds our record at which clock; swim has no leave message
    // and no user events.
    // lupdate misreads tr() after a qualified return type: the context is named instead.
    cluster::Capabilities capabilities() const override
    {
        return { true, false, false,
            QCoreApplication::translate("shoal::swim::SwimService",
                "swim-protocol never forgets a member: after this member leaves, the cluster "
                "keeps it as a permanent OFFLINE member, and pymap reports itself unhealthy (its "
                "swim health flag stays false) while any member is OFFLINE, until its nodes "
                "restart.") };
    }
    // The exact datagram of a Gossip about us with the mapping, from this service's codec.
    cluster::SizeEstimator sizeEstimator() const override;
    QStringList companionNames() const override { return m_companionNames; }
    // Members started beside this one (a demo cluster in the same thread).
    void setCompanionNames(const QStringList &names) { m_companionNames = names; }
    std::optional<MemberRecord> member(const QString &name) const;
    // Remote members that sent us at least one valid packet.
    const QSet<QString> &heardFrom() const { return m_heardFrom; }
    // Gossip received about a third member (neither its sender nor us): only a member's sync
    // relays such records, and its first sync to us carries everything it knows.
    quint64 relayedGossipReceived() const { return m_relayedGossip; }
    // Datagrams to members never verified (see m_verified) over the shared budget: held
    // until the member answers, then sent (released), or dropped (it did not answer in
    // time, or the hold was full).
    quint64 unverifiedSendsDropped() const { return m_unverifiedDropped; }
    quint64 unverifiedSendsReleased() const { return m_releasedSends; }
    qsizetype unverifiedBytesHeld() const { return m_heldBytes; }
    // Rejected datagrams so far, by "host:port" source then reason (bounded).
    const QHash<QString, QHash<QString, quint64>> &rejectsBySource() const
    {
        return m_rejects.totals();
    }
    const net::TransportCounters &transportCounters() const { return m_transport.counters(); }
    EngineCounters engineCounters() const;
    const net::Transport &transport() const { return m_transport; }
    // LocalCluster's shortcut for many members in one process, where the cold start of
    // swim-protocol (every member sends every record to every other: N^3 datagrams) would
    // swamp the one thread: learn `other` as if it had gossiped its own record to us, without
    // a datagram either way (SwimEngine::preload)...
    void learnFrom(const SwimService &other);
    // ...then, once every member learnt every other, treat each known member as having
    // acknowledged everything we know, as after a quiet period. Later changes gossip as usual.
    void assumeAllAcknowledged();
    // The neutral diagnostics of the headless commands.
    bool heardFromPeers() const override { return !m_heardFrom.isEmpty(); }
    // A member's sync reached us (a member can also send us its own record directly, which
    // tells nothing of the others) and every metadata we know of is there; in a cluster of one
    // peer no sync ever relays anything, so that is never complete.
    bool initialStateComplete() const override
    {
        return m_relayedGossip > 0 && membersAwaitingMetadata().isEmpty();
    }
    // AVAILABLE by the cluster's word, or heard from directly before any status was given
    // (UNKNOWN), with metadata unknown. OFFLINE members are not waited for.
    QStringList membersAwaitingMetadata() const override;
    QHash<QString, QHash<QString, quint64>> rejectTotals() const override
    {
        return m_rejects.totals();
    }
    QString rejectCause(const QString &reason) const override;
    QString noAnswerHint() const override;
    QList<QPair<QString, quint64>> refusalCounts() const override;
    // How often pending reject reports are flushed (default 1000 ms).
    void setRejectReportIntervalMs(int ms) { m_rejectTimer.setInterval(ms); }

private:
    void onDatagram(
        const QByteArray &datagram, const QHostAddress &from, quint16 fromPort, bool viaTcp);
    void onTransportRejected(const QHostAddress &from, quint16 fromPort, const QString &reason);
    void noteReject(const QString &from, const QString &reason);
    void flushRejects();
    void onLocalChanged(const Metadata &local);
    void onTimer();
    // Sends what the engine queued, applies its changes, and re-arms the timer.
    void pump();
    static qint64 nowMs();
    qint64 monotonicMicros() const;

    ServiceConfig m_config;
    QPointer<ClusterMetadata> m_metadata;
    std::unique_ptr<ClusterMetadata> m_ownMetadata;
    Codec m_codec;
    net::Transport m_transport;
    QStringList m_companionNames;
    std::unique_ptr<SwimEngine> m_engine;
    QString m_localName;
    net::EngineTimer m_timer { this, &SwimService::onTimer };
    QTimer m_rejectTimer;
    QElapsedTimer m_monotonic;
    QHash<QString, MemberRecord> m_records; // last reported, for MemberUpdate::previous
    QSet<QString> m_heardFrom;
    // Issue 14, finding 2: names sent to without a budget: the configured peers and members
    // whose own valid packet came from the address and port their name gives (a host name
    // cannot be checked without resolving it: heard from is enough). Sends to any other name
    // share one token bucket (kUnverifiedBytesPerSecond) and never go over TCP.
    QSet<QString> m_verified;
    double m_unverifiedBudget = 0;
    qint64 m_unverifiedRefillMs = -1;
    quint64 m_unverifiedDropped = 0;
    bool allowUnverified(qsizetype bytes);
    struct HeldSends
    {
        qint64 sinceMs = 0; // m_monotonic time of the first
        qsizetype bytes = 0;
        QList<QPair<QString, QByteArray>> datagrams; // packet type, bytes
    };
    QHash<QString, HeldSends> m_held; // by member name, only while unverified
    qsizetype m_heldBytes = 0;
    qint64 m_lastHeldSweepMs = 0;
    quint64 m_releasedSends = 0;
    void holdUnverified(const QString &to, const QString &type, const QByteArray &bytes);
    void expireHeld(qint64 now);
    // `name` just answered: what waited for it goes now.
    void releaseHeld(const QString &name);
    quint64 m_relayedGossip = 0;
    cluster::RejectTally m_rejects;
    // Refused datagrams per source in the current second (m_monotonic seconds); see onDatagram.
    QHash<QPair<QHostAddress, quint16>, int> m_refusals;
    qint64 m_refusalWindow = -1;
    bool m_pumping = false;
};

} // namespace shoal::swim
