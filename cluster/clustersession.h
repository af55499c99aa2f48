// The one owner of a joined cluster's state on the GUI thread: it runs a backend on its thread
// and applies each coalesced batch once, to the metadata mirror, the item models, the event
// log and the spread tracker, so that every view reads the same state from one place.
#pragma once

#include "cluster/backendthread.h"
#include "cluster/clustertypes.h"
#include "model/clustermetadata.h"
#include "model/eventlogmodel.h"
#include "model/membertablemodel.h"
#include "model/spreadtracker.h"
#include "model/valuesmodel.h"

#include <QList>
#include <QObject>
#include <QString>

namespace shoal::cluster {

class ClusterSession final : public QObject
{
    Q_OBJECT
public:
    explicit ClusterSession(QObject *parent = nullptr);
    ~ClusterSession() override;

    // How long the backend thread merges updates before they reach this thread (default
    // 100 ms): the one coalescing point between a datagram and a row. Before start.
    void setCoalesceIntervalMs(int ms) { m_backend.setCoalesceIntervalMs(ms); }

    // Starts the backend the factory makes (see BackendThread) and shows its first view of the
    // cluster. The models keep what an earlier join showed until this one starts: a failed
    // join leaves them as they were; a new one replaces the members (the event log stays, with
    // a line for each join). False with a one-line *error.
    bool start(const BackendFactory &factory, QString *error);
    void stop();
    // Leaves without blocking this thread (a graceful leave waits for the cluster in the
    // backend's thread): left() follows once the address is free again. The members stay
    // shown (stale) until the next start.
    void leave();
    bool isRunning() const { return m_backend.isRunning(); }
    bool isLeaving() const { return m_backend.isStopping(); }

    // Applies one batch: the mirror rule, the members table (changed cells only), the event
    // log and the spread. What the backend thread delivers comes here; tests and benchmarks
    // feed batches directly.
    void apply(const QList<MemberUpdate> &updates);
    void applyRejected(const QList<RejectReport> &reports);
    // Serf's user events and queries: one log row each (kind "user-event" or "query").
    void applyEvents(const QList<ClusterEvent> &events);

    QString localName() const { return m_backend.localName(); }
    Capabilities capabilities() const { return m_backend.capabilities(); }
    SizeEstimator sizeEstimator() const { return m_backend.sizeEstimator(); }
    const TrafficCounters &counters() const { return m_backend.counters(); }
    BackendThread &backend() { return m_backend; }

    ClusterMetadata *metadata() { return &m_metadata; }
    MemberTableModel *members() { return &m_members; }
    ValuesModel *values() { return &m_values; }
    EventLogModel *events() { return &m_events; }
    SpreadTracker *spread() { return &m_spread; }

signals:
    // count datagrams from `from` were refused for reason, as the backend grouped them.
    void rejected(const QString &from, const QString &reason, quint64 count);
    // A leave() has finished.
    void left();

private:
    void logEvents(const MemberUpdate &update);

    ClusterMetadata m_metadata;
    MemberTableModel m_members;
    ValuesModel m_values;
    EventLogModel m_events;
    SpreadTracker m_spread;
    // After m_metadata, whose local mapping it announces: stopped (thread joined) first.
    BackendThread m_backend;
};

} // namespace shoal::cluster
