// Tests of a backend (swim's) run on its own thread: start and bind failure, the mirror and
// signals in the owner thread, local edits reaching a peer, coalescing, a demo, and stopping
// under traffic.
#include "cluster/backendthread.h"
#include "cluster/mirrorrule.h"
#include "cluster/updatecoalescer.h"
#include "net/swim/swimbackendfactory.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUdpSocket>

#include <atomic>

using namespace shoal;
using namespace shoal::swim;
using namespace shoal::cluster;

// GCC 12 at -O2 sees a null QMap d-pointer path in Qt's inlined const lookups and warns
// (a false positive: the lookups check it first).
#pragma GCC diagnostic ignored "-Wnull-dereference"

namespace {

const QByteArray kSecret = QByteArrayLiteral("thread-secret");

Timings fastTimings()
{
    return Timings { 100, 60, 1, 120, 1500, 50 };
}

ServiceConfig serviceConfig(const QStringList &peers, const WireMetadata &metadata = {})
{
    ServiceConfig config;
    config.member.localName = QStringLiteral("127.0.0.1:0");
    config.member.peers = peers;
    config.member.timings = fastTimings();
    config.member.localMetadata = metadata;
    config.secret = kSecret;
    return config;
}

MemberRecord record(const QString &name, quint64 clock, const QByteArray &token)
{
    MemberRecord result;
    result.name = name;
    result.status = MemberStatus::Online;
    result.clock = clock;
    result.metadata = Metadata { { QStringLiteral("token"), token } };
    return result;
}

QByteArray remoteValue(const ClusterMetadata &metadata, const QString &key, const QString &member)
{
    const RemoteMetadata &all = metadata.remote();
    const auto values = all.constFind(key);
    if (values == all.cend())
        return {};
    return values->value(member);
}

// The thread only delivers; the session applies pymap's rule. These tests check it arrives.
void mirrorUpdates(BackendThread &thread, ClusterMetadata &mirror)
{
    QObject::connect(&thread, &BackendThread::membersUpdated, &mirror,
        [&mirror](const QList<MemberUpdate> &updates) {
            for (const MemberUpdate &update : updates)
                mirrorMember(mirror, update.member, update.what);
        });
}

QList<MemberUpdate> updatesOf(const QSignalSpy &spy, const QString &member)
{
    QList<MemberUpdate> result;
    for (const QList<QVariant> &args : spy) {
        for (const MemberUpdate &update : args.at(0).value<QList<MemberUpdate>>()) {
            if (update.member.name == member)
                result.append(update);
        }
    }
    return result;
}

quint16 portOf(const QString &name)
{
    return static_cast<quint16>(name.mid(name.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
}

// A backend of no protocol at all: what the thread needs is the interface, nothing more.
class FakeBackend final : public ClusterBackend
{
public:
    // events: user events ("e0", "e1", ...) emitted at once after the start, as a Serf flood.
    explicit FakeBackend(std::atomic<int> *leaves, int events = 0)
        : m_leaves(leaves)
        , m_events(events)
    { }
    bool start(QString *) override
    {
        m_running = true;
        QTimer::singleShot(0, this, [this] {
            for (int i = 0; i < m_events; ++i)
                emit eventReceived(
                    ClusterEvent { i % 2 ? QStringLiteral("query") : QStringLiteral("user-event"),
                        QStringLiteral("e%1").arg(i), QByteArray::number(i), quint64(i + 1),
                        i % 2 ? QStringLiteral("fake:3") : QString() });
        });
        // Two batches about one member, in one coalescing window.
        QTimer::singleShot(0, this, [this] {
            MemberRecord record;
            record.name = QStringLiteral("fake:2");
            record.status = MemberStatus::Online;
            record.clock = 1;
            emit membersUpdated({ { record, std::nullopt, ChangeFlag::Added, false } });
            const MemberRecord before = record;
            record.clock = 2;
            emit membersUpdated({ { record, before, ChangeFlag::Clock, false } });
        });
        return true;
    }
    void stop() override { m_running = false; }
    void leave() override
    {
        if (m_holdLeave)
            m_holdLeave->acquire(); // a graceful leave that takes its time
        ++*m_leaves;
        stop();
    }
    void holdLeaveOn(QSemaphore *semaphore) { m_holdLeave = semaphore; }
    bool isRunning() const override { return m_running; }
    QString localName() const override { return QStringLiteral("fake:1"); }
    QList<MemberRecord> members() const override { return {}; }
    Metadata localMetadata() const override { return m_local; }
    void setLocalMetadata(const Metadata &local) override { m_local = local; }
    TrafficCounters trafficCounters() const override { return {}; }
    Capabilities capabilities() const override { return { false, true, false, {} }; }
    SizeEstimator sizeEstimator() const override
    {
        return [](const Metadata &metadata) { return qsizetype(metadata.size()); };
    }

private:
    std::atomic<int> *m_leaves;
    QSemaphore *m_holdLeave = nullptr;
    int m_events = 0;
    bool m_running = false;
    Metadata m_local;
};

} // namespace

class TestBackendThread final : public QObject
{
    Q_OBJECT
private slots:
    void anyBackendRunsAndLeavesOnStop()
    {
        std::atomic<int> leaves { 0 };
        ClusterMetadata local;
        local.setLocalMetadata({ { QStringLiteral("k"), "v" } });
        BackendThread thread(&local);
        QSignalSpy updates(&thread, &BackendThread::membersUpdated);
        QString error;
        QVERIFY(thread.start(
            [&leaves](QObject *, QString *) { return std::make_unique<FakeBackend>(&leaves); },
            &error));
        QCOMPARE(thread.localName(), QStringLiteral("fake:1"));
        QVERIFY(thread.capabilities().gracefulLeave);
        QCOMPARE(thread.sizeEstimator()(Metadata { { QStringLiteral("a"), "b" } }), 1);
        QCOMPARE(local.local(), (Metadata { { QStringLiteral("k"), "v" } })); // taken over
        // Both batches arrive as one, with the first previous and the latest record.
        QTRY_COMPARE(updates.count(), 1);
        const auto batch = updates.at(0).at(0).value<QList<MemberUpdate>>();
        QCOMPARE(batch.size(), 1);
        QCOMPARE(batch.first().member.clock, 2u);
        QVERIFY(!batch.first().previous);
        QCOMPARE(batch.first().what, ChangeFlag::Added | ChangeFlag::Clock);
        thread.stop();
        QCOMPARE(leaves.load(), 1); // told the cluster before going
    }

    void stopInBackgroundDoesNotWaitForTheLeave()
    {
        std::atomic<int> leaves { 0 };
        QSemaphore release;
        BackendThread thread;
        QSignalSpy stopped(&thread, &BackendThread::stopped);
        QString error;
        QVERIFY(thread.start(
            [&leaves, &release](QObject *, QString *) {
                auto backend = std::make_unique<FakeBackend>(&leaves);
                backend->holdLeaveOn(&release);
                return backend;
            },
            &error));
        // Returns while the backend's leave still waits (a blocking stop would hang here).
        thread.stopInBackground();
        QVERIFY(!thread.isRunning());
        QVERIFY(thread.isStopping());
        QCOMPARE(thread.localName(), QString());
        QCOMPARE(leaves.load(), 0);
        QCOMPARE(stopped.count(), 0);
        release.release();
        QVERIFY(stopped.wait(10000));
        QCOMPARE(leaves.load(), 1);
        QVERIFY(!thread.isStopping());
        // Nothing running: stopped() all the same, from the event loop.
        thread.stopInBackground();
        QCOMPARE(stopped.count(), 1);
        QVERIFY(stopped.wait(10000));
        QCOMPARE(stopped.count(), 2);
    }

    // Serf's user events and queries reach the owner thread in order, at most 256 a window,
    // with one note of how many more were dropped (a flood queues nothing without bound).
    void userEventsReachTheOwnerThreadBounded()
    {
        std::atomic<int> leaves { 0 };
        BackendThread thread;
        thread.setCoalesceIntervalMs(200); // one window for the whole burst
        QSignalSpy events(&thread, &BackendThread::eventsReceived);
        QString error;
        QVERIFY(thread.start(
            [&leaves](QObject *, QString *) { return std::make_unique<FakeBackend>(&leaves, 300); },
            &error));
        QTRY_COMPARE(events.count(), 1);
        const auto batch = events.at(0).at(0).value<QList<ClusterEvent>>();
        QCOMPARE(batch.size(), 257);
        for (int i = 0; i < 256; ++i) {
            QCOMPARE(batch[i].name, QStringLiteral("e%1").arg(i));
            QCOMPARE(batch[i].kind, i % 2 ? QStringLiteral("query") : QStringLiteral("user-event"));
            QCOMPARE(batch[i].payload, QByteArray::number(i));
            QCOMPARE(batch[i].ltime, quint64(i + 1));
        }
        QCOMPARE(batch[1].source, QStringLiteral("fake:3"));
        QCOMPARE(batch.last().kind, QStringLiteral("dropped"));
        QVERIFY2(batch.last().name.startsWith(QStringLiteral("44 more events")),
            qPrintable(batch.last().name));
        thread.stop();
    }

    void coalescerMergesPerMember()
    {
        UpdateCoalescer coalescer;
        QVERIFY(coalescer.isEmpty());
        const QString a = QStringLiteral("127.0.0.1:1");
        const QString b = QStringLiteral("127.0.0.1:2");
        coalescer.add({ MemberUpdate { record(a, 2, "2"), record(a, 1, "1"),
            ChangeFlag::Metadata | ChangeFlag::Clock, false } });
        coalescer.add({ MemberUpdate { record(b, 7, "b"), std::nullopt, ChangeFlag::Added, false },
            MemberUpdate { record(a, 3, "3"), record(a, 2, "2"), ChangeFlag::Heard, true } });
        coalescer.add(
            { MemberUpdate { record(a, 4, "4"), record(a, 3, "3"), ChangeFlag::Status, false } });
        coalescer.acknowledge(a, 5);
        coalescer.acknowledge(a, 3);
        coalescer.acknowledge(b, 1);
        QVERIFY(!coalescer.isEmpty());

        const QList<MemberUpdate> merged = coalescer.takeUpdates();
        QCOMPARE(merged.size(), 2);
        QCOMPARE(merged.at(0).member.name, a); // first seen first
        QCOMPARE(merged.at(0).member.clock, 4u); // the latest record
        QCOMPARE(merged.at(0).member.metadata->value(QStringLiteral("token")), "4");
        QVERIFY(merged.at(0).previous); // the first previous
        QCOMPARE(merged.at(0).previous->clock, 1u);
        QCOMPARE(merged.at(0).what,
            ChangeFlag::Metadata | ChangeFlag::Clock | ChangeFlag::Heard | ChangeFlag::Status);
        QCOMPARE(merged.at(0).localVerdict, false); // the latest
        QCOMPARE(merged.at(1).member.name, b);
        QVERIFY(!merged.at(1).previous); // still a newcomer
        QCOMPARE(merged.at(1).what, ChangeFlags(ChangeFlag::Added));

        auto acks = coalescer.takeAcknowledgements();
        std::sort(acks.begin(), acks.end());
        QCOMPARE(acks, (QList<QPair<QString, quint64>> { { a, 5 }, { b, 1 } }));
        QVERIFY(coalescer.isEmpty());
        QVERIFY(coalescer.takeUpdates().isEmpty());
    }

    void startReportsBoundName()
    {
        ClusterMetadata mirror;
        BackendThread thread(&mirror);
        mirrorUpdates(thread, mirror);
        QVERIFY(!thread.isRunning());
        QString error;
        QVERIFY2(
            thread.start(swimBackendFactory(
                             serviceConfig({}, { { QStringLiteral("app"), "t" } }), std::nullopt),
                &error),
            qPrintable(error));
        QVERIFY(thread.isRunning());
        QVERIFY(thread.workerThread());
        QVERIFY(thread.workerThread() != QThread::currentThread());
        QVERIFY(thread.workerThread()->isRunning());
        const QString name = thread.localName();
        QVERIFY(name.startsWith(QStringLiteral("127.0.0.1:")));
        QVERIFY(portOf(name) != 0);
        // The port is really taken.
        QUdpSocket probe;
        QVERIFY(!probe.bind(QHostAddress::LocalHost, portOf(name)));
        // The local member as of start, and the service's local mapping in the mirror.
        const QList<MemberRecord> initial = thread.initialMembers();
        QVERIFY(std::any_of(initial.cbegin(), initial.cend(),
            [&](const MemberRecord &r) { return r.local && r.name == name; }));
        QCOMPARE(mirror.local(), (Metadata { { QStringLiteral("app"), "t" } }));
        thread.stop();
        QVERIFY(!thread.isRunning());
        QVERIFY(!thread.workerThread());
        QVERIFY(thread.localName().isEmpty());
        QVERIFY(thread.initialMembers().isEmpty());
        QVERIFY(probe.bind(QHostAddress::LocalHost, portOf(name))); // released
    }

    void bindFailureStopsThread()
    {
        QUdpSocket taken;
        QVERIFY(taken.bind(QHostAddress::LocalHost, 0));
        ServiceConfig config = serviceConfig({});
        config.member.localName = QStringLiteral("127.0.0.1:%1").arg(taken.localPort());
        BackendThread thread;
        QString error;
        QVERIFY(!thread.start(swimBackendFactory(config, std::nullopt), &error));
        QVERIFY2(error.contains(QString::number(taken.localPort())), qPrintable(error));
        QVERIFY(!thread.isRunning());
        QVERIFY(!thread.workerThread());
        QVERIFY(thread.localName().isEmpty());
        // The same object starts once the port is free to choose.
        QVERIFY2(thread.start(swimBackendFactory(serviceConfig({}), std::nullopt), &error),
            qPrintable(error));
        QVERIFY(thread.isRunning());
    }

    void remoteMetadataReachesOwnerThread()
    {
        SwimService peer(serviceConfig({}, { { QStringLiteral("k"), "v" } }));
        QString error;
        QVERIFY2(peer.start(&error), qPrintable(error));
        ClusterMetadata mirror;
        BackendThread thread(&mirror);
        mirrorUpdates(thread, mirror);
        thread.setCountersIntervalMs(50);
        QSet<QThread *> seenIn;
        auto note = [&seenIn] { seenIn.insert(QThread::currentThread()); };
        connect(&thread, &BackendThread::membersUpdated, this, note);
        connect(&thread, &BackendThread::countersUpdated, this, note);
        connect(&mirror, &ClusterMetadata::memberAdded, this, note);
        connect(&mirror, &ClusterMetadata::remoteValueChanged, this, note);
        QSignalSpy updates(&thread, &BackendThread::membersUpdated);
        QSignalSpy counters(&thread, &BackendThread::countersUpdated);
        QVERIFY2(thread.start(
                     swimBackendFactory(serviceConfig({ peer.localName() }), std::nullopt), &error),
            qPrintable(error));

        QTRY_COMPARE_WITH_TIMEOUT(mirror.memberMetadata(peer.localName()),
            (Metadata { { QStringLiteral("k"), "v" } }), 10000);
        QVERIFY(!mirror.contains(thread.localName())); // the local member is not mirrored
        QVERIFY(!updatesOf(updates, peer.localName()).isEmpty());
        // Snapshots lag the updates by up to an interval: waited for, not assumed.
        QTRY_VERIFY_WITH_TIMEOUT(
            thread.counters().packetsIn.value(QStringLiteral("Gossip")) > 0, 10000);
        QVERIFY(thread.counters().udpIn > 0);
        QVERIFY(!counters.isEmpty());
        // Everything arrived in this thread, never in the worker's.
        QCOMPARE(seenIn, QSet<QThread *> { QThread::currentThread() });

        // The peer goes away: OFFLINE in time, and discarded from the mirror by the same rule.
        peer.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!mirror.contains(peer.localName()), 20000);
        QCOMPARE(seenIn, QSet<QThread *> { QThread::currentThread() });
    }

    void localEditReachesPeer()
    {
        SwimService peer(serviceConfig({}));
        QString error;
        QVERIFY2(peer.start(&error), qPrintable(error));
        ClusterMetadata mirror;
        mirror.setLocal(QStringLiteral("before"), "start"); // taken as the initial mapping
        BackendThread thread(&mirror);
        mirrorUpdates(thread, mirror);
        QSignalSpy acks(&thread, &BackendThread::localAcknowledged);
        QVERIFY2(thread.start(
                     swimBackendFactory(serviceConfig({ peer.localName() }), std::nullopt), &error),
            qPrintable(error));
        const QString name = thread.localName();
        QTRY_COMPARE_WITH_TIMEOUT(
            remoteValue(*peer.metadata(), QStringLiteral("before"), name), "start", 10000);

        mirror.setLocal(QStringLiteral("color"), "blue");
        QTRY_COMPARE_WITH_TIMEOUT(
            remoteValue(*peer.metadata(), QStringLiteral("color"), name), "blue", 10000);
        QVERIFY(mirror.removeLocal(QStringLiteral("before")));
        QTRY_VERIFY_WITH_TIMEOUT(
            remoteValue(*peer.metadata(), QStringLiteral("before"), name).isEmpty(), 10000);
        // The peer's acknowledgements come back, from the peer, in this thread.
        QTRY_VERIFY_WITH_TIMEOUT(!acks.isEmpty(), 10000);
        QCOMPARE(acks.constLast().at(0).toString(), peer.localName());
        QVERIFY(acks.constLast().at(1).toULongLong() > 0);
    }

    void editsWithinTheWindowArriveAsOneEntry()
    {
        SwimService peer(serviceConfig({}));
        QString error;
        QVERIFY2(peer.start(&error), qPrintable(error));
        ClusterMetadata mirror;
        BackendThread thread(&mirror);
        mirrorUpdates(thread, mirror);
        thread.setCoalesceIntervalMs(600000); // only flushNow() delivers in this test
        QSignalSpy updates(&thread, &BackendThread::membersUpdated);
        QVERIFY2(thread.start(
                     swimBackendFactory(serviceConfig({ peer.localName() }), std::nullopt), &error),
            qPrintable(error));
        const QString name = thread.localName();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                thread.flushNow();
                return mirror.contains(peer.localName());
            }(),
            10000);

        // Twenty versions of the peer, all applied by the worker before the next delivery:
        // the peer's last edit acknowledged by the worker's engine means its update was merged.
        QSignalSpy peerAcks(&peer, &SwimService::localAcknowledged);
        for (int i = 0; i < 20; ++i)
            peer.metadata()->setLocal(QStringLiteral("token"), QByteArray::number(i));
        const quint64 finalClock = peer.member(peer.localName())->clock;
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(peerAcks.cbegin(), peerAcks.cend(),
                                     [&](const QList<QVariant> &args) {
                                         return args.at(0).toString() == name
                                             && args.at(1).toULongLong() >= finalClock;
                                     }),
            10000);
        // Then more packets from the peer (two pings answered), merged after the new version.
        const quint64 answered = peer.transportCounters().packetsIn.value(QStringLiteral("Ack"));
        QTRY_VERIFY_WITH_TIMEOUT(
            peer.transportCounters().packetsIn.value(QStringLiteral("Ack")) >= answered + 2, 10000);
        thread.flushNow();
        QTRY_COMPARE_WITH_TIMEOUT(
            remoteValue(mirror, QStringLiteral("token"), peer.localName()), "19", 10000);

        // One entry carries all twenty: no intermediate token reached this thread, its previous
        // is the record delivered before it (no token yet) and its member the last version.
        const QList<MemberUpdate> seen = updatesOf(updates, peer.localName());
        qsizetype withToken = 0;
        for (const MemberUpdate &update : seen) {
            if (update.member.metadata && update.member.metadata->contains(QStringLiteral("token")))
                ++withToken;
        }
        QCOMPARE(withToken, 1);
        const MemberUpdate &last = seen.constLast();
        QCOMPARE(last.member.metadata->value(QStringLiteral("token")), "19");
        QVERIFY(last.member.clock >= finalClock);
        QVERIFY(last.what.testFlag(ChangeFlag::Metadata));
        QVERIFY(last.what.testFlag(ChangeFlag::Heard));
        QVERIFY(last.previous);
        QVERIFY(seen.size() >= 2);
        const MemberRecord &before = seen.at(seen.size() - 2).member;
        QCOMPARE(last.previous->clock, before.clock);
        QCOMPARE(last.previous->metadata, before.metadata);
        QVERIFY(!last.previous->metadata->contains(QStringLiteral("token")));
        // A batch names each member once.
        for (const QList<QVariant> &args : updates) {
            QSet<QString> names;
            const auto batch = args.at(0).value<QList<MemberUpdate>>();
            for (const MemberUpdate &update : batch)
                names.insert(update.member.name);
            QCOMPARE(names.size(), batch.size());
        }
    }

    void demoRunsInTheWorker()
    {
        LocalClusterConfig demo;
        demo.nodes = 3;
        demo.secret = kSecret;
        demo.timings = fastTimings();
        demo.extraMetadata = { { QStringLiteral("role"), "demo" } };
        ClusterMetadata mirror;
        BackendThread thread(&mirror);
        mirrorUpdates(thread, mirror);
        QString error;
        QVERIFY2(
            thread.start(swimBackendFactory(serviceConfig({}), demo), &error), qPrintable(error));
        const QStringList names = thread.companionNames();
        QCOMPARE(names.size(), 3);
        QVERIFY(!names.contains(thread.localName()));
        QTRY_COMPARE_WITH_TIMEOUT(mirror.size(), 3, 20000);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(
                remoteValue(mirror, QStringLiteral("node"), names.at(i)), QByteArray::number(i));
            QCOMPARE(remoteValue(mirror, QStringLiteral("role"), names.at(i)), "demo");
        }
    }

    void stopAndDestroyUnderTraffic()
    {
        LocalClusterConfig demo;
        demo.nodes = 3;
        demo.secret = kSecret;
        demo.timings = fastTimings();
        demo.tokenIntervalMs = 20; // metadata keeps changing
        ClusterMetadata mirror;
        QUdpSocket flood;
        const QByteArray garbage(200, 'x');
        auto blast = [&](const QStringList &targets) {
            for (int round = 0; round < 50; ++round) {
                for (const QString &target : targets)
                    flood.writeDatagram(garbage, QHostAddress::LocalHost, portOf(target));
            }
        };
        {
            BackendThread thread(&mirror);
            mirrorUpdates(thread, mirror);
            thread.setCountersIntervalMs(20);
            QString error;
            QVERIFY2(thread.start(swimBackendFactory(serviceConfig({}), demo), &error),
                qPrintable(error));
            const QStringList targets = QStringList(thread.companionNames()) << thread.localName();
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    blast(targets);
                    return thread.counters().rejectedTotal() > 0 && mirror.size() == 3;
                }(),
                20000);
            blast(targets);

            // Stopped while datagrams and token changes flow: nothing delivered afterwards.
            QSignalSpy updates(&thread, &BackendThread::membersUpdated);
            QSignalSpy rejects(&thread, &BackendThread::datagramsRejected);
            QSignalSpy counters(&thread, &BackendThread::countersUpdated);
            thread.stop();
            QVERIFY(!thread.isRunning());
            blast(targets);
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            QCOMPARE(updates.size(), 0);
            QCOMPARE(rejects.size(), 0);
            QCOMPARE(counters.size(), 0);

            // Started again, then destroyed (not stopped) while traffic flows.
            QVERIFY2(thread.start(swimBackendFactory(serviceConfig({}), demo), &error),
                qPrintable(error));
            const QStringList again = QStringList(thread.companionNames()) << thread.localName();
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    blast(again);
                    return thread.counters().rejectedTotal() > 0;
                }(),
                20000);
            blast(again);
        }
        // The mirror outlives the thread and keeps what it was told.
        QVERIFY(mirror.size() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestBackendThread)
#include "tst_backendthread.moc"
