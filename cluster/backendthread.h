// A ClusterBackend run on its own thread, so that decoding, signatures and engine work never
// delay the thread that paints. The owner thread sees coalesced updates and counter snapshots
// (ClusterSession applies them); it never touches the worker's objects.
#pragma once

#include "cluster/clusterbackend.h"
#include "cluster/clustertypes.h"
#include "model/clustermetadata.h"
#include "model/member.h"

#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThread>

#include <functional>
#include <memory>

namespace shoal::cluster {

class BackendWorker;

// Makes the backend, in the worker thread. keeper lives there too and outlives the backend:
// whatever the backend needs beside it (a demo cluster) is made a child of keeper. Null with
// a one-line *error when it cannot.
using BackendFactory
    = std::function<std::unique_ptr<ClusterBackend>(QObject *keeper, QString *error)>;

class BackendThread final : public QObject
{
    Q_OBJECT
public:
    // local: an owner-thread ClusterMetadata whose local mapping the backend announces (edits
    // are forwarded to the worker). Null: the backend keeps its own.
    explicit BackendThread(ClusterMetadata *local = nullptr, QObject *parent = nullptr);
    ~BackendThread() override;

    // Before start: how long member updates are merged in the worker (default 50 ms), how
    // often counters are sent (default 500 ms).
    void setCoalesceIntervalMs(int ms) { m_coalesceMs = ms; }
    void setCountersIntervalMs(int ms) { m_countersMs = ms; }

    // Starts the thread and, in it, the backend the factory makes; blocks until it started.
    // False with the backend's one-line error: the thread is stopped then. A backend without
    // a local mapping takes local's; after start local's mapping is the backend's.
    bool start(const BackendFactory &factory, QString *error);
    // Destroys the backend in the worker, then joins the thread. Updates still on their way
    // are dropped.
    void stop();
    // As stop, but without waiting: the backend leaves in its thread (a graceful leave may take
    // a while) and stopped() follows once the thread has finished, in this thread. Updates
    // still on their way are dropped. Also when not running (stopped() then comes at once).
    void stopInBackground();
    bool isRunning() const { return m_thread != nullptr; }
    // A stopInBackground that has not finished yet (a start now waits for it, and no
    // stopped() follows).
    bool isStopping() const { return m_stopping != nullptr; }

    // As of start (owner-thread copies); empty when not running.
    QString localName() const { return m_localName; }
    QStringList companionNames() const { return m_companionNames; }
    QList<MemberRecord> initialMembers() const { return m_initialMembers; }
    Capabilities capabilities() const { return m_capabilities; }
    SizeEstimator sizeEstimator() const { return m_sizeEstimator; }
    // The latest snapshot received.
    const TrafficCounters &counters() const { return m_counters; }
    // The worker thread while running (tests compare it with QThread::currentThread()).
    QThread *workerThread() const { return m_thread.get(); }
    // Has the worker post what it merged so far without waiting for the window; returns once
    // it did (the batch then waits in this thread's event queue).
    void flushNow();

signals:
    // Merged updates of a window, in the owner thread.
    void membersUpdated(const QList<shoal::cluster::MemberUpdate> &updates);
    void datagramsRejected(const QList<shoal::cluster::RejectReport> &reports);
    // Highest clock per peer within a window.
    void localAcknowledged(const QString &peer, quint64 clock);
    void countersUpdated(const shoal::cluster::TrafficCounters &counters);
    // The thread of a stopInBackground has finished: its sockets are closed.
    void stopped();
    // What the protocol carries besides members (Serf's user events and queries), in order,
    // at most 256 a window; beyond that one event of kind "dropped" says how many were not.
    void eventsReceived(const QList<shoal::cluster::ClusterEvent> &events);

private:
    void forwardLocal(const Metadata &local);
    void forgetStarted();
    void waitForStopping();

    QPointer<ClusterMetadata> m_local;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QThread> m_stopping; // of stopInBackground, until it finished
    quint64 m_stoppingGeneration = 0;
    BackendWorker *m_worker = nullptr; // lives in m_thread; deleted there when it finishes
    quint64 m_generation = 0; // deliveries of an earlier start are dropped
    QMetaObject::Connection m_localConnection;
    int m_coalesceMs = 50;
    int m_countersMs = 500;
    QString m_localName;
    QStringList m_companionNames;
    QList<MemberRecord> m_initialMembers;
    Capabilities m_capabilities;
    SizeEstimator m_sizeEstimator;
    TrafficCounters m_counters;
};

} // namespace shoal::cluster
