// PendingChanges: how queued cell marks become dataChanged rectangles.
#include "model/itemroles.h"
#include "model/pendingchanges.h"

#include <QTest>

using namespace shoal;

using Range = PendingChanges::Range;

namespace {

QString describe(const QList<Range> &ranges)
{
    QStringList parts;
    for (const Range &r : ranges)
        parts << QStringLiteral("%1-%2:%3-%4").arg(r.top).arg(r.bottom).arg(r.left).arg(r.right);
    return parts.join(u' ');
}

} // namespace

class TestPendingChanges final : public QObject
{
    Q_OBJECT
private slots:
    void emptyGivesNothing()
    {
        PendingChanges changes;
        QVERIFY(changes.isEmpty());
        QVERIFY(changes.take(10).isEmpty());
        changes.mark(3, 1, { Qt::DisplayRole });
        QVERIFY(changes.take(0).isEmpty()); // no rows: nothing to say
        QVERIFY(changes.isEmpty());
    }

    void oneCellIsOneCell()
    {
        PendingChanges changes;
        changes.mark(4, 2, { Qt::DisplayRole, SortRole });
        changes.mark(4, 2, { Qt::DisplayRole }); // marked twice, said once
        const QList<Range> ranges = changes.take(100);
        QCOMPARE(describe(ranges), QStringLiteral("4-4:2-2"));
        QCOMPARE(ranges.at(0).roles, (QList<int> { Qt::DisplayRole, SortRole }));
        QVERIFY(changes.isEmpty());
    }

    void contiguousRowsMerge()
    {
        PendingChanges changes;
        for (int row : { 7, 3, 5, 4, 10 })
            changes.mark(row, 1, { Qt::DisplayRole });
        QCOMPARE(describe(changes.take(100)), QStringLiteral("3-5:1-1 7-7:1-1 10-10:1-1"));
    }

    void differentColumnsOrRolesSplit()
    {
        PendingChanges changes;
        changes.mark(1, 1, { Qt::DisplayRole });
        changes.mark(2, 2, { Qt::DisplayRole });
        changes.mark(3, 2, { Qt::ToolTipRole });
        // A row's columns split into contiguous runs.
        changes.mark(5, 0, 1, { Qt::DisplayRole });
        changes.mark(5, 4, { Qt::DisplayRole });
        QCOMPARE(
            describe(changes.take(100)), QStringLiteral("1-1:1-1 2-2:2-2 3-3:2-2 5-5:0-1 5-5:4-4"));
    }

    void moreThanHalfIsOneRectangle()
    {
        PendingChanges changes;
        for (int row : { 0, 2, 4, 6, 8, 9 })
            changes.mark(row, row % 2 == 0 ? 2 : 5, { Qt::DisplayRole });
        changes.mark(9, 3, { Qt::ToolTipRole });
        const QList<Range> ranges = changes.take(10);
        QCOMPARE(describe(ranges), QStringLiteral("0-9:2-5"));
        QCOMPARE(ranges.at(0).roles, (QList<int> { Qt::DisplayRole, Qt::ToolTipRole }));
        // Exactly half is not more than half.
        for (int row : { 0, 2, 4, 6, 8 })
            changes.mark(row, 1, { Qt::DisplayRole });
        QCOMPARE(changes.take(10).size(), 5);
    }

    void unknownRoleMeansAllRoles()
    {
        PendingChanges changes;
        changes.mark(0, 0, { Qt::UserRole + 500 });
        const QList<Range> ranges = changes.take(10);
        QCOMPARE(ranges.size(), 1);
        QVERIFY(ranges.at(0).roles.isEmpty()); // dataChanged with no roles: every role
    }

    void forgetAndBadMarks()
    {
        PendingChanges changes;
        changes.mark(2, 0, { Qt::DisplayRole });
        changes.forgetRow(2);
        changes.mark(-1, 0, { Qt::DisplayRole });
        changes.mark(1, -1, { Qt::DisplayRole });
        changes.mark(1, 3, 2, { Qt::DisplayRole });
        QVERIFY(changes.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPendingChanges)
#include "tst_pendingchanges.moc"
