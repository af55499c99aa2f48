// Tests of the protocol-neutral member record helpers and the status table.
#include "model/member.h"
#include "model/statuscounts.h"

#include <QTest>

using namespace shoal;

class TestMember final : public QObject
{
    Q_OBJECT
private slots:
    void statusNamesRoundTrip()
    {
        for (const MemberStatus status : kAllMemberStatuses)
            QCOMPARE(memberStatusFromName(memberStatusName(status)), std::optional(status));
        QCOMPARE(memberStatusName(MemberStatus::Suspect), QStringLiteral("SUSPECT"));
        QCOMPARE(memberStatusName(MemberStatus::Unknown), QStringLiteral("UNKNOWN"));
        QCOMPARE(memberStatusName(MemberStatus::Leaving), QStringLiteral("LEAVING"));
        QCOMPARE(memberStatusName(MemberStatus::Left), QStringLiteral("LEFT"));
        QVERIFY(!memberStatusFromName(QStringLiteral("ALIVE")).has_value());
    }
    void unknownReadsNotHeardYetForPeople()
    {
        QCOMPARE(memberStatusText(MemberStatus::Unknown), QStringLiteral("not heard yet"));
        QCOMPARE(memberStatusText(MemberStatus::Offline), QStringLiteral("OFFLINE"));
        QCOMPARE(MemberRecord {}.status, MemberStatus::Unknown); // never given one
    }
    void availableIsOnlineOrSuspect()
    {
        for (const MemberStatus status : kAllMemberStatuses) {
            MemberRecord record;
            record.status = status;
            QCOMPARE(record.available(),
                status == MemberStatus::Online || status == MemberStatus::Suspect);
        }
    }
    void statusCountsCountEachStatus()
    {
        StatusCounts counts;
        counts.add(MemberStatus::Online, 2);
        counts.add(MemberStatus::Left);
        counts.add(MemberStatus::Online, -1);
        QCOMPARE(counts.count(MemberStatus::Online), 1);
        QCOMPARE(counts.count(MemberStatus::Left), 1);
        QCOMPARE(counts.count(MemberStatus::Unknown), 0);
        QCOMPARE(counts.total(), 2);
        QVERIFY(counts != StatusCounts {});
    }
    void unknownMetadataDiffersFromEmpty()
    {
        MemberRecord unknown;
        MemberRecord empty;
        empty.metadata = Metadata {};
        QVERIFY(!unknown.metadata.has_value());
        QVERIFY(empty.metadata.has_value());
        QVERIFY(!unknown.available());
    }
};

QTEST_GUILESS_MAIN(TestMember)
#include "tst_member.moc"
