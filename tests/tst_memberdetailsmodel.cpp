// The details pane's model: one member's keys and values, moved row by row (never reset) by
// changes to that member only.
#include "model/clustermetadata.h"
#include "model/memberdetailsmodel.h"
#include "model/membertablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace shoal;

namespace {

MemberRecord member(const QString &name, quint64 clock, std::optional<Metadata> metadata)
{
    MemberRecord record;
    record.name = name;
    record.status = MemberStatus::Online;
    record.clock = clock;
    record.instanceId = QByteArray::fromHex("0102");
    record.metadata = std::move(metadata);
    return record;
}

QStringList rows(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data().toString() + QLatin1Char('=')
            + model.index(row, 1).data().toString());
    return result;
}

const QString kA = QStringLiteral("127.0.0.1:7001");
const QString kB = QStringLiteral("127.0.0.1:7002");

} // namespace

class TestMemberDetailsModel final : public QObject
{
    Q_OBJECT
private slots:
    void showsTheSelectedMemberAndFollowsItRowByRow()
    {
        MemberTableModel members;
        ClusterMetadata metadata;
        MemberDetailsModel details;
        QAbstractItemModelTester tester(
            &details, QAbstractItemModelTester::FailureReportingMode::QtTest);
        details.setSources(&members, &metadata);
        members.upsert({ member(kA, 3, Metadata { { QStringLiteral("b"), "2" } }),
            member(kB, 1, std::nullopt) });
        members.flush();

        details.setMember(kB);
        QCOMPARE(rows(details),
            (QStringList { QStringLiteral("(unknown)=no metadata received from it yet") }));
        details.setMember(kA);
        QCOMPARE(rows(details), (QStringList { QStringLiteral("b=2") }));
        QVERIFY(details.summary().contains(QLatin1String("ONLINE, clock 3, validity 0102")));

        QSignalSpy resets(&details, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&details, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&details, &QAbstractItemModel::rowsInserted);
        // Another member's change: nothing here.
        members.upsert(member(kB, 2, Metadata { { QStringLiteral("x"), "y" } }));
        members.flush();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        // The mirror is fresher than the table: a key added and a value changed move only
        // their rows.
        metadata.add(kA, Metadata { { QStringLiteral("a"), "1" }, { QStringLiteral("b"), "3" } });
        QCOMPARE(rows(details), (QStringList { QStringLiteral("a=1"), QStringLiteral("b=3") }));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(resets.count(), 0);

        details.setValuesHidden(true);
        QVERIFY(!details.index(0, 1).data().toString().contains(QLatin1Char('1')));
        QVERIFY(!details.index(0, 1).data(Qt::ToolTipRole).isValid());
    }

    void localMemberReadsTheLocalMapping()
    {
        MemberTableModel members;
        ClusterMetadata metadata;
        MemberDetailsModel details;
        QAbstractItemModelTester tester(
            &details, QAbstractItemModelTester::FailureReportingMode::QtTest);
        details.setSources(&members, &metadata);
        MemberRecord local = member(kA, 1, Metadata {});
        local.local = true;
        members.upsert(local);
        members.flush();
        details.setMember(kA);
        QVERIFY(details.isLocal());
        QCOMPARE(details.rowCount(), 0);
        metadata.setLocalMetadata({ { QStringLiteral("token"), "t" } });
        QCOMPARE(rows(details), (QStringList { QStringLiteral("token=t") }));
        metadata.setLocalMetadata({});
        QCOMPARE(details.rowCount(), 0);
        details.setMember({});
        QVERIFY(details.summary().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMemberDetailsModel)
#include "tst_memberdetailsmodel.moc"
