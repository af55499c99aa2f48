#include "net/servicethread.h"

#include "net/mirrorrule.h"
#include "net/updatecoalescer.h"

#include <QTimer>

namespace shoal::swim {

namespace {

struct StartResult
{
    bool ok = false;
    QString error;
    QString localName;
    QStringList demoNames;
    QList<MemberRecord> members;
    Metadata local;
};

} // namespace

// Lives in the worker thread: every network object is created, used and destroyed there.
class ServiceWorker final : public QObject
{
    Q_OBJECT
public:
    ServiceWorker(int coalesceMs, int countersMs)
        : m_coalesceMs(coalesceMs)
        , m_countersMs(countersMs)
    { }
    ~ServiceWorker() override { shutdown(); }

    StartResult start(ServiceConfig config, const std::optional<LocalClusterConfig> &demo)
    {
        StartResult result;
        m_flushTimer = std::make_unique<QTimer>();
        m_flushTimer->setSingleShot(true);
        m_flushTimer->setInterval(m_coalesceMs);
        connect(m_flushTimer.get(), &QTimer::timeout, this, &ServiceWorker::flush);
        m_countersTimer = std::make_unique<QTimer>();
        m_countersTimer->setInterval(m_countersMs);
        connect(m_countersTimer.get(), &QTimer::timeout, this, &ServiceWorker::sendCounters);
        if (demo) {
            m_demo = std::make_unique<LocalCluster>(*demo);
            if (!m_demo->start(&result.error)) {
                shutdown();
                return result;
            }
            result.demoNames = m_demo->names();
            config.member.peers += result.demoNames;
        }
        m_service = std::make_unique<SwimService>(std::move(config));
        connect(m_service.get(), &SwimService::membersUpdated, this, [this](const auto &updates) {
            m_pending.add(updates);
            schedule();
        });
        connect(m_service.get(), &SwimService::localAcknowledged, this,
            [this](const QString &peer, quint64 clock) {
                m_pending.acknowledge(peer, clock);
                schedule();
            });
        connect(m_service.get(), &SwimService::datagramsRejected, this,
            &ServiceWorker::datagramsRejected);
        if (!m_service->start(&result.error)) {
            shutdown();
            return result;
        }
        m_countersTimer->start();
        result.ok = true;
        result.localName = m_service->localName();
        result.members = m_service->members();
        result.local = m_service->metadata()->local();
        sendCounters();
        return result;
    }

    void shutdown()
    {
        // Disconnected first: the service's last reject report is not wanted any more.
        if (m_service)
            m_service->disconnect(this);
        m_service.reset();
        m_demo.reset();
        m_flushTimer.reset();
        m_countersTimer.reset();
    }

    void setLocalMetadata(const Metadata &local)
    {
        if (m_service)
            m_service->metadata()->setLocalMetadata(local); // the service gossips it
    }

    void flush()
    {
        if (m_flushTimer)
            m_flushTimer->stop();
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
    void membersUpdated(const QList<shoal::swim::MemberUpdate> &updates);
    void datagramsRejected(const QList<shoal::swim::RejectReport> &reports);
    void localAcknowledged(const QString &peer, quint64 clock);
    void countersUpdated(const shoal::swim::TransportCounters &counters);

private:
    void schedule()
    {
        if (m_flushTimer && !m_flushTimer->isActive())
            m_flushTimer->start();
    }

    void sendCounters()
    {
        if (m_service)
            emit countersUpdated(m_service->transportCounters());
    }

    const int m_coalesceMs;
    const int m_countersMs;
    std::unique_ptr<QTimer> m_flushTimer;
    std::unique_ptr<QTimer> m_countersTimer;
    // Destroyed before the demo it may talk to, after the timers that drive it.
    std::unique_ptr<LocalCluster> m_demo;
    std::unique_ptr<SwimService> m_service;
    UpdateCoalescer m_pending;
};

ServiceThread::ServiceThread(ClusterMetadata *mirror, QObject *parent)
    : QObject(parent)
    , m_mirror(mirror)
{
    qRegisterMetaType<shoal::swim::MemberUpdate>();
    qRegisterMetaType<QList<shoal::swim::MemberUpdate>>();
    qRegisterMetaType<shoal::swim::RejectReport>();
    qRegisterMetaType<QList<shoal::swim::RejectReport>>();
    qRegisterMetaType<shoal::swim::TransportCounters>();
}

ServiceThread::~ServiceThread()
{
    stop();
}

bool ServiceThread::start(
    const ServiceConfig &config, const std::optional<LocalClusterConfig> &demo, QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    stop();
    ServiceConfig effective = config;
    if (m_mirror && effective.member.localMetadata.isEmpty() && !m_mirror->local().isEmpty())
        effective.member.localMetadata = metadataToWire(m_mirror->local());

    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("shoal-network"));
    auto *worker = new ServiceWorker(m_coalesceMs, m_countersMs);
    worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, worker, &QObject::deleteLater);
    // Queued (the worker lives in another thread); a delivery still on its way from an
    // earlier start carries an old generation and is dropped.
    const quint64 generation = ++m_generation;
    connect(worker, &ServiceWorker::membersUpdated, this,
        [this, generation](const QList<MemberUpdate> &updates) {
            if (generation != m_generation)
                return;
            if (m_mirror) {
                for (const MemberUpdate &update : updates)
                    mirrorMember(*m_mirror, update.member, update.what);
            }
            emit membersUpdated(updates);
        });
    connect(worker, &ServiceWorker::datagramsRejected, this,
        [this, generation](const QList<RejectReport> &reports) {
            if (generation == m_generation)
                emit datagramsRejected(reports);
        });
    connect(worker, &ServiceWorker::localAcknowledged, this,
        [this, generation](const QString &peer, quint64 clock) {
            if (generation == m_generation)
                emit localAcknowledged(peer, clock);
        });
    connect(worker, &ServiceWorker::countersUpdated, this,
        [this, generation](const TransportCounters &counters) {
            if (generation != m_generation)
                return;
            m_counters = counters;
            emit countersUpdated(counters);
        });
    m_worker = worker;
    m_thread->start();

    StartResult result;
    QMetaObject::invokeMethod(
        worker, [&] { result = worker->start(effective, demo); }, Qt::BlockingQueuedConnection);
    if (!result.ok) {
        *error = result.error;
        stop();
        return false;
    }
    m_localName = result.localName;
    m_demoNames = result.demoNames;
    m_initialMembers = result.members;
    if (m_mirror) {
        m_mirror->setLocalMetadata(result.local); // before forwarding: nothing to send back
        m_localConnection
            = connect(m_mirror, &ClusterMetadata::localChanged, this, &ServiceThread::forwardLocal);
    }
    return true;
}

void ServiceThread::stop()
{
    if (!m_thread)
        return;
    disconnect(m_localConnection);
    ++m_generation;
    QMetaObject::invokeMethod(m_worker, &ServiceWorker::shutdown, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_localName.clear();
    m_demoNames.clear();
    m_initialMembers.clear();
    m_counters = {};
}

void ServiceThread::flushNow()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &ServiceWorker::flush, Qt::BlockingQueuedConnection);
}

void ServiceThread::forwardLocal(const Metadata &local)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, local] { worker->setLocalMetadata(local); },
            Qt::QueuedConnection);
}

} // namespace shoal::swim

#include "servicethread.moc"
