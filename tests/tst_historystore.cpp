// The cluster history: the SQLite store's round trip, queries, retention and size cap; the
// recorder's batches and per-minute summaries; the window's preload.
#include "history/historypreload.h"
#include "history/historyrecorder.h"
#include "history/historystore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace shoal;
using namespace shoal::history;

namespace {

const QDateTime kNow
    = QDateTime::fromString(QStringLiteral("2026-11-30T12:00:00.000Z"), Qt::ISODateWithMs);

HistoryEvent makeEvent(const QString &kind, const QString &member, const QDateTime &time,
    const QString &detail = QStringLiteral("d"))
{
    HistoryEvent e;
    e.kind = kind;
    e.member = member;
    e.time = time;
    e.detail = detail;
    return e;
}

HistoryEvent statusEvent(
    const QString &member, const QDateTime &time, const QString &from, const QString &to)
{
    HistoryEvent e
        = makeEvent(QStringLiteral("status"), member, time, from + QStringLiteral(" -> ") + to);
    e.from = from;
    e.to = to;
    return e;
}

MemberRecord memberRecord(const QString &name, MemberStatus status)
{
    MemberRecord record;
    record.name = name;
    record.status = status;
    record.metadata = Metadata {};
    return record;
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/history.sqlite"));
        HistoryStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        const qint64 a = store.clusterId(QStringLiteral("swim:a"), true);
        const qint64 b = store.clusterId(QStringLiteral("serf:b"), true);
        QVERIFY(a >= 0 && b >= 0 && a != b);
        QCOMPARE(store.clusterId(QStringLiteral("swim:a"), false), a);
        QCOMPARE(store.clusterId(QStringLiteral("none"), false), -1);

        HistoryEvent join
            = makeEvent(QStringLiteral("join"), QStringLiteral("m1"), kNow.addSecs(-60));
        join.to = QStringLiteral("ONLINE");
        HistoryEvent set
            = makeEvent(QStringLiteral("metadata"), QStringLiteral("m1"), kNow.addSecs(-50));
        set.key = QStringLiteral("token");
        set.value = QByteArray("\x00\xff"
                               "bin",
            5);
        HistoryEvent empty = set;
        empty.time = kNow.addSecs(-45);
        empty.value = QByteArray();
        HistoryEvent removed = set;
        removed.time = kNow.addSecs(-40);
        removed.value = std::nullopt;
        HistoryEvent probe = makeEvent(probeKindName(), QString(), kNow.addSecs(-30));
        probe.count = 7;
        probe.extra = QJsonObject { { QStringLiteral("answered"), 6 } };
        const HistoryEvent status = statusEvent(QStringLiteral("m2"), kNow.addSecs(-20),
            QStringLiteral("ONLINE"), QStringLiteral("SUSPECT"));
        QVERIFY(store.write(a, { join, set, empty, removed, probe, status }, &error));
        QVERIFY(store.write(b, { makeEvent(QStringLiteral("join"), QStringLiteral("x"), kNow) }));

        HistoryQuery query;
        query.cluster = QStringLiteral("swim:a");
        const QList<HistoryEvent> read = store.read(query);
        QCOMPARE(read.size(), 6);
        QCOMPARE(read.at(0).kind, QStringLiteral("join"));
        QCOMPARE(read.at(0).to, QStringLiteral("ONLINE"));
        QCOMPARE(read.at(0).time, kNow.addSecs(-60));
        QCOMPARE(read.at(0).cluster, QStringLiteral("swim:a"));
        QCOMPARE(read.at(1).key, QStringLiteral("token"));
        QCOMPARE(read.at(1).value,
            std::optional<QByteArray>(QByteArray("\x00\xff"
                                                 "bin",
                5)));
        QVERIFY(read.at(2).value.has_value());
        QVERIFY(read.at(2).value->isEmpty());
        QVERIFY(!read.at(3).value.has_value());
        QCOMPARE(read.at(4).count, 7);
        QCOMPARE(read.at(4).extra.value(QStringLiteral("answered")).toInt(), 6);
        QCOMPARE(read.at(5).from, QStringLiteral("ONLINE"));
        QCOMPARE(read.at(5).to, QStringLiteral("SUSPECT"));

        query.member = QStringLiteral("m2");
        QCOMPARE(store.read(query).size(), 1);
        query.member.clear();
        query.since = kNow.addSecs(-42);
        QCOMPARE(store.read(query).size(), 3);
        query.since = QDateTime();
        query.limit = 2; // the newest two, oldest first
        const QList<HistoryEvent> newest = store.read(query);
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest.at(0).kind, probeKindName());
        QCOMPARE(newest.at(1).kind, QStringLiteral("status"));
        QCOMPARE(store.read(HistoryQuery {}).size(), 7); // both clusters
        QCOMPARE(
            store.clusters(), (QStringList { QStringLiteral("serf:b"), QStringLiteral("swim:a") }));
    }

    void summaryReplacesItsRow()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QString error;
        QVERIFY(store.open(dir.filePath(QStringLiteral("h.sqlite")), &error));
        const qint64 cluster = store.clusterId(QStringLiteral("c"), true);
        HistoryEvent minute
            = makeEvent(QStringLiteral("rejected"), QStringLiteral("1.2.3.4:5"), kNow);
        minute.summaryKey = QStringLiteral("k");
        minute.count = 3;
        QVERIFY(store.write(cluster, { minute }));
        minute.count = 10;
        QVERIFY(store.write(cluster, { minute }));
        const QList<HistoryEvent> read = store.read({});
        QCOMPARE(read.size(), 1);
        QCOMPARE(read.at(0).count, 10);
    }

    void retentionDeletesOldEvents()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QString error;
        QVERIFY(store.open(dir.filePath(QStringLiteral("h.sqlite")), &error));
        const qint64 cluster = store.clusterId(QStringLiteral("c"), true);
        QVERIFY(store.write(cluster,
            { makeEvent(QStringLiteral("join"), QStringLiteral("old"), kNow.addDays(-31)),
                makeEvent(QStringLiteral("join"), QStringLiteral("edge"), kNow.addDays(-29)),
                makeEvent(QStringLiteral("join"), QStringLiteral("new"), kNow) }));
        HistoryLimits limits;
        limits.retentionDays = 30;
        QCOMPARE(store.prune(limits, kNow), 1);
        const QList<HistoryEvent> left = store.read({});
        QCOMPARE(left.size(), 2);
        QCOMPARE(left.at(0).member, QStringLiteral("edge"));
        limits.retentionDays = 1;
        QCOMPARE(store.prune(limits, kNow), 1);
        QCOMPARE(store.read({}).constFirst().member, QStringLiteral("new"));
    }

    void sizeCapDeletesTheOldestFirst()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QString error;
        QVERIFY(store.open(dir.filePath(QStringLiteral("h.sqlite")), &error));
        const qint64 cluster = store.clusterId(QStringLiteral("c"), true);
        std::vector<HistoryEvent> events;
        for (int i = 0; i < 5000; ++i)
            events.push_back(
                makeEvent(QStringLiteral("metadata"), QStringLiteral("m%1").arg(i % 50),
                    kNow.addSecs(i - 5000), QString(200, QLatin1Char('x'))));
        QVERIFY(store.write(cluster, events));
        QVERIFY(store.usedBytes() > 1 << 20);
        HistoryLimits limits;
        limits.maxBytes = 256 << 10;
        QVERIFY(store.prune(limits, kNow) > 0);
        QVERIFY2(
            store.usedBytes() <= limits.maxBytes, qPrintable(QString::number(store.usedBytes())));
        // The pages went back to the file system, not only to the free list.
        QVERIFY2(store.fileBytes() <= 2 * limits.maxBytes,
            qPrintable(QString::number(store.fileBytes())));
        const QList<HistoryEvent> left = store.read({});
        QVERIFY(!left.isEmpty());
        QCOMPARE(left.constLast().time, kNow.addSecs(-1)); // the newest kept
        QVERIFY(left.constFirst().time > kNow.addSecs(-5000)); // the oldest gone
    }

    void clusterIdentityIgnoresOrderAndLocalName()
    {
        QCOMPARE(clusterIdentity(QStringLiteral("swim"),
                     { QStringLiteral("b:2"), QStringLiteral("a:1"), QStringLiteral("b:2") },
                     QStringLiteral("me:1")),
            QStringLiteral("swim:a:1,b:2"));
        QCOMPARE(clusterIdentity(QStringLiteral("serf"), {}, QStringLiteral("me:1")),
            QStringLiteral("serf:me:1"));
    }

    void recorderWritesBatchesAndSummaries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        QDateTime clock = kNow;
        {
            HistoryRecorder recorder;
            recorder.setClock([&clock] { return clock; });
            QString error;
            QVERIFY2(recorder.start(path, QStringLiteral("swim:a:1"), &error), qPrintable(error));

            cluster::MemberUpdate joined;
            joined.member = memberRecord(QStringLiteral("a:1"), MemberStatus::Online);
            joined.member.metadata = Metadata { { QStringLiteral("role"), QByteArray("imap") } };
            joined.what = cluster::ChangeFlag::Added;
            recorder.record({ joined });

            clock = kNow.addSecs(1);
            cluster::MemberUpdate suspect;
            suspect.previous = joined.member;
            suspect.member = joined.member;
            suspect.member.status = MemberStatus::Suspect;
            suspect.what = cluster::ChangeFlag::Status;
            recorder.record({ suspect });

            // Probes: two answered, one not, in one minute: one summary row.
            cluster::MemberUpdate probed = suspect;
            probed.previous = suspect.member;
            probed.what = cluster::ChangeFlag::Probe;
            probed.member.probe = ProbeResult::Answered;
            probed.member.rttMicros = 2000;
            recorder.record({ probed });
            probed.member.rttMicros = 4000;
            recorder.record({ probed });
            recorder.flush(); // the summary row exists; the next ones update it
            probed.member.probe = ProbeResult::NoAnswer;
            recorder.record({ probed });

            // Rejected: two reports of the same minute, source and reason sum into one row.
            recorder.recordRejected(
                { { QStringLiteral("9.9.9.9:1"), QStringLiteral("signature"), 3 } });
            recorder.flush();
            recorder.recordRejected(
                { { QStringLiteral("9.9.9.9:1"), QStringLiteral("signature"), 4 } });
            clock = kNow.addSecs(61); // the next minute: a row of its own
            recorder.recordRejected(
                { { QStringLiteral("9.9.9.9:1"), QStringLiteral("signature"), 1 } });

            // Serf's user events and queries are kept; the backend's dropped-events note is not.
            cluster::ClusterEvent deploy;
            deploy.kind = QStringLiteral("user-event");
            deploy.name = QStringLiteral("deploy");
            deploy.payload = QByteArray("v2");
            deploy.ltime = 5;
            cluster::ClusterEvent ping = deploy;
            ping.kind = QStringLiteral("query");
            ping.name = QStringLiteral("ping");
            ping.payload.clear();
            ping.source = QStringLiteral("node-a");
            cluster::ClusterEvent dropped;
            dropped.kind = QStringLiteral("dropped");
            dropped.name = QStringLiteral("12 events dropped");
            recorder.recordClusterEvents({ deploy, dropped, ping });
        } // the destructor writes what is queued

        HistoryStore store;
        QString error;
        QVERIFY(store.open(path, &error, true));
        const QList<HistoryEvent> read = store.read({});
        QStringList kinds;
        for (const HistoryEvent &e : read)
            kinds << e.kind;
        QCOMPARE(kinds,
            (QStringList { QStringLiteral("join"), QStringLiteral("metadata"),
                QStringLiteral("status"), QStringLiteral("probe"), QStringLiteral("rejected"),
                QStringLiteral("rejected"), QStringLiteral("user-event"),
                QStringLiteral("query") }));
        QCOMPARE(read.at(0).to, QStringLiteral("ONLINE"));
        QCOMPARE(read.at(1).value, std::optional<QByteArray>(QByteArray("imap")));
        QCOMPARE(read.at(2).from, QStringLiteral("ONLINE"));
        QCOMPARE(read.at(2).to, QStringLiteral("SUSPECT"));
        const HistoryEvent &probe = read.at(3);
        QCOMPARE(probe.count, 3);
        QCOMPARE(probe.extra.value(QStringLiteral("answered")).toInt(), 2);
        QCOMPARE(probe.extra.value(QStringLiteral("no_answer")).toInt(), 1);
        QCOMPARE(probe.extra.value(QStringLiteral("rtt_ms_mean")).toDouble(), 3.0);
        QCOMPARE(probe.extra.value(QStringLiteral("rtt_ms_max")).toDouble(), 4.0);
        QVERIFY2(probe.detail.contains(QStringLiteral("a:1")), qPrintable(probe.detail));
        QCOMPARE(read.at(4).count, 7);
        QCOMPARE(read.at(4).member, QStringLiteral("9.9.9.9:1"));
        QCOMPARE(read.at(5).count, 1);
        QCOMPARE(read.at(6).key, QStringLiteral("deploy"));
        QCOMPARE(read.at(6).value, std::optional<QByteArray>(QByteArray("v2")));
        QCOMPARE(read.at(6).detail, QStringLiteral("deploy v2"));
        QCOMPARE(read.at(6).extra.value(QStringLiteral("ltime")).toInt(), 5);
        QCOMPARE(read.at(7).member, QStringLiteral("node-a"));
        QCOMPARE(read.at(7).detail, QStringLiteral("ping"));
    }

    void preloadFillsLogTimelineAndChart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        {
            HistoryStore store;
            QString error;
            QVERIFY(store.open(path, &error));
            const qint64 mine = store.clusterId(QStringLiteral("swim:a"), true);
            const qint64 other = store.clusterId(QStringLiteral("swim:b"), true);
            HistoryEvent old
                = makeEvent(QStringLiteral("join"), QStringLiteral("m1"), kNow.addSecs(-7200));
            old.to = QStringLiteral("ONLINE");
            HistoryEvent m2
                = makeEvent(QStringLiteral("join"), QStringLiteral("m2"), kNow.addSecs(-7000));
            m2.to = QStringLiteral("ONLINE");
            QVERIFY(store.write(mine,
                { old, m2,
                    statusEvent(QStringLiteral("m1"), kNow.addSecs(-1800), QStringLiteral("ONLINE"),
                        QStringLiteral("OFFLINE")),
                    makeEvent(probeKindName(), QString(), kNow.addSecs(-60)) }));
            HistoryEvent foreign = old;
            foreign.member = QStringLiteral("elsewhere");
            QVERIFY(store.write(other, { foreign }));
        }
        PreloadRequest request;
        request.path = path;
        request.cluster = QStringLiteral("swim:a");
        request.now = kNow;
        QList<EventRecord> log;
        TimelineModel timeline;
        QString error;
        QVERIFY2(preloadHistory(request, &log, &timeline, &error), qPrintable(error));
        // The log: the last hour only, in the log's kinds (a probe summary is not one).
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.at(0).kind, EventKind::Status);
        QCOMPARE(log.at(0).member, QStringLiteral("m1"));
        QCOMPARE(log.at(0).time, kNow.addSecs(-1800));
        // The timeline: everything of this cluster.
        QCOMPARE(timeline.laneCount(), 2);
        QCOMPARE(timeline.laneOf(QStringLiteral("elsewhere")), -1);
        QCOMPARE(timeline.statusAt(timeline.laneOf(QStringLiteral("m1")), kNow.toMSecsSinceEpoch()),
            std::optional<MemberStatus>(MemberStatus::Offline));
        // The chart: one sample a second, replayed.
        const QVector<StatusCounts> samples
            = replayStatusCounts(timeline, kNow.toMSecsSinceEpoch(), 300);
        QCOMPARE(samples.size(), 300);
        QCOMPARE(samples.constLast().count(MemberStatus::Offline), 1);
        QCOMPARE(samples.constLast().count(MemberStatus::Online), 1);
        // Limited: the newest events win.
        request.logLimit = 0;
        log.clear();
        QVERIFY(preloadHistory(request, &log, nullptr, &error));
        QVERIFY(log.isEmpty());
        // No history yet: nothing, and no error.
        request.path = dir.filePath(QStringLiteral("none.sqlite"));
        QVERIFY(preloadHistory(request, &log, &timeline, &error));
        QVERIFY(!QFile::exists(request.path));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
