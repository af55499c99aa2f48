// Tests of the datagram codec against the golden vectors of swim-protocol 0.6.3.
#include "net/swim/codec.h"
#include "net/swim/pickle.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace shoal::swim;

namespace {

QJsonObject loadVectors()
{
    QFile file(QStringLiteral(SHOAL_TEST_DATA "/swim-protocol-0.6.3-vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the vectors");
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray hex(const QJsonValue &v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

// The vectors' own JSON form of a packet (validity_hex, {"hex": ...} values).
Packet vectorPacket(const QJsonObject &o)
{
    const QJsonObject src = o.value(QLatin1String("source")).toObject();
    const Source source { src.value(QLatin1String("name")).toString(),
        hex(src.value(QLatin1String("validity_hex"))) };
    const QString type = o.value(QLatin1String("type")).toString();
    const QString name = o.value(QLatin1String("name")).toString();
    const auto clock = quint64(o.value(QLatin1String("clock")).toInteger());
    if (type == QLatin1String("Ping"))
        return Ping { source };
    if (type == QLatin1String("Ack"))
        return Ack { source };
    if (type == QLatin1String("PingReq"))
        return PingReq { source, o.value(QLatin1String("target")).toString() };
    if (type == QLatin1String("GossipAck"))
        return GossipAck { source, name, clock };
    Gossip g { source, name, clock, WireStatus::Online, std::nullopt };
    const QString status = o.value(QLatin1String("status")).toString();
    g.status = status == QLatin1String("SUSPECT")
        ? WireStatus::Suspect
        : (status == QLatin1String("OFFLINE") ? WireStatus::Offline : WireStatus::Online);
    const QJsonValue metadata = o.value(QLatin1String("metadata"));
    if (metadata.isObject()) {
        WireMetadata m;
        const QJsonObject mo = metadata.toObject();
        for (auto it = mo.begin(); it != mo.end(); ++it)
            m.append({ it.key(), hex(it.value().toObject().value(QLatin1String("hex"))) });
        g.metadata = m;
    }
    return g;
}

// Metadata order in the vectors' JSON is lost (QJsonObject sorts keys), so
// compare packets with metadata as a set where needed.
Packet sortedMetadata(Packet p)
{
    if (auto *g = std::get_if<Gossip>(&p); g && g->metadata)
        std::sort(g->metadata->begin(), g->metadata->end());
    return p;
}

} // namespace

class TestCodec final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_vectors = loadVectors();
        QCOMPARE(m_vectors.value(QLatin1String("version")).toString(), QStringLiteral("0.6.3"));
    }

    void vectors_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        const QJsonArray all = m_vectors.value(QLatin1String("vectors")).toArray();
        QVERIFY(all.size() >= 12);
        for (const QJsonValue &v : all)
            QTest::newRow(qPrintable(v[QLatin1String("label")].toString())) << v.toObject();
    }
    void vectors()
    {
        QFETCH(QJsonObject, vector);
        const Codec codec(m_vectors.value(QLatin1String("secret")).toString().toUtf8());
        const QByteArray datagram = hex(vector.value(QLatin1String("datagram_hex")));
        const QByteArray pickle = hex(vector.value(QLatin1String("pickle_hex")));
        QCOMPARE(datagram.size(), vector.value(QLatin1String("datagram_len")).toInt());
        const Packet expected = vectorPacket(vector.value(QLatin1String("packet")).toObject());

        const DecodeResult result = codec.decode(datagram);
        if (const auto *error = std::get_if<DecodeError>(&result))
            QFAIL(qPrintable(error->reason() + QLatin1String(": ") + error->detail));
        const Packet decoded = std::get<Packet>(result);
        QCOMPARE(sortedMetadata(decoded), sortedMetadata(expected));
        QCOMPARE(QByteArray(packetTypeName(decoded)),
            vector.value(QLatin1String("packet"))[QLatin1String("type")].toString().toLatin1());

        // Decoded in wire order, the packet re-encodes to the reference bytes exactly.
        const QByteArray salt = hex(m_vectors.value(QLatin1String("salt_hex")));
        QCOMPARE(writePacketPickle(decoded).toHex(), pickle.toHex());
        QCOMPARE(codec.encode(decoded, salt).toHex(), datagram.toHex());

        // A fresh salt: different bytes, same packet.
        const QByteArray fresh = codec.encode(decoded);
        QVERIFY(fresh != datagram);
        QCOMPARE(fresh.size(), datagram.size());
        QCOMPARE(std::get<Packet>(codec.decode(fresh)), decoded);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QString>("reason");
        // The vectors list refusals without a reason; these are the ones Shoal gives.
        const QHash<QString, QString> reasons {
            { QStringLiteral("wrong-secret"), QStringLiteral("signature") },
            { QStringLiteral("payload-bit-flip"), QStringLiteral("signature") },
            { QStringLiteral("truncated"), QStringLiteral("framing") },
            { QStringLiteral("prefix-only"), QStringLiteral("framing") },
            { QStringLiteral("empty"), QStringLiteral("framing") },
            { QStringLiteral("prefix-corrupt"), QStringLiteral("framing") },
            { QStringLiteral("signed-disallowed-global-os-system"), QStringLiteral("pickle") },
            { QStringLiteral("wrong-version-in-hmac"), QStringLiteral("signature") },
        };
        const QJsonArray all = m_vectors.value(QLatin1String("reject")).toArray();
        QCOMPARE(all.size(), reasons.size());
        for (const QJsonValue &v : all) {
            const QString label = v[QLatin1String("label")].toString();
            QVERIFY2(reasons.contains(label), qPrintable(label));
            QTest::newRow(qPrintable(label))
                << hex(v[QLatin1String("datagram_hex")]) << reasons[label];
        }
    }
    void rejects()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(QString, reason);
        const Codec codec(m_vectors.value(QLatin1String("secret")).toString().toUtf8());
        const DecodeResult result = codec.decode(datagram);
        const auto *error = std::get_if<DecodeError>(&result);
        QVERIFY(error);
        QCOMPARE(error->reason(), reason);
        QVERIFY(!error->detail.isEmpty());
    }

    void rejectDetails()
    {
        const Codec codec(QByteArrayLiteral("s3cret"));
        const auto detail = [&](const QByteArray &d) {
            const DecodeResult r = codec.decode(d);
            return std::get_if<DecodeError>(&r) ? std::get<DecodeError>(r).detail : QString();
        };
        const QJsonArray all = m_vectors.value(QLatin1String("reject")).toArray();
        for (const QJsonValue &v : all) {
            const QString label = v[QLatin1String("label")].toString();
            const QString d = detail(hex(v[QLatin1String("datagram_hex")]));
            if (label == QLatin1String("signed-disallowed-global-os-system"))
                QVERIFY2(d.contains(QLatin1String("forbidden global posix.system")), qPrintable(d));
            if (label == QLatin1String("empty"))
                QVERIFY2(
                    d.contains(QLatin1String("shorter than the 6-byte prefix")), qPrintable(d));
        }
        // A digest of 31 bytes is named as such.
        QByteArray d = codec.encode(Ping { { QStringLiteral("a:1"), QByteArray(8, 'v') } });
        d[1] = char(d[1] ^ 32 ^ 31);
        QCOMPARE(detail(d), QStringLiteral("digest length 31, expected 32"));
    }

    // Debian 12's CPython 3.11.2 pickles a Flag member as builtins.getattr(Status, NAME) (later
    // 3.11 releases as Status(value)): datagrams and pickles (protocols 2-5) made there by
    // swim-protocol 0.6.3 itself. Before, every such Gossip was refused and a monitor beside
    // pymap on Debian's Python learnt no member and no metadata.
    void debianPythonStatusForm()
    {
        QFile file(QStringLiteral(SHOAL_TEST_DATA "/swim-python-3.11.2-status.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject data = QJsonDocument::fromJson(file.readAll()).object();
        const Codec codec(data.value(QLatin1String("secret")).toString().toUtf8());
        const QList<QPair<QString, WireStatus>> statuses {
            { QStringLiteral("ONLINE"), WireStatus::Online },
            { QStringLiteral("OFFLINE"), WireStatus::Offline },
            { QStringLiteral("SUSPECT"), WireStatus::Suspect },
        };
        const WireMetadata metadata { { QStringLiteral("admin"), QByteArray::fromHex("00ff") },
            { QStringLiteral("role"), QByteArrayLiteral("imap") } };
        for (const auto &[name, status] : statuses) {
            const Gossip expected { Source { QStringLiteral("127.0.0.1:2001"),
                                        QByteArray::fromHex("0102030405060708") },
                QStringLiteral("127.0.0.1:2003"), 7, status, metadata };
            const DecodeResult decoded
                = codec.decode(hex(data.value(QLatin1String("datagrams")).toObject().value(name)));
            const auto *packet = std::get_if<Packet>(&decoded);
            QVERIFY2(packet, qPrintable(name));
            QCOMPARE(*packet, Packet(expected));
            for (int protocol = 2; protocol <= 5; ++protocol) {
                const QString key = QStringLiteral("%1-protocol-%2").arg(name).arg(protocol);
                const PickleResult read = readPacketPickle(
                    hex(data.value(QLatin1String("pickles")).toObject().value(key)));
                const auto *fromPickle = std::get_if<Packet>(&read);
                QVERIFY2(fromPickle, qPrintable(key));
                QCOMPARE(*fromPickle, Packet(expected));
            }
        }
    }

    // getattr is allowed in exactly one shape: Status.<ONLINE|OFFLINE|SUSPECT>.
    void getattrOnlyAsAStatusMember()
    {
        // The protocol-5 Status pickle of 3.11.2, with the attribute name swapped.
        auto statusPickle
            = [](const QByteArray &module, const QByteArray &cls, const QByteArray &attribute) {
                  QByteArray p = QByteArray::fromHex("8005");
                  auto shortStr = [&p](const QByteArray &s) {
                      p += char(0x8c);
                      p += char(s.size());
                      p += s;
                  };
                  shortStr("builtins");
                  shortStr("getattr");
                  p += char(0x93); // STACK_GLOBAL
                  shortStr(module);
                  shortStr(cls);
                  p += char(0x93);
                  shortStr(attribute);
                  p += char(0x86); // TUPLE2
                  p += char(0x52); // REDUCE
                  p += char(0x2e); // STOP
                  return p;
              };
        const struct
        {
            QByteArray module, cls, attribute, reason;
        } refused[] = {
            { "swimprotocol.status", "Status", "AVAILABLE", "Status.AVAILABLE is not" },
            { "swimprotocol.status", "Status", "__class__", "Status.__class__ is not" },
            { "swimprotocol.packet", "Ping", "ONLINE", "getattr is allowed only" },
            { "os", "system", "ONLINE", "forbidden global os.system" },
        };
        for (const auto &r : refused) {
            const PickleResult read = readPacketPickle(statusPickle(r.module, r.cls, r.attribute));
            const auto *error = std::get_if<PickleError>(&read);
            QVERIFY2(error, r.attribute.constData());
            QVERIFY2(
                error->detail.contains(QString::fromLatin1(r.reason)), qPrintable(error->detail));
        }
    }

    void versionIsPartOfTheSignature()
    {
        const Packet ping = Ping { { QStringLiteral("127.0.0.1:1"), QByteArray(8, '\1') } };
        const Codec v063(QByteArrayLiteral("k"));
        const Codec v070(QByteArrayLiteral("k"), QByteArrayLiteral("0.7.0"));
        QCOMPARE(std::get<Packet>(v070.decode(v070.encode(ping))), ping);
        const DecodeResult r = v063.decode(v070.encode(ping));
        QCOMPARE(std::get<DecodeError>(r).reason(), QStringLiteral("signature"));
    }

    // Each codec keys its HMAC once; codecs with different secrets used in turn on one thread
    // (as several members in one process) sign and verify as if each were alone.
    void codecsWithTwoSecretsInTurn()
    {
        const Packet ping = Ping { { QStringLiteral("127.0.0.1:1"), QByteArray(8, '\1') } };
        const QByteArray salt(Codec::SaltSize, 's');
        const Codec a(QByteArrayLiteral("s3cret"));
        const Codec b(QByteArrayLiteral("another secret"));
        const QByteArray fromA = a.encode(ping, salt);
        const QByteArray fromB = b.encode(ping, salt);
        QVERIFY(fromA != fromB);
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(a.encode(ping, salt), fromA);
            QCOMPARE(b.encode(ping, salt), fromB);
            QCOMPARE(std::get<Packet>(a.decode(fromA)), ping);
            QCOMPARE(std::get<DecodeError>(a.decode(fromB)).reason(), QStringLiteral("signature"));
            QCOMPARE(std::get<Packet>(b.decode(fromB)), ping);
            QCOMPARE(std::get<DecodeError>(b.decode(fromA)).reason(), QStringLiteral("signature"));
            QCOMPARE(std::get<Packet>(a.decode(a.encode(ping))), ping); // fresh salts
        }
    }

    void trailingBytesAreIgnoredLikeTheReference()
    {
        const Packet ping = Ping { { QStringLiteral("127.0.0.1:1"), QByteArray(8, '\1') } };
        const Codec codec(QByteArrayLiteral("k"));
        QCOMPARE(std::get<Packet>(
                     codec.decode(QByteArray(codec.encode(ping) + QByteArrayLiteral("junk")))),
            ping);
    }

    void everyTruncationIsRefused()
    {
        const Codec codec(QByteArrayLiteral("s3cret"));
        const QJsonArray all = m_vectors.value(QLatin1String("vectors")).toArray();
        const QByteArray datagram = hex(all[3][QLatin1String("datagram_hex")]);
        for (qsizetype n = 0; n < datagram.size(); ++n) {
            const DecodeResult r = codec.decode(QByteArrayView(datagram).first(n));
            QVERIFY(std::holds_alternative<DecodeError>(r));
            QCOMPARE(std::get<DecodeError>(r).reason(), QStringLiteral("framing"));
        }
    }

    void oversizedPayloadIsRefusedAfterTheSignature()
    {
        const Codec codec(QByteArrayLiteral("k"));
        const QByteArray huge = QByteArray("\x80\x05", 2) + QByteArray(PickleLimits().maxSize, 'N');
        const DecodeResult signedHuge = codec.decode(codec.sign(huge, QByteArrayLiteral("salt")));
        QCOMPARE(std::get<DecodeError>(signedHuge).reason(), QStringLiteral("pickle"));
        QVERIFY(
            std::get<DecodeError>(signedHuge).detail.contains(QLatin1String("exceeds the limit")));
        const DecodeResult unsignedHuge
            = Codec(QByteArrayLiteral("other")).decode(codec.sign(huge, {}));
        QCOMPARE(std::get<DecodeError>(unsignedHuge).reason(), QStringLiteral("signature"));
    }

    void saltIsFreshAndFramingBounds()
    {
        const Codec codec(QByteArrayLiteral("k"));
        const Packet ack = Ack { { QStringLiteral("x:1"), QByteArray(8, '\0') } };
        QVERIFY(codec.encode(ack) != codec.encode(ack));
        QVERIFY(codec.sign(QByteArrayLiteral("p"), QByteArray(256, 's')).isEmpty());
        // Any salt length the prefix can carry is accepted, as by the reference.
        QCOMPARE(std::get<Packet>(codec.decode(codec.encode(ack, QByteArray(255, 's')))), ack);
        QCOMPARE(std::get<Packet>(codec.decode(codec.encode(ack, QByteArray()))), ack);
    }

private:
    QJsonObject m_vectors;
};

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
