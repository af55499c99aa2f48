// Records a cluster's events into the history database from any thread without waiting: events
// queue here, a writer on its own thread commits them in one transaction per batch (every
// flushIntervalMs, default 250 ms: a kill -9 loses at most that). Rejected datagrams and our
// own probe results are summed per minute (one row per minute, updated in place).
#pragma once

#include "cluster/clustertypes.h"
#include "history/historyevent.h"
#include "history/historystore.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QThread>

#include <functional>
#include <vector>

namespace shoal::history {

// Which cluster a join is: the protocol and its seed peers (sorted, without duplicates), or, with
// no peers, the local name: "swim:127.0.0.1:7001,127.0.0.1:7002". Two joins through the same
// seeds share one history whatever the local name or port.
QString clusterIdentity(const QString &protocol, const QStringList &peers, const QString &local);

class HistoryWriter;

class HistoryRecorder final : public QObject
{
    Q_OBJECT
public:
    explicit HistoryRecorder(QObject *parent = nullptr);
    ~HistoryRecorder() override; // writes what is queued, then stops the thread

    void setLimits(const HistoryLimits &limits) { m_limits = limits; }
    void setFlushIntervalMs(int ms) { m_flushIntervalMs = ms; }
    // "Now" for the events; tests and benchmarks pin it.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    // Opens the database on the writer thread (and prunes it). False with a one-line *error.
    bool start(const QString &path, const QString &clusterIdentity, QString *error);
    bool isRunning() const { return m_thread.isRunning(); }

    // A batch from the backend: joins, status, metadata, restarts; probe results summed.
    void record(const QList<cluster::MemberUpdate> &updates);
    void recordRejected(const QList<cluster::RejectReport> &reports);
    // Serf's user events and queries (the backend thread's dropped-events notes are not kept).
    void recordClusterEvents(const QList<cluster::ClusterEvent> &events);
    void recordEvent(const HistoryEvent &event);

    // Writes everything queued now and waits for it (shutdown, tests).
    void flush();
    qint64 written() const; // events committed so far (rows inserted or updated)
    QString lastError() const;

private:
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }
    void enqueue(HistoryEvent event); // under m_mutex

    struct ProbeMinute
    {
        qint64 minute = -1;
        qint64 answered = 0;
        qint64 noAnswer = 0;
        double rttSumMs = 0;
        qint64 rttCount = 0;
        double rttMaxMs = 0;
        QStringList silent; // members that did not answer, the first few
    };
    void noteProbe(const MemberRecord &member, const QDateTime &time);

    QThread m_thread;
    HistoryWriter *m_writer = nullptr; // lives on m_thread
    HistoryLimits m_limits;
    int m_flushIntervalMs = 250;
    std::function<QDateTime()> m_clock;

    ProbeMinute m_probes;
    QHash<QString, qint64> m_rejectMinute; // "minute|from|reason" -> datagrams so far
    qint64 m_rejectMinuteOf = -1;
};

} // namespace shoal::history
