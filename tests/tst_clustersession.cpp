// The one owner of a joined cluster's state: each batch applied once to the mirror, the
// members table (cells, never a reset), the event log and the spread; and a real swim backend
// on its thread seen through it.
#include "cluster/clustersession.h"
#include "model/itemroles.h"
#include "net/swim/swimbackendfactory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace shoal;
using namespace shoal::cluster;

// GCC 12 at -O2 sees a null QMap d-pointer path in Qt's inlined const lookups and warns
// (a false positive: the lookups check it first).
#pragma GCC diagnostic ignored "-Wnull-dereference"

namespace {

const QByteArray kSecret = QByteArrayLiteral("session-secret");

MemberRecord member(int port, MemberStatus status, quint64 clock, std::optional<Metadata> metadata)
{
    MemberRecord record;
    record.name = QStringLiteral("127.0.0.1:%1").arg(port);
    record.status = status;
    record.clock = clock;
    record.metadata = std::move(metadata);
    return record;
}

swim::ServiceConfig serviceConfig(const QStringList &peers)
{
    swim::ServiceConfig config;
    config.member.localName = QStringLiteral("127.0.0.1:0");
    config.member.peers = peers;
    config.member.timings = swim::Timings { 100, 60, 1, 120, 1500, 50 };
    config.member.role = swim::Role::Participant;
    config.secret = kSecret;
    return config;
}

QStringList eventDetails(const EventLogModel &events)
{
    QStringList details;
    for (int row = 0; row < events.rowCount(); ++row)
        details.append(eventKindName(events.eventAt(row).kind) + QLatin1Char(' ')
            + events.eventAt(row).detail);
    return details;
}

} // namespace

class TestClusterSession final : public QObject
{
    Q_OBJECT
private slots:
    void batchFeedsMirrorModelsAndLogOnce()
    {
        ClusterSession session;
        QAbstractItemModelTester tester(
            session.members(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const MemberRecord a
            = member(7001, MemberStatus::Online, 3, Metadata { { QStringLiteral("k"), "v" } });
        const MemberRecord b = member(7002, MemberStatus::Unknown, 0, std::nullopt);
        session.apply({ { a, std::nullopt, ChangeFlag::Added, false },
            { b, std::nullopt, ChangeFlag::Added, false } });
        // Applied at once: the backend thread already merged the batch.
        QCOMPARE(session.members()->rowCount(), 2);
        QCOMPARE(session.members()->count(MemberStatus::Unknown), 1);
        QVERIFY(session.metadata()->contains(a.name)); // available with metadata
        QVERIFY(!session.metadata()->contains(b.name));
        QCOMPARE(eventDetails(*session.events()),
            (QStringList { QStringLiteral("join known, ONLINE"), QStringLiteral("metadata k = v"),
                QStringLiteral("join known, not heard yet") }));

        // A status change: one member's cells change, no reset, and the mirror drops it.
        QSignalSpy resets(session.members(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(session.members(), &QAbstractItemModel::dataChanged);
        MemberRecord gone = a;
        gone.status = MemberStatus::Offline;
        gone.clock = 4;
        session.apply({ { gone, a, ChangeFlag::Status | ChangeFlag::Clock, false } });
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() >= 1);
        for (const QList<QVariant> &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).toModelIndex().row(), session.members()->rowOf(a.name));
            QCOMPARE(args.at(1).toModelIndex().row(), session.members()->rowOf(a.name));
        }
        QVERIFY(!session.metadata()->contains(a.name));
        QCOMPARE(session.events()->eventAt(session.events()->rowCount() - 1).detail,
            QStringLiteral("ONLINE \u2192 OFFLINE"));

        // A packet heard changes the row, not the log.
        const int logged = session.events()->rowCount();
        MemberRecord heard = gone;
        heard.lastHeard = QDateTime::currentDateTimeUtc();
        session.apply({ { heard, gone, ChangeFlag::Heard, false } });
        QCOMPARE(session.events()->rowCount(), logged);
    }

    // A member the backend evicted (memory budget, issue 14 finding 3) leaves the table and
    // the mirror, with nothing logged; the name may come back as a new member.
    void removedMemberLeavesTableAndMirror()
    {
        ClusterSession session;
        QAbstractItemModelTester tester(
            session.members(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const MemberRecord a
            = member(7001, MemberStatus::Online, 3, Metadata { { QStringLiteral("k"), "v" } });
        const MemberRecord b = member(7002, MemberStatus::Offline, 2, Metadata {});
        session.apply({ { a, std::nullopt, ChangeFlag::Added, false },
            { b, std::nullopt, ChangeFlag::Added, false } });
        QCOMPARE(session.members()->rowCount(), 2);
        const int logged = session.events()->rowCount();
        MemberRecord removed;
        removed.name = a.name;
        session.apply({ { removed, a, ChangeFlag::Removed, false } });
        QCOMPARE(session.members()->rowCount(), 1);
        QCOMPARE(session.members()->rowOf(a.name), -1);
        QVERIFY(!session.metadata()->contains(a.name));
        QCOMPARE(session.events()->rowCount(), logged);
        session.apply({ { a, std::nullopt, ChangeFlag::Added, false } });
        QCOMPARE(session.members()->rowCount(), 2);
        QVERIFY(session.metadata()->contains(a.name));
    }

    void localClockAndRejectsReachSpreadAndLog()
    {
        ClusterSession session;
        MemberRecord local = member(7000, MemberStatus::Online, 5, Metadata {});
        local.local = true;
        const MemberRecord peer = member(7001, MemberStatus::Online, 2, Metadata {});
        session.apply({ { local, std::nullopt, ChangeFlag::Added, false },
            { peer, std::nullopt, ChangeFlag::Added, false } });
        QCOMPARE(session.spread()->localClock(), 5u);
        QCOMPARE(session.spread()->total(), 1); // one available peer could acknowledge

        QSignalSpy rejected(&session, &ClusterSession::rejected);
        session.applyRejected(
            { { QStringLiteral("127.0.0.1:9"), QStringLiteral("signature"), 4 } });
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(rejected.at(0).at(2).toULongLong(), 4u);
        const EventRecord &last = session.events()->eventAt(session.events()->rowCount() - 1);
        QCOMPARE(last.kind, EventKind::Rejected);
        QCOMPARE(last.repeat, 4);
    }

    void swimBackendSeenThroughTheSession()
    {
        swim::SwimService peer(serviceConfig({}));
        peer.metadata()->setLocalMetadata({ { QStringLiteral("role"), "peer" } });
        QString error;
        QVERIFY2(peer.start(&error), qPrintable(error));

        ClusterSession session;
        session.setCoalesceIntervalMs(20);
        QVERIFY2(
            session.start(swim::swimBackendFactory(serviceConfig({ peer.localName() })), &error),
            qPrintable(error));
        QVERIFY(session.isRunning());
        QVERIFY(session.capabilities().spreadTracking);
        QVERIFY(!session.capabilities().gracefulLeave);
        QVERIFY(session.sizeEstimator());
        QVERIFY(session.sizeEstimator()(Metadata { { QStringLiteral("k"), "v" } }) > 0);
        // The local member's row is there at once.
        QVERIFY(session.members()->rowOf(session.localName()) >= 0);

        // The peer: a row ONLINE and its values in the mirror.
        QTRY_VERIFY_WITH_TIMEOUT(session.metadata()->contains(peer.localName()), 10000);
        const int row = session.members()->rowOf(peer.localName());
        QVERIFY(row >= 0);
        QCOMPARE(session.members()->record(row).status, MemberStatus::Online);
        QCOMPARE(
            session.metadata()->memberMetadata(peer.localName())->value(QStringLiteral("role")),
            "peer");

        // A local edit reaches the peer, which acknowledges it: the spread counts it.
        session.metadata()->setLocalMetadata({ { QStringLiteral("token"), "t1" } });
        QTRY_VERIFY_WITH_TIMEOUT(peer.metadata()
                                     ->memberMetadata(session.localName())
                                     .value_or(Metadata {})
                                     .value(QStringLiteral("token"))
                == "t1",
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.spread()->acknowledged(), 1, 10000);
        session.stop();
        QVERIFY(!session.isRunning());
    }

    void leaveFreesTheAddressAndARejoinReplacesTheMembers()
    {
        swim::SwimService peer(serviceConfig({}));
        QString error;
        QVERIFY2(peer.start(&error), qPrintable(error));
        ClusterSession session;
        session.setCoalesceIntervalMs(20);
        QVERIFY2(
            session.start(swim::swimBackendFactory(serviceConfig({ peer.localName() })), &error),
            qPrintable(error));
        const QString name = session.localName();
        QTRY_VERIFY_WITH_TIMEOUT(session.metadata()->contains(peer.localName()), 10000);

        QSignalSpy left(&session, &ClusterSession::left);
        session.leave();
        QVERIFY(!session.isRunning());
        QVERIFY(left.wait(10000));
        QVERIFY(!session.isLeaving());
        // Stale rows stay until the next join.
        QVERIFY(session.members()->rowOf(peer.localName()) >= 0);

        // The same fixed address again, another cluster (no peers): the port is free, and the
        // first cluster's members are gone from every model.
        swim::ServiceConfig again = serviceConfig({});
        again.member.localName = name;
        QVERIFY2(session.start(swim::swimBackendFactory(again), &error), qPrintable(error));
        QCOMPARE(session.localName(), name);
        QCOMPARE(session.members()->rowOf(peer.localName()), -1);
        QVERIFY(!session.metadata()->contains(peer.localName()));
        QVERIFY(session.members()->rowOf(name) >= 0);
        QVERIFY(!session.capabilities().leaveNote.isEmpty());
    }

    void peerNeverHeardReadsUnknown()
    {
        // A port nothing answers on: the peer is named but never heard with a status.
        swim::SwimService silent(serviceConfig({}));
        QString error;
        QVERIFY2(silent.start(&error), qPrintable(error));
        const QString name = silent.localName();
        silent.stop();

        ClusterSession session;
        QVERIFY2(session.start(swim::swimBackendFactory(serviceConfig({ name })), &error),
            qPrintable(error));
        const int row = session.members()->rowOf(name);
        QVERIFY(row >= 0);
        QCOMPARE(session.members()->record(row).status, MemberStatus::Unknown);
        QCOMPARE(session.members()->index(row, MemberTableModel::StatusColumn).data().toString(),
            QStringLiteral("not heard yet"));
    }
};

QTEST_GUILESS_MAIN(TestClusterSession)
#include "tst_clustersession.moc"
