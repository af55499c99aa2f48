// Tests of the memberlist/Serf codec (net/serf) against the 41 vectors of
// Serf 0.9.4 / memberlist 0.2.2 (tests/data/serf-0.9.4-vectors.json), and
// against hostile input: every refusal has a reason, nothing crashes, nothing
// is allocated beyond the bounds.
//
// What re-encodes byte for byte: every captured datagram and stream, once the
// decoded maps keep their wire order (TagList, statusLTimes) and the captured
// nonce is given to the encryption. What is not deterministic in Go itself:
// tag maps and StatusLTimes (random map order; Shoal writes new ones sorted,
// tested separately) and nonces (random; Shoal draws them from OpenSSL).
#include "net/serf/crypto.h"
#include "net/serf/lzw.h"
#include "net/serf/memberlist.h"
#include "net/serf/msgpack.h"
#include "net/serf/serfmessages.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace shoal;
using namespace shoal::serf;

namespace {

QJsonObject loadVectors()
{
    QFile file(QStringLiteral(SHOAL_TEST_DATA "/serf-0.9.4-vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the vectors");
    return QJsonDocument::fromJson(file.readAll()).object();
}

const QJsonObject &vectors()
{
    static const QJsonObject v = loadVectors();
    return v;
}

QJsonObject vector(const QString &label)
{
    for (const QJsonValue &v : vectors().value(QLatin1String("vectors")).toArray())
        if (v.toObject().value(QLatin1String("label")).toString() == label)
            return v.toObject();
    qFatal("no such vector");
    return {};
}

QByteArray hex(const QJsonValue &v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

Keyring keyringOf(const QJsonObject &v)
{
    QList<QByteArray> keys;
    for (const QJsonValue &k : v.value(QLatin1String("keyring_b64")).toArray())
        keys.append(QByteArray::fromBase64(k.toString().toLatin1()));
    return Keyring(keys);
}

// The vectors' JSON form of bytes: text when printable ASCII, else {"hex"}.
QJsonValue bytesJson(const QByteArray &b)
{
    for (const char c : b)
        if (c < 0x20 || c > 0x7e)
            return QJsonObject { { QStringLiteral("hex"), QString::fromLatin1(b.toHex()) } };
    return QString::fromLatin1(b);
}

QJsonValue bytesJson(const std::optional<QByteArray> &b)
{
    return b ? bytesJson(*b) : QJsonValue(QJsonValue::Null);
}

QJsonValue num(quint64 v)
{
    return QJsonValue(double(v));
}

QJsonObject fieldsOf(const Message &m)
{
    if (const auto *p = std::get_if<Ping>(&m)) {
        QJsonObject o { { QStringLiteral("Node"), p->node },
            { QStringLiteral("SeqNo"), num(p->seqNo) } };
        if (!p->sourceAddr.isEmpty())
            o.insert(QStringLiteral("SourceAddr"), bytesJson(p->sourceAddr));
        if (!p->sourceNode.isEmpty())
            o.insert(QStringLiteral("SourceNode"), p->sourceNode);
        if (p->sourcePort)
            o.insert(QStringLiteral("SourcePort"), num(p->sourcePort));
        return o;
    }
    if (const auto *p = std::get_if<IndirectPing>(&m))
        return { { QStringLiteral("Nack"), p->nack }, { QStringLiteral("Node"), p->node },
            { QStringLiteral("Port"), num(p->port) }, { QStringLiteral("SeqNo"), num(p->seqNo) },
            { QStringLiteral("SourceAddr"), bytesJson(p->sourceAddr) },
            { QStringLiteral("SourceNode"), p->sourceNode },
            { QStringLiteral("SourcePort"), num(p->sourcePort) },
            { QStringLiteral("Target"), bytesJson(p->target) } };
    if (const auto *a = std::get_if<Ack>(&m))
        return { { QStringLiteral("Payload"), bytesJson(a->payload) },
            { QStringLiteral("SeqNo"), num(a->seqNo) } };
    if (const auto *n = std::get_if<Nack>(&m))
        return { { QStringLiteral("SeqNo"), num(n->seqNo) } };
    if (const auto *s = std::get_if<Suspect>(&m))
        return { { QStringLiteral("From"), s->from },
            { QStringLiteral("Incarnation"), num(s->incarnation) },
            { QStringLiteral("Node"), s->node } };
    if (const auto *d = std::get_if<Dead>(&m))
        return { { QStringLiteral("From"), d->from },
            { QStringLiteral("Incarnation"), num(d->incarnation) },
            { QStringLiteral("Node"), d->node } };
    if (const auto *a = std::get_if<Alive>(&m))
        return { { QStringLiteral("Addr"), bytesJson(a->addr) },
            { QStringLiteral("Incarnation"), num(a->incarnation) },
            { QStringLiteral("Meta"), bytesJson(a->meta) }, { QStringLiteral("Node"), a->node },
            { QStringLiteral("Port"), num(a->port) },
            { QStringLiteral("Vsn"), bytesJson(a->vsn) } };
    return {};
}

QJsonObject serfFields(const SerfMessage &m)
{
    if (const auto *l = std::get_if<LeaveIntent>(&m))
        return { { QStringLiteral("LTime"), num(l->ltime) }, { QStringLiteral("Node"), l->node },
            { QStringLiteral("Prune"), l->prune } };
    if (const auto *j = std::get_if<JoinIntent>(&m))
        return { { QStringLiteral("LTime"), num(j->ltime) }, { QStringLiteral("Node"), j->node } };
    if (const auto *e = std::get_if<UserEvent>(&m))
        return { { QStringLiteral("CC"), e->cc }, { QStringLiteral("LTime"), num(e->ltime) },
            { QStringLiteral("Name"), e->name },
            { QStringLiteral("Payload"), bytesJson(e->payload) } };
    if (const auto *q = std::get_if<Query>(&m)) {
        QJsonValue filters = QJsonValue::Null;
        if (q->filters) {
            QJsonArray a;
            for (const QByteArray &f : *q->filters)
                a.append(bytesJson(f));
            filters = a;
        }
        return { { QStringLiteral("Addr"), bytesJson(q->addr) },
            { QStringLiteral("Filters"), filters }, { QStringLiteral("Flags"), num(q->flags) },
            { QStringLiteral("ID"), num(q->id) }, { QStringLiteral("LTime"), num(q->ltime) },
            { QStringLiteral("Name"), q->name },
            { QStringLiteral("Payload"), bytesJson(q->payload) },
            { QStringLiteral("Port"), num(q->port) },
            { QStringLiteral("RelayFactor"), num(q->relayFactor) },
            { QStringLiteral("SourceNode"), q->sourceNode },
            { QStringLiteral("Timeout"), double(q->timeoutNs) } };
    }
    if (const auto *r = std::get_if<QueryResponse>(&m))
        return { { QStringLiteral("Flags"), num(r->flags) }, { QStringLiteral("From"), r->from },
            { QStringLiteral("ID"), num(r->id) }, { QStringLiteral("LTime"), num(r->ltime) },
            { QStringLiteral("Payload"), bytesJson(r->payload) } };
    return {};
}

QString serfName(const SerfMessage &m)
{
    static const char *const names[]
        = { "leave", "join", "userEvent", "query", "queryResponse", "relay" };
    return QString::fromLatin1(names[m.index()]);
}

// The leaves of a vector's decoded tree (hasCrc, compound, compress unwrapped).
void leaves(const QJsonObject &node, QList<QJsonObject> &out)
{
    const QString name = node.value(QLatin1String("name")).toString();
    if (name == QLatin1String("hasCrc") || name == QLatin1String("compress"))
        leaves(node.value(QLatin1String("inner")).toObject(), out);
    else if (name == QLatin1String("compound"))
        for (const QJsonValue &part : node.value(QLatin1String("parts")).toArray())
            leaves(part.toObject(), out);
    else
        out.append(node);
}

QString messageName(const Message &m)
{
    static const char *const names[] = { "ping", "indirectPing", "ackResp", "nackResp", "suspect",
        "alive", "dead", "user", "err" };
    return QString::fromLatin1(names[m.index()]);
}

// Compares one decoded message with its vector leaf; empty string if equal.
QString compareLeaf(const Message &m, const QJsonObject &leaf)
{
    const QString name = leaf.value(QLatin1String("name")).toString();
    if (name != messageName(m))
        return QStringLiteral("name %1 != %2").arg(messageName(m), name);
    if (const auto *user = std::get_if<UserMessage>(&m)) {
        const QJsonObject serf = leaf.value(QLatin1String("serf")).toObject();
        const SerfResult decoded = decodeSerfMessage(user->payload);
        if (const auto *e = std::get_if<SerfError>(&decoded))
            return e->reason;
        const SerfMessage &sm = std::get<SerfMessage>(decoded);
        if (serf.value(QLatin1String("serf_name")).toString() != serfName(sm))
            return QStringLiteral("serf name %1").arg(serfName(sm));
        if (const auto *relay = std::get_if<Relay>(&sm)) {
            const QJsonObject header = serf.value(QLatin1String("relay_header")).toObject();
            const QJsonObject dest = header.value(QLatin1String("DestAddr")).toObject();
            if (bytesJson(relay->destIp) != dest.value(QLatin1String("IP"))
                || relay->destPort != dest.value(QLatin1String("Port")).toInt()
                || relay->destZone != dest.value(QLatin1String("Zone")).toString()
                || relay->destName != header.value(QLatin1String("DestName")).toString())
                return QStringLiteral("relay header differs");
            const SerfResult inner = decodeSerfMessage(relay->inner);
            if (!std::holds_alternative<SerfMessage>(inner))
                return QStringLiteral("relay inner does not decode");
            const QJsonObject innerLeaf = serf.value(QLatin1String("inner")).toObject();
            if (serfFields(std::get<SerfMessage>(inner))
                != innerLeaf.value(QLatin1String("fields")).toObject())
                return QStringLiteral("relay inner fields differ");
            return {};
        }
        const QJsonObject want = serf.value(QLatin1String("fields")).toObject();
        if (serfFields(sm) != want)
            return QStringLiteral("serf fields %1 != %2")
                .arg(
                    QString::fromUtf8(QJsonDocument(serfFields(sm)).toJson(QJsonDocument::Compact)),
                    QString::fromUtf8(QJsonDocument(want).toJson(QJsonDocument::Compact)));
        return {};
    }
    const QJsonObject want = leaf.value(QLatin1String("fields")).toObject();
    if (fieldsOf(m) != want)
        return QStringLiteral("fields %1 != %2")
            .arg(QString::fromUtf8(QJsonDocument(fieldsOf(m)).toJson(QJsonDocument::Compact)),
                QString::fromUtf8(QJsonDocument(want).toJson(QJsonDocument::Compact)));
    return {};
}

QList<QJsonObject> udpCapturedVectors()
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : vectors().value(QLatin1String("vectors")).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("transport")).toString() == QLatin1String("udp")
            && o.contains(QLatin1String("decoded")))
            out.append(o);
    }
    return out;
}

QList<QJsonObject> tcpVectorList()
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : vectors().value(QLatin1String("vectors")).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("transport")).toString() == QLatin1String("tcp")
            && o.contains(QLatin1String("c2s_hex")))
            out.append(o);
    }
    return out;
}

// A stream message read from bytes fed in the given piece sizes (cycled).
StreamReader readStream(const QByteArray &bytes, const Keyring &keyring, qsizetype piece)
{
    StreamReader reader(keyring);
    for (qsizetype at = 0; at < bytes.size() && reader.state() == StreamReader::State::NeedMore;
         at += piece)
        reader.feed(QByteArrayView(bytes).sliced(at, qMin(piece, bytes.size() - at)));
    return reader;
}

} // namespace

class TestSerfCodec final : public QObject
{
    Q_OBJECT

private slots:
    void vectorCount()
    {
        const QJsonArray all = vectors().value(QLatin1String("vectors")).toArray();
        QCOMPARE(all.size(), 41);
        int captured = 0;
        for (const QJsonValue &v : all)
            captured += v.toObject()
                            .value(QLatin1String("origin"))
                            .toString()
                            .startsWith(QLatin1String("captured"));
        QCOMPARE(captured, 36); // 31 between agents, 5 with the Python prototype or a probe
    }

    // ---- msgpack ----------------------------------------------------------

    void msgpackWriterIsGoFlavour()
    {
        MsgWriter w;
        w.raw(QByteArray(31, 'x'));
        QCOMPARE(quint8(w.data()[0]), quint8(0xbf));
        MsgWriter w2;
        w2.raw(QByteArray(32, 'x')); // never str8 (0xd9): old spec goes to raw16
        QCOMPARE(w2.data().left(3), QByteArray::fromHex("da0020"));
        MsgWriter w3;
        w3.raw(QByteArray(70000, 'x'));
        QCOMPARE(w3.data().left(5), QByteArray::fromHex("db00011170"));
        MsgWriter ints;
        for (quint64 v : { 0ull, 127ull, 128ull, 255ull, 256ull, 65535ull, 65536ull, 4294967295ull,
                 4294967296ull })
            ints.uint(v);
        QCOMPARE(ints.data().toHex(),
            QByteArray("007fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000"));
        MsgWriter d;
        d.integer(3000000000); // time.Duration 3 s
        QCOMPARE(d.data(), QByteArray::fromHex("ceb2d05e00"));
    }

    void msgpackReaderAcceptsWhatGoAccepts()
    {
        // str8 for a string, bin for bytes, any int width.
        QString s;
        const QByteArray r1Bytes = QByteArray::fromHex("d903616263");
        MsgReader r1(r1Bytes);
        QVERIFY(r1.readString(s));
        QCOMPARE(s, QStringLiteral("abc"));
        QByteArray b;
        const QByteArray r2Bytes = QByteArray::fromHex("c40201ff");
        MsgReader r2(r2Bytes);
        QVERIFY(r2.readBytes(b));
        QCOMPARE(b, QByteArray::fromHex("01ff"));
        const QByteArray r3Bytes = QByteArray::fromHex("c40201");
        MsgReader r3(r3Bytes); // bin is not a Go string
        QVERIFY(!r3.readString(s) && !r3.ok());
        quint32 v = 0;
        const QByteArray r4Bytes = QByteArray::fromHex("cf0000000000000007");
        MsgReader r4(r4Bytes);
        QVERIFY(r4.readUInt32(v));
        QCOMPARE(v, 7u);
        const QByteArray r5Bytes = QByteArray::fromHex("cf0000000100000000");
        MsgReader r5(r5Bytes); // 2^32 in a u32 field
        QVERIFY(!r5.readUInt32(v));
        const QByteArray r6Bytes = QByteArray::fromHex("ff");
        MsgReader r6(r6Bytes); // -1 in an unsigned field
        quint64 u = 0;
        QVERIFY(!r6.readUInt(u));
        QVERIFY(!r6.truncated());
    }

    void msgpackBounds()
    {
        // Lengths beyond the bytes present are "truncated", never allocated.
        const QByteArray hugeBytes = QByteArray::fromHex("dbffffffff41");
        MsgReader huge(hugeBytes);
        QByteArray b;
        QVERIFY(!huge.readBytes(b));
        QVERIFY(huge.truncated());
        const QByteArray bigArrayBytes = QByteArray::fromHex("ddffffffff");
        MsgReader bigArray(bigArrayBytes);
        quint32 n = 0;
        QVERIFY(!bigArray.readArrayHeader(n));
        QVERIFY(bigArray.truncated());
        const QByteArray bigMapBytes = QByteArray::fromHex("dfffffffff00");
        MsgReader bigMap(bigMapBytes);
        QVERIFY(!bigMap.skip());
        // Nesting: 1000 one-element arrays is refused at the depth bound.
        const QByteArray deep = QByteArray(1000, char(0x91)) + QByteArray(1, char(0x00));
        MsgReader nested(deep, 16);
        QVERIFY(!nested.skip());
        QVERIFY(!nested.truncated());
        QVERIFY(nested.error().contains(QLatin1String("nesting")));
        // Reserved byte.
        const QByteArray reservedBytes = QByteArray::fromHex("c1");
        MsgReader reserved(reservedBytes);
        QVERIFY(!reserved.skip());
        // Unknown struct keys are skipped, including deep ones within bounds.
        Ping p;
        const QByteArray withExtra
            = QByteArray::fromHex("0083a44e6f6465a162a5457874726191919100a55365714e6f05");
        const PacketResult r = decodeMessages(withExtra);
        QVERIFY(std::holds_alternative<DecodedPacket>(r));
        p = std::get<Ping>(std::get<DecodedPacket>(r).messages.value(0));
        QCOMPARE(p.node, QStringLiteral("b"));
        QCOMPARE(p.seqNo, 5u);
    }

    // ---- LZW, CRC, encryption ----------------------------------------------

    void lzwEdgeCases()
    {
        const QJsonArray cases
            = vector(QStringLiteral("lzw-edge-cases")).value(QLatin1String("cases")).toArray();
        QCOMPARE(cases.size(), 4);
        for (const QJsonValue &c : cases) {
            const QByteArray input = hex(c.toObject().value(QLatin1String("input_hex")));
            const QByteArray packed = hex(c.toObject().value(QLatin1String("lzw_hex")));
            QCOMPARE(lzw::compress(input).toHex(), packed.toHex());
            QString why;
            QCOMPARE(lzw::decompress(packed, 1024, &why), std::optional<QByteArray>(input));
        }
    }

    void lzwRoundTripsAndResets()
    {
        // Random data long enough to reach 12-bit codes and reset several times.
        QRandomGenerator rng(15);
        for (const qsizetype size : { 1, 2, 100, 5000, 70000, 200000 }) {
            QByteArray data(size, Qt::Uninitialized);
            for (char &c : data)
                c = char(rng.bounded(size > 1000 ? 4 : 256)); // low entropy: long codes
            const QByteArray packed = lzw::compress(data);
            QString why;
            const auto back = lzw::decompress(packed, size, &why);
            QVERIFY2(back.has_value(), qPrintable(why));
            QCOMPARE(*back, data);
        }
    }

    void lzwHostile()
    {
        QString why;
        // A bomb: 4 MiB of zeros compresses to a few KB; the bound stops it.
        const QByteArray bomb = lzw::compress(QByteArray(4 * 1024 * 1024, '\0'));
        QVERIFY(bomb.size() < 40000);
        QVERIFY(!lzw::decompress(bomb, 64 * 1024, &why));
        QVERIFY(why.contains(QLatin1String("beyond")));
        // No eof code.
        QVERIFY(!lzw::decompress(QByteArray::fromHex("00c3"), 1024, &why));
        // A code beyond the table (first code after clear = 0x1ff).
        QVERIFY(!lzw::decompress(QByteArray::fromHex("00fe07"), 1024, &why));
        QVERIFY(why.contains(QLatin1String("invalid")));
        // Empty input.
        QVERIFY(!lzw::decompress({}, 1024, &why));
        // Every truncation of a real payload fails cleanly.
        const QByteArray large = hex(
            vector(QStringLiteral("push-pull-large-lzw-12bit")).value(QLatin1String("c2s_hex")));
        for (qsizetype n = 0; n < large.size(); n += 97)
            (void)decodeMessages(large.first(n), {});
    }

    void crcVector()
    {
        const QJsonObject v = vector(QStringLiteral("crc-wrapped-ping"));
        const QByteArray inner = hex(v.value(QLatin1String("inner_hex")));
        QCOMPARE(QByteArray::number(crc32(inner), 16),
            v.value(QLatin1String("crc32_hex")).toString().toLatin1());
        QCOMPARE(encodeCrc(inner), hex(v.value(QLatin1String("hex"))));
        QCOMPARE(crc32(QByteArrayLiteral("123456789")), 0xcbf43926u); // the standard check value
        const PacketResult r = decodePacket(hex(v.value(QLatin1String("hex"))));
        QVERIFY(std::holds_alternative<DecodedPacket>(r));
        QVERIFY(std::get<DecodedPacket>(r).layers.crc);
    }

    void encryptionCraftedVectors_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("version");
        QTest::newRow("v0 pkcs7") << QStringLiteral("encryption-version-0-pkcs7") << 0;
        QTest::newRow("v1") << QStringLiteral("encryption-version-1-fixed-nonce") << 1;
    }

    void encryptionCraftedVectors()
    {
        QFETCH(QString, label);
        QFETCH(int, version);
        const QJsonObject v = vector(label);
        const Keyring ring = keyringOf(v);
        const QByteArray plain = hex(v.value(QLatin1String("plaintext_hex")));
        const QByteArray nonce = hex(v.value(QLatin1String("nonce_hex")));
        const QByteArray wire = hex(v.value(QLatin1String("hex")));
        QCOMPARE(encrypt(version, ring.primary(), plain, {}, nonce).toHex(), wire.toHex());
        QString why;
        const auto opened = decrypt(ring, wire, {}, &why);
        QVERIFY2(opened, qPrintable(why));
        QCOMPARE(opened->plaintext, plain);
        QCOMPARE(opened->version, version);
        // The whole datagram path too.
        const PacketResult r = decodePacket(wire, ring);
        QVERIFY(std::holds_alternative<DecodedPacket>(r));
        QCOMPARE(std::get<DecodedPacket>(r).layers.encryptionVersion, version);
    }

    void encryptedStreamCraftedVector()
    {
        const QJsonObject v = vector(QStringLiteral("encrypted-stream-fixed-nonce"));
        const Keyring ring = keyringOf(v);
        const QByteArray wire = hex(v.value(QLatin1String("hex")));
        StreamOptions options;
        options.nonce = hex(v.value(QLatin1String("nonce_hex")));
        QCOMPARE(encodeStream(Ack { std::nullopt, 77 }, options, ring).toHex(), wire.toHex());
        for (const qsizetype piece : { 1, 3, 5, 1000 }) {
            const StreamReader reader = readStream(wire, ring, piece);
            QCOMPARE(reader.state(), StreamReader::State::Done);
            QCOMPARE(std::get<Ack>(*reader.message()).seqNo, 77u);
            QCOMPARE(reader.consumed(), wire.size());
        }
    }

    void randomNoncesDiffer()
    {
        const Keyring ring({ QByteArray(16, '\x01') });
        const QByteArray a = encodePacket({ encodeMessage(Nack { 1 }) }, {}, ring);
        const QByteArray b = encodePacket({ encodeMessage(Nack { 1 }) }, {}, ring);
        QCOMPARE(a.size(), 1 + 12 + 9 + 16);
        QVERIFY(a.mid(1, 12) != b.mid(1, 12));
        QVERIFY(std::holds_alternative<DecodedPacket>(decodePacket(a, ring)));
    }

    void keyring()
    {
        const QByteArray k1(16, '\x01'), k2(32, '\x02'), k3(24, '\x03');
        Keyring ring({ k1, QByteArray(5, 'x'), k2 });
        QCOMPARE(ring.keys().size(), 2); // the 5-byte key is dropped
        QVERIFY(ring.install(k3));
        QVERIFY(!ring.remove(k1)); // the primary
        QVERIFY(ring.use(k3));
        QCOMPARE(ring.primary(), k3);
        QVERIFY(ring.remove(k1));
        QCOMPARE(ring.keys(), (QList<QByteArray> { k3, k2 }));
        QVERIFY(!ring.use(k1));
        QVERIFY(!ring.install(QByteArray(17, 'x')));
    }

    // ---- every captured datagram -------------------------------------------

    void udpVectors_data()
    {
        QTest::addColumn<QJsonObject>("v");
        for (const QJsonObject &v : udpCapturedVectors())
            QTest::newRow(qPrintable(v.value(QLatin1String("label")).toString())) << v;
    }

    void udpVectors()
    {
        QFETCH(QJsonObject, v);
        const QByteArray wire = hex(v.value(QLatin1String("hex")));
        const Keyring ring = keyringOf(v);
        const PacketResult result = decodePacket(wire, ring);
        if (const auto *e = std::get_if<CodecError>(&result))
            QFAIL(qPrintable(e->reason));
        const DecodedPacket &packet = std::get<DecodedPacket>(result);
        QVERIFY(packet.refused.isEmpty());
        QCOMPARE(packet.truncatedParts, 0);

        // Decodes to the vector's fields.
        QList<QJsonObject> want;
        leaves(v.value(QLatin1String("decoded")).toObject(), want);
        QCOMPARE(packet.messages.size(), want.size());
        for (qsizetype i = 0; i < want.size(); ++i) {
            const QString diff = compareLeaf(packet.messages[i], want[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("part %1: %2").arg(i).arg(diff)));
        }

        // Each message re-encodes to its own bytes, and the datagram to the
        // captured bytes (the captured nonce given), compression decided by
        // the same rule as Go's ("only if shorter").
        QList<QByteArray> parts;
        for (const Message &m : packet.messages)
            parts.append(encodeMessage(m));
        if (packet.layers.compounds == 0)
            QCOMPARE(parts.size(), 1);
        PacketOptions options;
        options.crc = packet.layers.crc;
        if (packet.layers.encrypted)
            options.nonce = hex(
                v.value(QLatin1String("encryption")).toObject().value(QLatin1String("nonce_hex")));
        // The sender's primary is the key that opened it (K2 after a rotation).
        Keyring senderRing = ring;
        if (packet.layers.encrypted)
            senderRing.use(ring.keys().value(packet.layers.keyIndex));
        const QByteArray again = encodePacket(parts, options, senderRing);
        QCOMPARE(again.toHex(), wire.toHex());
    }

    void udpVectorsTagsAndSerfReencode()
    {
        for (const QJsonObject &v : udpCapturedVectors()) {
            const PacketResult r = decodePacket(hex(v.value(QLatin1String("hex"))), keyringOf(v));
            QList<QJsonObject> want;
            leaves(v.value(QLatin1String("decoded")).toObject(), want);
            const auto &messages = std::get<DecodedPacket>(r).messages;
            for (qsizetype i = 0; i < messages.size(); ++i) {
                if (const auto *alive = std::get_if<Alive>(&messages[i])) {
                    const std::optional<TagList> tags = decodeTags(alive->meta);
                    QVERIFY(tags);
                    const QJsonObject wantTags = want[i].value(QLatin1String("tags")).toObject();
                    QCOMPARE(tags->size(), wantTags.size());
                    for (const auto &[key, value] : *tags)
                        QCOMPARE(wantTags.value(key).toString().toUtf8(), value);
                    QCOMPARE(encodeTags(*tags), *alive->meta); // wire order kept
                    QCOMPARE(alive->vsn, defaultVsn());
                }
                if (const auto *user = std::get_if<UserMessage>(&messages[i])) {
                    const SerfResult s = decodeSerfMessage(user->payload);
                    QCOMPARE(
                        encodeSerfMessage(std::get<SerfMessage>(s)).toHex(), user->payload.toHex());
                }
            }
        }
    }

    void serfPayloads()
    {
        // Filters of the filtered query.
        {
            const PacketResult r = decodePacket(
                hex(vector(QStringLiteral("serf-query-filtered-crc")).value(QLatin1String("hex"))));
            const auto &user = std::get<UserMessage>(std::get<DecodedPacket>(r).messages[0]);
            const auto q = std::get<Query>(std::get<SerfMessage>(decodeSerfMessage(user.payload)));
            QVERIFY(q.filters.has_value());
            const QList<QByteArray> filters = q.filters.value_or(QList<QByteArray> {});
            QCOMPARE(filters.size(), 2);
            const auto nodes = decodeFilter(filters.at(0));
            QCOMPARE(std::get<NodeFilter>(*nodes).nodes, QStringList { QStringLiteral("b") });
            const auto tag = decodeFilter(filters.at(1));
            QCOMPARE(std::get<TagFilter>(*tag).tag, QStringLiteral("role"));
            QCOMPARE(std::get<TagFilter>(*tag).expr, QStringLiteral("z"));
            QCOMPARE(encodeFilter(*nodes), filters.at(0));
            QCOMPARE(encodeFilter(*tag), filters.at(1));
            QVERIFY(!decodeFilter(QByteArray::fromHex("05c0")));
        }
        // Conflict response: a serf.Member.
        {
            const PacketResult r = decodePacket(
                hex(vector(QStringLiteral("serf-conflict-response")).value(QLatin1String("hex"))));
            const auto &user = std::get<UserMessage>(std::get<DecodedPacket>(r).messages[0]);
            const auto resp
                = std::get<QueryResponse>(std::get<SerfMessage>(decodeSerfMessage(user.payload)));
            const auto member = decodeConflictResponse(*resp.payload);
            QVERIFY(member);
            QCOMPARE(member->name, QStringLiteral("b"));
            QCOMPARE(member->port, 35072);
            QCOMPARE(member->protocolMax, 5);
            QCOMPARE(member->status, 1u);
            QCOMPARE(member->tags.value(0).second, QByteArray("y"));
            QCOMPARE(encodeConflictResponse(*member), *resp.payload);
        }
        // Key query and list-keys response (encrypted captures).
        {
            const QJsonObject v = vector(QStringLiteral("encrypted-list-keys-response"));
            const PacketResult r = decodePacket(hex(v.value(QLatin1String("hex"))), keyringOf(v));
            const auto &user = std::get<UserMessage>(std::get<DecodedPacket>(r).messages[0]);
            const auto resp
                = std::get<QueryResponse>(std::get<SerfMessage>(decodeSerfMessage(user.payload)));
            const auto keys = decodeKeyResponse(*resp.payload);
            QVERIFY(keys && keys->result);
            QCOMPARE(keys->keys->size(), 2);
            QCOMPARE(keys->primaryKey, QStringLiteral("AAECAwQFBgcICQoLDA0ODw=="));
            QCOMPARE(encodeKeyResponse(*keys), *resp.payload);
        }
        {
            const QJsonObject v = vector(QStringLiteral("encrypted-install-key-query"));
            const PacketResult r = decodePacket(hex(v.value(QLatin1String("hex"))), keyringOf(v));
            const auto &user = std::get<UserMessage>(std::get<DecodedPacket>(r).messages[0]);
            const auto q = std::get<Query>(std::get<SerfMessage>(decodeSerfMessage(user.payload)));
            QCOMPARE(q.name, QStringLiteral("_serf_install-key"));
            const auto key = decodeKeyRequest(*q.payload);
            QCOMPARE(key->toBase64(), QByteArray("EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8="));
            QCOMPARE(encodeKeyRequest(*key), *q.payload);
        }
    }

    void tagsEncoding()
    {
        QCOMPARE(encodeTags(Metadata {}), QByteArray::fromHex("ff80"));
        const Metadata tags { { QStringLiteral("role"), "x" }, { QStringLiteral("dc"), "one" } };
        // Sorted for determinism (Go's order is random; both decode the same).
        QCOMPARE(encodeTags(tags), QByteArray::fromHex("ff82a26463a36f6e65a4726f6c65a178"));
        QCOMPARE(
            tagsToMetadata(*decodeTags(QByteArray::fromHex("ff82a4726f6c65a178a26463a36f6e65"))),
            tags);
        // Legacy / nil Meta is {"role": Meta}.
        QCOMPARE(tagsToMetadata(*decodeTags(std::nullopt)),
            (Metadata { { QStringLiteral("role"), QByteArray() } }));
        QCOMPARE(tagsToMetadata(*decodeTags(QByteArray("web"))),
            (Metadata { { QStringLiteral("role"), "web" } }));
        QVERIFY(!decodeTags(QByteArray::fromHex("ff91")));
        QVERIFY(!decodeTags(QByteArray::fromHex("ff81a16101"))); // non-string value
    }

    // ---- streams -------------------------------------------------------------

    void tcpVectors_data()
    {
        QTest::addColumn<QJsonObject>("v");
        QTest::addColumn<QString>("direction");
        for (const QJsonObject &v : tcpVectorList()) {
            const QString label = v.value(QLatin1String("label")).toString();
            for (const char *dir : { "c2s", "s2c" })
                if (v.contains(QLatin1String(dir) + QLatin1String("_decoded")))
                    QTest::newRow(qPrintable(label + QLatin1Char(' ') + QLatin1String(dir)))
                        << v << QString::fromLatin1(dir);
        }
    }

    void tcpVectors()
    {
        QFETCH(QJsonObject, v);
        QFETCH(QString, direction);
        const QByteArray wire = hex(v.value(direction + QLatin1String("_hex")));
        const QJsonObject decoded = v.value(direction + QLatin1String("_decoded")).toObject();
        const Keyring ring = keyringOf(v);
        // Any split of the bytes gives the same message.
        std::optional<StreamMessage> first;
        for (const qsizetype piece :
            { qsizetype(1), qsizetype(2), qsizetype(7), qsizetype(64), wire.size() }) {
            const StreamReader reader = readStream(wire, ring, piece);
            QVERIFY2(reader.state() == StreamReader::State::Done, qPrintable(reader.error()));
            QCOMPARE(reader.consumed(), wire.size());
            if (!first)
                first = reader.message();
            QVERIFY(*reader.message() == *first);
        }
        const bool compressed
            = decoded.value(QLatin1String("name")).toString() == QLatin1String("compress");
        const QJsonObject inner
            = compressed ? decoded.value(QLatin1String("inner")).toObject() : decoded;
        const QString name = inner.value(QLatin1String("name")).toString();
        if (name == QLatin1String("pushPull")) {
            const auto &pp = std::get<PushPull>(*first);
            const QJsonObject header = inner.value(QLatin1String("header")).toObject();
            QCOMPARE(pp.join, header.value(QLatin1String("Join")).toBool());
            QCOMPARE(pp.nodes.size(), header.value(QLatin1String("Nodes")).toInt());
            QCOMPARE(pp.userState.size(), header.value(QLatin1String("UserStateLen")).toInt());
            const QJsonArray nodes = inner.value(QLatin1String("nodes")).toArray();
            for (qsizetype i = 0; i < pp.nodes.size(); ++i) {
                const QJsonObject n = nodes[i].toObject();
                const PushNodeState &s = pp.nodes[i];
                QCOMPARE(s.name, n.value(QLatin1String("Name")).toString());
                QCOMPARE(bytesJson(s.addr), n.value(QLatin1String("Addr")));
                QCOMPARE(bytesJson(s.meta), n.value(QLatin1String("Meta")));
                QCOMPARE(bytesJson(s.vsn), n.value(QLatin1String("Vsn")));
                QCOMPARE(int(s.incarnation), n.value(QLatin1String("Incarnation")).toInt());
                QCOMPARE(int(s.port), n.value(QLatin1String("Port")).toInt());
                QCOMPARE(int(s.state), n.value(QLatin1String("State")).toInt());
            }
            const SerfPushPullResult us = decodeSerfPushPull(pp.userState);
            if (const auto *e = std::get_if<SerfError>(&us))
                QFAIL(qPrintable(e->reason));
            const SerfPushPull &state = std::get<SerfPushPull>(us);
            const QJsonObject f = inner.value(QLatin1String("user_state"))
                                      .toObject()
                                      .value(QLatin1String("fields"))
                                      .toObject();
            QCOMPARE(double(state.eventLTime), f.value(QLatin1String("EventLTime")).toDouble());
            QCOMPARE(double(state.ltime), f.value(QLatin1String("LTime")).toDouble());
            QCOMPARE(double(state.queryLTime), f.value(QLatin1String("QueryLTime")).toDouble());
            QStringList left;
            for (const QJsonValue &l : f.value(QLatin1String("LeftMembers")).toArray())
                left.append(l.toString());
            QCOMPARE(state.leftMembers, left);
            const QJsonObject statusLTimes = f.value(QLatin1String("StatusLTimes")).toObject();
            QCOMPARE(state.statusLTimes.size(), statusLTimes.size());
            for (const auto &[member, ltime] : state.statusLTimes)
                QCOMPARE(double(ltime), statusLTimes.value(member).toDouble());
            const QJsonValue events = f.value(QLatin1String("Events"));
            if (events.isObject()) {
                const QJsonObject e = events.toObject();
                QCOMPARE(state.events.size(), e.value(QLatin1String("array_length")).toInt());
                const QJsonObject nonNull = e.value(QLatin1String("non_null_entries")).toObject();
                int present = 0;
                for (qsizetype i = 0; i < state.events.size(); ++i) {
                    if (!state.events[i])
                        continue;
                    ++present;
                    const QJsonObject bucket = nonNull.value(QString::number(i)).toObject();
                    QCOMPARE(double(state.events[i]->ltime),
                        bucket.value(QLatin1String("LTime")).toDouble());
                    QCOMPARE(state.events[i]->events.size(),
                        bucket.value(QLatin1String("Events")).toArray().size());
                }
                QCOMPARE(present, nonNull.size());
            } else {
                QCOMPARE(state.events.size(), events.toArray().size());
            }
            // The Serf state re-encodes to its bytes (wire order kept).
            QCOMPARE(encodeSerfPushPull(state).toHex(), pp.userState.toHex());
        } else if (name == QLatin1String("ping")) {
            QCOMPARE(
                fieldsOf(std::get<Ping>(*first)), inner.value(QLatin1String("fields")).toObject());
        } else if (name == QLatin1String("ackResp")) {
            QCOMPARE(
                fieldsOf(std::get<Ack>(*first)), inner.value(QLatin1String("fields")).toObject());
        } else if (name == QLatin1String("err")) {
            QCOMPARE(std::get<ErrorResponse>(*first).error,
                inner.value(QLatin1String("fields"))
                    .toObject()
                    .value(QLatin1String("Error"))
                    .toString());
        } else {
            QFAIL(qPrintable(name));
        }
        // The whole stream re-encodes to the captured bytes.
        StreamOptions options;
        options.compress = compressed;
        const QJsonObject encryption = v.value(direction + QLatin1String("_encryption")).toObject();
        if (!encryption.isEmpty())
            options.nonce = hex(encryption.value(QLatin1String("nonce_hex")));
        QCOMPARE(encodeStream(*first, options, ring).toHex(), wire.toHex());
    }

    void tcpEncryptedToPlainAgent()
    {
        // The probe's 40 zero bytes "encrypted" to a plaintext agent: refused
        // with the agent's own words; the agent's err answer decodes.
        const QJsonObject v = vector(QStringLiteral("tcp-error-response"));
        const StreamReader reader = readStream(hex(v.value(QLatin1String("c2s_hex"))), {}, 1);
        QCOMPARE(reader.state(), StreamReader::State::Failed);
        QCOMPARE(reader.error(),
            QStringLiteral("Remote state is encrypted and encryption is not configured"));
        // The other way round: a plaintext stream to a Shoal with a keyring.
        const StreamReader plain = readStream(
            hex(v.value(QLatin1String("s2c_hex"))), Keyring({ QByteArray(16, 'k') }), 4);
        QCOMPARE(plain.state(), StreamReader::State::Failed);
        QVERIFY(plain.error().contains(QLatin1String("not encrypted")));
    }

    void streamLeavesTrailingBytes()
    {
        const QByteArray ping = hex(
            vector(QStringLiteral("tcp-ping-answered-by-serf")).value(QLatin1String("c2s_hex")));
        StreamReader reader;
        QCOMPARE(reader.feed(QByteArray(ping + QByteArray("junk"))), StreamReader::State::Done);
        QCOMPARE(reader.consumed(), ping.size());
        // A stream user message (3.4) both ways.
        StreamOptions plain;
        plain.compress = false;
        const QByteArray user = encodeStream(UserMessage { QByteArray("\x01hello", 6) }, plain);
        const StreamReader r = readStream(user, {}, 1);
        QCOMPARE(std::get<UserMessage>(*r.message()).payload, QByteArray("\x01hello", 6));
    }

    // ---- hostile input ---------------------------------------------------------

    void everyTruncationIsSafe()
    {
        for (const QJsonObject &v : udpCapturedVectors()) {
            const QByteArray wire = hex(v.value(QLatin1String("hex")));
            const Keyring ring = keyringOf(v);
            for (qsizetype n = 0; n < wire.size(); ++n) {
                const PacketResult r = decodePacket(wire.first(n), ring);
                if (const auto *p = std::get_if<DecodedPacket>(&r))
                    QVERIFY(p->messages.size() <= 4);
            }
        }
        for (const QJsonObject &v : tcpVectorList()) {
            const QByteArray wire = hex(v.value(QLatin1String("c2s_hex")));
            const Keyring ring = keyringOf(v);
            for (qsizetype n = 0; n < wire.size(); n += 1 + n / 8) {
                StreamReader reader(ring);
                // A prefix never completes (the message needs all of its bytes).
                QVERIFY(reader.feed(wire.first(n)) != StreamReader::State::Done);
            }
        }
    }

    void hostileDatagrams_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("unknown type") << QByteArray::fromHex("f4") << QStringLiteral("unknown");
        QTest::newRow("label (0.3.0+)")
            << QByteArray::fromHex("f40161") << QStringLiteral("unknown");
        QTest::newRow("pushPull by UDP")
            << QByteArray::fromHex("0680") << QStringLiteral("not a datagram");
        QTest::newRow("bad crc") << QByteArray::fromHex("0c000000000b81a55365714e6f14")
                                 << QStringLiteral("CRC");
        QTest::newRow("crc inside compound") << QByteArray::fromHex("07010005"
                                                                    "0c00000000")
                                             << QString();
        QTest::newRow("compound length table cut")
            << QByteArray::fromHex("0705000100") << QStringLiteral("truncated");
        QTest::newRow("huge raw") << QByteArray::fromHex("0081a44e6f6465dbffffffff")
                                  << QStringLiteral("truncated");
        QTest::newRow("seqno beyond u32")
            << QByteArray::fromHex("0b81a55365714e6fcf0000000100000000")
            << QStringLiteral("32 bits");
        QTest::newRow("deep value") << (QByteArray::fromHex("0b81a3466f6f")
            + QByteArray(200, char(0x91)) + QByteArray(1, '\0'))
                                    << QStringLiteral("nesting");
        QTest::newRow("not a map") << QByteArray::fromHex("0b90") << QStringLiteral("struct");
        QTest::newRow("compress unknown algo")
            << QByteArray::fromHex("0982a4416c676f01a3427566a0") << QStringLiteral("algorithm");
        QTest::newRow("compress bad lzw")
            << QByteArray::fromHex("0982a4416c676f00a3427566a3fe0700") << QStringLiteral("lzw");
        QTest::newRow("state out of range")
            << QByteArray::fromHex("0580") << QString(); // zero dead: fine
    }

    void hostileDatagrams()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const PacketResult r = decodePacket(bytes);
        if (reason.isEmpty())
            return; // only "does not crash"; parts may be refused
        QVERIFY(std::holds_alternative<CodecError>(r));
        QVERIFY2(std::get<CodecError>(r).reason.contains(reason),
            qPrintable(std::get<CodecError>(r).reason));
    }

    void compoundRules()
    {
        // Parts cut off by a short datagram are dropped, the rest kept (as Go).
        const QByteArray nack = encodeMessage(Nack { 9 });
        QByteArray c = encodeCompound({ nack, nack, nack });
        c.chop(3);
        const PacketResult r = decodePacket(c);
        QCOMPARE(std::get<DecodedPacket>(r).messages.size(), 2);
        QCOMPARE(std::get<DecodedPacket>(r).truncatedParts, 1);
        // A bad part is refused with a reason, the others kept.
        const QByteArray mixed = encodeCompound({ nack, QByteArray::fromHex("ee"), nack });
        const PacketResult mixedResult = decodePacket(mixed);
        const auto &p = std::get<DecodedPacket>(mixedResult);
        QCOMPARE(p.messages.size(), 2);
        QCOMPARE(p.refused.size(), 1);
        // Never more than 127 parts (Go mis-parses 128+).
        QVERIFY(encodeCompound(QList<QByteArray>(128, nack)).isEmpty());
        QVERIFY(!encodeCompound(QList<QByteArray>(127, nack)).isEmpty());
        // Nesting: compress(compound(compress(...))) beyond 4 levels is refused.
        QByteArray nested = nack;
        for (int i = 0; i < 6; ++i)
            nested = i % 2 ? encodeCompress(nested) : encodeCompound({ nested });
        const PacketResult deep = decodePacket(nested);
        const bool refused = std::holds_alternative<CodecError>(deep)
            || !std::get<DecodedPacket>(deep).refused.isEmpty();
        QVERIFY(refused);
    }

    void compressedBombInDatagram()
    {
        // 1 MiB of alive-looking bytes in a 1.4 KB compress message: capped at 64 KiB.
        const QByteArray big = encodeCompress(QByteArray(1024 * 1024, '\x04'));
        QVERIFY(big.size() < 20000);
        const PacketResult r = decodePacket(big);
        QVERIFY(std::holds_alternative<CodecError>(r));
        QVERIFY(std::get<CodecError>(r).reason.contains(QLatin1String("beyond")));
    }

    void wrongKeyAndBadCiphertext()
    {
        const QJsonObject v = vector(QStringLiteral("encrypted-gossip-key1"));
        const QByteArray wire = hex(v.value(QLatin1String("hex")));
        auto reason = [](const PacketResult &r) { return std::get<CodecError>(r).reason; };
        QVERIFY(reason(decodePacket(wire, Keyring({ QByteArray(16, 'z') })))
                    .contains(QLatin1String("no installed key")));
        // The second key of the ring opens it when the first does not.
        const Keyring swapped({ QByteArray(16, 'z'), keyringOf(v).primary() });
        QCOMPARE(std::get<DecodedPacket>(decodePacket(wire, swapped)).layers.keyIndex, 1);
        QByteArray flipped = wire;
        flipped[40] = char(flipped[40] ^ 1);
        QVERIFY(std::holds_alternative<CodecError>(decodePacket(flipped, keyringOf(v))));
        QByteArray v2 = wire;
        v2[0] = 2;
        QVERIFY(reason(decodePacket(v2, keyringOf(v))).contains(QLatin1String("version")));
        QVERIFY(
            reason(decodePacket(wire.first(28), keyringOf(v))).contains(QLatin1String("short")));
        // A plaintext datagram in an encrypted cluster is dropped.
        QVERIFY(std::holds_alternative<CodecError>(
            decodePacket(encodeMessage(Nack { 1 }), keyringOf(v))));
        // Version 0 with a padding count beyond the plaintext.
        const QByteArray k(16, 'q');
        const QByteArray badPad
            = encrypt(1, k, QByteArray(16, char(0x40)), {}, QByteArray(12, 'n'));
        QByteArray asV0 = badPad;
        asV0[0] = 0; // v1 ciphertext relabelled v0: GCM still opens it, padding is nonsense
        QVERIFY(std::holds_alternative<CodecError>(decodePacket(asV0, Keyring({ k }))));
    }

    // AES-GCM contexts are keyed once per key and reused: sealing and opening with keys used
    // in turn (more keys than are kept, a failed open in between) gives what a fresh key gives.
    void keyedContextsReusedAcrossKeys()
    {
        QList<QByteArray> keys;
        for (int i = 0; i < 10; ++i)
            keys.append(QByteArray(i % 3 == 0 ? 16 : (i % 3 == 1 ? 24 : 32), char('a' + i)));
        const QByteArray nonce(12, 'n');
        const QByteArray plain("a datagram of some length, sealed again and again");
        QList<QByteArray> first;
        for (const QByteArray &key : keys)
            first.append(encrypt(1, key, plain, "aad", nonce));
        for (int i = 1; i < first.size(); ++i)
            QVERIFY(first[i] != first[i - 1]);
        for (int round = 0; round < 50; ++round) {
            for (qsizetype i = 0; i < keys.size(); ++i) {
                const qsizetype k = (i * 7 + round) % keys.size();
                QCOMPARE(encrypt(1, keys[k], plain, "aad", nonce), first[k]);
                QString why;
                // A wrong key first (its open fails), then the right one.
                const Keyring ring({ keys[(k + 1) % keys.size()], keys[k] });
                const std::optional<Decrypted> opened = decrypt(ring, first[k], "aad", &why);
                QVERIFY2(opened, qPrintable(why));
                QCOMPARE(opened->plaintext, plain);
                QCOMPARE(opened->keyIndex, 1);
                QVERIFY(!decrypt(ring, first[k], "other aad", &why));
            }
        }
    }

    void hostileStreams()
    {
        // Encrypted length beyond 20 MiB.
        StreamReader big(Keyring({ QByteArray(16, 'k') }));
        QCOMPARE(big.feed(QByteArray::fromHex("0a7fffffff")), StreamReader::State::Failed);
        // Push/pull claiming 2^32 nodes, or a huge user state.
        StreamReader nodes;
        QCOMPARE(nodes.feed(QByteArray::fromHex(
                     "0683a44a6f696ec2a54e6f646573ceffffffffac5573657253746174654c656e00")),
            StreamReader::State::Failed);
        StreamReader userState;
        QCOMPARE(userState.feed(QByteArray::fromHex(
                     "0683a44a6f696ec2a54e6f64657300ac5573657253746174654c656ecf0000000100000000")),
            StreamReader::State::Failed);
        // A push/pull that promises a node and stops: waits, never completes.
        StreamReader waiting;
        QCOMPARE(waiting.feed(QByteArray::fromHex(
                     "0683a44a6f696ec2a54e6f64657301ac5573657253746174654c656e00")),
            StreamReader::State::NeedMore);
        // A length far beyond the limit fails at once instead of waiting for it.
        StreamReader hugeRaw;
        QCOMPARE(hugeRaw.feed(QByteArray::fromHex("0081a44e6f6465dbffffffff")),
            StreamReader::State::Failed);
        // A truncated length is waited for exactly: no re-parse before it can complete.
        StreamReader exact;
        const QByteArray user
            = QByteArray::fromHex("0881aa557365724d73674c656ecd1000") + QByteArray(4096, 'u');
        QCOMPARE(exact.feed(user.first(20)), StreamReader::State::NeedMore);
        QCOMPARE(exact.feed(user.sliced(20, user.size() - 21)), StreamReader::State::NeedMore);
        QCOMPARE(exact.feed(user.last(1)), StreamReader::State::Done);
        QCOMPARE(std::get<UserMessage>(*exact.message()).payload.size(), 4096);
        // Messages that are not stream messages.
        StreamReader suspect;
        QCOMPARE(suspect.feed(encodeMessage(Suspect {})), StreamReader::State::Failed);
        StreamReader doubleCompress;
        QCOMPARE(doubleCompress.feed(encodeCompress(encodeCompress(encodeStreamMessage(Ack {})))),
            StreamReader::State::Failed);
        // A stream LZW bomb is capped (32 MiB) without reading it all.
        CodecLimits small;
        small.maxStreamDecompressed = 1024;
        StreamReader bomb({}, small);
        QCOMPARE(
            bomb.feed(encodeCompress(QByteArray(100000, '\x06'))), StreamReader::State::Failed);
        QVERIFY(bomb.error().contains(QLatin1String("beyond")));
        // A stream longer than the limit.
        CodecLimits tiny;
        tiny.maxStream = 10;
        StreamReader longStream({}, tiny);
        QCOMPARE(longStream.feed(QByteArray(100, '\x06')), StreamReader::State::Failed);
    }

    void hostileSerf()
    {
        QVERIFY(std::holds_alternative<SerfError>(decodeSerfMessage({})));
        QVERIFY(std::holds_alternative<SerfError>(decodeSerfMessage(QByteArray::fromHex("02"))));
        QVERIFY(std::holds_alternative<SerfError>(decodeSerfMessage(QByteArray::fromHex("0a80"))));
        QVERIFY(std::holds_alternative<SerfError>(
            decodeSerfMessage(QByteArray::fromHex("0181a54c54696d65ff"))));
        // Relay without its inner message.
        QVERIFY(std::holds_alternative<SerfError>(decodeSerfMessage(QByteArray::fromHex(
            "0982a844657374416464728083a24950a47f000001a8446573744e616d65a161"))));
        // Push/pull with an event ring of 2^32 entries.
        QVERIFY(std::holds_alternative<SerfError>(
            decodeSerfPushPull(QByteArray::fromHex("0281a64576656e7473ddffffffff"))));
        QVERIFY(std::holds_alternative<SerfError>(decodeSerfPushPull(QByteArray::fromHex("0380"))));
    }
};

QTEST_GUILESS_MAIN(TestSerfCodec)
#include "tst_serfcodec.moc"
