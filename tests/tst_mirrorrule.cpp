// pymap's mirror rule as one function: which member changes move a ClusterMetadata.
#include "cluster/mirrorrule.h"

#include <QSignalSpy>
#include <QTest>

using namespace shoal;
using namespace shoal::cluster;

namespace {

MemberRecord remote(MemberStatus status, std::optional<Metadata> metadata)
{
    MemberRecord record;
    record.name = QStringLiteral("127.0.0.1:9");
    record.status = status;
    record.clock = 3;
    record.metadata = std::move(metadata);
    return record;
}

const Metadata kValues { { QStringLiteral("k"), QByteArrayLiteral("v") } };

} // namespace

class TestMirrorRule final : public QObject
{
    Q_OBJECT
private slots:
    void availableWithMetadataIsAdded_data()
    {
        QTest::addColumn<int>("flag");
        QTest::newRow("added") << int(ChangeFlag::Added);
        QTest::newRow("status") << int(ChangeFlag::Status);
        QTest::newRow("metadata") << int(ChangeFlag::Metadata);
    }
    void availableWithMetadataIsAdded()
    {
        QFETCH(int, flag);
        for (const MemberStatus status : { MemberStatus::Online, MemberStatus::Suspect }) {
            ClusterMetadata metadata;
            mirrorMember(
                metadata, remote(status, kValues), ChangeFlags(static_cast<ChangeFlag>(flag)));
            QCOMPARE(metadata.memberMetadata(QStringLiteral("127.0.0.1:9")), kValues);
        }
    }

    void offlineOrUnknownMetadataIsDiscarded()
    {
        ClusterMetadata metadata;
        metadata.add(QStringLiteral("127.0.0.1:9"), kValues);
        mirrorMember(metadata, remote(MemberStatus::Offline, kValues), ChangeFlag::Status);
        QVERIFY(!metadata.contains(QStringLiteral("127.0.0.1:9")));

        metadata.add(QStringLiteral("127.0.0.1:9"), kValues);
        mirrorMember(metadata, remote(MemberStatus::Online, std::nullopt), ChangeFlag::Metadata);
        QVERIFY(!metadata.contains(QStringLiteral("127.0.0.1:9")));
    }

    void otherChangesMoveNothing()
    {
        // A packet heard, a probe or a clock alone: the mirror is left as it is, even when the
        // record would say otherwise (it said so before, when the status last changed).
        ClusterMetadata metadata;
        QSignalSpy added(&metadata, &ClusterMetadata::memberAdded);
        const ChangeFlags others = ChangeFlag::Heard | ChangeFlag::Probe | ChangeFlag::Clock
            | ChangeFlag::Instance | ChangeFlag::LocalVerdict;
        mirrorMember(metadata, remote(MemberStatus::Online, kValues), others);
        QVERIFY(metadata.isEmpty());
        QCOMPARE(added.size(), 0);
        metadata.add(QStringLiteral("127.0.0.1:9"), kValues);
        mirrorMember(metadata, remote(MemberStatus::Offline, std::nullopt), others);
        QCOMPARE(metadata.memberMetadata(QStringLiteral("127.0.0.1:9")), kValues);
    }

    void localMemberIsNeverMirrored()
    {
        ClusterMetadata metadata;
        MemberRecord self = remote(MemberStatus::Online, kValues);
        self.local = true;
        mirrorMember(metadata, self, ChangeFlag::Added | ChangeFlag::Metadata);
        QVERIFY(metadata.isEmpty());
        QVERIFY(metadata.local().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMirrorRule)
#include "tst_mirrorrule.moc"
