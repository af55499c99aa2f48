// Tests of the live service on loopback: members converge, edits spread (over TCP when
// oversized), pymap's metadata rule holds, and a wrong secret is counted with nothing applied.
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

#include <memory>
#include <vector>

using namespace shoal;
using namespace shoal::swim;

// GCC 12 at -O2 sees a null QMap d-pointer path in Qt's inlined const lookups and warns
// (a false positive: the lookups check it first).
#pragma GCC diagnostic ignored "-Wnull-dereference"

namespace {

// Fast but not frantic: a test converges in well under a second on an idle machine.
Timings fastTimings()
{
    return Timings { 100, 60, 1, 120, 1500, 50 };
}

LocalClusterConfig clusterConfig(int nodes)
{
    LocalClusterConfig config;
    config.nodes = nodes;
    config.secret = QByteArrayLiteral("test-secret");
    config.timings = fastTimings();
    config.extraMetadata = { { QStringLiteral("role"), QByteArrayLiteral("test") } };
    return config;
}

ServiceConfig serviceConfig(const QByteArray &secret, const QStringList &peers)
{
    ServiceConfig config;
    config.member.localName = QStringLiteral("127.0.0.1:0");
    config.member.peers = peers;
    config.member.timings = fastTimings();
    config.secret = secret;
    return config;
}

// What `service` holds for member's key, empty when absent (one place for the QMap lookups).
QByteArray remoteValue(const SwimService *service, const QString &key, const QString &member)
{
    const RemoteMetadata &all = service->metadata()->remote();
    const auto values = all.constFind(key);
    if (values == all.cend())
        return {};
    const auto it = values->constFind(member);
    return it == values->cend() ? QByteArray() : *it;
}

bool hasRemoteValue(const SwimService *service, const QString &key, const QString &member)
{
    const RemoteMetadata &all = service->metadata()->remote();
    const auto values = all.constFind(key);
    return values != all.cend() && values->constFind(member) != values->cend();
}

} // namespace

class TestSwimService final : public QObject
{
    Q_OBJECT
private slots:
    // The editor's estimate is swim's own datagram: what the metadata adds to it is what it adds
    // to swim-protocol 0.6.3's golden Gossips (274 bytes empty, 587 with a 300-byte value, 2455
    // with twenty 100-byte values); the rest differs only by the clock and source encoded.
    void sizeEstimateFollowsTheReference()
    {
        const auto estimate = gossipSizeEstimator(QByteArrayLiteral("test-secret"),
            Codec::defaultVersion(), QStringLiteral("127.0.0.1:2001"));
        const qsizetype empty = estimate({});
        QByteArray blob;
        for (int i = 0; i < 300; ++i)
            blob.append(char(i % 251));
        const qsizetype withBlob = estimate({ { QStringLiteral("blob"), blob } });
        Metadata big;
        for (int i = 0; i < 20; ++i)
            big.insert(QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0')),
                QByteArray(100, char('A' + i)));
        const qsizetype oversized = estimate(big);
        // Within a byte: our pickler and the reference's memoize one item differently.
        QVERIFY2(
            qAbs((withBlob - empty) - (587 - 274)) <= 1, qPrintable(QString::number(withBlob)));
        QVERIFY2(
            qAbs((oversized - empty) - (2455 - 274)) <= 1, qPrintable(QString::number(oversized)));
    }

    void membersConverge()
    {
        LocalCluster cluster(clusterConfig(5));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QCOMPARE(cluster.size(), 5);
        const QStringList names = cluster.names();
        QCOMPARE(names.size(), 5);
        for (const QString &name : names)
            QVERIFY(!name.endsWith(QStringLiteral(":0"))); // the name carries the real port
        QTRY_VERIFY_WITH_TIMEOUT(cluster.isConverged(), 30000);

        // pymap's rule: every other member is in the metadata, with its keys.
        SwimService *first = cluster.member(0);
        ClusterMetadata *metadata = first->metadata();
        QTRY_COMPARE_WITH_TIMEOUT(metadata->size(), 4, 10000);
        QCOMPARE(remoteValue(first, QStringLiteral("node"), names.at(3)), QByteArrayLiteral("3"));
        QCOMPARE(metadata->remote().constFind(QStringLiteral("role"))->size(), 4);
        QCOMPARE(metadata->local().value(QStringLiteral("node")), QByteArrayLiteral("0"));
        QVERIFY(!metadata->contains(first->localName()));
        const auto record = first->member(names.at(2));
        QVERIFY(record);
        QCOMPARE(record->status, MemberStatus::Online);
        QCOMPARE(record->metadata->value(QStringLiteral("role")), QByteArrayLiteral("test"));
        QVERIFY(first->transportCounters().packetsIn.value(QStringLiteral("Gossip")) > 0);
        QVERIFY(first->transportCounters().packetsOut.value(QStringLiteral("Ping")) > 0);
        QCOMPARE(first->transportCounters().rejectedTotal(), 0u);
    }

    void preJoinStartsConverged()
    {
        LocalClusterConfig config = clusterConfig(40);
        config.preJoin = true;
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        // Converged before any datagram was exchanged: no cold-start storm to wait for.
        QVERIFY(cluster.isConverged());
        QCOMPARE(cluster.member(7)->metadata()->size(), 39);
        // And the preload itself queued nothing: no GossipAck sent or held for later (at
        // 1,000 members that was 2x10^6 datagrams the one thread then read for seconds).
        for (qsizetype i = 0; i < cluster.size(); ++i) {
            QCOMPARE(cluster.member(i)->transportCounters().packetsOut.value(
                         QStringLiteral("GossipAck")),
                quint64(0));
            QCOMPARE(cluster.member(i)->unverifiedBytesHeld(), qsizetype(0));
        }
        // And it stays so, and a later edit still spreads by gossip.
        cluster.member(3)->metadata()->setLocal(QStringLiteral("token"), QByteArrayLiteral("x"));
        QTRY_COMPARE_WITH_TIMEOUT(
            remoteValue(cluster.member(30), QStringLiteral("token"), cluster.names().at(3)),
            QByteArrayLiteral("x"), 20000);
        QVERIFY(cluster.isConverged());
    }

    void localEditSpreads()
    {
        LocalCluster cluster(clusterConfig(3));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.isConverged(), 30000);
        SwimService *editor = cluster.member(0);
        SwimService *reader = cluster.member(2);
        QSignalSpy updates(reader, &SwimService::membersUpdated);
        QSignalSpy acks(editor, &SwimService::localAcknowledged);
        editor->metadata()->setLocal(QStringLiteral("token"), QByteArrayLiteral("abc"));
        const quint64 editedClock = editor->member(editor->localName())->clock;
        QTRY_COMPARE_WITH_TIMEOUT(remoteValue(reader, QStringLiteral("token"), editor->localName()),
            QByteArrayLiteral("abc"), 10000);
        // The reader's GossipAck of the edited version comes back as spread.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(acks.cbegin(), acks.cend(),
                                     [&](const QList<QVariant> &args) {
                                         return args.at(0).toString() == reader->localName()
                                             && args.at(1).toULongLong() >= editedClock;
                                     }),
            10000);
        // The update names the member, and carries the record as it was before.
        bool sawPrevious = false;
        for (const auto &args : updates) {
            for (const cluster::MemberUpdate &update :
                args.at(0).value<QList<cluster::MemberUpdate>>()) {
                if (update.member.name == editor->localName()
                    && update.what.testFlag(cluster::ChangeFlag::Metadata)) {
                    QVERIFY(update.previous);
                    QVERIFY(!update.previous->metadata->contains(QStringLiteral("token")));
                    sawPrevious = true;
                }
            }
        }
        QVERIFY(sawPrevious);
        // A removed key disappears remotely too.
        QVERIFY(editor->metadata()->removeLocal(QStringLiteral("token")));
        QTRY_VERIFY_WITH_TIMEOUT(
            !hasRemoteValue(reader, QStringLiteral("token"), editor->localName()), 10000);
    }

    void oversizedValueCrossesOverTcp()
    {
        LocalCluster cluster(clusterConfig(2));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.isConverged(), 30000);
        SwimService *editor = cluster.member(0);
        SwimService *reader = cluster.member(1);
        QByteArray big(5000, '\0');
        for (int i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>(i % 251); // binary, not UTF-8
        editor->metadata()->setLocal(QStringLiteral("big"), big);
        QTRY_COMPARE_WITH_TIMEOUT(
            remoteValue(reader, QStringLiteral("big"), editor->localName()), big, 10000);
        QVERIFY(editor->transportCounters().tcpOut > 0);
        QVERIFY(reader->transportCounters().tcpIn > 0);
    }

    void wrongSecretCountedNothingApplied()
    {
        // Two members that know each other but disagree on the secret.
        SwimService a(serviceConfig(QByteArrayLiteral("secret-a"), {}));
        QString error;
        QVERIFY2(a.start(&error), qPrintable(error));
        SwimService b(serviceConfig(QByteArrayLiteral("secret-b"), { a.localName() }));
        QVERIFY2(b.start(&error), qPrintable(error));
        a.setRejectReportIntervalMs(50);
        QSignalSpy reports(&a, &SwimService::datagramsRejected);
        QVERIFY(reports.wait(10000));
        const auto batch = reports.at(0).at(0).value<QList<cluster::RejectReport>>();
        QVERIFY(!batch.isEmpty());
        QCOMPARE(batch.at(0).from, b.localName());
        QCOMPARE(batch.at(0).reason, QStringLiteral("signature"));
        QVERIFY(batch.at(0).count >= 1);
        QVERIFY(a.transportCounters().rejectedByReason.value(QStringLiteral("signature")) >= 1);
        QVERIFY(a.transportCounters().rejectedBySource.value(QStringLiteral("127.0.0.1")) >= 1);
        QCOMPARE(a.rejectsBySource().value(b.localName()).value(QStringLiteral("signature")),
            a.transportCounters().rejectedByReason.value(QStringLiteral("signature")));
        // Nothing from b was applied: a knows no one, heard from no one.
        QVERIFY(!a.member(b.localName()));
        QVERIFY(a.heardFrom().isEmpty());
        QVERIFY(a.metadata()->isEmpty());
        QCOMPARE(a.transportCounters().packetsIn.value(QStringLiteral("Ping")), 0u);
        // And b never saw a answer: a stays UNKNOWN (never given a status) with unknown
        // metadata there.
        const auto seen = b.member(a.localName());
        QVERIFY(seen);
        QCOMPARE(seen->status, MemberStatus::Unknown);
        QVERIFY(!seen->metadata);
    }

    void portInUseIsAnError()
    {
        SwimService a(serviceConfig(QByteArrayLiteral("s"), {}));
        QString error;
        QVERIFY2(a.start(&error), qPrintable(error));
        ServiceConfig clash = serviceConfig(QByteArrayLiteral("s"), {});
        clash.member.localName = a.localName();
        SwimService b(clash);
        QVERIFY(!b.start(&error));
        QVERIFY2(error.contains(a.localName()), qPrintable(error));
        QVERIFY(!b.isRunning());
    }

    void stoppedMemberGoesOffline()
    {
        LocalCluster cluster(clusterConfig(3));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(cluster.isConverged(), 30000);
        const QString gone = cluster.member(2)->localName();
        cluster.member(2)->stop();
        SwimService *watcher = cluster.member(0);
        QTRY_VERIFY_WITH_TIMEOUT(watcher->member(gone)->status == MemberStatus::Offline, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!watcher->metadata()->memberNames().contains(gone), 5000);
    }

    // Issue 14, finding 2: members only named by a (signed) packet, never heard from at their
    // own address, share a small send budget, so Shoal cannot be turned into a reflector.
    void unverifiedMembersShareASendBudget()
    {
        const QByteArray secret = QByteArrayLiteral("reflect");
        ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.secret = secret;
        SwimService service(config);
        QString error;
        QVERIFY2(service.start(&error), qPrintable(error));
        const quint16 port
            = static_cast<quint16>(service.localName().section(QLatin1Char(':'), -1).toUInt());
        QElapsedTimer elapsed;
        elapsed.start();
        // Bystanders: addresses the attacker names as members.
        std::vector<std::unique_ptr<QUdpSocket>> victims;
        for (int i = 0; i < 20; ++i) {
            auto socket = std::make_unique<QUdpSocket>();
            QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.2")), 0));
            victims.push_back(std::move(socket));
        }
        QUdpSocket attacker;
        QVERIFY(attacker.bind(QHostAddress::LocalHost, 0));
        const Source from { QStringLiteral("127.0.0.1:%1").arg(attacker.localPort()),
            QByteArray(8, 'a') };
        const Codec codec(secret);
        qint64 attackBytes = 0;
        for (const auto &victim : victims) {
            WireMetadata metadata;
            metadata.append({ QStringLiteral("filler"), QByteArray(300, 'm') });
            const Gossip gossip { from, QStringLiteral("127.0.0.2:%1").arg(victim->localPort()), 1,
                WireStatus::Online, metadata };
            const QByteArray datagram = codec.encode(gossip);
            attackBytes += datagram.size();
            attacker.writeDatagram(datagram, QHostAddress::LocalHost, port);
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            service.unverifiedSendsDropped() > 0 || service.unverifiedBytesHeld() > 0, 15000);
        qint64 reflected = 0;
        for (const auto &victim : victims) {
            while (victim->hasPendingDatagrams())
                reflected += victim->receiveDatagram().data().size();
        }
        // At most the burst plus the rate over the time taken (8 KiB + 2 KiB/s), one datagram
        // over at most; without the budget each forged member's first sync alone is 20 records.
        const qint64 bound = 8192 + 2048 * (elapsed.elapsed() / 1000 + 1) + 1500;
        QVERIFY2(reflected <= bound,
            qPrintable(QStringLiteral("%1 bytes reflected, bound %2 (attack: %3 bytes)")
                           .arg(reflected)
                           .arg(bound)
                           .arg(attackBytes)));
        // The attacker, heard at its own address, is answered without a budget.
        QTRY_VERIFY_WITH_TIMEOUT(attacker.hasPendingDatagrams(), 5000);
    }

    // The records of a sync to a member never heard from wait for its answer (they never
    // spend the budget that Pings and our own record need), then go at once: a genuine new
    // member gets the whole table within a round trip of answering, a forged name nothing.
    void syncToUnverifiedMemberWaitsForItsAnswer()
    {
        const QByteArray secret = QByteArrayLiteral("hold");
        const Codec codec(secret);
        QUdpSocket peer;
        QUdpSocket newcomer;
        QVERIFY(peer.bind(QHostAddress::LocalHost, 0));
        QVERIFY(newcomer.bind(QHostAddress::LocalHost, 0));
        const Source peerSource { QStringLiteral("127.0.0.1:%1").arg(peer.localPort()),
            QByteArray(8, 'p') };
        const Source newSource { QStringLiteral("127.0.0.1:%1").arg(newcomer.localPort()),
            QByteArray(8, 'n') };
        ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.member.peers = { peerSource.name };
        config.member.timings.syncIntervalMs = 50;
        config.secret = secret;
        SwimService service(config);
        QString error;
        QVERIFY2(service.start(&error), qPrintable(error));
        const quint16 port
            = static_cast<quint16>(service.localName().section(QLatin1Char(':'), -1).toUInt());
        WireMetadata metadata;
        metadata.append({ QStringLiteral("k"), QByteArrayLiteral("v") });
        for (const QString &name : { peerSource.name, newSource.name })
            peer.writeDatagram(
                codec.encode(Gossip { peerSource, name, 3, WireStatus::Online, metadata }),
                QHostAddress::LocalHost, port);
        // Records about the peer reaching the newcomer, which never spoke yet.
        auto relayedToNewcomer = [&] {
            int relayed = 0;
            while (newcomer.hasPendingDatagrams()) {
                const DecodeResult result = codec.decode(newcomer.receiveDatagram().data());
                if (const auto *packet = std::get_if<Packet>(&result)) {
                    if (const auto *gossip = std::get_if<Gossip>(packet);
                        gossip && gossip->name == peerSource.name)
                        ++relayed;
                }
            }
            return relayed;
        };
        // About 40 syncs, half of them to the newcomer.
        QTRY_VERIFY_WITH_TIMEOUT(service.unverifiedBytesHeld() > 0, 5000);
        QTest::qWait(2000);
        QCOMPARE(relayedToNewcomer(), 0);
        QCOMPARE(service.unverifiedSendsReleased(), quint64(0));
        // It answers from its own address: what waited goes now.
        newcomer.writeDatagram(codec.encode(Ping { newSource }), QHostAddress::LocalHost, port);
        QTRY_VERIFY_WITH_TIMEOUT(newcomer.hasPendingDatagrams(), 2000);
        QTest::qWait(200);
        QVERIFY(relayedToNewcomer() > 0);
        QVERIFY(service.unverifiedSendsReleased() > 0);
        QCOMPARE(service.unverifiedBytesHeld(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSwimService)
#include "tst_swimservice.moc"
