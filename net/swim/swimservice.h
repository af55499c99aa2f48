// One live swim-protocol member: the engine driven by real time, fed by the transport through
// the codec, and mirrored into a ClusterMetadata exactly as pymap's SwimService does.
#pragma once

#include "model/clustermetadata.h"
#include "model/member.h"
#include "net/swim/codec.h"
#include "net/swim/swimconfig.h"
#include "net/swim/swimengine.h"
#include "net/transport.h"

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
    Transport::Limits limits;
    EngineOptions engine;
};

// One member's change in a batch, with its record before (nullopt when first seen).
struct MemberUpdate
{
    MemberRecord member;
    std::optional<MemberRecord> previous;
    MemberChangeFlags what;
    bool localVerdict = false;
};

// Datagrams refused since the last report: from "host:port", reason as counted.
struct RejectReport
{
    QString from;
    QString reason;
    quint64 count = 0;
};

class SwimService final : public QObject
{
    Q_OBJECT
public:
    // metadata: mirror to keep (pymap's rule); null: the service keeps its own.
    explicit SwimService(
        ServiceConfig config, ClusterMetadata *metadata = nullptr, QObject *parent = nullptr);
    ~SwimService() override;

    // Binds, then joins: the local member becomes ONLINE and probing starts. False with a
    // one-line error (which address, which protocol) when the port cannot be bound.
    bool start(QString *error);
    // Stops all traffic (swim-protocol has no leave message: others will see us OFFLINE).
    void stop();
    bool isRunning() const { return m_engine != nullptr; }

    QString localName() const { return m_localName; }
    ClusterMetadata *metadata() const { return m_metadata; }
    QList<MemberRecord> members() const;
    std::optional<MemberRecord> member(const QString &name) const;
    // Remote members that sent us at least one valid packet.
    const QSet<QString> &heardFrom() const { return m_heardFrom; }
    // Rejected datagrams so far, by "host:port" source then reason (bounded).
    const QHash<QString, QHash<QString, quint64>> &rejectsBySource() const
    {
        return m_rejectTotals;
    }
    const TransportCounters &transportCounters() const { return m_transport.counters(); }
    EngineCounters engineCounters() const;
    const Transport &transport() const { return m_transport; }
    // LocalCluster's shortcut for many members in one process, where the cold start of
    // swim-protocol (every member sends every record to every other: N^3 datagrams) would
    // swamp the one thread: learn `other` as if it had gossiped its own record to us...
    void learnFrom(const SwimService &other);
    // ...then, once every member learnt every other, treat each known member as having
    // acknowledged everything we know, as after a quiet period. Later changes gossip as usual.
    void assumeAllAcknowledged();
    // How often pending reject reports are flushed (default 1000 ms).
    void setRejectReportIntervalMs(int ms) { m_rejectTimer.setInterval(ms); }

signals:
    // Changes of one batch (one packet, one tick or one local edit), local member included.
    void membersUpdated(const QList<shoal::swim::MemberUpdate> &updates);
    // Refused datagrams grouped by source and reason, at most once per report interval.
    void datagramsRejected(const QList<shoal::swim::RejectReport> &reports);
    // peer acknowledged (GossipAck) our own member up to clock: how far a local edit spread.
    void localAcknowledged(const QString &peer, quint64 clock);

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
    Transport m_transport;
    std::unique_ptr<SwimEngine> m_engine;
    QString m_localName;
    QTimer m_timer;
    qint64 m_armedDeadlineMs = 0; // when m_timer fires, while active
    QTimer m_rejectTimer;
    QElapsedTimer m_monotonic;
    QHash<QString, MemberRecord> m_records; // last reported, for MemberUpdate::previous
    QSet<QString> m_heardFrom;
    QHash<QString, QHash<QString, quint64>> m_pendingRejects;
    QHash<QString, QHash<QString, quint64>> m_rejectTotals;
    // Refused datagrams per source in the current second (m_monotonic seconds); see onDatagram.
    QHash<QPair<QHostAddress, quint16>, int> m_refusals;
    qint64 m_refusalWindow = -1;
    bool m_pumping = false;
};

} // namespace shoal::swim

Q_DECLARE_METATYPE(shoal::swim::MemberUpdate)
Q_DECLARE_METATYPE(shoal::swim::RejectReport)
