// SerfService over real sockets on 127.0.0.1 against Shoal's own Serf members (SerfLocalCluster),
// plain and encrypted: the join, tags both ways, user events upward, a wrong key named, and the
// graceful leave. tst_serfinterop does the same against real Go agents.
#include "cluster/clustersession.h"
#include "net/serf/serfbackendfactory.h"
#include "net/serf/serflocalcluster.h"
#include "net/serf/serfservice.h"

#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace shoal;
using namespace shoal::serf;

namespace {

std::optional<MemberRecord> find(const QList<MemberRecord> &members, const QString &name)
{
    for (const MemberRecord &member : members) {
        if (member.name == name)
            return member;
    }
    return std::nullopt;
}

MemberStatus statusOf(const cluster::ClusterBackend &backend, const QString &name)
{
    return find(backend.members(), name).value_or(MemberRecord {}).status;
}

QByteArray tagOf(const cluster::ClusterBackend &backend, const QString &name, const QString &key)
{
    const MemberRecord record = find(backend.members(), name).value_or(MemberRecord {});
    return record.metadata.value_or(Metadata {}).value(key);
}

SerfServiceConfig observerConfig(const QStringList &peers, const Keyring &keyring = {})
{
    SerfServiceConfig config;
    config.bindPort = 0;
    config.peers = peers;
    config.keyring = keyring;
    config.tags.insert(QStringLiteral("app"), QByteArrayLiteral("shoal"));
    return config;
}

} // namespace

class TestSerfService : public QObject
{
    Q_OBJECT

private slots:
    void joinTagsEventsLeave_data()
    {
        QTest::addColumn<bool>("encrypted");
        QTest::newRow("plain") << false;
        QTest::newRow("encrypted") << true;
    }

    void joinTagsEventsLeave()
    {
        QFETCH(bool, encrypted);
        const Keyring keyring = encrypted ? Keyring({ QByteArray(16, 'k') }) : Keyring {};
        SerfLocalClusterConfig clusterConfig;
        clusterConfig.nodes = 3;
        clusterConfig.keyring = keyring;
        SerfLocalCluster cluster(clusterConfig);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QStringList names = cluster.names();
        QCOMPARE(names.size(), 3);

        SerfService observer(observerConfig({ names.first() }, keyring));
        QSignalSpy events(&observer, &cluster::ClusterBackend::eventReceived);
        QVERIFY2(observer.start(&error), qPrintable(error));
        for (const QString &name : names)
            QTRY_COMPARE_WITH_TIMEOUT(statusOf(observer, name), MemberStatus::Online, 10000);
        QCOMPARE(tagOf(observer, names.at(1), QStringLiteral("node")), QByteArray("1"));
        QVERIFY(observer.heardFromPeers());
        QVERIFY(observer.initialStateComplete());

        // Another observer sees ours with its tags, and our tag edits.
        SerfService second(observerConfig({ names.last() }, keyring));
        QVERIFY2(second.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(
            tagOf(second, observer.localName(), QStringLiteral("app")), QByteArray("shoal"), 10000);
        Metadata tags = observer.localMetadata();
        tags.insert(QStringLiteral("color"), QByteArrayLiteral("red"));
        observer.setLocalMetadata(tags);
        QTRY_COMPARE_WITH_TIMEOUT(
            tagOf(second, observer.localName(), QStringLiteral("color")), QByteArray("red"), 10000);

        // A user event of the second observer reaches the first, upward.
        second.sendUserEvent(QStringLiteral("deploy"), QByteArrayLiteral("v1"));
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10000);
        const auto event = events.constFirst().constFirst().value<cluster::ClusterEvent>();
        QCOMPARE(event.kind, QStringLiteral("user-event"));
        QCOMPARE(event.name, QStringLiteral("deploy"));
        QCOMPARE(event.payload, QByteArray("v1"));

        // The graceful leave: the others show us LEFT, not OFFLINE.
        const QString leaver = observer.localName();
        observer.leave();
        QVERIFY(!observer.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(second, leaver), MemberStatus::Left, 10000);
        QCOMPARE(find(second.members(), leaver)->protocolStatus, QStringLiteral("left"));
    }

    // The window's path: datagram -> SerfService (backend thread) -> session -> event log,
    // with the name and payload as the log's key and value.
    void userEventsAndQueriesReachTheSessionLog()
    {
        SerfLocalClusterConfig clusterConfig;
        clusterConfig.nodes = 2;
        SerfLocalCluster cluster(clusterConfig);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        cluster::ClusterSession session;
        QVERIFY2(
            session.start(serfBackendFactory(observerConfig({ cluster.names().first() })), &error),
            qPrintable(error));
        SerfService sender(observerConfig({ cluster.names().last() }));
        QVERIFY2(sender.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(sender.initialStateComplete(), 10000);
        sender.sendUserEvent(QStringLiteral("deploy"), QByteArrayLiteral("v42"));
        const auto userEventRow = [&session]() -> std::optional<EventRecord> {
            const EventLogModel &events = *session.events();
            for (int row = 0; row < events.rowCount(); ++row) {
                if (events.eventAt(row).kind == EventKind::UserEvent)
                    return events.eventAt(row);
            }
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(userEventRow().has_value(), 10000);
        const EventRecord row = *userEventRow();
        QCOMPARE(row.key, QStringLiteral("deploy"));
        QCOMPARE(row.value, std::optional(QByteArray("v42")));
        QCOMPARE(row.detail, QStringLiteral("deploy v42"));
        QCOMPARE(eventKindName(row.kind), QStringLiteral("user-event"));
        QCOMPARE(session.events()->total(EventKind::UserEvent), qint64(1));
        sender.leave();
        session.stop();
    }

    // serve's layout above 50 nodes: members spread over worker threads and preloaded as if
    // long converged form one cluster: an observer joining the last one sees every member at
    // once (no member joined another), and stop() tears the threads down.
    void threadedPreloadedLocalCluster()
    {
        SerfLocalClusterConfig clusterConfig;
        clusterConfig.nodes = 12;
        clusterConfig.threads = 3;
        clusterConfig.preJoin = true;
        SerfLocalCluster cluster(clusterConfig);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QStringList names = cluster.names();
        QCOMPARE(names.size(), 12);
        SerfService observer(observerConfig({ names.last() }));
        QVERIFY2(observer.start(&error), qPrintable(error));
        for (const QString &name : names)
            QTRY_COMPARE_WITH_TIMEOUT(statusOf(observer, name), MemberStatus::Online, 10000);
        QCOMPARE(tagOf(observer, names.at(7), QStringLiteral("node")), QByteArray("7"));
        cluster.stop();
        QVERIFY(cluster.names().isEmpty());
        observer.stop();
    }

    // Every datagram is read, however the bursts fall: QUdpSocket re-enables its read
    // notifier only on a read, so a wake-up that finds the socket already drained (by the
    // zero-timer that continues a long read) and reads nothing would leave it deaf for good.
    void udpStaysReadAfterBursts()
    {
        SerfServiceConfig config;
        config.bindPort = 0;
        SerfService service(config);
        QString error;
        QVERIFY2(service.start(&error), qPrintable(error));
        QUdpSocket sender;
        QVERIFY(sender.bind(QHostAddress::LocalHost, 0));
        const QByteArray junk(64, '\xff');
        quint64 sent = 0;
        for (int burst = 0; burst < 40; ++burst) {
            const int count = 100 + (burst * 97) % 1500;
            for (int i = 0; i < count; ++i) {
                if (sender.writeDatagram(junk, QHostAddress::LocalHost, service.boundPort()) > 0)
                    ++sent;
            }
            QTRY_COMPARE_WITH_TIMEOUT(service.trafficCounters().udpIn, sent, 5000);
        }
    }

    void wrongKeyIsNamed()
    {
        SerfLocalClusterConfig clusterConfig;
        clusterConfig.nodes = 1;
        clusterConfig.keyring = Keyring({ QByteArray(16, 'a') });
        SerfLocalCluster cluster(clusterConfig);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        SerfService observer(observerConfig(cluster.names(), Keyring({ QByteArray(16, 'b') })));
        QVERIFY2(observer.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!observer.rejectTotals().isEmpty(), 10000);
        QVERIFY(!observer.heardFromPeers());
        QStringList reasons;
        const auto totals = observer.rejectTotals();
        for (const auto &bySource : totals)
            reasons += bySource.keys();
        QCOMPARE(reasons.size(), 1);
        const QString reason = reasons.constFirst();
        QVERIFY2(observer.rejectCause(reason).contains(QLatin1String("wrong --encrypt key")),
            qPrintable(reason));
    }
};

QTEST_GUILESS_MAIN(TestSerfService)
#include "tst_serfservice.moc"
