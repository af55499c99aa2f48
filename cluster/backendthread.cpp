#include "cluster/backendthread.h"

#include "cluster/updatecoalescer.h"

#include <QTimer>

namespace shoal::cluster {

namespace {

struct StartResult
{
    bool ok = false;
    QString error;
    QString localName;
    QStringList companionNames;
    QList<MemberRecord> members;
    Metadata local;
    Capabilities capabilities;
    SizeEstimator sizeEstimator;
};

} // namespace

// Lives in the worker thread: every network object is created, used and destroyed there.
class BackendWorker final : public QObject
{
    Q_OBJECT
public:
    BackendWorker(int coalesceMs, int countersMs)
        : m_coalesceMs(coalesceMs)
        , m_countersMs(countersMs)
    { }
    ~BackendWorker() override { shutdown(); }

    StartResult start(const BackendFactory &factory, const Metadata &ownerLocal)
    {
        StartResult result;
        m_flushTimer = std::make_unique<QTimer>();
        m_flushTimer->setSingleShot(true);
        m_flushTimer->setInterval(m_coalesceMs);
        connect(m_flushTimer.get(), &QTimer::timeout, this, &BackendWorker::flush);
        m_countersTimer = std::make_unique<QTimer>();
        m_countersTimer->setInterval(m_countersMs);
        connect(m_countersTimer.get(), &QTimer::timeout, this, &BackendWorker::sendCounters);
        m_keeper = std::make_unique<QObject>();
        m_backend = factory(m_keeper.get(), &result.error);
        if (!m_backend) {
            shutdown();
            return result;
        }
        if (m_backend->localMetadata().isEmpty() && !ownerLocal.isEmpty())
            m_backend->setLocalMetadata(ownerLocal);
        connect(
            m_backend.get(), &ClusterBackend::membersUpdated, this, [this](const auto &updates) {
                m_pending.add(updates);
                schedule();
            });
        connect(m_backend.get(), &ClusterBackend::localAcknowledged, this,
            [this](const QString &peer, quint64 clock) {
                m_pending.acknowledge(peer, clock);
                schedule();
            });
        connect(m_backend.get(), &ClusterBackend::datagramsRejected, this,
            &BackendWorker::datagramsRejected);
        connect(m_backend.get(), &ClusterBackend::eventReceived, this,
            [this](const ClusterEvent &event) {
                // Bounded per window: a flood of distinct events must not queue without end.
                if (m_events.size() < MaxEventsPerWindow)
                    m_events.append(event);
                else
                    ++m_eventsDropped;
                schedule();
            });
        if (!m_backend->start(&result.error)) {
            shutdown();
            return result;
        }
        m_countersTimer->start();
        result.ok = true;
        result.localName = m_backend->localName();
        result.companionNames = m_backend->companionNames();
        result.members = m_backend->members();
        result.local = m_backend->localMetadata();
        result.capabilities = m_backend->capabilities();
        result.sizeEstimator = m_backend->sizeEstimator();
        sendCounters();
        return result;
    }

    void shutdown()
    {
        // Disconnected first: the backend's last reject report is not wanted any more. Then
        // leave, so that a protocol with a graceful leave tells the others we go.
        if (m_backend) {
            m_backend->disconnect(this);
            if (m_backend->isRunning())
                m_backend->leave();
        }
        m_backend.reset();
        m_keeper.reset(); // after the backend, which may talk to what it keeps
        m_flushTimer.reset();
        m_countersTimer.reset();
    }

    void setLocalMetadata(const Metadata &local)
    {
        if (m_backend)
            m_backend->setLocalMetadata(local); // the backend announces it
    }

    void flush()
    {
        if (m_flushTimer)
            m_flushTimer->stop();
        if (!m_events.isEmpty()) {
            if (m_eventsDropped > 0) {
                ClusterEvent note;
                note.kind = QStringLiteral("dropped");
                note.name = QStringLiteral("%1 more events in %2 ms not shown")
                                .arg(m_eventsDropped)
                                .arg(m_coalesceMs);
                m_events.append(note);
                m_eventsDropped = 0;
            }
            emit eventsReceived(std::exchange(m_events, {}));
        }
        if (m_pending.isEmpty())
            return;
        const QList<MemberUpdate> updates = m_pending.takeUpdates();
        if (!updates.isEmpty())
            emit membersUpdated(updates);
        const auto acks = m_pending.takeAcknowledgements();
        for (const auto &ack : acks)
            emit localAcknowledged(ack.first, ack.second);
    }

signals:
    void membersUpdated(const QList<shoal::cluster::MemberUpdate> &updates);
    void datagramsRejected(const QList<shoal::cluster::RejectReport> &reports);
    void localAcknowledged(const QString &peer, quint64 clock);
    void countersUpdated(const shoal::cluster::TrafficCounters &counters);
    void eventsReceived(const QList<shoal::cluster::ClusterEvent> &events);

private:
    static constexpr qsizetype MaxEventsPerWindow = 256;

    void schedule()
    {
        if (m_flushTimer && !m_flushTimer->isActive())
            m_flushTimer->start();
    }

    void sendCounters()
    {
        if (m_backend)
            emit countersUpdated(m_backend->trafficCounters());
    }

    const int m_coalesceMs;
    const int m_countersMs;
    std::unique_ptr<QTimer> m_flushTimer;
    std::unique_ptr<QTimer> m_countersTimer;
    // Destroyed after the backend (see shutdown), whose companions it holds.
    std::unique_ptr<QObject> m_keeper;
    std::unique_ptr<ClusterBackend> m_backend;
    UpdateCoalescer m_pending;
    QList<ClusterEvent> m_events; // user events and queries of this window
    quint64 m_eventsDropped = 0;
};

BackendThread::BackendThread(ClusterMetadata *local, QObject *parent)
    : QObject(parent)
    , m_local(local)
{
    registerMetaTypes();
}

BackendThread::~BackendThread()
{
    stop();
    waitForStopping();
}

bool BackendThread::start(const BackendFactory &factory, QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    stop();
    // The one stopping in the background may still hold the address this start binds.
    waitForStopping();
    const ClusterMetadata *owner = m_local.data();
    const Metadata ownerLocal = owner ? owner->local() : Metadata {};

    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("shoal-network"));
    auto *worker = new BackendWorker(m_coalesceMs, m_countersMs);
    worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, worker, &QObject::deleteLater);
    // Queued (the worker lives in another thread); a delivery still on its way from an
    // earlier start carries an old generation and is dropped.
    const quint64 generation = ++m_generation;
    connect(worker, &BackendWorker::membersUpdated, this,
        [this, generation](const QList<MemberUpdate> &updates) {
            if (generation == m_generation)
                emit membersUpdated(updates);
        });
    connect(worker, &BackendWorker::datagramsRejected, this,
        [this, generation](const QList<RejectReport> &reports) {
            if (generation == m_generation)
                emit datagramsRejected(reports);
        });
    connect(worker, &BackendWorker::localAcknowledged, this,
        [this, generation](const QString &peer, quint64 clock) {
            if (generation == m_generation)
                emit localAcknowledged(peer, clock);
        });
    connect(worker, &BackendWorker::eventsReceived, this,
        [this, generation](const QList<ClusterEvent> &events) {
            if (generation == m_generation)
                emit eventsReceived(events);
        });
    connect(worker, &BackendWorker::countersUpdated, this,
        [this, generation](const TrafficCounters &counters) {
            if (generation != m_generation)
                return;
            m_counters = counters;
            emit countersUpdated(counters);
        });
    m_worker = worker;
    m_thread->start();

    StartResult result;
    QMetaObject::invokeMethod(
        worker, [&] { result = worker->start(factory, ownerLocal); }, Qt::BlockingQueuedConnection);
    if (!result.ok) {
        *error = result.error;
        stop();
        return false;
    }
    m_localName = result.localName;
    m_companionNames = result.companionNames;
    m_initialMembers = result.members;
    m_capabilities = result.capabilities;
    m_sizeEstimator = result.sizeEstimator;
    if (m_local) {
        m_local->setLocalMetadata(result.local); // before forwarding: nothing to send back
        m_localConnection
            = connect(m_local, &ClusterMetadata::localChanged, this, &BackendThread::forwardLocal);
    }
    return true;
}

void BackendThread::stop()
{
    if (!m_thread)
        return;
    disconnect(m_localConnection);
    ++m_generation;
    QMetaObject::invokeMethod(m_worker, &BackendWorker::shutdown, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    forgetStarted();
}

void BackendThread::stopInBackground()
{
    if (!m_thread) {
        if (!m_stopping)
            QMetaObject::invokeMethod(this, &BackendThread::stopped, Qt::QueuedConnection);
        return;
    }
    waitForStopping(); // at most one at a time (only after two quick stops in a row)
    disconnect(m_localConnection);
    ++m_generation;
    m_stopping = std::move(m_thread);
    const quint64 stopping = ++m_stoppingGeneration;
    connect(m_stopping.get(), &QThread::finished, this, [this, stopping] {
        if (!m_stopping || stopping != m_stoppingGeneration)
            return; // already waited for
        m_stopping->wait();
        m_stopping.reset();
        emit stopped();
    });
    // The worker leaves, then ends its own thread: nothing here waits.
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker] {
            worker->shutdown();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_worker = nullptr;
    forgetStarted();
}

void BackendThread::waitForStopping()
{
    if (!m_stopping)
        return;
    m_stopping->wait();
    m_stopping.reset();
    ++m_stoppingGeneration; // its queued finished is stale now: no stopped() (superseded)
}

void BackendThread::forgetStarted()
{
    m_localName.clear();
    m_companionNames.clear();
    m_initialMembers.clear();
    m_capabilities = {};
    m_sizeEstimator = {};
    m_counters = {};
}

void BackendThread::flushNow()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &BackendWorker::flush, Qt::BlockingQueuedConnection);
}

void BackendThread::forwardLocal(const Metadata &local)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, local] { worker->setLocalMetadata(local); },
            Qt::QueuedConnection);
}

} // namespace shoal::cluster

#include "backendthread.moc"
