// The one "member diff -> events" function that the event log and `shoal watch` share.
#include "model/memberdiff.h"

#include <QTest>

using namespace shoal;

namespace {

MemberRecord member(MemberStatus status, std::optional<Metadata> metadata)
{
    MemberRecord record;
    record.name = QStringLiteral("127.0.0.1:7001");
    record.status = status;
    record.metadata = std::move(metadata);
    return record;
}

} // namespace

class TestMemberDiff final : public QObject
{
    Q_OBJECT
private slots:
    void firstRecordAppearsWithEveryKey()
    {
        const MemberRecord after = member(MemberStatus::Online,
            Metadata { { QStringLiteral("b"), "2" }, { QStringLiteral("a"), "1" } });
        const MemberDiff diff = diffMember(nullptr, after, false);
        QVERIFY(diff.appeared);
        QVERIFY(diff.statusChanged);
        QVERIFY(!diff.previousStatus);
        QCOMPARE(diff.keys.size(), 2);
        QCOMPARE(diff.keys.at(0).key, QStringLiteral("a"));
        QCOMPARE(diff.keys.at(1).value, std::optional<QByteArray>("2"));
    }

    void unknownMetadataSaysNothingPerKey()
    {
        const MemberDiff diff = diffMember(nullptr, member(MemberStatus::Unknown, {}), false);
        QVERIFY(diff.appeared);
        QVERIFY(diff.keys.isEmpty());
    }

    void statusChangeNamesThePreviousStatus()
    {
        const MemberRecord before = member(MemberStatus::Online, Metadata {});
        const MemberDiff diff
            = diffMember(&before, member(MemberStatus::Suspect, Metadata {}), false);
        QVERIFY(!diff.appeared);
        QVERIFY(diff.statusChanged);
        QCOMPARE(diff.previousStatus, std::optional(MemberStatus::Online));
        QVERIFY(diff.keys.isEmpty());
        QVERIFY(!diff.isEmpty());
    }

    void sameRecordIsEmptyUnlessRestarted()
    {
        const MemberRecord record
            = member(MemberStatus::Online, Metadata { { QStringLiteral("k"), "v" } });
        QVERIFY(diffMember(&record, record, false).isEmpty());
        const MemberDiff restarted = diffMember(&record, record, true);
        QVERIFY(restarted.restarted);
        QVERIFY(!restarted.statusChanged);
    }

    void keysSetThenRemovedEachInKeyOrder()
    {
        const MemberRecord before = member(MemberStatus::Online,
            Metadata { { QStringLiteral("a"), "1" }, { QStringLiteral("c"), "3" },
                { QStringLiteral("d"), "4" } });
        const MemberRecord after = member(MemberStatus::Online,
            Metadata { { QStringLiteral("b"), "2" }, { QStringLiteral("d"), "5" } });
        const MemberDiff diff = diffMember(&before, after, false);
        QStringList seen;
        for (const KeyChange &change : diff.keys)
            seen.append(change.key + QLatin1Char('=')
                + (change.value ? QString::fromUtf8(*change.value) : QStringLiteral("-")));
        QCOMPARE(seen,
            (QStringList { QStringLiteral("b=2"), QStringLiteral("d=5"), QStringLiteral("a=-"),
                QStringLiteral("c=-") }));
    }

    void metadataBecomingKnownListsItAll()
    {
        const MemberRecord before = member(MemberStatus::Online, std::nullopt);
        const MemberDiff diff = diffMember(
            &before, member(MemberStatus::Online, Metadata { { QStringLiteral("k"), "" } }), false);
        QCOMPARE(diff.keys.size(), 1);
        QCOMPARE(diff.keys.at(0).value, std::optional<QByteArray>(QByteArray()));
    }
};

QTEST_GUILESS_MAIN(TestMemberDiff)
#include "tst_memberdiff.moc"
