// Never-heard members at join (issue 13, defect 5): UNKNOWN ("not heard yet"), never OFFLINE,
// in the event log and the chart; the chart starts with the join. And desktop notifications
// (defect 8).
#include "cluster/clustersession.h"
#include "model/eventlogmodel.h"
#include "model/membertablemodel.h"
#include "ui/mainwindow.h"
#include "ui/statuschart.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace shoal;
using namespace shoal::ui;

namespace {

MemberRecord record(int port, MemberStatus status, quint64 clock)
{
    MemberRecord r;
    r.name = QStringLiteral("127.0.0.1:%1").arg(port);
    r.status = status;
    r.clock = clock;
    return r;
}

void feed(cluster::ClusterSession &session, const MemberRecord &member)
{
    const MemberRecord *before = session.members()->find(member.name);
    session.apply({ { member, before ? std::optional(*before) : std::nullopt,
        before ? cluster::ChangeFlags(cluster::ChangeFlag::Status | cluster::ChangeFlag::Clock)
               : cluster::ChangeFlags(cluster::ChangeFlag::Added) } });
}

QStringList details(const EventLogModel &events)
{
    QStringList all;
    for (int row = 0; row < events.rowCount(); ++row)
        all << events.eventAt(row).detail;
    return all;
}

} // namespace

class TestUnknownAtJoin final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void eventLogAndChartSayNotHeardYet()
    {
        cluster::ClusterSession session;
        MainWindow window;
        // Before the join (the dialog is open): the chart draws nothing.
        window.tick();
        window.tick();
        QCOMPARE(window.chart()->sampleCount(), 0);

        window.setSources({ session.metadata(), session.members(), session.values(),
            session.events(), session.spread() });
        for (int port : { 26001, 26002, 26003 })
            feed(session, record(port, MemberStatus::Unknown, 0));
        session.members()->flush();
        session.events()->flush();
        QTRY_VERIFY(window.statusCounts().count(MemberStatus::Unknown) == 3);
        window.tick();
        QCOMPARE(window.chart()->sampleCount(), 1);
        QCOMPARE(window.chart()->lastSample().count(MemberStatus::Unknown), 3);
        QCOMPARE(window.chart()->lastSample().count(MemberStatus::Offline), 0);

        feed(session, record(26001, MemberStatus::Online, 1));
        session.members()->flush();
        session.events()->flush();
        // Between samples, the chart's legend and the filter buttons already agree.
        QTRY_VERIFY(window.chart()->legendCounts() == window.statusCounts());
        QCOMPARE(window.chart()->legendCounts().count(MemberStatus::Online), 1);
        QVERIFY(window.statusToggle(MemberStatus::Online)->text().endsWith(QLatin1String(" 1")));
        QVERIFY(window.statusToggle(MemberStatus::Unknown)->text().endsWith(QLatin1String(" 2")));
        window.tick();
        QCOMPARE(window.chart()->lastSample().count(MemberStatus::Online), 1);
        QCOMPARE(window.chart()->lastSample().count(MemberStatus::Offline), 0);

        const QStringList log = details(*session.events());
        QVERIFY2(log.contains(QStringLiteral("known, not heard yet")), qPrintable(log.join(u'|')));
        QVERIFY2(log.contains(QStringLiteral("not heard yet \u2192 ONLINE")),
            qPrintable(log.join(u'|')));
        for (const QString &line : log)
            QVERIFY2(!line.contains(QLatin1String("OFFLINE")), qPrintable(line));
        // The status event's structured fields name the protocol's words.
        const EventRecord &last = session.events()->eventAt(session.events()->rowCount() - 1);
        QCOMPARE(last.from, QStringLiteral("UNKNOWN"));
        QCOMPARE(last.to, QStringLiteral("ONLINE"));
    }

    // Defect 8: SUSPECT/OFFLINE and recovery notify while the window is not in front, at most
    // one per interval; the setting turns them off.
    void notificationsAreRateLimited()
    {
        QSettings().clear();
        cluster::ClusterSession session;
        MainWindow window; // never shown: not in front
        QVERIFY(window.notificationsEnabled());
        window.setAlertIntervalMs(3600 * 1000);
        window.setSources({ session.metadata(), session.members(), session.values(),
            session.events(), session.spread() });
        QSignalSpy alerted(&window, &MainWindow::alerted);
        feed(session, record(27001, MemberStatus::Online, 1));
        feed(session, record(27002, MemberStatus::Online, 1));
        session.events()->flush();
        QCOMPARE(alerted.count(), 0); // joins are no alert
        feed(session, record(27001, MemberStatus::Suspect, 2));
        session.events()->flush();
        QCOMPARE(alerted.count(), 1);
        QVERIFY(alerted.at(0).at(0).toString().contains(QStringLiteral("127.0.0.1:27001")));
        QVERIFY(alerted.at(0).at(0).toString().contains(QStringLiteral("SUSPECT")));
        feed(session, record(27001, MemberStatus::Offline, 3));
        feed(session, record(27002, MemberStatus::Suspect, 2));
        session.events()->flush();
        window.tick();
        QCOMPARE(alerted.count(), 1); // held: within the interval

        window.setNotificationsEnabled(false);
        window.setAlertIntervalMs(0);
        feed(session, record(27002, MemberStatus::Online, 3));
        session.events()->flush();
        window.tick();
        QCOMPARE(alerted.count(), 1);
    }
};

QTEST_MAIN(TestUnknownAtJoin)
#include "tst_unknownatjoin.moc"
