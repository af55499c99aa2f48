// The timeline's logic: lanes from events, segments and ticks in a range, hit-testing, zoom
// limits, status counts at a time and flapping members; and the view's click into the log.
#include "history/historystore.h"
#include "history/timelinemodel.h"
#include "model/eventlogmodel.h"
#include "model/membertablemodel.h"
#include "ui/eventlogview.h"
#include "ui/historypreloader.h"
#include "ui/mainwindow.h"
#include "ui/statuschart.h"
#include "ui/timelineview.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace shoal;
using namespace shoal::history;

namespace {

constexpr qint64 kBase = qint64(1'800'000'000'000); // ms since the epoch

HistoryEvent at(qint64 ms, const QString &kind, const QString &member, const QString &to = {})
{
    HistoryEvent e;
    e.time = QDateTime::fromMSecsSinceEpoch(kBase + ms, Qt::UTC);
    e.kind = kind;
    e.member = member;
    e.to = to;
    e.detail = kind + QLatin1Char(' ') + to;
    return e;
}

} // namespace

class TestTimelineModel : public QObject
{
    Q_OBJECT

private slots:
    void lanesAreNaturallyOrderedAndSegmentsSorted()
    {
        TimelineModel model;
        model.addEvent(
            at(0, QStringLiteral("join"), QStringLiteral("n10"), QStringLiteral("ONLINE")));
        model.addEvent(
            at(0, QStringLiteral("join"), QStringLiteral("n2"), QStringLiteral("ONLINE")));
        model.addEvent(
            at(5000, QStringLiteral("status"), QStringLiteral("n2"), QStringLiteral("SUSPECT")));
        // Late (another writer's): goes to its place.
        model.addEvent(
            at(3000, QStringLiteral("status"), QStringLiteral("n2"), QStringLiteral("OFFLINE")));
        model.addEvent(at(4000, QStringLiteral("metadata"), QStringLiteral("n2")));
        model.addEvent(at(4000, QStringLiteral("probe"), QString())); // not a lane
        model.addEvent(
            at(4000, QStringLiteral("status"), QStringLiteral("n2"), QStringLiteral("BOGUS")));
        QCOMPARE(model.laneCount(), 2);
        QCOMPARE(model.lane(0).member, QStringLiteral("n2"));
        QCOMPARE(model.lane(1).member, QStringLiteral("n10"));
        QCOMPARE(model.laneOf(QStringLiteral("n10")), 1);
        const auto &segments = model.lane(0).segments;
        QCOMPARE(segments.size(), std::size_t(3));
        QCOMPARE(segments[1].status, MemberStatus::Offline);
        QCOMPARE(segments[2].status, MemberStatus::Suspect);
        QCOMPARE(model.lane(0).ticks.size(), std::size_t(1));
        QCOMPARE(model.statusAt(0, kBase - 1), std::optional<MemberStatus>());
        QCOMPARE(
            model.statusAt(0, kBase + 3500), std::optional<MemberStatus>(MemberStatus::Offline));
        // A join that repeats the lane's status (a new session) adds no segment.
        model.addEvent(
            at(9000, QStringLiteral("join"), QStringLiteral("n2"), QStringLiteral("SUSPECT")));
        QCOMPARE(model.lane(0).segments.size(), std::size_t(3));
        const StatusCounts counts = model.countsAt(kBase + 6000);
        QCOMPARE(counts.count(MemberStatus::Suspect), 1);
        QCOMPARE(counts.count(MemberStatus::Online), 1);
    }

    void rangeQueriesIncludeTheSegmentInForce()
    {
        TimelineModel model;
        for (int i = 0; i < 100; ++i)
            model.addEvent(at(i * 1000, i == 0 ? QStringLiteral("join") : QStringLiteral("status"),
                QStringLiteral("m"), i % 2 ? QStringLiteral("SUSPECT") : QStringLiteral("ONLINE")));
        auto [first, last] = model.segmentsIn(0, kBase + 10500, kBase + 20000);
        QCOMPARE(first, std::size_t(10)); // began at 10000, in force at 10500
        QCOMPARE(last, std::size_t(20)); // 20000 itself is outside [from, to)
        std::tie(first, last) = model.segmentsIn(0, kBase - 5000, kBase - 1);
        QCOMPARE(first, last);
    }

    void zoomKeepsTheAnchorAndTheLimits()
    {
        TimelineModel model;
        model.setRange(kBase, kBase + 3600 * 1000);
        const qint64 anchor = kBase + 900 * 1000; // a quarter in
        model.zoom(0.5, anchor);
        QCOMPARE(model.spanMs(), qint64(1800 * 1000));
        QCOMPARE(model.startMs(), anchor - 450 * 1000);
        for (int i = 0; i < 40; ++i)
            model.zoom(0.5, anchor);
        QCOMPARE(model.spanMs(), TimelineModel::kMinSpanMs);
        for (int i = 0; i < 40; ++i)
            model.zoom(3.0, anchor);
        QCOMPARE(model.spanMs(), TimelineModel::kMaxSpanMs);
        model.setRange(kBase, kBase + 60000);
        model.pan(1000);
        QCOMPARE(model.startMs(), kBase + 1000);
        QCOMPARE(model.timeAtX(500, 1000), kBase + 31000);
        QCOMPARE(model.xAtTime(kBase + 31000, 1000), 500.0);
    }

    void hitTestFindsEventsThenSegments()
    {
        TimelineModel model;
        model.addEvent(
            at(0, QStringLiteral("join"), QStringLiteral("m"), QStringLiteral("ONLINE")));
        model.addEvent(
            at(30000, QStringLiteral("status"), QStringLiteral("m"), QStringLiteral("SUSPECT")));
        model.addEvent(at(45000, QStringLiteral("metadata"), QStringLiteral("m")));
        model.setNow(kBase + 60000);
        model.setRange(kBase, kBase + 60000); // 60 ms a pixel at width 1000
        // Near the status change (within 4 px): the event.
        auto hit = model.hitTest(0, 500 + 3, 1000);
        QVERIFY(hit);
        QVERIFY(hit->isEvent);
        QCOMPARE(hit->kind, QStringLiteral("status"));
        QCOMPARE(hit->timeMs, kBase + 30000);
        QCOMPARE(hit->member, QStringLiteral("m"));
        // The tick.
        hit = model.hitTest(0, 750, 1000);
        QVERIFY(hit && hit->isEvent);
        QCOMPARE(hit->kind, QStringLiteral("metadata"));
        // Between events: the segment, with its span.
        hit = model.hitTest(0, 600, 1000);
        QVERIFY(hit);
        QVERIFY(!hit->isEvent);
        QCOMPARE(hit->status, MemberStatus::Suspect);
        QCOMPARE(hit->timeMs, kBase + 30000);
        QCOMPARE(hit->untilMs, kBase + 60000);
        // Before the first event and outside the lanes: nothing.
        model.setRange(kBase - 60000, kBase);
        QVERIFY(!model.hitTest(0, 100, 1000));
        QVERIFY(!model.hitTest(1, 100, 1000));
    }

    void flappingCountsStatusChangesInTheLastHour()
    {
        TimelineModel model;
        model.addEvent(
            at(0, QStringLiteral("join"), QStringLiteral("calm"), QStringLiteral("ONLINE")));
        model.addEvent(
            at(0, QStringLiteral("join"), QStringLiteral("flappy"), QStringLiteral("ONLINE")));
        for (int i = 1; i <= 6; ++i)
            model.addEvent(at(i * 60000, QStringLiteral("status"), QStringLiteral("flappy"),
                i % 2 ? QStringLiteral("SUSPECT") : QStringLiteral("ONLINE")));
        const qint64 now = kBase + 10 * 60000;
        QCOMPARE(model.statusChanges(QStringLiteral("flappy"), now), 6);
        QCOMPARE(model.statusChanges(QStringLiteral("calm"), now), 0);
        QCOMPARE(model.flappingMembers(now, 5), QStringList { QStringLiteral("flappy") });
        QCOMPARE(model.flappingMembers(now, 6), QStringList());
        // An hour later the changes are old news.
        QCOMPARE(model.flappingMembers(now + 3600 * 1000, 5), QStringList());
    }

    void flappingIsFlaggedInTheMembersView()
    {
        MemberTableModel members;
        MemberRecord a;
        a.name = QStringLiteral("a");
        a.status = MemberStatus::Online;
        MemberRecord b = a;
        b.name = QStringLiteral("b");
        members.upsert(QList<MemberRecord> { a, b });
        members.flush();
        QSignalSpy changed(&members, &QAbstractItemModel::dataChanged);
        members.setFlapping({ { QStringLiteral("a"), 7 } }, 5);
        QCOMPARE(changed.size(), 1);
        const QModelIndex cellA
            = members.index(members.rowOf(QStringLiteral("a")), MemberTableModel::StatusColumn);
        const QModelIndex cellB
            = members.index(members.rowOf(QStringLiteral("b")), MemberTableModel::StatusColumn);
        QVERIFY(cellA.data().toString().contains(QStringLiteral("flapping")));
        QVERIFY(
            cellA.data(Qt::ToolTipRole).toString().contains(QStringLiteral("7 status changes")));
        QVERIFY(!cellB.data().toString().contains(QStringLiteral("flapping")));
        members.setFlapping({}, 5); // calm again
        QVERIFY(!cellA.data().toString().contains(QStringLiteral("flapping")));
    }

    void windowOpensWithTheLastHour()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            HistoryStore store;
            QString error;
            QVERIFY(store.open(path, &error));
            const qint64 cluster = store.clusterId(QStringLiteral("swim:a:1"), true);
            HistoryEvent join
                = at(0, QStringLiteral("join"), QStringLiteral("a:1"), QStringLiteral("ONLINE"));
            join.time = now.addSecs(-7200);
            HistoryEvent down
                = at(0, QStringLiteral("status"), QStringLiteral("a:1"), QStringLiteral("SUSPECT"));
            down.from = QStringLiteral("ONLINE");
            down.time = now.addSecs(-1800);
            HistoryEvent key = at(0, QStringLiteral("metadata"), QStringLiteral("a:1"));
            key.key = QStringLiteral("token");
            key.value = QByteArray("7");
            key.time = now.addSecs(-10);
            QVERIFY(store.write(cluster, { join, down, key }));
        }
        ui::MainWindow window;
        EventLogModel log;
        ui::MainWindow::Sources sources;
        sources.events = &log;
        window.setSources(sources);
        PreloadRequest request;
        request.path = path;
        request.cluster = QStringLiteral("swim:a:1");
        request.now = now;
        QString error;
        QVERIFY2(ui::preloadWindow(window, &log, request, &error), qPrintable(error));
        // The log: the last hour.
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.eventAt(0).kind, EventKind::Status);
        QCOMPARE(log.eventAt(0).time, now.addSecs(-1800));
        QCOMPARE(log.eventAt(1).value, std::optional<QByteArray>(QByteArray("7")));
        // The timeline: the whole stored history, once (the log's preloaded rows not again).
        const TimelineModel &timeline = window.timeline()->model();
        QCOMPARE(timeline.laneCount(), 1);
        QCOMPARE(timeline.lane(0).segments.size(), std::size_t(2));
        QCOMPARE(timeline.lane(0).ticks.size(), std::size_t(1));
        // The chart: its five minutes replayed, the member SUSPECT throughout.
        QCOMPARE(window.chart()->sampleCount(), qsizetype(window.chart()->capacity()));
        QCOMPARE(window.chart()->lastSample().count(MemberStatus::Suspect), 1);
        // Live events reach the timeline through the log.
        EventRecord up;
        up.time = now;
        up.kind = EventKind::Status;
        up.member = QStringLiteral("a:1");
        up.from = QStringLiteral("SUSPECT");
        up.to = QStringLiteral("ONLINE");
        up.detail = QStringLiteral("Suspect -> Online");
        log.append(up);
        log.flush();
        QCOMPARE(timeline.lane(0).segments.size(), std::size_t(3));
    }

    void clickOnAnEventSelectsItInTheLog()
    {
        ui::MainWindow window;
        EventLogModel log;
        ui::MainWindow::Sources sources;
        sources.events = &log;
        window.setSources(sources);
        ui::TimelineView *timeline = window.timeline();
        timeline->setEventLog(&log);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        EventRecord first;
        first.time = now.addSecs(-100);
        first.kind = EventKind::Join;
        first.member = QStringLiteral("m");
        first.to = QStringLiteral("ONLINE");
        first.detail = QStringLiteral("known, Online");
        EventRecord second = first;
        second.time = now.addSecs(-40);
        second.kind = EventKind::Status;
        second.from = QStringLiteral("ONLINE");
        second.to = QStringLiteral("SUSPECT");
        second.detail = QStringLiteral("Online -> Suspect");
        log.append(first);
        log.append(second);
        log.flush();
        // The live rows reached the timeline.
        QCOMPARE(timeline->model().laneCount(), 1);
        QCOMPARE(timeline->model().lane(0).segments.size(), std::size_t(2));

        window.resize(1000, 700);
        window.tabs()->setCurrentWidget(timeline);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        timeline->model().setRange(now.addSecs(-120).toMSecsSinceEpoch(), now.toMSecsSinceEpoch());
        timeline->setFollowing(false);
        QSignalSpy activated(timeline, &ui::TimelineView::eventActivated);
        // Find the status change's x by the model's own geometry; the lanes start at x 170.
        const int laneY
            = timeline->height() > 0 ? QFontMetrics(timeline->font()).height() + 6 + 4 : 0;
        QCOMPARE(timeline->laneAt(laneY), 0);
        const double width = timeline->width() - 170;
        const int x = 170 + int(timeline->model().xAtTime(second.time.toMSecsSinceEpoch(), width));
        QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(x, laneY));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("m"));
        QCOMPARE(activated.at(0).at(2).toString(), QStringLiteral("status"));
        QCOMPARE(window.tabs()->currentWidget(), window.eventLog());
        QCOMPARE(window.eventLog()->view()->currentIndex().row(), 1);
        // Selecting works through the filter, which is cleared when it hides the event.
        window.eventLog()->filterEdit()->setText(QStringLiteral("nothing matches this"));
        QVERIFY(window.eventLog()->selectEvent(
            QStringLiteral("m"), first.time.toMSecsSinceEpoch(), QStringLiteral("join")));
        QCOMPARE(window.eventLog()->view()->currentIndex().row(), 0);
        QVERIFY(!window.eventLog()->selectEvent(
            QStringLiteral("m"), now.addSecs(-1000).toMSecsSinceEpoch(), QStringLiteral("join")));
    }
};

QTEST_MAIN(TestTimelineModel)
#include "tst_timelinemodel.moc"
