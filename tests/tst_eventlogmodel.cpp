// EventLogModel and EventLogFilter: bounded append-only log, folding, filters, CSV/JSON export.
#include "model/eventlogfilter.h"
#include "model/eventlogmodel.h"
#include "model/itemroles.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace shoal;

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 11, 28), QTime(12, 0, 0), Qt::UTC);

QString text(const char *s)
{
    return QString::fromUtf8(s);
}

} // namespace

class TestEventLogModel final : public QObject
{
    Q_OBJECT

    std::unique_ptr<EventLogModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QDateTime m_now;

    void add(EventKind kind, const char *member, const char *detail)
    {
        m_now = m_now.addMSecs(250);
        m_model->append(kind, text(member), text(detail));
    }

private slots:
    void init()
    {
        m_now = kStart;
        m_model = std::make_unique<EventLogModel>();
        m_model->setClock([this] { return m_now; });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void kindNamesRoundTrip()
    {
        for (int i = 0; i < kEventKindCount; ++i) {
            const auto kind = static_cast<EventKind>(i);
            QCOMPARE(eventKindFromName(eventKindName(kind)), std::optional(kind));
        }
        QCOMPARE(eventKindName(EventKind::Rejected), text("rejected"));
        QVERIFY(!eventKindFromName(text("other")));
    }

    void appendsAreCoalesced()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        add(EventKind::Join, "a:1", "joined");
        add(EventKind::Status, "a:1", "ONLINE -> SUSPECT");
        add(EventKind::Restart, "b:2", "validity 01 -> 02");
        QCOMPARE(m_model->rowCount(), 0);
        QTRY_COMPARE(m_model->rowCount(), 3);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        const QModelIndex kind = m_model->index(1, EventLogModel::KindColumn);
        QCOMPARE(kind.data().toString(), text("status"));
        QCOMPARE(kind.data(StatusRole).toInt(), int(EventKind::Status));
        QCOMPARE(m_model->index(2, EventLogModel::KindColumn).data(ToneRole).toInt(),
            int(Tone::Warning));
        QCOMPARE(m_model->index(0, EventLogModel::TimeColumn).data(TimeRole).toDateTime(),
            kStart.addMSecs(250));
        QCOMPARE(m_model->eventAt(2).member, text("b:2"));
    }

    void oldestAreDroppedAtCapacity()
    {
        m_model->setCapacity(5);
        for (int i = 0; i < 3; ++i)
            add(EventKind::MetadataChange, "m", QByteArray::number(i).constData());
        m_model->flush();
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        for (int i = 3; i < 7; ++i)
            add(EventKind::MetadataChange, "m", QByteArray::number(i).constData());
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 5);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);
        QCOMPARE(m_model->eventAt(0).detail, text("2"));
        QCOMPARE(m_model->eventAt(4).detail, text("6"));

        // A flood larger than the capacity between two flushes: the newest five survive.
        for (int i = 100; i < 150; ++i)
            add(EventKind::MetadataChange, "m", QByteArray::number(i).constData());
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 5);
        QCOMPARE(m_model->eventAt(0).detail, text("145"));
        QCOMPARE(m_model->total(EventKind::MetadataChange), 57);

        // Lowering the capacity drops at once.
        m_model->setCapacity(2);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->eventAt(1).detail, text("149"));
    }

    void identicalEventsFold()
    {
        add(EventKind::Join, "x:1", "joined");
        add(EventKind::Rejected, "10.0.0.9:7000", "bad signature");
        add(EventKind::Rejected, "10.0.0.9:7000", "bad signature");
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->eventAt(1).repeat, 2);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        add(EventKind::Rejected, "10.0.0.9:7000", "bad signature");
        m_model->flush();
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
        QCOMPARE(m_model->index(1, EventLogModel::DetailColumn).data().toString(),
            QStringLiteral("bad signature (\u00d73)"));
        QCOMPARE(m_model->eventAt(1).time, m_now);
        QCOMPARE(m_model->total(EventKind::Rejected), 3);
        // A different reason is a new row.
        add(EventKind::Rejected, "10.0.0.9:7000", "truncated");
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 3);
    }

    void filtersByKindAndText()
    {
        add(EventKind::Join, "alpha:1", "joined");
        add(EventKind::Rejected, "beta:2", "bad signature");
        add(EventKind::Status, "alpha:1", "ONLINE -> SUSPECT");
        add(EventKind::Restart, "gamma:3", "restarted");
        m_model->flush();
        EventLogFilter filter;
        QAbstractItemModelTester tester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(m_model.get());
        QCOMPARE(filter.rowCount(), 4);
        filter.setKindVisible(EventKind::Rejected, false);
        QCOMPARE(filter.rowCount(), 3);
        filter.setText(text("ALPHA"));
        QCOMPARE(filter.rowCount(), 2);
        filter.setText(text("suspect"));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, EventLogModel::MemberColumn).data().toString(), text("alpha:1"));
        filter.setText(QString());
        filter.setKindVisible(EventKind::Rejected, true);
        filter.setText(text("rejected")); // the kind's name matches too
        QCOMPARE(filter.rowCount(), 1);
        // New rows pass through the filter as they come.
        add(EventKind::Rejected, "delta:4", "wrong version");
        m_model->flush();
        QCOMPARE(filter.rowCount(), 2);
    }

    void exportsCsv()
    {
        add(EventKind::Join, "a:1", "joined");
        add(EventKind::Rejected, "=cmd|' /C calc'!A0", "reason, with \"quotes\"\nand a line");
        m_model->flush();
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(m_model->exportCsv(&buffer));
        const QString csv = QString::fromUtf8(buffer.data());
        const QStringList lines = csv.split(text("\r\n"));
        QCOMPARE(lines.at(0), text("time,kind,member,detail,count,key,value,from,to"));
        QCOMPARE(lines.at(1), text("2026-11-28T12:00:00.250Z,join,a:1,joined,1,,,,"));
        QCOMPARE(csv.section(text("\r\n"), 2),
            text("2026-11-28T12:00:00.500Z,rejected,'=cmd|' /C calc'!A0,"
                 "\"reason, with \"\"quotes\"\"\nand a line\",1,,,,\r\n"));
        // Closed device: refused, not crashed.
        QBuffer closed;
        QVERIFY(!m_model->exportCsv(&closed));
        QVERIFY(!m_model->exportCsv(nullptr));
    }

    void exportsJson()
    {
        add(EventKind::Status, "a:1", "ONLINE -> OFFLINE");
        add(EventKind::Status, "a:1", "ONLINE -> OFFLINE");
        add(EventKind::MetadataChange, "b:2", "token changed");
        m_model->flush();
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(m_model->exportJson(&buffer));
        const QJsonArray array = QJsonDocument::fromJson(buffer.data()).array();
        QCOMPARE(array.size(), 2);
        const QJsonObject first = array.at(0).toObject();
        QCOMPARE(first.value(text("kind")).toString(), text("status"));
        QCOMPARE(first.value(text("member")).toString(), text("a:1"));
        QCOMPARE(first.value(text("count")).toInt(), 2);
        QCOMPARE(first.value(text("time")).toString(), text("2026-11-28T12:00:00.500Z"));
        QCOMPARE(array.at(1).toObject().value(text("kind")).toString(), text("metadata"));
    }

    // Structured columns (issue 13, defect 9): a metadata event's key and value, a status
    // event's from and to; a masked value stays masked unless the export includes values.
    void exportsStructuredColumns()
    {
        EventRecord status;
        status.time = m_model->now();
        status.kind = EventKind::Status;
        status.member = text("a:1");
        status.detail = text("SUSPECT -> OFFLINE");
        status.from = text("SUSPECT");
        status.to = text("OFFLINE");
        m_model->append(status);
        EventRecord change;
        change.time = m_model->now();
        change.kind = EventKind::MetadataChange;
        change.member = text("b:2");
        change.detail = text("admin = s3cret");
        change.key = text("admin");
        change.value = QByteArrayLiteral("s3cret");
        m_model->append(change);
        m_model->flush();
        ValueMask mask = ValueMask::withDefaultSecrets();
        m_model->setValueMask(mask);
        QCOMPARE(m_model->index(1, EventLogModel::DetailColumn).data().toString(),
            text("admin = \u2022\u2022\u2022\u2022"));
        QCOMPARE(
            m_model->index(0, EventLogModel::DetailColumn).data(ToneRole).toInt(), int(Tone::Bad));
        QVERIFY(
            m_model->index(0, EventLogModel::TimeColumn)
                .data()
                .toString()
                .startsWith(m_model->now().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))));
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(m_model->exportCsv(&buffer));
        QStringList lines = QString::fromUtf8(buffer.data()).split(text("\r\n"));
        QVERIFY2(lines.at(1).endsWith(text(",status,a:1,SUSPECT -> OFFLINE,1,,,SUSPECT,OFFLINE")),
            qPrintable(lines.at(1)));
        QVERIFY2(lines.at(2).endsWith(text(",metadata,b:2,admin = \u2022\u2022\u2022\u2022,1,admin,"
                                           "\u2022\u2022\u2022\u2022,,")),
            qPrintable(lines.at(2)));
        QBuffer clear;
        QVERIFY(clear.open(QIODevice::WriteOnly));
        QVERIFY(m_model->exportCsv(&clear, {}, ExportValues::Include));
        lines = QString::fromUtf8(clear.data()).split(text("\r\n"));
        QVERIFY2(lines.at(2).endsWith(text(",metadata,b:2,admin = s3cret,1,admin,s3cret,,")),
            qPrintable(lines.at(2)));
        mask.reveal(text("admin"));
        m_model->setValueMask(mask);
        QCOMPARE(m_model->index(1, EventLogModel::DetailColumn).data().toString(),
            text("admin = s3cret"));
    }

    void filterExportsWhatItShows()
    {
        add(EventKind::Join, "a:1", "joined");
        add(EventKind::Rejected, "b:2", "bad signature");
        m_model->flush();
        EventLogFilter filter;
        filter.setSourceModel(m_model.get());
        filter.setKindVisible(EventKind::Join, false);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(filter.exportJson(&buffer));
        const QJsonArray array = QJsonDocument::fromJson(buffer.data()).array();
        QCOMPARE(array.size(), 1);
        QCOMPARE(array.at(0).toObject().value(text("member")).toString(), text("b:2"));
        // Nothing shown: nothing exported (not everything).
        filter.setText(text("no such thing"));
        QBuffer empty;
        QVERIFY(empty.open(QIODevice::WriteOnly));
        QVERIFY(filter.exportCsv(&empty));
        QCOMPARE(QString::fromUtf8(empty.data()),
            text("time,kind,member,detail,count,key,value,from,to\r\n"));
    }

    void clearResetsOnce()
    {
        add(EventKind::Join, "a:1", "joined");
        m_model->flush();
        add(EventKind::Join, "b:1", "joined");
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->total(EventKind::Join), 0);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
