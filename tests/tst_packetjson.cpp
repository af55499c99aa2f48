// Tests of the packet JSON form of `shoal decode` / `shoal encode` (docs/CLI.md).
#include "net/swim/packetjson.h"

#include <QJsonDocument>
#include <QTest>

using namespace shoal::swim;

namespace {

const Source src { QStringLiteral("127.0.0.1:2001"), QByteArray::fromHex("0102030405060708") };

QString errorOf(const char *json)
{
    const PacketJsonResult r = packetFromJsonText(QByteArray(json));
    return std::holds_alternative<QString>(r) ? std::get<QString>(r) : QStringLiteral("<accepted>");
}

} // namespace

class TestPacketJson final : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<Packet>("packet");
        QTest::newRow("Ping") << Packet(Ping { src });
        QTest::newRow("Ack") << Packet(Ack { src });
        QTest::newRow("PingReq") << Packet(PingReq { src, QStringLiteral("127.0.0.1:2002") });
        QTest::newRow("GossipAck max clock") << Packet(
            GossipAck { src, QStringLiteral("n:1"), quint64(std::numeric_limits<qint64>::max()) });
        QTest::newRow("Gossip unknown metadata")
            << Packet(Gossip { src, QStringLiteral("n:1"), 7, WireStatus::Suspect, std::nullopt });
        QTest::newRow("Gossip empty metadata") << Packet(
            Gossip { src, QStringLiteral("n:1"), 0, WireStatus::Offline, WireMetadata {} });
        // Keys in Qt's sorted order, so that the round trip keeps the list equal.
        QTest::newRow("Gossip binary, text, empty, unicode")
            << Packet(Gossip { src, QStringLiteral("n\u00f8de:1"), 1, WireStatus::Online,
                   WireMetadata { { QStringLiteral("admin"), QByteArray::fromHex("00ff800a") },
                       { QStringLiteral("empty"), QByteArray() },
                       { QStringLiteral("k\u00e9y"), QByteArray("v\xc3\xa4lue") },
                       { QStringLiteral("nul"), QByteArray("a\0b", 3) } } });
        QTest::newRow("empty validity") << Packet(Ping { { QStringLiteral("x:1"), QByteArray() } });
    }
    void roundTrip()
    {
        QFETCH(Packet, packet);
        const QByteArray line = packetToJsonLine(packet);
        QVERIFY(!line.contains('\n'));
        const PacketJsonResult back = packetFromJsonText(line);
        if (const auto *error = std::get_if<QString>(&back))
            QFAIL(qPrintable(*error));
        QCOMPARE(std::get<Packet>(back), packet);
    }

    void shapeFollowsCliMd()
    {
        const Gossip g { src, QStringLiteral("127.0.0.1:2003"), 5, WireStatus::Online,
            WireMetadata { { QStringLiteral("name"), QByteArrayLiteral("three") },
                { QStringLiteral("admin"), QByteArray::fromHex("00ff80") } } };
        const QJsonObject o = packetToJson(g);
        QCOMPARE(o.value(QLatin1String("type")).toString(), QStringLiteral("Gossip"));
        QCOMPARE(o.value(QLatin1String("source"))[QLatin1String("validity")].toString(),
            QStringLiteral("0102030405060708"));
        QCOMPARE(o.value(QLatin1String("clock")).toInteger(), 5);
        QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("ONLINE"));
        QCOMPARE(o.value(QLatin1String("metadata"))[QLatin1String("name")].toString(),
            QStringLiteral("three"));
        QCOMPARE(o.value(QLatin1String("metadata"))[QLatin1String("admin")][QLatin1String("base64")]
                     .toString(),
            QStringLiteral("AP+A"));
        QVERIFY(
            packetToJson(Gossip { src, QStringLiteral("n"), 1, WireStatus::Online, std::nullopt })
                .value(QLatin1String("metadata"))
                .isNull());
        QCOMPARE(packetToJson(PingReq { src, QStringLiteral("t:1") })
                     .value(QLatin1String("target"))
                     .toString(),
            QStringLiteral("t:1"));
        // Clocks beyond 2^53 are written exactly.
        QVERIFY(packetToJsonLine(GossipAck { src, QStringLiteral("n"), 9223372036854775807u })
                    .contains("\"clock\":9223372036854775807"));
    }

    void acceptsTheCliMdExample()
    {
        const PacketJsonResult r = packetFromJsonText(
            "{\"type\": \"Gossip\", \"source\": {\"name\": \"127.0.0.1:2001\", \"validity\": "
            "\"0102030405060708\"}, \"name\": \"127.0.0.1:2003\", \"clock\": 5, \"status\": "
            "\"ONLINE\", "
            "\"metadata\": {\"name\": \"three\", \"admin\": {\"base64\": \"AAEC\"}}}");
        QVERIFY(std::holds_alternative<Packet>(r));
        const Gossip g = std::get<Gossip>(std::get<Packet>(r));
        QCOMPARE(g.source, src);
        QCOMPARE(g.clock, 5u);
        QCOMPARE(g.metadata->size(), 2);
        QVERIFY(g.metadata->contains({ QStringLiteral("admin"), QByteArray::fromHex("000102") }));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QByteArray s = "\"source\": {\"name\": \"a:1\", \"validity\": \"00\"}";
        QTest::newRow("not JSON") << QByteArray("{\"type\": ") << "invalid JSON at offset";
        QTest::newRow("array") << QByteArray("[1]") << "expected a JSON object";
        QTest::newRow("no type") << "{" + s + "}"
                                 << "\"type\" must be a string";
        QTest::newRow("unknown type")
            << "{\"type\": \"Pong\", " + s + "}"
            << "must be Ping, PingReq, Ack, Gossip or GossipAck, not \"Pong\"";
        QTest::newRow("no source")
            << QByteArray("{\"type\": \"Ping\"}") << "\"source\" must be an object";
        QTest::newRow("odd hex") << QByteArray(
            "{\"type\": \"Ping\", \"source\": {\"name\": \"a\", \"validity\": \"012\"}}")
                                 << "source: \"validity\" must be hex digits in pairs";
        QTest::newRow("non-hex") << QByteArray(
            "{\"type\": \"Ping\", \"source\": {\"name\": \"a\", \"validity\": \"zz\"}}")
                                 << "source: \"validity\" must be hex digits in pairs";
        QTest::newRow("name not a string")
            << QByteArray("{\"type\": \"Ping\", \"source\": {\"name\": 1, \"validity\": \"\"}}")
            << "source: \"name\" must be a string";
        QTest::newRow("unpaired surrogate") << QByteArray(
            "{\"type\": \"Ping\", \"source\": {\"name\": \"a\\ud800b\", \"validity\": \"\"}}")
                                            << "source: \"name\" has an unpaired surrogate";
        QTest::newRow("PingReq without target") << "{\"type\": \"PingReq\", " + s + "}"
                                                << "\"target\" must be a string";
        QTest::newRow("extra field") << "{\"type\": \"Ping\", \"target\": \"x\", " + s + "}"
                                     << "unknown field \"target\"";
        QTest::newRow("negative clock")
            << "{\"type\": \"GossipAck\", \"name\": \"n\", \"clock\": -1, " + s + "}"
            << "\"clock\" must be an integer from 0 to 9223372036854775807";
        QTest::newRow("fractional clock")
            << "{\"type\": \"GossipAck\", \"name\": \"n\", \"clock\": 1.5, " + s + "}"
            << "\"clock\" must be an integer";
        QTest::newRow("clock 2^64")
            << "{\"type\": \"GossipAck\", \"name\": \"n\", \"clock\": 18446744073709551616, " + s
                + "}"
            << "\"clock\" must be an integer";
        QTest::newRow("clock as string")
            << "{\"type\": \"GossipAck\", \"name\": \"n\", \"clock\": \"5\", " + s + "}"
            << "\"clock\" must be an integer";
        const QByteArray g = "{\"type\": \"Gossip\", \"name\": \"n\", \"clock\": 1, " + s;
        QTest::newRow("bad status")
            << g + ", \"status\": \"ALIVE\", \"metadata\": null}"
            << "\"status\" must be ONLINE, OFFLINE or SUSPECT, not \"ALIVE\"";
        QTest::newRow("metadata missing") << g + ", \"status\": \"ONLINE\"}"
                                          << "\"metadata\" must be an object, or null";
        QTest::newRow("metadata list") << g + ", \"status\": \"ONLINE\", \"metadata\": []}"
                                       << "\"metadata\" must be an object";
        QTest::newRow("metadata number")
            << g + ", \"status\": \"ONLINE\", \"metadata\": {\"k\": 1}}"
            << "metadata \"k\": expected a string or {\"base64\"";
        QTest::newRow("bad base64")
            << g + ", \"status\": \"ONLINE\", \"metadata\": {\"k\": {\"base64\": \"***\"}}}"
            << "metadata \"k\": invalid base64";
        QTest::newRow("base64 plus junk")
            << g + ", \"status\": \"ONLINE\", \"metadata\": {\"k\": {\"base64\": \"\", \"x\": 1}}}"
            << "metadata \"k\": expected a string or {\"base64\"";
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const QString got = errorOf(json.constData());
        QVERIFY2(got.contains(error), qPrintable(got));
    }
};

QTEST_GUILESS_MAIN(TestPacketJson)
#include "tst_packetjson.moc"
