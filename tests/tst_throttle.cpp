// SwimService under a flood from one source: after a bound of refused datagrams in one second
// the source's datagrams are dropped undecoded (counted as "throttled"), while another source
// is still decoded and answered.
#include "net/swim/codec.h"
#include "net/swim/swimservice.h"

#include <QNetworkDatagram>
#include <QTest>
#include <QUdpSocket>

using namespace shoal;
using namespace shoal::swim;

class TestThrottle final : public QObject
{
    Q_OBJECT

private slots:
    void floodingSourceIsThrottledOthersAreNot()
    {
        const QByteArray secret = QByteArrayLiteral("throttle-secret");
        ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.secret = secret;
        SwimService service(config);
        QString error;
        QVERIFY2(service.start(&error), qPrintable(error));
        const quint16 port
            = static_cast<quint16>(service.localName().section(QLatin1Char(':'), -1).toUInt());

        // Signed with the right secret, but deeply nested: costly to refuse.
        const Codec codec(secret);
        const QByteArray payload
            = QByteArray("\x80\x05", 2) + QByteArray(600, ')') + QByteArray(599, '\x86') + '.';
        const QByteArray hostile = codec.sign(payload, QByteArray(16, 's'));
        QUdpSocket attacker;
        QVERIFY(attacker.bind(QHostAddress::LocalHost, 0));
        const QString attackerName = QStringLiteral("127.0.0.1:%1").arg(attacker.localPort());
        constexpr int kSent = 400;
        for (int i = 0; i < kSent; ++i)
            attacker.writeDatagram(hostile, QHostAddress::LocalHost, port);
        auto count = [&](const QString &reason) {
            return service.rejectsBySource().value(attackerName).value(reason);
        };
        // Everything sent is accounted for (loopback may drop some under load: at least most).
        QTRY_VERIFY_WITH_TIMEOUT(
            count(QStringLiteral("pickle")) + count(QStringLiteral("throttled"))
                >= quint64(kSent) * 9 / 10,
            10000);
        // Unless the second turned over in the middle, 64 were decoded; never all of them.
        QVERIFY2(count(QStringLiteral("pickle")) <= 128,
            qPrintable(QString::number(count(QStringLiteral("pickle")))));
        QVERIFY(count(QStringLiteral("throttled")) > 0);
        QVERIFY(
            service.transportCounters().rejectedByReason.value(QStringLiteral("throttled")) > 0);

        // Another source is decoded and answered meanwhile.
        QUdpSocket honest;
        QVERIFY(honest.bind(QHostAddress::LocalHost, 0));
        const Ping ping { Source {
            QStringLiteral("127.0.0.1:%1").arg(honest.localPort()), QByteArray(8, '\x07') } };
        honest.writeDatagram(codec.encode(ping), QHostAddress::LocalHost, port);
        QTRY_VERIFY_WITH_TIMEOUT(honest.hasPendingDatagrams(), 5000);
        const DecodeResult answer = codec.decode(honest.receiveDatagram().data());
        QVERIFY(std::holds_alternative<Packet>(answer));
        QVERIFY(std::holds_alternative<Ack>(std::get<Packet>(answer)));
    }

    // Issue 14, finding 5: junk that fails the signature (anyone can spoof a member's address)
    // never mutes the valid packets that come from the same address after it.
    void unsignedJunkDoesNotMuteValidPackets()
    {
        const QByteArray secret = QByteArrayLiteral("throttle-secret");
        ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.secret = secret;
        SwimService service(config);
        QString error;
        QVERIFY2(service.start(&error), qPrintable(error));
        const quint16 port
            = static_cast<quint16>(service.localName().section(QLatin1Char(':'), -1).toUInt());
        QUdpSocket member;
        QVERIFY(member.bind(QHostAddress::LocalHost, 0));
        const QString memberName = QStringLiteral("127.0.0.1:%1").arg(member.localPort());
        const Codec wrong(QByteArrayLiteral("not-the-secret"));
        const Codec codec(secret);
        const Ping ping { Source { memberName, QByteArray(8, '\x07') } };
        const QByteArray junk = wrong.encode(ping);
        constexpr int kJunk = 300;
        for (int i = 0; i < kJunk; ++i)
            member.writeDatagram(junk, QHostAddress::LocalHost, port);
        auto count = [&](const QString &reason) {
            return service.rejectsBySource().value(memberName).value(reason);
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            count(QStringLiteral("signature")) >= quint64(kJunk) * 9 / 10, 10000);
        QCOMPARE(count(QStringLiteral("throttled")), quint64(0));
        // The member's own valid Ping, in the same second, is answered.
        member.writeDatagram(codec.encode(ping), QHostAddress::LocalHost, port);
        bool answered = false;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                while (member.hasPendingDatagrams()) {
                    const DecodeResult r = codec.decode(member.receiveDatagram().data());
                    if (std::holds_alternative<Packet>(r)
                        && std::holds_alternative<Ack>(std::get<Packet>(r)))
                        answered = true;
                }
                return answered;
            }(),
            5000);
    }
};

QTEST_GUILESS_MAIN(TestThrottle)
#include "tst_throttle.moc"
