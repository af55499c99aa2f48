// Tests of the protocol-neutral member record helpers.
#include "model/member.h"

#include <QTest>

using namespace shoal;

class TestMember final : public QObject
{
    Q_OBJECT
private slots:
    void statusNamesRoundTrip()
    {
        for (auto status : { MemberStatus::Online, MemberStatus::Suspect, MemberStatus::Offline })
            QCOMPARE(memberStatusFromName(memberStatusName(status)), std::optional(status));
        QCOMPARE(memberStatusName(MemberStatus::Suspect), QStringLiteral("SUSPECT"));
        QVERIFY(!memberStatusFromName(QStringLiteral("ALIVE")).has_value());
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
