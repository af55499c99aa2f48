// A SwimService (and, for a demo, a LocalCluster) run on their own thread, so that decoding,
// HMAC and engine work never delay the thread that paints. The owner thread sees coalesced
// updates, a mirror kept by pymap's rule and counter snapshots; it never touches the worker's
// objects.
#pragma once

#include "model/clustermetadata.h"
#include "model/member.h"
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"
#include "net/transport.h"

#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThread>

#include <memory>
#include <optional>

namespace shoal::swim {

class ServiceWorker;

class ServiceThread final : public QObject
{
    Q_OBJECT
public:
    // mirror: an owner-thread ClusterMetadata kept from the updates by pymap's rule; its local
    // mapping is the one the service announces (edits are forwarded to the worker). Null: none.
    explicit ServiceThread(ClusterMetadata *mirror = nullptr, QObject *parent = nullptr);
    ~ServiceThread() override;

    // Before start: how long member updates are merged in the worker (default 50 ms), how
    // often counters are sent (default 500 ms).
    void setCoalesceIntervalMs(int ms) { m_coalesceMs = ms; }
    void setCountersIntervalMs(int ms) { m_countersMs = ms; }

    // Starts the thread and, in it, the demo cluster when given (its members join the
    // config's peers) then the service; blocks until both started. The service keeps its own
    // ClusterMetadata. False with the service's one-line error: the thread is stopped then.
    // An empty config local mapping takes the mirror's; after start the mirror's local
    // mapping is the service's.
    bool start(
        const ServiceConfig &config, const std::optional<LocalClusterConfig> &demo, QString *error);
    // Destroys the service and demo in the worker, then joins the thread. Updates still on
    // their way are dropped.
    void stop();
    bool isRunning() const { return m_thread != nullptr; }

    // As of start (owner-thread copies); empty when not running.
    QString localName() const { return m_localName; }
    QStringList demoNames() const { return m_demoNames; }
    QList<MemberRecord> initialMembers() const { return m_initialMembers; }
    // The latest snapshot received.
    const TransportCounters &counters() const { return m_counters; }
    // The worker thread while running (tests compare it with QThread::currentThread()).
    QThread *workerThread() const { return m_thread.get(); }
    // Has the worker post what it merged so far without waiting for the window; returns once
    // it did (the batch then waits in this thread's event queue).
    void flushNow();

signals:
    // Merged updates of a window, in the owner thread, after the mirror applied them.
    void membersUpdated(const QList<shoal::swim::MemberUpdate> &updates);
    void datagramsRejected(const QList<shoal::swim::RejectReport> &reports);
    // Highest clock per peer within a window.
    void localAcknowledged(const QString &peer, quint64 clock);
    void countersUpdated(const shoal::swim::TransportCounters &counters);

private:
    void forwardLocal(const Metadata &local);

    QPointer<ClusterMetadata> m_mirror;
    std::unique_ptr<QThread> m_thread;
    ServiceWorker *m_worker = nullptr; // lives in m_thread; deleted there when it finishes
    quint64 m_generation = 0; // deliveries of an earlier start are dropped
    QMetaObject::Connection m_localConnection;
    int m_coalesceMs = 50;
    int m_countersMs = 500;
    QString m_localName;
    QStringList m_demoNames;
    QList<MemberRecord> m_initialMembers;
    TransportCounters m_counters;
};

} // namespace shoal::swim

Q_DECLARE_METATYPE(shoal::swim::TransportCounters)
