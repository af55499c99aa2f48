// What every gossip protocol offers the layers above it: one local member that joins, keeps a
// member list, announces a local mapping and reports batches of member changes. Lives in one
// thread (usually BackendThread's worker); nothing above it knows a byte of the protocol.
#pragma once

#include "cluster/clustertypes.h"
#include "model/member.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>

namespace shoal::cluster {

// Bytes of the datagram that would announce our member with this mapping: the metadata
// editor's size indicator. Self-contained (safe to call from any thread once made).
using SizeEstimator = std::function<qsizetype(const Metadata &)>;

class ClusterBackend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Binds and joins; false with a one-line error (which address, which protocol).
    virtual bool start(QString *error) = 0;
    // Stops all traffic at once, without telling anyone.
    virtual void stop() = 0;
    // Tells the cluster we go when the protocol can (Capabilities::gracefulLeave), then
    // stops. The default only stops.
    virtual void leave() { stop(); }
    virtual bool isRunning() const = 0;

    // The local member's name as bound (the real port when 0 was asked for).
    virtual QString localName() const = 0;
    virtual QList<MemberRecord> members() const = 0;
    virtual Metadata localMetadata() const = 0;
    // The mapping to announce from now on (before start: the one to join with).
    virtual void setLocalMetadata(const Metadata &local) = 0;
    virtual TrafficCounters trafficCounters() const = 0;
    virtual Capabilities capabilities() const = 0;
    virtual SizeEstimator sizeEstimator() const = 0;
    // Names of members this backend brought along in-process (a demo cluster); usually none.
    virtual QStringList companionNames() const { return {}; }

    // Diagnostics for the headless commands (members, watch), protocol-neutral:
    // whether any other member sent us something valid,
    virtual bool heardFromPeers() const { return false; }
    // whether the member list may be printed now (what a join brings has arrived),
    virtual bool initialStateComplete() const { return true; }
    // members whose metadata is still awaited (sorted),
    virtual QStringList membersAwaitingMetadata() const { return {}; }
    // refused input so far, by "host:port" source then reason (bounded),
    virtual QHash<QString, QHash<QString, quint64>> rejectTotals() const { return {}; }
    // what a reason means, for "N datagrams from X <cause>",
    virtual QString rejectCause(const QString &reason) const
    {
        return QStringLiteral("were refused (%1)").arg(reason);
    }
    // and what to check when nobody answered.
    virtual QString noAnswerHint() const { return {}; }
    // What the protocol engine refused from members that hold the secret, so far: per kind a
    // description ("gossip record(s) refused: ...") and a cumulative count; kinds never seen
    // may be left out.
    virtual QList<QPair<QString, quint64>> refusalCounts() const { return {}; }

signals:
    // Changes of one batch (one packet, one tick or one local edit), local member included.
    void membersUpdated(const QList<shoal::cluster::MemberUpdate> &updates);
    // Refused datagrams grouped by source and reason, at most once per report interval.
    void datagramsRejected(const QList<shoal::cluster::RejectReport> &reports);
    // peer acknowledged our own member up to clock: how far a local edit spread (only with
    // Capabilities::spreadTracking).
    void localAcknowledged(const QString &peer, quint64 clock);
    // A user event or query received (only with Capabilities::events).
    void eventReceived(const shoal::cluster::ClusterEvent &event);
};

} // namespace shoal::cluster
