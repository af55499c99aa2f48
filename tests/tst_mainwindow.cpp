// The main window on a ClusterSession: title, member filters (text and status toggles),
// raw-value sorting, the selected member's details model, hidden values, the rejected-datagram
// banner, counts and chart.
#include "cluster/clustersession.h"
#include "model/clustermetadata.h"
#include "model/eventlogmodel.h"
#include "model/itemroles.h"
#include "model/localmetadatamodel.h"
#include "model/membertablemodel.h"
#include "model/valuesmodel.h"
#include "ui/eventlogview.h"
#include "ui/mainwindow.h"
#include "ui/memberfilterproxy.h"
#include "ui/metadataeditor.h"
#include "ui/statuschart.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace shoal;
using namespace shoal::ui;

namespace {
MemberRecord record(int port, MemberStatus status, quint64 clock, const Metadata &metadata)
{
    MemberRecord r;
    r.name = QStringLiteral("127.0.0.1:%1").arg(port);
    r.status = status;
    r.clock = clock;
    r.metadata = metadata;
    r.statusSince = QDateTime::currentDateTimeUtc();
    return r;
}

// Answers the next modal question box (from the event loop it runs): the button with this role
// (or standard button), ticking its check box if asked; *text gets its text and details.
void answerQuestion(int button, bool tick, QString *text)
{
    QTimer::singleShot(0, [button, tick, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        *text = box->text() + QLatin1Char('\n') + box->informativeText();
        if (tick && box->checkBox())
            box->checkBox()->setChecked(true);
        if (button == QMessageBox::AcceptRole) {
            for (QAbstractButton *candidate : box->buttons()) {
                if (box->buttonRole(candidate) == QMessageBox::AcceptRole)
                    candidate->click();
            }
        } else {
            box->button(QMessageBox::StandardButton(button))->click();
        }
    });
}

QStringList visibleNames(const QAbstractItemModel &proxy)
{
    QStringList names;
    for (int row = 0; row < proxy.rowCount(); ++row)
        names.append(proxy.index(row, MemberTableModel::NameColumn).data(KeyRole).toString());
    return names;
}

// Feeds records to a session as a backend would: each with the record before it, if any.
void feed(cluster::ClusterSession &session, const QList<MemberRecord> &records)
{
    QList<cluster::MemberUpdate> updates;
    for (const MemberRecord &record : records) {
        const MemberRecord *before = session.members()->find(record.name);
        updates.append({ record, before ? std::optional(*before) : std::nullopt,
            before ? cluster::ChangeFlags(cluster::ChangeFlag::Status | cluster::ChangeFlag::Clock)
                   : cluster::ChangeFlags(cluster::ChangeFlag::Added),
            false });
    }
    session.apply(updates);
}

void showSession(MainWindow &window, cluster::ClusterSession &session)
{
    window.setSources({ session.metadata(), session.members(), session.values(), session.events(),
        session.spread() });
}

// A window showing three members (one per status) and a local one, through the real session
// and models.
struct Fixture
{
    cluster::ClusterSession session;
    ClusterMetadata &metadata = *session.metadata();
    MemberTableModel &members = *session.members();
    ValuesModel &values = *session.values();
    EventLogModel &events = *session.events();
    MainWindow window;
    QList<MemberRecord> records;

    Fixture()
    {
        showSession(window, session);
        MemberRecord local = record(25000, MemberStatus::Online, 10,
            { { QStringLiteral("token"), QByteArrayLiteral("a") } });
        local.local = true;
        records = { local,
            record(25001, MemberStatus::Online, 9,
                { { QStringLiteral("token"), QByteArrayLiteral("a") },
                    { QStringLiteral("admin"), QByteArrayLiteral("s3cret") } }),
            record(25002, MemberStatus::Suspect, 100,
                { { QStringLiteral("token"), QByteArrayLiteral("b") } }),
            record(25003, MemberStatus::Offline, 2, {}) };
        window.setLocalName(local.name);
        metadata.setLocalMetadata(*local.metadata);
        feed(session, records);
    }
};
} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT
private slots:
    // Settings the window remembers go to a test location, never the user's.
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void titleNamesTheLocalMember()
    {
        MainWindow window;
        QCOMPARE(window.windowTitle(), QStringLiteral("Shoal"));
        window.setLocalName(QStringLiteral("10.0.0.5:7946"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Shoal 10.0.0.5:7946"));
    }

    void filterTextAndStatusTogglesChangeVisibleRows()
    {
        Fixture f;
        QAbstractItemModelTester tester(
            f.window.membersProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        f.window.show();
        QAbstractItemModel *proxy = f.window.membersView()->model();
        QTRY_COMPARE(proxy->rowCount(), 4);

        QTest::keyClicks(f.window.membersFilter(), QStringLiteral("25002"));
        QCOMPARE(visibleNames(*proxy), QStringList { QStringLiteral("127.0.0.1:25002") });
        f.window.membersFilter()->clear();
        QCOMPARE(proxy->rowCount(), 4);

        QToolButton *offline = f.window.statusToggle(MemberStatus::Offline);
        QTRY_VERIFY(offline->text().contains(QLatin1String("OFFLINE 1")));
        QTest::mouseClick(offline, Qt::LeftButton);
        QVERIFY(!offline->isChecked());
        QCOMPARE(proxy->rowCount(), 3);
        QVERIFY(!visibleNames(*proxy).contains(QStringLiteral("127.0.0.1:25003")));
        QTest::mouseClick(f.window.statusToggle(MemberStatus::Online), Qt::LeftButton);
        QCOMPARE(visibleNames(*proxy), QStringList { QStringLiteral("127.0.0.1:25002") });

        // A member that changes status moves in or out of the filtered view by itself.
        MemberRecord back = f.records.at(3);
        back.status = MemberStatus::Suspect;
        back.clock = 200;
        feed(f.session, { back });
        QTRY_COMPARE(proxy->rowCount(), 2);
        QTest::mouseClick(f.window.statusToggle(MemberStatus::Online), Qt::LeftButton);
        QTest::mouseClick(offline, Qt::LeftButton);
        QCOMPARE(proxy->rowCount(), 4);
    }

    void sortsOnRawValues()
    {
        Fixture f;
        QAbstractItemModel *proxy = f.window.membersView()->model();
        QTRY_COMPARE(proxy->rowCount(), 4);
        f.window.membersView()->sortByColumn(MemberTableModel::ClockColumn, Qt::AscendingOrder);
        QStringList clocks;
        for (int row = 0; row < proxy->rowCount(); ++row)
            clocks.append(proxy->index(row, MemberTableModel::ClockColumn).data().toString());
        // As numbers: 9 before 10 before 100 (as text "10" < "100" < "2" < "9").
        QCOMPARE(clocks,
            (QStringList { QStringLiteral("2"), QStringLiteral("9"), QStringLiteral("10"),
                QStringLiteral("100") }));
    }

    void selectingAMemberShowsItsMetadata()
    {
        Fixture f;
        f.window.show();
        QAbstractItemModel *proxy = f.window.membersView()->model();
        QTRY_COMPARE(proxy->rowCount(), 4);
        const int row = int(visibleNames(*proxy).indexOf(QStringLiteral("127.0.0.1:25001")));
        QVERIFY(row >= 0);
        f.window.membersView()->selectRow(row);
        QVERIFY(f.window.detailsTitle()->text().contains(QLatin1String("127.0.0.1:25001")));
        QAbstractItemModel *details = f.window.detailsView()->model();
        QAbstractItemModelTester detailsTester(
            details, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto shownDetails = [details] {
            QStringList shown;
            for (int r = 0; r < details->rowCount(); ++r)
                shown.append(details->index(r, 0).data().toString() + QLatin1Char('=')
                    + details->index(r, 1).data().toString());
            return shown;
        };
        QCOMPARE(shownDetails(),
            (QStringList { QStringLiteral("admin=\u2022\u2022\u2022\u2022\u2022\u2022 (hidden)"),
                QStringLiteral("token=a") }));
        QVERIFY(f.window.detailsInfo()->text().contains(QLatin1String("ONLINE, clock 9")));

        // A change of another member leaves the pane alone; a change of this one moves only
        // its rows (no reset).
        QSignalSpy resets(details, &QAbstractItemModel::modelReset);
        QSignalSpy changed(details, &QAbstractItemModel::dataChanged);
        MemberRecord other = f.records.at(2);
        other.clock = 101;
        other.metadata = Metadata { { QStringLiteral("token"), QByteArrayLiteral("c") } };
        feed(f.session, { other });
        QCOMPARE(changed.count(), 0);
        MemberRecord shownMember = f.records.at(1);
        shownMember.clock = 11;
        shownMember.metadata = Metadata { { QStringLiteral("token"), QByteArrayLiteral("z") } };
        feed(f.session, { shownMember });
        QTRY_COMPARE(shownDetails(), (QStringList { QStringLiteral("token=z") }));
        QCOMPARE(resets.count(), 0);
        QVERIFY(f.window.detailsInfo()->text().contains(QLatin1String("clock 11")));

        // Hide values masks the side panel and the values table alike.
        f.window.hideValuesBox()->setChecked(true);
        QVERIFY(!details->index(0, 1).data().toString().contains(QLatin1String("z")));
        QVERIFY(f.values.valuesHidden());

        // The local member is marked as such.
        const int local = int(visibleNames(*proxy).indexOf(QStringLiteral("127.0.0.1:25000")));
        f.window.membersView()->selectRow(local);
        QVERIFY(f.window.detailsTitle()->text().contains(QLatin1String("this member")));
        QVERIFY(proxy->index(local, MemberTableModel::NameColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("local")));
    }

    void hideValuesActionAndCheckboxAgree()
    {
        Fixture f;
        QAction *hide = nullptr;
        const auto actions = f.window.findChildren<QAction *>();
        for (QAction *action : actions) {
            if (action->text() == QLatin1String("&Hide values"))
                hide = action;
        }
        QVERIFY(hide);
        QCOMPARE(hide->shortcut(), QKeySequence(QStringLiteral("Ctrl+H")));
        hide->trigger();
        QVERIFY(f.window.hideValuesBox()->isChecked());
        QVERIFY(f.values.valuesHidden());
        f.window.hideValuesBox()->setChecked(false);
        QVERIFY(!hide->isChecked());
        QVERIFY(!f.values.valuesHidden());
    }

    void rejectedDatagramsAreObvious()
    {
        MainWindow window;
        window.show();
        QVERIFY(!window.rejectBanner()->isVisible());
        window.noteRejected(QStringLiteral("127.0.0.1:41234"), QStringLiteral("signature"), 12);
        QVERIFY(window.rejectBanner()->isVisible());
        const QString text = window.rejectBanner()->text();
        QVERIFY(text.contains(QLatin1String("12 datagrams rejected")));
        QVERIFY(text.contains(QLatin1String("127.0.0.1:41234")));
        QVERIFY(text.contains(QLatin1String("secret")));
        window.noteRejected(QStringLiteral("127.0.0.1:41234"), QStringLiteral("signature"), 3);
        QVERIFY(window.rejectBanner()->text().contains(QLatin1String("15 datagrams")));
    }

    void sessionControlAsksBeforeLeavingAndClosesOnceLeft()
    {
        MainWindow window;
        QSignalSpy joins(&window, &MainWindow::joinRequested);
        QSignalSpy reconnects(&window, &MainWindow::reconnectRequested);
        int leaves = 0;
        connect(&window, &MainWindow::leaveRequested, &window, [&window, &leaves] {
            ++leaves;
            window.setSessionState(MainWindow::SessionState::Leaving);
        });
        window.setSessionState(MainWindow::SessionState::NotJoined);
        QVERIFY(window.joinAction()->isEnabled());
        QVERIFY(!window.reconnectAction()->isEnabled()); // nothing to reconnect to yet
        QVERIFY(!window.leaveAction()->isEnabled());
        window.setLocalName(QStringLiteral("10.0.0.5:7950"));
        const QString note = QStringLiteral("Leaving adds a permanent OFFLINE member.");
        window.setLeaveNote(note);
        window.setSessionState(MainWindow::SessionState::Joined);
        QVERIFY(window.leaveAction()->isEnabled());
        QVERIFY(window.reconnectAction()->isEnabled());
        window.show();

        // Quit while joined: the question names the member and says what leaving does;
        // Cancel keeps the window and the cluster.
        QString asked;
        answerQuestion(QMessageBox::Cancel, false, &asked);
        QVERIFY(!window.close());
        QVERIFY(asked.contains(QLatin1String("10.0.0.5:7950")));
        QVERIFY(asked.contains(note));
        QCOMPARE(leaves, 0);
        QVERIFY(window.isVisible());

        // Leave (and don't ask again): the window waits for the leave, then closes.
        answerQuestion(QMessageBox::AcceptRole, true, &asked);
        QVERIFY(!window.close());
        QCOMPARE(leaves, 1);
        QVERIFY(window.isVisible());
        QVERIFY(!window.leaveAction()->isEnabled());
        QVERIFY(!window.joinAction()->isEnabled());
        window.setSessionState(MainWindow::SessionState::NotJoined);
        QTRY_VERIFY(!window.isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("window/askBeforeLeaving")).toBool(), false);

        // Remembered: File > Leave goes at once; the banner then offers Join and Reconnect.
        window.show();
        window.setSessionState(MainWindow::SessionState::Joined);
        window.leaveAction()->trigger();
        QCOMPARE(leaves, 2);
        QCOMPARE(QApplication::activeModalWidget(), nullptr);
        window.setSessionState(MainWindow::SessionState::NotJoined);
        QVERIFY(window.isVisible());
        QVERIFY(window.rejectBanner()->isVisible());
        QVERIFY(window.rejectBanner()->text().contains(QLatin1String("Not joined")));
        emit window.rejectBanner()->linkActivated(QStringLiteral("shoal:reconnect"));
        QCOMPARE(reconnects.count(), 1);
        window.joinAction()->trigger();
        QCOMPARE(joins.count(), 1);
    }

    void wrongSecretBannerOffersToJoinAgain()
    {
        MainWindow window;
        QSignalSpy joins(&window, &MainWindow::joinRequested);
        window.setSessionState(MainWindow::SessionState::Joined);
        window.show();
        window.noteRejected(QStringLiteral("127.0.0.1:41234"), QStringLiteral("signature"), 2);
        QVERIFY(window.rejectBanner()->text().contains(QLatin1String("href=\"shoal:join\"")));
        emit window.rejectBanner()->linkActivated(QStringLiteral("shoal:join"));
        QCOMPARE(joins.count(), 1);
    }

    void valuesViewFiltersOrdersAndCopiesMembers()
    {
        Fixture f;
        const QByteArray longValue(300, 'v');
        // Arrival order 10 before 9: the view shows them in name order.
        feed(f.session,
            { record(10, MemberStatus::Online, 1,
                  { { QStringLiteral("role"), "imap" }, { QStringLiteral("long"), longValue } }),
                record(9, MemberStatus::Online, 1, { { QStringLiteral("role"), "smtp" } }) });
        f.window.tabs()->setCurrentIndex(MainWindow::ValuesTab);
        f.window.show();
        QTableView *view = f.window.valuesView();
        const auto shownMembers = [view] {
            QStringList names;
            const QHeaderView *header = view->horizontalHeader();
            for (int visual = 0; visual < header->count(); ++visual) {
                const int logical = header->logicalIndex(visual);
                const QString name
                    = view->model()->headerData(logical, Qt::Horizontal, KeyRole).toString();
                if (!header->isSectionHidden(logical) && !name.isEmpty())
                    names.append(name);
            }
            return names;
        };
        QTRY_COMPARE(shownMembers(),
            QStringList({ QStringLiteral("127.0.0.1:9"), QStringLiteral("127.0.0.1:10"),
                QStringLiteral("127.0.0.1:25001"), QStringLiteral("127.0.0.1:25002") }));

        // The members' filter words pick the columns; the keys stay.
        f.window.valuesMembersFilter()->setText(QStringLiteral("role=imap"));
        QTRY_COMPARE(shownMembers(), QStringList({ QStringLiteral("127.0.0.1:10") }));
        f.window.valuesMembersFilter()->setText(QStringLiteral("status:suspect"));
        QTRY_COMPARE(shownMembers(), QStringList({ QStringLiteral("127.0.0.1:25002") }));
        // A member that turns SUSPECT joins the filtered view.
        feed(f.session,
            { record(9, MemberStatus::Suspect, 2, { { QStringLiteral("role"), "smtp" } }) });
        QTRY_COMPARE(shownMembers(),
            QStringList({ QStringLiteral("127.0.0.1:9"), QStringLiteral("127.0.0.1:25002") }));
        f.window.valuesMembersFilter()->clear();
        QTRY_COMPARE(shownMembers().size(), 4);

        // Ctrl+C copies the whole value, not the cell's cut text.
        const QAbstractItemModel *model = view->model();
        QModelIndex cell;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, ValuesModel::KeyColumn).data().toString()
                == QLatin1String("long")) {
                for (int column = 0; column < model->columnCount(); ++column) {
                    if (model->headerData(column, Qt::Horizontal, KeyRole).toString()
                        == QLatin1String("127.0.0.1:10"))
                        cell = model->index(row, column);
                }
            }
        }
        QVERIFY(cell.isValid());
        QVERIFY(cell.data().toString().size() < longValue.size()); // the cell is cut
        view->setFocus();
        view->setCurrentIndex(cell);
        QTest::keySequence(view, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(longValue));
        // Its tooltip wraps (rich text, short lines) instead of one endless line.
        const QString tip = cell.data(Qt::ToolTipRole).toString();
        QVERIFY(tip.contains(QLatin1String("<br>")));
    }

    void eventLogHasACopyAndFilterMenu()
    {
        Fixture f;
        f.events.flush();
        f.window.tabs()->setCurrentIndex(MainWindow::EventsTab);
        f.window.show();
        QTableView *view = f.window.eventLog()->view();
        QVERIFY(view->model()->rowCount() > 0);
        QModelIndex cell;
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex member = view->model()->index(row, EventLogModel::MemberColumn);
            if (member.data().toString() == QLatin1String("127.0.0.1:25002"))
                cell = member;
        }
        QVERIFY(cell.isValid());
        QStringList offered;
        QTimer::singleShot(0, [&offered] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            QVERIFY(menu);
            for (QAction *action : menu->actions()) {
                offered << action->text();
                if (action->text().contains(QLatin1String("Filter members")))
                    action->trigger();
            }
            menu->close();
        });
        emit view->customContextMenuRequested(view->visualRect(cell).center());
        QVERIFY(offered.contains(QStringLiteral("Copy &row")));
        QVERIFY(offered.contains(QStringLiteral("Copy row as &JSON")));
        QCOMPARE(f.window.tabs()->currentIndex(), int(MainWindow::MembersTab));
        QCOMPARE(f.window.membersFilter()->text(), QStringLiteral("127.0.0.1:25002"));
    }

    void localMetadataCopiesWholeValues()
    {
        Fixture f;
        const QByteArray longValue(300, 'w');
        f.metadata.setLocal(QStringLiteral("long"), longValue);
        f.window.tabs()->setCurrentIndex(MainWindow::LocalTab);
        f.window.show();
        QTableView *view = f.window.editor()->view();
        const int row = f.window.editor()->rowOfKey(QStringLiteral("long"));
        QVERIFY(row >= 0);
        const QModelIndex cell = view->model()->index(row, LocalMetadataModel::ValueColumn);
        QVERIFY(cell.data().toString().size() < longValue.size());
        view->setFocus();
        view->setCurrentIndex(cell);
        QTest::keySequence(view, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(longValue));
        QStringList offered;
        QTimer::singleShot(0, [&offered] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            QVERIFY(menu);
            for (QAction *action : menu->actions())
                offered << action->text();
            menu->close();
        });
        emit view->customContextMenuRequested(view->visualRect(cell).center());
        QVERIFY(offered.contains(QStringLiteral("Copy &value")));
    }

    void silentPeersAreReported()
    {
        // Peers known, none ever heard: what a wrong secret on our side looks like.
        cluster::ClusterSession session;
        MainWindow window;
        showSession(window, session);
        window.setSilenceWarningMs(0);
        window.show();
        MemberRecord local = record(25000, MemberStatus::Online, 1, {});
        local.local = true;
        MemberRecord peer = record(25001, MemberStatus::Unknown, 0, {});
        peer.metadata.reset();
        feed(session, { local, peer });
        window.tick();
        QVERIFY(window.rejectBanner()->isVisible());
        QVERIFY(window.rejectBanner()->text().contains(QLatin1String("No member has answered")));
        QVERIFY(window.rejectBanner()->text().contains(QLatin1String("secret")));
        // The first answer clears it.
        peer.status = MemberStatus::Online;
        peer.lastHeard = QDateTime::currentDateTimeUtc();
        feed(session, { peer });
        window.tick();
        QVERIFY(!window.rejectBanner()->isVisible());
    }

    void countsAndChartFollowTheMembers()
    {
        Fixture f;
        const StatusCounts counts = f.window.statusCounts();
        QCOMPARE(counts.count(MemberStatus::Online), 2);
        QCOMPARE(counts.count(MemberStatus::Suspect), 1);
        QCOMPARE(counts.count(MemberStatus::Offline), 1);
        QCOMPARE(counts.total(), 4);
        QTRY_VERIFY(f.window.countsLabel()->text().contains(QLatin1String("2 online")));
        const qsizetype before = f.window.chart()->sampleCount();
        f.window.tick();
        QCOMPARE(f.window.chart()->sampleCount(), before + 1);
        QVERIFY(f.window.chart()->lastSample() == counts);
    }

    // A member is ONLINE but its metadata comes only with the members' gossip (30 s apart in
    // pymap): the status bar says so, how often gossip comes, and stops once it arrived.
    void waitingForGossipIsSaid()
    {
        Fixture f;
        f.window.setGossipIntervalMs(30000);
        QVERIFY(f.window.waitingLabel()->isHidden());
        MemberRecord waiting = record(25004, MemberStatus::Online, 1, {});
        waiting.metadata.reset();
        feed(f.session, { waiting });
        QCOMPARE(f.members.awaitingMetadataCount(), 1);
        QVERIFY(!f.window.waitingLabel()->isHidden());
        QVERIFY2(f.window.waitingLabel()->text().contains(QStringLiteral("1 member")),
            qPrintable(f.window.waitingLabel()->text()));
        QVERIFY(f.window.waitingLabel()->text().contains(QStringLiteral("every 30 s")));
        QVERIFY(f.members.index(f.members.rowOf(waiting.name), MemberTableModel::KeysColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("gossip")));
        waiting.metadata = Metadata { { QStringLiteral("token"), QByteArrayLiteral("a") } };
        feed(f.session, { waiting });
        QCOMPARE(f.members.awaitingMetadataCount(), 0);
        QVERIFY(f.window.waitingLabel()->isHidden());
    }

    // At pymap's pace a per-second rate reads 0/s: below one a second it reads per minute.
    void slowTrafficReadsPerMinute()
    {
        QCOMPARE(MainWindow::trafficText({ 0, 0, 1.0 }, { 12, 9, 60.0 }),
            QStringLiteral("\u2193 12/min in  \u2191 9/min out"));
        QCOMPARE(MainWindow::trafficText({ 0, 1, 1.0 }, { 3, 2, 20.0 }),
            QStringLiteral("\u2193 9/min in  \u2191 6/min out"));
        // Busy, or too little history to say: per second, from the last tick.
        QCOMPARE(MainWindow::trafficText({ 450, 300, 1.0 }, { 27000, 18000, 60.0 }),
            QStringLiteral("\u2193 450/s in  \u2191 300/s out"));
        QCOMPARE(MainWindow::trafficText({ 0, 0, 1.0 }, { 0, 0, 5.0 }),
            QStringLiteral("\u2193 0/s in  \u2191 0/s out"));
    }

    // pymap's admin key holds each node's own secret: per-node by default (no "differs" mark);
    // any key can be marked per-node from the Values view, and the choice is remembered.
    void perNodeKeysFromTheValuesView()
    {
        Fixture f;
        QVERIFY(f.values.isPerNodeKey(QStringLiteral("admin")));
        QVERIFY(!f.values.isPerNodeKey(QStringLiteral("token")));
        QAction *action = f.window.perNodeAction();
        action->setData(QStringLiteral("token"));
        action->trigger();
        QVERIFY(f.values.isPerNodeKey(QStringLiteral("token")));
        // A new window on a new session starts with the remembered choice.
        Fixture again;
        QVERIFY(again.values.isPerNodeKey(QStringLiteral("token")));
        QVERIFY(again.values.isPerNodeKey(QStringLiteral("admin")));
        action = again.window.perNodeAction();
        action->setData(QStringLiteral("admin"));
        action->setChecked(true);
        action->trigger(); // unchecks
        QVERIFY(!again.values.isPerNodeKey(QStringLiteral("admin")));
        Fixture third;
        QVERIFY(!third.values.isPerNodeKey(QStringLiteral("admin")));
    }

    void eventLogFiltersByKindAndText()
    {
        Fixture f;
        f.events.clear(); // the fixture's joins, logged by the session
        f.events.append(
            EventKind::Join, QStringLiteral("127.0.0.1:25001"), QStringLiteral("known"));
        f.events.append(EventKind::Status, QStringLiteral("127.0.0.1:25002"),
            QStringLiteral("ONLINE \u2192 SUSPECT"));
        f.events.append(
            EventKind::Rejected, QStringLiteral("127.0.0.1:41234"), QStringLiteral("signature"));
        EventLogView *log = f.window.eventLog();
        QAbstractItemModel *shown = log->view()->model();
        QTRY_COMPARE(shown->rowCount(), 3);
        log->kindBox(int(EventKind::Join))->setChecked(false);
        QCOMPARE(shown->rowCount(), 2);
        QTest::keyClicks(log->filterEdit(), QStringLiteral("signature"));
        QCOMPARE(shown->rowCount(), 1);
        QCOMPARE(shown->index(0, EventLogModel::MemberColumn).data().toString(),
            QStringLiteral("127.0.0.1:41234"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
