// MemberTableModel: coalesced, range-precise updates, lookup, raw-value sorting, live columns.
#include "model/itemroles.h"
#include "model/membertablemodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <memory>

using namespace shoal;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 11, 28), QTime(12, 0, 0), Qt::UTC);

MemberRecord member(
    const QString &name, quint64 clock = 1, MemberStatus status = MemberStatus::Online)
{
    MemberRecord record;
    record.name = name;
    record.clock = clock;
    record.status = status;
    record.statusSince = kNow.addSecs(-12);
    record.lastHeard = kNow.addSecs(-3);
    record.instanceId = QByteArray::fromHex("0102030405060708");
    record.metadata = Metadata { { QStringLiteral("name"), name.toUtf8() } };
    return record;
}

QString nameOf(int i)
{
    return QStringLiteral("10.0.0.%1:%2").arg(i / 250).arg(7000 + i);
}

} // namespace

class TestMemberTableModel final : public QObject
{
    Q_OBJECT

    std::unique_ptr<MemberTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    // A model with n flushed members m0..m(n-1), clock = row.
    void fill(int n)
    {
        QList<MemberRecord> records;
        for (int i = 0; i < n; ++i)
            records.append(member(QStringLiteral("m%1").arg(i), quint64(i)));
        m_model->upsert(records);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), n);
    }

private slots:
    void init()
    {
        m_model = std::make_unique<MemberTableModel>();
        m_model->setTickInterval(0); // the tests drive tick() themselves
        m_model->setClock([] { return kNow; });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        setToneColors({});
    }

    void insertsAreCoalescedAndAppended()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->upsert(member(QStringLiteral("a")));
        m_model->upsert(member(QStringLiteral("b")));
        m_model->upsert(member(QStringLiteral("c"), 5)); // replaces the queued one below
        m_model->upsert(member(QStringLiteral("c"), 6));
        // Nothing shows before the flush, but the newest record is found.
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(m_model->contains(QStringLiteral("c")));
        QCOMPARE(m_model->find(QStringLiteral("c"))->clock, quint64(6));
        QCOMPARE(m_model->rowOf(QStringLiteral("c")), -1);
        // The flush runs by itself on the next event-loop turn.
        QTRY_COMPARE(m_model->rowCount(), 3);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(m_model->rowOf(QStringLiteral("c")), 2);
        QCOMPARE(m_model->record(2).clock, quint64(6));
        QVERIFY(!m_model->hasPendingChanges());
    }

    void valueChangeEmitsJustThatCell()
    {
        fill(4);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy layout(m_model.get(), &QAbstractItemModel::layoutChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        MemberRecord record = m_model->record(2);
        record.clock = 42;
        m_model->upsert(record);
        QCOMPARE(changed.size(), 0); // queued until the flush
        m_model->flush();
        QCOMPARE(changed.size(), 1);
        const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
        const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
        QCOMPARE(topLeft, m_model->index(2, MemberTableModel::ClockColumn));
        QCOMPARE(bottomRight, m_model->index(2, MemberTableModel::ClockColumn));
        QCOMPARE(
            changed.at(0).at(2).value<QList<int>>(), (QList<int> { Qt::DisplayRole, SortRole }));
        QCOMPARE(m_model->index(2, MemberTableModel::ClockColumn).data().toString(),
            QStringLiteral("42"));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(layout.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
    }

    void unchangedUpsertEmitsNothing()
    {
        fill(3);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->upsert(m_model->record(1));
        m_model->flush();
        QCOMPARE(changed.size(), 0);
        QVERIFY(!m_model->hasPendingChanges());
    }

    void bulkChangesCoalescePerContiguousRange()
    {
        fill(10);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        for (int row : { 4, 2, 3, 7 }) {
            MemberRecord record = m_model->record(row);
            record.clock += 100;
            m_model->upsert(record);
        }
        m_model->flush();
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 2);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 4);
        QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 7);
        QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 7);
        for (const auto &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).value<QModelIndex>().column(), int(MemberTableModel::ClockColumn));
            QCOMPARE(args.at(1).value<QModelIndex>().column(), int(MemberTableModel::ClockColumn));
        }
    }

    void differentColumnsSplitTheRange()
    {
        fill(5);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        MemberRecord one = m_model->record(1);
        one.clock = 99;
        MemberRecord two = m_model->record(2);
        two.rttMicros = 1500;
        m_model->upsert({ one, two });
        m_model->flush();
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(),
            m_model->index(1, MemberTableModel::ClockColumn));
        QCOMPARE(changed.at(1).at(0).value<QModelIndex>(),
            m_model->index(2, MemberTableModel::RttColumn));
        QCOMPARE(m_model->index(2, MemberTableModel::RttColumn).data().toString(),
            QStringLiteral("1.5 ms"));
    }

    void moreThanHalfChangedIsOneSignal()
    {
        fill(10);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        for (int row : { 0, 1, 3, 5, 6, 9 }) {
            MemberRecord record = m_model->record(row);
            record.clock += 1000;
            m_model->upsert(record);
        }
        m_model->flush();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(),
            m_model->index(0, MemberTableModel::ClockColumn));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>(),
            m_model->index(9, MemberTableModel::ClockColumn));
    }

    void statusChangeRecoloursTheRow()
    {
        fill(3);
        setToneColors([](Tone tone, int role) -> QVariant {
            if (role == Qt::BackgroundRole && tone == Tone::Warning)
                return QColor(Qt::yellow);
            return QVariant();
        });
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy counts(m_model.get(), &MemberTableModel::countsChanged);
        MemberRecord record = m_model->record(1);
        record.status = MemberStatus::Suspect;
        m_model->upsert(record);
        m_model->flush();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), m_model->index(1, 0));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>(),
            m_model->index(1, MemberTableModel::ColumnCount - 1));
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QVERIFY(roles.contains(Qt::BackgroundRole));
        QVERIFY(roles.contains(StatusRole));
        const QModelIndex status = m_model->index(1, MemberTableModel::StatusColumn);
        // Reads without colour, and has the colour.
        QCOMPARE(status.data().toString(), QStringLiteral("SUSPECT"));
        QCOMPARE(status.data(StatusRole).toInt(), int(MemberStatus::Suspect));
        QCOMPARE(status.data(ToneRole).toInt(), int(Tone::Warning));
        QCOMPARE(status.data(Qt::BackgroundRole).value<QColor>(), QColor(Qt::yellow));
        QVERIFY(
            !m_model->index(0, MemberTableModel::StatusColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(counts.size(), 1);
        QCOMPARE(m_model->count(MemberStatus::Suspect), 1);
        QCOMPARE(m_model->count(MemberStatus::Online), 2);
    }

    void removalsAreRangesAndLookupFollows()
    {
        fill(8);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        for (int i : { 1, 2, 5, 3 })
            m_model->remove(QStringLiteral("m%1").arg(i));
        m_model->remove(QStringLiteral("unknown"));
        QCOMPARE(m_model->rowCount(), 8);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 4);
        // Bottom up: 5, then 1..3 in one go.
        QCOMPARE(removed.size(), 2);
        QCOMPARE(removed.at(0).at(1).toInt(), 5);
        QCOMPARE(removed.at(0).at(2).toInt(), 5);
        QCOMPARE(removed.at(1).at(1).toInt(), 1);
        QCOMPARE(removed.at(1).at(2).toInt(), 3);
        const QStringList left { QStringLiteral("m0"), QStringLiteral("m4"), QStringLiteral("m6"),
            QStringLiteral("m7") };
        for (int row = 0; row < left.size(); ++row) {
            QCOMPARE(m_model->record(row).name, left.at(row));
            QCOMPARE(m_model->rowOf(left.at(row)), row);
        }
        QCOMPARE(m_model->rowOf(QStringLiteral("m2")), -1);
    }

    void upsertCancelsQueuedRemoval()
    {
        fill(3);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->remove(QStringLiteral("m1"));
        MemberRecord record = m_model->record(1);
        record.clock = 7;
        m_model->upsert(record);
        // A queued insert removed again never shows.
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->upsert(member(QStringLiteral("ghost")));
        m_model->remove(QStringLiteral("ghost"));
        m_model->flush();
        QCOMPARE(removed.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(m_model->record(1).clock, quint64(7));
        QVERIFY(!m_model->contains(QStringLiteral("ghost")));
    }

    void mixedFlushKeepsRowsConsistent()
    {
        fill(6);
        MemberRecord changedRecord = m_model->record(5);
        changedRecord.clock = 500;
        m_model->upsert(changedRecord);
        m_model->remove(QStringLiteral("m0"));
        m_model->upsert(member(QStringLiteral("new")));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 6);
        QCOMPARE(m_model->rowOf(QStringLiteral("m5")), 4);
        QCOMPARE(m_model->record(4).clock, quint64(500));
        QCOMPARE(m_model->rowOf(QStringLiteral("new")), 5);
    }

    void sortsClocksNumerically()
    {
        m_model->upsert({ member(QStringLiteral("a"), 9), member(QStringLiteral("b"), 10),
            member(QStringLiteral("c"), 2) });
        m_model->flush();
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(m_model.get());
        proxy.setSortRole(SortRole);
        proxy.sort(MemberTableModel::ClockColumn, Qt::AscendingOrder);
        QStringList clocks;
        for (int row = 0; row < proxy.rowCount(); ++row)
            clocks << proxy.index(row, MemberTableModel::ClockColumn).data().toString();
        QCOMPARE(clocks,
            (QStringList { QStringLiteral("2"), QStringLiteral("9"), QStringLiteral("10") }));
        // On display text, 10 would sort before 9: the raw role is what makes the difference.
        proxy.setSortRole(Qt::DisplayRole);
        proxy.sort(MemberTableModel::ClockColumn, Qt::AscendingOrder);
        QCOMPARE(
            proxy.index(0, MemberTableModel::ClockColumn).data().toString(), QStringLiteral("10"));
    }

    void localMemberIsMarked()
    {
        MemberRecord local = member(QStringLiteral("me"));
        local.local = true;
        m_model->upsert({ member(QStringLiteral("other")), local });
        m_model->flush();
        const QModelIndex name = m_model->index(m_model->rowOf(QStringLiteral("me")), 0);
        QCOMPARE(name.data().toString(), QStringLiteral("me (local)"));
        QVERIFY(name.data(LocalRole).toBool());
        QCOMPARE(name.data(KeyRole).toString(), QStringLiteral("me"));
        QCOMPARE(name.data(ToneRole).toInt(), int(Tone::Highlight));
        QVERIFY(
            !m_model->index(m_model->rowOf(QStringLiteral("other")), 0).data(LocalRole).toBool());
    }

    void cellTexts()
    {
        MemberRecord record = member(QStringLiteral("x"), 3, MemberStatus::Offline);
        record.probe = ProbeResult::NoAnswer;
        record.lastProbe = kNow.addSecs(-1);
        record.rttMicros = 850;
        MemberRecord unknown = member(QStringLiteral("y"));
        unknown.metadata.reset();
        unknown.lastHeard = QDateTime();
        unknown.instanceId.clear();
        m_model->upsert({ record, unknown });
        m_model->flush();
        auto text
            = [this](int row, int column) { return m_model->index(row, column).data().toString(); };
        QCOMPARE(text(0, MemberTableModel::StatusColumn), QStringLiteral("OFFLINE"));
        QVERIFY(text(0, MemberTableModel::ProbeColumn).startsWith(QStringLiteral("no answer ")));
        QCOMPARE(m_model->index(0, MemberTableModel::ProbeColumn).data(ToneRole).toInt(),
            int(Tone::Bad));
        QCOMPARE(m_model->index(0, MemberTableModel::ClockColumn).data(ToneRole).toInt(),
            int(Tone::Muted));
        QCOMPARE(text(0, MemberTableModel::SinceColumn), QStringLiteral("12 s ago"));
        QCOMPARE(text(0, MemberTableModel::LastHeardColumn), QStringLiteral("3 s ago"));
        QCOMPARE(text(0, MemberTableModel::RttColumn), QStringLiteral("850 \u00b5s"));
        QCOMPARE(text(0, MemberTableModel::KeysColumn), QStringLiteral("1"));
        QCOMPARE(text(0, MemberTableModel::ValidityColumn), QStringLiteral("0102030405060708"));
        QCOMPARE(text(1, MemberTableModel::KeysColumn), QStringLiteral("?"));
        QCOMPARE(text(1, MemberTableModel::LastHeardColumn), QStringLiteral("never"));
        QCOMPARE(text(1, MemberTableModel::RttColumn), QStringLiteral("\u2014"));
        QCOMPARE(text(1, MemberTableModel::ProbeColumn), QStringLiteral("not probed"));
        QCOMPARE(m_model->headerData(MemberTableModel::StatusColumn, Qt::Horizontal).toString(),
            QStringLiteral("Status"));
    }

    void tickRefreshesOnlyTheLiveColumns()
    {
        fill(3);
        QDateTime now = kNow;
        m_model->setClock([&now] { return now; });
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QCOMPARE(m_model->index(0, MemberTableModel::SinceColumn).data().toString(),
            QStringLiteral("12 s ago"));
        now = now.addSecs(1);
        m_model->tick();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(),
            m_model->index(0, MemberTableModel::SinceColumn));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>(),
            m_model->index(2, MemberTableModel::LastHeardColumn));
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int> { Qt::DisplayRole });
        QCOMPARE(m_model->index(0, MemberTableModel::SinceColumn).data().toString(),
            QStringLiteral("13 s ago"));
    }

    void tickRunsByItself()
    {
        fill(1);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setTickInterval(20);
        QTRY_VERIFY(changed.size() >= 1);
        m_model->setTickInterval(0);
        QCOMPARE(
            changed.at(0).at(0).value<QModelIndex>().column(), int(MemberTableModel::SinceColumn));
    }

    void clearIsTheOnlyReset()
    {
        fill(4);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->upsert(member(QStringLiteral("pending")));
        m_model->clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->hasPendingChanges());
        QCOMPARE(m_model->count(MemberStatus::Online), 0);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 0);
    }

    // Random upserts, removals and flushes (fixed seed) under the model tester: after every
    // flush the rows are exactly the members that should be there, with the newest records.
    void randomOperationsStayConsistent()
    {
        QRandomGenerator random(20261128);
        QHash<QString, MemberRecord> expected;
        for (int step = 0; step < 3000; ++step) {
            const QString name = QStringLiteral("m%1").arg(random.bounded(40));
            const int what = random.bounded(10);
            if (what < 6) {
                MemberRecord record = member(name, random.bounded(5u));
                record.status = static_cast<MemberStatus>(random.bounded(3));
                record.rttMicros = random.bounded(3) - 1;
                m_model->upsert(record);
                expected.insert(name, record);
            } else if (what < 9) {
                m_model->remove(name);
                expected.remove(name);
            } else {
                m_model->flush();
                QCOMPARE(m_model->rowCount(), expected.size());
                for (int row = 0; row < m_model->rowCount(); ++row) {
                    const MemberRecord &shown = m_model->record(row);
                    QVERIFY(expected.contains(shown.name));
                    QCOMPARE(m_model->rowOf(shown.name), row);
                    QCOMPARE(shown.clock, expected.value(shown.name).clock);
                    QCOMPARE(shown.status, expected.value(shown.name).status);
                }
                int online = 0;
                for (const MemberRecord &record : std::as_const(expected))
                    online += record.status == MemberStatus::Online ? 1 : 0;
                QCOMPARE(m_model->count(MemberStatus::Online), online);
            }
        }
    }

    void manyMembers()
    {
        QList<MemberRecord> records;
        for (int i = 0; i < 1000; ++i)
            records.append(member(nameOf(i), quint64(i)));
        m_model->upsert(records);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 1000);
        QCOMPARE(m_model->rowOf(nameOf(999)), 999);
        QCOMPARE(m_model->count(MemberStatus::Online), 1000);
    }
};

QTEST_GUILESS_MAIN(TestMemberTableModel)
#include "tst_membertablemodel.moc"
