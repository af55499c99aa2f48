#include "history/historyrecorder.h"

#include "cluster/memberevents.h"

#include <QMutexLocker>
#include <QTimer>

#include <algorithm>

namespace shoal::history {

QString clusterIdentity(const QString &protocol, const QStringList &peers, const QString &local)
{
    QStringList seeds = peers;
    for (QString &seed : seeds)
        seed = seed.trimmed();
    seeds.removeAll(QString());
    seeds.sort();
    seeds.removeDuplicates();
    return protocol + QLatin1Char(':') + (seeds.isEmpty() ? local : seeds.join(QLatin1Char(',')));
}

// The thread side: the queue, the store and the timer that commits the queue.
class HistoryWriter final : public QObject
{
    Q_OBJECT
public:
    QMutex mutex;
    std::vector<HistoryEvent> queue; // under mutex
    QHash<QString, std::size_t> queuedSummaries; // summaryKey -> index in queue, under mutex
    qint64 written = 0; // under mutex
    QString lastError; // under mutex

    bool open(const QString &path, const QString &identity, const HistoryLimits &limits,
        int intervalMs, QString *error)
    {
        m_limits = limits;
        if (!m_store.open(path, error))
            return false;
        m_cluster = m_store.clusterId(identity, true);
        if (m_cluster < 0) {
            *error = QStringLiteral("%1: cannot record the cluster %2").arg(path, identity);
            return false;
        }
        m_store.prune(m_limits, QDateTime::currentDateTimeUtc());
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &HistoryWriter::commit);
        m_timer->start(std::max(10, intervalMs));
        return true;
    }

    void commit()
    {
        std::vector<HistoryEvent> batch;
        {
            QMutexLocker lock(&mutex);
            batch.swap(queue);
            queuedSummaries.clear();
        }
        if (batch.empty() || m_cluster < 0)
            return;
        QString error;
        const bool ok = m_store.write(m_cluster, batch, &error);
        {
            QMutexLocker lock(&mutex);
            if (ok)
                written += qint64(batch.size());
            else
                lastError = error;
        }
        // Pruning is a scan: once every 1,000 batches (about four minutes at 250 ms).
        if (++m_batches % 1000 == 0)
            m_store.prune(m_limits, QDateTime::currentDateTimeUtc());
    }

    void close()
    {
        commit();
        delete m_timer;
        m_timer = nullptr;
    }

private:
    HistoryStore m_store;
    HistoryLimits m_limits;
    qint64 m_cluster = -1;
    qint64 m_batches = 0;
    QTimer *m_timer = nullptr;
};

HistoryRecorder::HistoryRecorder(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("shoal-history"));
}

HistoryRecorder::~HistoryRecorder()
{
    if (m_writer) {
        QMetaObject::invokeMethod(
            m_writer, [writer = m_writer] { writer->close(); }, Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            m_writer, [writer = m_writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_writer = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool HistoryRecorder::start(const QString &path, const QString &identity, QString *error)
{
    if (m_writer)
        return true;
    m_thread.start();
    auto *writer = new HistoryWriter;
    writer->moveToThread(&m_thread);
    bool opened = false;
    QString why;
    QMetaObject::invokeMethod(
        writer, [&] { opened = writer->open(path, identity, m_limits, m_flushIntervalMs, &why); },
        Qt::BlockingQueuedConnection);
    if (!opened) {
        QMetaObject::invokeMethod(
            writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        *error = why;
        return false;
    }
    m_writer = writer;
    return true;
}

void HistoryRecorder::enqueue(HistoryEvent event)
{
    // Caller holds m_writer->mutex. A summary already queued is replaced, not repeated.
    if (!event.summaryKey.isEmpty()) {
        const auto found = m_writer->queuedSummaries.constFind(event.summaryKey);
        if (found != m_writer->queuedSummaries.cend()) {
            m_writer->queue[*found] = std::move(event);
            return;
        }
        m_writer->queuedSummaries.insert(event.summaryKey, m_writer->queue.size());
    }
    m_writer->queue.push_back(std::move(event));
}

void HistoryRecorder::record(const QList<cluster::MemberUpdate> &updates)
{
    if (!m_writer || updates.isEmpty())
        return;
    const QDateTime time = now();
    constexpr cluster::ChangeFlags logged = cluster::ChangeFlag::Added | cluster::ChangeFlag::Status
        | cluster::ChangeFlag::Metadata | cluster::ChangeFlag::Restarted;
    std::vector<HistoryEvent> events;
    bool probed = false;
    for (const cluster::MemberUpdate &update : updates) {
        if (update.what & logged || !update.previous) {
            for (const EventRecord &record : cluster::memberEvents(update, time))
                events.push_back(HistoryEvent::fromEventRecord(record));
        }
        if (update.what.testFlag(cluster::ChangeFlag::Probe) && !update.member.local) {
            noteProbe(update.member, time);
            probed = true;
        }
    }
    if (probed) {
        HistoryEvent summary;
        summary.time = time;
        summary.kind = probeKindName();
        summary.count = m_probes.answered + m_probes.noAnswer;
        summary.detail = QStringLiteral("%1 answered, %2 no answer")
                             .arg(m_probes.answered)
                             .arg(m_probes.noAnswer);
        if (!m_probes.silent.isEmpty())
            summary.detail
                += QStringLiteral(" (%1)").arg(m_probes.silent.join(QStringLiteral(", ")));
        const double mean
            = m_probes.rttCount > 0 ? m_probes.rttSumMs / double(m_probes.rttCount) : 0;
        if (m_probes.rttCount > 0)
            summary.detail += QStringLiteral("; rtt mean %1 ms, max %2 ms")
                                  .arg(mean, 0, 'f', 2)
                                  .arg(m_probes.rttMaxMs, 0, 'f', 2);
        summary.extra = QJsonObject { { QStringLiteral("answered"), m_probes.answered },
            { QStringLiteral("no_answer"), m_probes.noAnswer },
            { QStringLiteral("rtt_ms_mean"), mean },
            { QStringLiteral("rtt_ms_max"), m_probes.rttMaxMs } };
        summary.summaryKey = QStringLiteral("probe|%1").arg(m_probes.minute);
        events.push_back(summary);
    }
    if (events.empty())
        return;
    QMutexLocker lock(&m_writer->mutex);
    for (HistoryEvent &event : events)
        enqueue(std::move(event));
}

void HistoryRecorder::noteProbe(const MemberRecord &member, const QDateTime &time)
{
    const qint64 minute = time.toSecsSinceEpoch() / 60;
    if (minute != m_probes.minute)
        m_probes = ProbeMinute { minute, 0, 0, 0, 0, 0, {} };
    if (member.probe == ProbeResult::Answered) {
        ++m_probes.answered;
        if (member.rttMicros >= 0) {
            const double ms = double(member.rttMicros) / 1000.0;
            m_probes.rttSumMs += ms;
            ++m_probes.rttCount;
            m_probes.rttMaxMs = std::max(m_probes.rttMaxMs, ms);
        }
    } else if (member.probe == ProbeResult::NoAnswer) {
        ++m_probes.noAnswer;
        if (m_probes.silent.size() < 5 && !m_probes.silent.contains(member.name))
            m_probes.silent << member.name;
    }
}

void HistoryRecorder::recordRejected(const QList<cluster::RejectReport> &reports)
{
    if (!m_writer || reports.isEmpty())
        return;
    const QDateTime time = now();
    const qint64 minute = time.toSecsSinceEpoch() / 60;
    if (minute != m_rejectMinuteOf) {
        m_rejectMinute.clear();
        m_rejectMinuteOf = minute;
    }
    QMutexLocker lock(&m_writer->mutex);
    for (const cluster::RejectReport &report : reports) {
        const QString key
            = QStringLiteral("rejected|%1|%2|%3").arg(minute).arg(report.from, report.reason);
        // Bounded as the tally is: one row per source and reason and minute.
        if (!m_rejectMinute.contains(key) && m_rejectMinute.size() >= 1024)
            continue;
        qint64 &total = m_rejectMinute[key];
        total += qint64(std::min<quint64>(report.count, quint64(1) << 40));
        HistoryEvent event;
        event.time = time;
        event.kind = eventKindName(EventKind::Rejected);
        event.member = report.from;
        event.detail = report.reason;
        event.count = total;
        event.extra = QJsonObject { { QStringLiteral("reason"), report.reason } };
        event.summaryKey = key;
        enqueue(std::move(event));
    }
}

void HistoryRecorder::recordClusterEvents(const QList<cluster::ClusterEvent> &events)
{
    if (!m_writer || events.isEmpty())
        return;
    const QDateTime time = now();
    QMutexLocker lock(&m_writer->mutex);
    for (const cluster::ClusterEvent &event : events) {
        if (const std::optional<EventRecord> record = cluster::clusterEventRecord(event, time)) {
            HistoryEvent stored = HistoryEvent::fromEventRecord(*record);
            stored.extra = QJsonObject { { QStringLiteral("ltime"), qint64(event.ltime) } };
            enqueue(std::move(stored));
        }
    }
}

void HistoryRecorder::recordEvent(const HistoryEvent &event)
{
    if (!m_writer)
        return;
    QMutexLocker lock(&m_writer->mutex);
    enqueue(event);
}

void HistoryRecorder::flush()
{
    if (m_writer)
        QMetaObject::invokeMethod(
            m_writer, [writer = m_writer] { writer->commit(); }, Qt::BlockingQueuedConnection);
}

qint64 HistoryRecorder::written() const
{
    if (!m_writer)
        return 0;
    QMutexLocker lock(&m_writer->mutex);
    return m_writer->written;
}

QString HistoryRecorder::lastError() const
{
    if (!m_writer)
        return {};
    QMutexLocker lock(&m_writer->mutex);
    return m_writer->lastError;
}

} // namespace shoal::history

#include "historyrecorder.moc"
