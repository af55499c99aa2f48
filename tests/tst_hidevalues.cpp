// Hide values (issue 13, defect 2) covers every surface: the models' display, tooltip, sort and
// raw roles (so Ctrl+C copies), the selected member, the event log and its exports (which ask
// to include values), the Local metadata tab; pymap's `admin` key is masked by default unless
// revealed, and the reveal is remembered. And the window's layout round trip (defect 3).
#include "cluster/clustersession.h"
#include "model/clustermetadata.h"
#include "model/eventlogmodel.h"
#include "model/itemroles.h"
#include "model/localmetadatamodel.h"
#include "model/memberdetailsmodel.h"
#include "model/membertablemodel.h"
#include "model/valuesmodel.h"
#include "ui/eventlogview.h"
#include "ui/mainwindow.h"
#include "ui/memberfilterproxy.h"
#include "ui/metadataeditor.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QHeaderView>
#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace shoal;
using namespace shoal::ui;

namespace {

const QString kMask = QStringLiteral("\u2022\u2022\u2022\u2022");

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

void feed(cluster::ClusterSession &session, const QList<MemberRecord> &records)
{
    QList<cluster::MemberUpdate> updates;
    for (const MemberRecord &record : records) {
        const MemberRecord *before = session.members()->find(record.name);
        updates.append({ record, before ? std::optional(*before) : std::nullopt,
            before ? cluster::ChangeFlags(cluster::ChangeFlag::Status | cluster::ChangeFlag::Clock
                | cluster::ChangeFlag::Metadata)
                   : cluster::ChangeFlags(cluster::ChangeFlag::Added) });
    }
    session.apply(updates);
}

struct Fixture
{
    cluster::ClusterSession session;
    MainWindow window;

    Fixture()
    {
        window.setSources({ session.metadata(), session.members(), session.values(),
            session.events(), session.spread() });
        MemberRecord local = record(25000, MemberStatus::Online, 10,
            { { QStringLiteral("token"), QByteArrayLiteral("localtokv") },
                { QStringLiteral("admin"), QByteArrayLiteral("localS3cret") } });
        local.local = true;
        window.setLocalName(local.name);
        session.metadata()->setLocalMetadata(*local.metadata);
        feed(session,
            { local,
                record(25001, MemberStatus::Online, 9,
                    { { QStringLiteral("token"), QByteArrayLiteral("tokv1") },
                        { QStringLiteral("admin"), QByteArrayLiteral("s3cretA1") } }) });
        // A later change, so the event log holds metadata events with values.
        feed(session,
            { record(25001, MemberStatus::Online, 11,
                { { QStringLiteral("token"), QByteArrayLiteral("tokv2") },
                    { QStringLiteral("admin"), QByteArrayLiteral("s3cretA2") } }) });
        session.members()->flush();
        session.values()->flush();
        session.events()->flush();
    }

    // Every string any role of any cell of model holds.
    static QString everything(const QAbstractItemModel &model)
    {
        QString all;
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int column = 0; column < model.columnCount(); ++column) {
                const QModelIndex index = model.index(row, column);
                for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(SortRole),
                         int(RawValueRole) })
                    all += index.data(role).toString() + QLatin1Char('|');
            }
        }
        return all;
    }

    QString exported(ExportValues values)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        session.events()->exportCsv(&buffer, {}, values);
        QBuffer json;
        json.open(QIODevice::WriteOnly);
        session.events()->exportJson(&json, {}, values);
        return QString::fromUtf8(buffer.data() + json.data());
    }
};

} // namespace

class TestHideValues final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void adminIsMaskedByDefault()
    {
        Fixture f;
        QVERIFY(!f.window.hideValuesBox()->isChecked());
        const QString values = Fixture::everything(*f.session.values());
        QVERIFY2(values.contains(QStringLiteral("tokv2")), qPrintable(values));
        QVERIFY2(!values.contains(QStringLiteral("s3cret")), qPrintable(values));
        QVERIFY(values.contains(kMask));
        const QString events = Fixture::everything(*f.session.events());
        QVERIFY2(events.contains(QStringLiteral("tokv2")), qPrintable(events));
        QVERIFY2(!events.contains(QStringLiteral("s3cret")), qPrintable(events));
        QVERIFY(!Fixture::everything(*f.window.editor()->model())
                     .contains(QStringLiteral("localS3cret")));
        QVERIFY(!f.exported(ExportValues::AsShown).contains(QStringLiteral("s3cret")));
        QVERIFY(f.exported(ExportValues::Include).contains(QStringLiteral("s3cretA2")));

        // Revealed per key, and remembered by the next window.
        f.window.setKeyRevealed(QStringLiteral("admin"), true);
        QVERIFY(Fixture::everything(*f.session.values()).contains(QStringLiteral("s3cretA2")));
        QVERIFY(Fixture::everything(*f.session.events()).contains(QStringLiteral("s3cretA2")));
        Fixture again;
        QVERIFY(again.window.valueMask().revealed().contains(QStringLiteral("admin")));
        QVERIFY(Fixture::everything(*again.session.values()).contains(QStringLiteral("s3cretA2")));
        again.window.setKeyRevealed(QStringLiteral("admin"), false);
        QVERIFY(!Fixture::everything(*again.session.values()).contains(QStringLiteral("s3cretA2")));
    }

    void hideCoversEverySurface()
    {
        Fixture f;
        f.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));
        f.window.hideValuesBox()->setChecked(true);
        for (const char *secret : { "tokv", "s3cret", "localtokv", "localS3cret" }) {
            const QString word = QLatin1String(secret);
            QVERIFY2(!Fixture::everything(*f.session.values()).contains(word), secret);
            QVERIFY2(!Fixture::everything(*f.session.events()).contains(word), secret);
            QVERIFY2(!Fixture::everything(*f.window.editor()->model()).contains(word), secret);
            QVERIFY2(!f.exported(ExportValues::AsShown).contains(word), secret);
        }
        QVERIFY(f.exported(ExportValues::Include).contains(QStringLiteral("tokv2")));
        // The selected member's pane.
        f.window.detailsModel()->setMember(QStringLiteral("127.0.0.1:25001"));
        QTRY_VERIFY(f.window.detailsModel()->rowCount() == 2);
        QVERIFY(!Fixture::everything(*f.window.detailsModel()).contains(QStringLiteral("tokv")));

        // Ctrl+C on a value cell copies what is shown: the mask.
        QTableView *view = f.window.valuesView();
        f.window.tabs()->setCurrentIndex(MainWindow::ValuesTab);
        QAbstractItemModel *model = view->model();
        QModelIndex cell;
        for (int row = 0; row < model->rowCount() && !cell.isValid(); ++row) {
            for (int column = 0; column < model->columnCount(); ++column) {
                if (model->index(row, column).data(KeyRole).toString() == QLatin1String("token")
                    && model->index(row, column).data().toString() == kMask) {
                    cell = model->index(row, column);
                    break;
                }
            }
        }
        QVERIFY(cell.isValid());
        view->setFocus();
        view->setCurrentIndex(cell);
        QGuiApplication::clipboard()->setText(QStringLiteral("before"));
        QTest::keySequence(view, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), kMask);

        // Shown again.
        f.window.hideValuesBox()->setChecked(false);
        QVERIFY(Fixture::everything(*f.session.values()).contains(QStringLiteral("tokv2")));
        QVERIFY(
            Fixture::everything(*f.window.editor()->model()).contains(QStringLiteral("localtokv")));
    }

    // Defect 3: what the user leaves is what the next window shows, and it fits the screen.
    void layoutRoundTrip()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("layout.ini")), QSettings::IniFormat);
        {
            Fixture f;
            f.window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&f.window));
            f.window.resize(700, 500); // the offscreen screen is 800x600
            f.window.membersFilter()->setText(QStringLiteral("status:online"));
            f.window.statusToggle(MemberStatus::Offline)->setChecked(false);
            f.window.membersView()->sortByColumn(
                MemberTableModel::ClockColumn, Qt::DescendingOrder);
            f.window.membersSplitter()->setSizes({ 700, 0 }); // the side pane collapsed
            f.window.hideValuesBox()->setChecked(true);
            f.window.eventLog()->filterEdit()->setText(QStringLiteral("token"));
            f.window.tabs()->setCurrentIndex(MainWindow::EventsTab);
            f.window.saveLayout(settings);
        }
        settings.sync();
        Fixture f;
        f.window.restoreLayout(settings);
        f.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));
        QCOMPARE(f.window.size(), QSize(700, 500));
        QCOMPARE(f.window.membersFilter()->text(), QStringLiteral("status:online"));
        QVERIFY(!f.window.statusToggle(MemberStatus::Offline)->isChecked());
        QVERIFY(!f.window.membersProxy()->isStatusVisible(MemberStatus::Offline));
        QCOMPARE(f.window.membersView()->horizontalHeader()->sortIndicatorSection(),
            int(MemberTableModel::ClockColumn));
        QCOMPARE(
            f.window.membersView()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(f.window.membersSplitter()->sizes().value(1), 0);
        QVERIFY(f.window.hideValuesBox()->isChecked());
        QCOMPARE(f.window.eventLog()->filterEdit()->text(), QStringLiteral("token"));
        QCOMPARE(f.window.tabs()->currentIndex(), int(MainWindow::EventsTab));
    }

    void firstWindowFitsTheScreen()
    {
        MainWindow window;
        const QRect available = window.screen()->availableGeometry();
        QVERIFY(window.width() <= available.width());
        QVERIFY(window.height() <= available.height());
        QVERIFY(window.minimumWidth() <= 640 && window.minimumHeight() <= 360);
        // Restoring a geometry larger than the screen shrinks it back.
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("big.ini")), QSettings::IniFormat);
        {
            MainWindow big;
            big.resize(available.width() * 2, available.height() * 2);
            big.saveLayout(settings);
        }
        MainWindow restored;
        restored.restoreLayout(settings);
        QVERIFY(restored.width() <= available.width());
        QVERIFY(restored.height() <= available.height());
    }
};

QTEST_MAIN(TestHideValues)
#include "tst_hidevalues.moc"
