// Tests of the pickle reader and writer: CPython's own encodings (protocols 2
// to 5), other valid opcode choices, and hostile pickles that must be refused.
#include "net/swim/pickle.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace shoal::swim;

namespace {

// Small pieces to assemble pickles by hand.
QByteArray u8(int v)
{
    return QByteArray(1, char(v));
}
QByteArray le(quint64 v, int n)
{
    QByteArray b;
    for (int i = 0; i < n; ++i)
        b.append(char((v >> (8 * i)) & 0xff));
    return b;
}
QByteArray su(const QByteArray &s) // SHORT_BINUNICODE
{
    return u8(0x8c) + u8(int(s.size())) + s;
}
QByteArray sb(const QByteArray &s) // SHORT_BINBYTES
{
    return QByteArray("C") + u8(int(s.size())) + s;
}
QByteArray global(const QByteArray &module, const QByteArray &name) // STACK_GLOBAL
{
    return su(module) + su(name) + u8(0x93);
}
QByteArray packetClass(const QByteArray &name)
{
    return global("swimprotocol.packet", name);
}
const QByteArray proto5 = QByteArray("\x80\x05", 2);
const QByteArray newObj = QByteArray(")\x81"); // EMPTY_TUPLE NEWOBJ

QByteArray sourceWith(const QByteArray &name, const QByteArray &validity)
{
    return packetClass("Source") + newObj + "}(" + su("name") + name + su("validity") + validity
        + "ub";
}
QByteArray source()
{
    return sourceWith(su("127.0.0.1:1"), sb("12345678"));
}
QByteArray pingWith(const QByteArray &sourcePart)
{
    return proto5 + packetClass("Ping") + newObj + "}" + su("source") + sourcePart + "sb.";
}
QByteArray status(int v)
{
    return global("swimprotocol.status", "Status") + "K" + u8(v) + u8(0x85) + "R";
}
QByteArray gossipWith(
    const QByteArray &clock, const QByteArray &statusPart, const QByteArray &metadata)
{
    return proto5 + packetClass("Gossip") + newObj + "}(" + su("source") + source() + su("name")
        + su("n:2") + su("clock") + clock + su("status") + statusPart + su("metadata") + metadata
        + "ub.";
}
QByteArray gossip()
{
    return gossipWith("K\x05", status(1), "}" + su("k") + sb("v") + "s");
}

const Source expectedSource { QStringLiteral("127.0.0.1:1"), QByteArrayLiteral("12345678") };

QString refusal(const QByteArray &pickle, const PickleLimits &limits = {})
{
    const PickleResult r = readPacketPickle(pickle, limits);
    if (const auto *e = std::get_if<PickleError>(&r))
        return e->detail;
    return QString();
}

Packet accepted(const QByteArray &pickle)
{
    const PickleResult r = readPacketPickle(pickle);
    if (const auto *e = std::get_if<PickleError>(&r)) {
        qWarning("refused: %s", qPrintable(e->detail));
        return Packet(Ping { { QStringLiteral("refused"), {} } }); // fails the comparison
    }
    return std::get<Packet>(r);
}

} // namespace

class TestPickle final : public QObject
{
    Q_OBJECT
private slots:
    void handMadeBaseline()
    {
        QCOMPARE(accepted(pingWith(source())), Packet(Ping { expectedSource }));
        const Gossip g = std::get<Gossip>(accepted(gossip()));
        QCOMPARE(g.source, expectedSource);
        QCOMPARE(g.clock, 5u);
        QCOMPARE(g.metadata,
            std::optional(WireMetadata { { QStringLiteral("k"), QByteArrayLiteral("v") } }));
    }

    // Pickled by CPython 3.11 from the real swim-protocol classes.
    void cpythonOlderProtocols_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<int>("kind");
        QTest::newRow("protocol 2 (GLOBAL, BINPUT, _codecs.encode bytes)") << QByteArray::fromHex(
            "8002637377696d70726f746f636f6c2e7061636b65740a476f737369700a7100298171017d7102285806"
            "000000736f757263657103637377696d70726f746f636f6c2e7061636b65740a536f757263650a710429"
            "8171057d71062858040000006e616d657107580e0000003132372e302e302e313a323030317108580800"
            "000076616c69646974797109635f636f646563730a656e636f64650a710a580800000001020304050607"
            "08710b58060000006c6174696e31710c86710d52710e75626807580e0000003132372e302e302e313a32"
            "303033710f5805000000636c6f636b71104a7011010058060000007374617475737111637377696d7072"
            "6f746f636f6c2e7374617475730a5374617475730a71124b0485711352711458080000006d6574616461"
            "746171157d71162858010000006b7117680a5801000000767118680c86711952711a580100000065711b"
            "635f5f6275696c74696e5f5f0a62797465730a711c2952711d580100000062711e680a58030000000"
            "0c3bf711f680c8671205271217575622e") << 0;
        QTest::newRow("protocol 3 (BINBYTES, BINUNICODE)") << QByteArray::fromHex(
            "8003637377696d70726f746f636f6c2e7061636b65740a476f737369700a7100298171017d7102285806"
            "000000736f757263657103637377696d70726f746f636f6c2e7061636b65740a536f757263650a710429"
            "8171057d71062858040000006e616d657107580e0000003132372e302e302e313a323030317108580800"
            "000076616c6964697479710943080102030405060708710a75626807580e0000003132372e302e302e31"
            "3a32303033710b5805000000636c6f636b710c4a701101005806000000737461747573710d637377696d"
            "70726f746f636f6c2e7374617475730a5374617475730a710e4b0485710f52711058080000006d657461"
            "6461746171117d71122858010000006b711343017671145801000000657115430071165801000000627117"
            "430200ff71187575622e") << 0;
        QTest::newRow("protocol 4 (FRAME, MEMOIZE, BININT)") << QByteArray::fromHex(
            "800495ed000000000000008c137377696d70726f746f636f6c2e7061636b6574948c06476f7373697094"
            "93942981947d94288c06736f757263659468008c06536f757263659493942981947d94288c046e616d65"
            "948c0e3132372e302e302e313a32303031948c0876616c69646974799443080102030405060708947562"
            "680a8c0e3132372e302e302e313a32303033948c05636c6f636b944a701101008c06737461747573948c"
            "137377696d70726f746f636f6c2e737461747573948c065374617475739493944b04859452948c086d65"
            "746164617461947d94288c016b94430176948c0165944300948c016294430200ff947575622e")
                                                             << 0;
        QTest::newRow("protocol 2 GossipAck (LONG1 clock)") << QByteArray::fromHex(
            "8002637377696d70726f746f636f6c2e7061636b65740a476f7373697041636b0a7100298171017d7102"
            "285806000000736f757263657103637377696d70726f746f636f6c2e7061636b65740a536f757263650a"
            "7104298171057d71062858040000006e616d657107580e0000003132372e302e302e313a323030317108"
            "580800000076616c69646974797109635f636f646563730a656e636f64650a710a580800000001020304"
            "05060708710b58060000006c6174696e31710c86710d52710e7562680758010000006e710f5805000000"
            "636c6f636b71108a0600000000000175622e") << 1;
    }
    void cpythonOlderProtocols()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(int, kind);
        const Source src { QStringLiteral("127.0.0.1:2001"),
            QByteArray::fromHex("0102030405060708") };
        if (kind == 0) {
            const WireMetadata m { { QStringLiteral("k"), QByteArrayLiteral("v") },
                { QStringLiteral("e"), QByteArray() },
                { QStringLiteral("b"), QByteArray::fromHex("00ff") } };
            QCOMPARE(accepted(pickle),
                Packet(Gossip {
                    src, QStringLiteral("127.0.0.1:2003"), 70000, WireStatus::Suspect, m }));
        } else {
            QCOMPARE(
                accepted(pickle), Packet(GossipAck { src, QStringLiteral("n"), quint64(1) << 40 }));
        }
    }

    // Valid pickles CPython does not write but would load: all accepted.
    void otherValidEncodings_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QByteArray>("sourcePart");
        const QByteArray name = su("127.0.0.1:1");
        const QByteArray validity = sb("12345678");
        QTest::newRow("DICT instead of SETITEMS") << QByteArray()
                                                  << packetClass("Source") + newObj + "("
                + su("name") + name + su("validity") + validity + "db";
        QTest::newRow("BINPUT/LONG_BINGET of the name")
            << QByteArray()
            << name + "q\x07" + "0" + packetClass("Source") + newObj + "}(" + su("name") + "j"
                + le(7, 4) + su("validity") + validity + "ub";
        QTest::newRow("LONG_BINPUT/BINGET")
            << QByteArray()
            << validity + "r" + le(70000, 4) + "0" + packetClass("Source") + newObj + "}("
                + su("name") + name + su("validity") + "j" + le(70000, 4) + "ub";
        QTest::newRow("GLOBAL opcode") << QByteArray()
                                       << QByteArray("cswimprotocol.packet\nSource\n") + newObj
                + "}(" + su("name") + name + su("validity") + validity + "ub";
        QTest::newRow("BINUNICODE8/BINBYTES8")
            << QByteArray()
            << packetClass("Source") + newObj + "}(" + su("name") + u8(0x8d) + le(11, 8)
                + "127.0.0.1:1" + su("validity") + u8(0x8e) + le(8, 8) + "12345678" + "ub";
        QTest::newRow("two SETITEMs, two BUILDs") << QByteArray()
                                                  << packetClass("Source") + newObj + "}"
                + su("name") + name + "sb}" + su("validity") + validity + "sb";
        QTest::newRow("(state, None) BUILD") << QByteArray()
                                             << packetClass("Source") + newObj + "}(" + su("name")
                + name + su("validity") + validity + "uN" + u8(0x86) + "b";
        QTest::newRow("NEWOBJ_EX") << QByteArray()
                                   << packetClass("Source") + ")}" + u8(0x92) + "}(" + su("name")
                + name + su("validity") + validity + "ub";
        QTest::newRow("DUP, POP, POP_MARK") << QByteArray()
                                            << packetClass("Source") + newObj + "}20"
                + "(K\x01"
                  "1"
                + "(" + su("name") + name + su("validity") + validity + "ub";
        QTest::newRow("repeated key replaces the value") << QByteArray()
                                                         << packetClass("Source") + newObj + "}("
                + su("name") + su("old") + su("validity") + validity + su("name") + name + "ub";
        QTest::newRow("TUPLE of args") << QByteArray()
                                       << packetClass("Source") + "(t" + u8(0x81) + "}("
                + su("name") + name + su("validity") + validity + "ub";
    }
    void otherValidEncodings()
    {
        QFETCH(QByteArray, sourcePart);
        QCOMPARE(accepted(pingWith(sourcePart)), Packet(Ping { expectedSource }));
    }

    void otherValidGossipEncodings()
    {
        // Status by NEWOBJ (Status.__new__(Status, 4)), clocks by BININT2, LONG4 and padded LONG1.
        const QByteArray newStatus
            = global("swimprotocol.status", "Status") + "K\x04" + u8(0x85) + u8(0x81);
        QCOMPARE(std::get<Gossip>(accepted(gossipWith("M\x01\x02", newStatus, "N"))).status,
            WireStatus::Suspect);
        QCOMPARE(
            std::get<Gossip>(accepted(gossipWith("M\x01\x02", newStatus, "N"))).clock, 0x0201u);
        QCOMPARE(std::get<Gossip>(
                     accepted(gossipWith(
                         u8(0x8b) + le(3, 4) + QByteArray("\x01\x00\x00", 3), status(2), "N")))
                     .clock,
            1u);
        QCOMPARE(std::get<Gossip>(accepted(gossipWith(u8(0x8a) + u8(12) + le(0x7fffffffffffffff, 8)
                                          + QByteArray(4, '\0'),
                                      status(2), "N")))
                     .clock,
            quint64(0x7fffffffffffffff));
        // A repeated metadata key keeps its first position, takes the last value.
        const Gossip g = std::get<Gossip>(accepted(gossipWith("K\x01", status(1),
            "}(" + su("a") + sb("1") + su("b") + sb("2") + su("a") + sb("3") + "u")));
        QCOMPARE(*g.metadata,
            (WireMetadata { { QStringLiteral("a"), QByteArrayLiteral("3") },
                { QStringLiteral("b"), QByteArrayLiteral("2") } }));
        // The metadata dict changed through the memo after it was stored.
        const Gossip late = std::get<Gossip>(
            accepted(proto5 + packetClass("Gossip") + newObj + "}(" + su("source") + source()
                + su("name") + su("n") + su("clock") + "K\x01" + su("status") + status(1)
                + su("metadata") + "}q\x63" + "ub" + "h\x63" + su("late") + sb("x") + "s0."));
        QCOMPARE(
            *late.metadata, (WireMetadata { { QStringLiteral("late"), QByteArrayLiteral("x") } }));
        // Bytes after STOP are ignored, as by pickle.loads.
        QCOMPARE(accepted(pingWith(source()) + "garbage"), Packet(Ping { expectedSource }));
        // Protocol 5 without a frame.
        QCOMPARE(accepted(pingWith(source())), Packet(Ping { expectedSource }));
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("detail");
        const QByteArray ok = pingWith(source());

        QTest::newRow("empty") << QByteArray() << "truncated: no STOP";
        QTest::newRow("no PROTO") << ok.mid(2) << "no PROTO";
        QTest::newRow("protocol 1") << QByteArray("\x80\x01N.", 4) << "protocol 1 not supported";
        QTest::newRow("protocol 6") << QByteArray("\x80\x06N.", 4) << "protocol 6 not supported";
        QTest::newRow("second PROTO") << proto5 + proto5 + "N."
                                      << "second PROTO";
        // Deep nesting: MARKs are bounded, nested tuples are not recursive at all.
        QTest::newRow("deep MARK nesting")
            << proto5 + QByteArray(100000, '(') << "MARKs nested deeper than 32";
        QByteArray tuples = proto5 + "N";
        for (int i = 0; i < 200000; ++i)
            tuples += u8(0x85);
        QTest::newRow("200000 nested tuples") << tuples + "."
                                              << "holds a tuple, not a packet";
        QTest::newRow("DUP flood") << proto5 + "N" + QByteArray(300000, '2') + "."
                                   << "stack deeper than";
        // Huge declared lengths are checked against the bytes left before anything is allocated.
        QTest::newRow("BINUNICODE8 2^62") << proto5 + u8(0x8d) + le(quint64(1) << 62, 8) + "abc"
                                          << "truncated: needs 4611686018427387904 bytes, 3 left";
        QTest::newRow("BINBYTES 4 GiB") << proto5 + "B" + le(0xffffffff, 4) + "abc"
                                        << "truncated: needs 4294967295";
        QTest::newRow("BINBYTES8 2^64-1") << proto5 + u8(0x8e) + le(~quint64(0), 8) << "truncated";
        QTest::newRow("LONG4 2 GiB") << proto5 + u8(0x8b) + le(0x7fffffff, 4) << "truncated";
        QTest::newRow("FRAME 2^63") << proto5 + u8(0x95) + le(quint64(1) << 63, 8) + "N."
                                    << "FRAME at byte 2";
        QTest::newRow("GLOBAL without newline") << proto5 + "cswimprotocol.packet"
                                                << "without newline";
        QTest::newRow("GLOBAL line too long") << proto5 + "c" + QByteArray(1000, 'a') + "\nb\n"
                                              << "longer than 256";
        // The memo.
        QTest::newRow("BINGET out of range") << proto5 + "Nq\x00" + "0h\x07."
                                             << "memo index 7 out of range";
        QTest::newRow("LONG_BINGET 2^32-1")
            << proto5 + "j" + le(0xffffffff, 4) << "memo index 4294967295 out of range";
        QTest::newRow("MEMOIZE of nothing") << proto5 + u8(0x94) << "stack underflow";
        // Self-references and cycles.
        QTest::newRow("dict containing itself as metadata") << gossipWith("K\x01", status(1),
            "}q\xc8" + su("k") + "h\xc8" + "s") << "metadata value is a";
        QTest::newRow("Source named by itself") << pingWith(packetClass("Source") + newObj
            + "q\xc8}(" + su("name") + "h\xc8" + su("validity") + sb("v") + "ub")
                                                << "Source.name is a instance, not a str";
        QTest::newRow("Ping whose source is itself")
            << proto5 + packetClass("Ping") + newObj + "q\xc8}" + su("source") + "h\xc8" + "sb."
            << "expected a swimprotocol.packet.Source, found a swimprotocol.packet.Ping";
        // Wrong types and values.
        QTest::newRow("clock is a str")
            << gossipWith(su("5"), status(1), "N") << "clock is a str, not an int";
        QTest::newRow("negative clock") << gossipWith("J" + le(0xffffffff, 4), status(1), "N")
                                        << "clock -1 out of range 0..2^63-1";
        QTest::newRow("clock 2^63")
            << gossipWith(u8(0x8a) + u8(9) + le(quint64(1) << 63, 8) + u8(0), status(1), "N")
            << "integer of 9 bytes out of range";
        QTest::newRow("clock 2^64") << gossipWith(u8(0x8a) + u8(9) + le(0, 8) + u8(1), status(1),
            "N") << "integer of 9 bytes out of range";
        QTest::newRow("status 5") << gossipWith("K\x01", status(5), "N") << "status value 5 is not";
        QTest::newRow("status 0") << gossipWith("K\x01", status(0), "N") << "status value 0 is not";
        QTest::newRow("status as int")
            << gossipWith("K\x01", "K\x01", "N") << "Gossip.status is a int";
        QTest::newRow("metadata str value") << gossipWith("K\x01", status(1),
            "}" + su("k") + su("v") + "s") << "metadata value is a str, not bytes";
        QTest::newRow("metadata int key")
            << gossipWith("K\x01", status(1), "}K\x01" + sb("v") + "s") << "dict key of type int";
        QTest::newRow("metadata as list")
            << gossipWith("K\x01", status(1), "]") << "opcode EMPTY_LIST not allowed";
        QTest::newRow("metadata as tuple")
            << gossipWith("K\x01", status(1), ")") << "Gossip.metadata is a tuple";
        QTest::newRow("validity as str")
            << pingWith(sourceWith(su("a:1"), su("v"))) << "Source.validity is a str";
        QTest::newRow("name as bytes")
            << pingWith(sourceWith(sb("a:1"), sb("v"))) << "Source.name is a bytes";
        QTest::newRow("invalid UTF-8")
            << pingWith(sourceWith(su("\xff\xfe"), sb("v"))) << "not valid UTF-8";
        QTest::newRow("UTF-8 surrogate")
            << pingWith(sourceWith(su("\xed\xa0\x80"), sb("v"))) << "not valid UTF-8";
        QTest::newRow("missing field") << proto5 + packetClass("Ping") + newObj + "}b."
                                       << "missing field source in";
        QTest::newRow("extra field") << proto5 + packetClass("Ping") + newObj + "}(" + su("source")
                + source() + su("x") + "Nub."
                                     << "unexpected field x in swimprotocol.packet.Ping";
        QTest::newRow("Source at top") << proto5 + source() + "."
                                       << "holds a swimprotocol.packet.Source, not a packet";
        QTest::newRow("int at top") << proto5 + "K\x01."
                                    << "holds a int, not a packet";
        QTest::newRow("BUILD with slot state")
            << proto5 + packetClass("Ping") + newObj + "N}" + u8(0x86) + "b."
            << "BUILD with slot state";
        QTest::newRow("BUILD of a dict") << proto5 + "}}b."
                                         << "BUILD of a dict";
        QTest::newRow("NEWOBJ with arguments")
            << proto5 + packetClass("Ping") + "K\x01" + u8(0x85) + u8(0x81) + "."
            << "__new__ with arguments";
        QTest::newRow("NEWOBJ_EX with keywords")
            << proto5 + packetClass("Ping") + ")}" + su("a") + "Ns" + u8(0x92) + "."
            << "keyword arguments";
        // Forbidden globals and calls.
        QTest::newRow("os.system")
            << proto5 + global("os", "system") + su("echo pwned") + u8(0x85) + "R."
            << "forbidden global os.system";
        QTest::newRow("GLOBAL builtins.eval") << proto5 + "cbuiltins\neval\n"
                                              << "forbidden global builtins.eval";
        QTest::newRow("copyreg") << proto5 + global("copyreg", "_reconstructor")
                                 << "forbidden global copyreg._reconstructor";
        QTest::newRow("Packet base class")
            << proto5 + packetClass("Packet") << "forbidden global swimprotocol.packet.Packet";
        QTest::newRow("_codecs.encode in protocol 5")
            << proto5 + global("_codecs", "encode") << "forbidden global _codecs.encode";
        QTest::newRow("STACK_GLOBAL of bytes")
            << proto5 + sb("os") + sb("system") + u8(0x93) << "STACK_GLOBAL of a non-string";
        QTest::newRow("REDUCE of Source") << proto5 + packetClass("Source") + ")R."
                                          << "REDUCE of swimprotocol.packet.Source not allowed";
        QTest::newRow("REDUCE of Gossip") << proto5 + packetClass("Gossip") + ")R."
                                          << "REDUCE of swimprotocol.packet.Gossip not allowed";
        QTest::newRow("REDUCE of a str") << proto5 + su("x") + ")R."
                                         << "call of a str";
        QTest::newRow("REDUCE with non-tuple args")
            << proto5 + global("swimprotocol.status", "Status") + "K\x01R."
            << "arguments of swimprotocol.status.Status are a int";
        QTest::newRow("Status of a str")
            << proto5 + global("swimprotocol.status", "Status") + su("ONLINE") + u8(0x85) + "R."
            << "Status takes one int";
        // Opcodes outside the subset.
        QTest::newRow("PERSID") << proto5 + "P1\n."
                                << "opcode PERSID not allowed";
        QTest::newRow("BINPERSID") << proto5 + "NQ."
                                   << "opcode BINPERSID not allowed";
        QTest::newRow("EXT1") << proto5 + u8(0x82) + u8(1) << "opcode EXT1 not allowed";
        QTest::newRow("INST") << proto5 + "(ios\nsystem\n."
                              << "opcode INST not allowed";
        QTest::newRow("OBJ") << proto5 + "(o."
                             << "opcode OBJ not allowed";
        QTest::newRow("NEXT_BUFFER") << proto5 + u8(0x97) << "opcode NEXT_BUFFER not allowed";
        QTest::newRow("unknown 0xff")
            << proto5 + u8(0xff) << "unknown opcode (opcode 0xff at byte 2)";
        // Stack discipline.
        QTest::newRow("STOP on empty stack") << proto5 + "."
                                             << "stack underflow (STOP at byte 2)";
        QTest::newRow("SETITEMS without MARK") << proto5 + "}" + su("a") + "Nu."
                                               << "no MARK";
        QTest::newRow("SETITEMS odd") << proto5 + "}(" + su("a") + "u."
                                      << "odd number of items";
        QTest::newRow("TUPLE2 across a MARK") << proto5 + "N(N" + u8(0x86) << "stack underflow";
        QTest::newRow("SETITEM on a tuple") << proto5 + ")" + su("a") + "Ns."
                                            << "SETITEM on a tuple";
    }
    void hostile()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, detail);
        QElapsedTimer timer;
        timer.start();
        const QString got = refusal(pickle);
        QVERIFY2(got.contains(detail), qPrintable(QStringLiteral("got: ") + got));
    }

    void limitsAreEnforced()
    {
        PickleLimits small;
        small.maxMemo = 4;
        QByteArray manyPuts = proto5 + "N";
        for (int i = 0; i < 10; ++i)
            manyPuts += "q" + u8(i);
        QVERIFY(
            refusal(manyPuts + ".", small).contains(QLatin1String("memo larger than 4 entries")));
        // Re-putting the same index does not grow the memo.
        QVERIFY(refusal(proto5 + "N" + QByteArray(20, 'q').replace("q", "q\x01") + ".", small)
                    .contains(QLatin1String("holds a None")));

        PickleLimits tiny;
        tiny.maxSize = 10;
        QVERIFY(refusal(gossip(), tiny).contains(QLatin1String("exceeds the limit of 10")));

        PickleLimits fewObjects;
        fewObjects.maxObjects = 20;
        QVERIFY(refusal(gossip(), fewObjects).contains(QLatin1String("more than 20 objects")));
        // Repeated BUILDs of a large state count every copied item.
        QByteArray builds = proto5 + packetClass("Ping") + newObj + "}(";
        for (int i = 0; i < 100; ++i)
            builds += su(QByteArray::number(i)) + "N";
        builds += "uq\x01" + QByteArray("0");
        for (int i = 0; i < 100000; ++i)
            builds += "h\x01" + QByteArray("b");
        QVERIFY(refusal(builds + ".").contains(QLatin1String("more than 524288 objects")));
    }

    void everyTruncationIsRefused()
    {
        const QByteArray full = gossip();
        QVERIFY(std::holds_alternative<Packet>(readPacketPickle(full)));
        for (qsizetype n = 0; n < full.size(); ++n)
            QVERIFY2(std::holds_alternative<PickleError>(
                         readPacketPickle(QByteArrayView(full).first(n))),
                qPrintable(QString::number(n)));
    }

    void writerMatchesCPython_data()
    {
        QTest::addColumn<QJsonObject>("c");
        QFile file(QStringLiteral(SHOAL_TEST_DATA "/cpython-pickles.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray cases
            = QJsonDocument::fromJson(file.readAll())[QLatin1String("cases")].toArray();
        QVERIFY(cases.size() >= 15);
        for (const QJsonValue &c : cases)
            QTest::newRow(qPrintable(c[QLatin1String("label")].toString())) << c.toObject();
    }
    void writerMatchesCPython()
    {
        QFETCH(QJsonObject, c);
        const QString label = c.value(QLatin1String("label")).toString();
        const Source src { c.value(QLatin1String("source_name")).toString(),
            QByteArray::fromHex(c.value(QLatin1String("validity_hex")).toString().toLatin1()) };
        const QString type = c.value(QLatin1String("type")).toString();
        QString name = c.value(QLatin1String("name")).toString();
        if (name == QLatin1String("recipe"))
            name = QString(65536, QLatin1Char('x'));
        const auto clock = quint64(c.value(QLatin1String("clock")).toString().isEmpty()
                ? c.value(QLatin1String("clock")).toDouble()
                : 0);
        // Clocks beyond 2^53 do not survive a JSON double: take them from the label.
        const quint64 exactClock
            = label.startsWith(QLatin1String("clock-")) ? label.mid(6).toULongLong() : clock;
        Packet packet;
        if (type == QLatin1String("PingReq")) {
            packet = PingReq { src, c.value(QLatin1String("target")).toString() };
        } else if (type == QLatin1String("GossipAck")) {
            packet = GossipAck { src, name, exactClock };
        } else {
            Gossip g { src, name, exactClock, WireStatus::Online, std::nullopt };
            const QString status = c.value(QLatin1String("status")).toString();
            g.status = status == QLatin1String("SUSPECT")
                ? WireStatus::Suspect
                : (status == QLatin1String("OFFLINE") ? WireStatus::Offline : WireStatus::Online);
            WireMetadata m;
            // The recipes of gen: big metadata is described, not listed.
            if (label == QLatin1String("keys-1001") || label == QLatin1String("keys-1000")) {
                const int n = label.endsWith(QLatin1String("1001")) ? 1001 : 1000;
                for (int i = 0; i < n; ++i)
                    m.append({ QStringLiteral("k%1").arg(i, 4, 10, QLatin1Char('0')),
                        QByteArray::number(i).rightJustified(5, '0') });
            } else if (label == QLatin1String("keys-2000-frames")) {
                for (int i = 0; i < 2000; ++i)
                    m.append({ QStringLiteral("key%1").arg(i, 5, 10, QLatin1Char('0')),
                        QByteArray::number(i).rightJustified(6, '0').repeated(7) });
            } else if (label.startsWith(QLatin1String("value-"))) {
                m.append({ QStringLiteral("v"), QByteArray(label.mid(6).toInt(), 'a') });
            } else {
                for (const QJsonValue &kv : c.value(QLatin1String("metadata")).toArray())
                    m.append(
                        { kv[0].toString(), QByteArray::fromHex(kv[1].toString().toLatin1()) });
            }
            g.metadata = m;
            packet = g;
        }
        const QByteArray written = writePacketPickle(packet);
        if (qEnvironmentVariableIsSet("SHOAL_DUMP_PICKLES")) {
            QFile dump(QStringLiteral("/tmp/codec-pickle-") + label + QStringLiteral(".bin"));
            if (dump.open(QIODevice::WriteOnly))
                dump.write(written);
        }
        if (c.contains(QLatin1String("pickle_hex")))
            QCOMPARE(written.toHex(), c.value(QLatin1String("pickle_hex")).toString().toLatin1());
        QCOMPARE(written.size(), c.value(QLatin1String("pickle_len")).toInteger());
        QCOMPARE(QCryptographicHash::hash(written, QCryptographicHash::Sha256).toHex(),
            c.value(QLatin1String("pickle_sha256")).toString().toLatin1());
        if (exactClock > quint64(std::numeric_limits<qint64>::max())) {
            // Python has no limit; Shoal refuses clocks beyond 2^63-1 (the engine's range).
            QVERIFY(refusal(written).contains(QLatin1String("integer of 9 bytes out of range")));
            return;
        }
        QCOMPARE(accepted(written), packet);
        // Both readers: the machine always, the canonical one for what it covers (BININT
        // clocks, up to 16 metadata keys; larger pickles may take several frames).
        QCOMPARE(std::get<Packet>(readPacketPickleByMachine(written)), packet);
        const std::optional<Packet> canonical = readCanonicalPacketPickle(written);
        const auto *gossip = std::get_if<Gossip>(&packet);
        const bool covered = exactClock <= 0x7fffffff
            && (!gossip || !gossip->metadata || gossip->metadata->size() <= 16);
        if (written.size() <= CanonicalSizeLimit)
            QCOMPARE(canonical.has_value(), covered);
        if (canonical)
            QCOMPARE(*canonical, packet);
    }

    void canonicalReadsWhatTheWriterWrites()
    {
        const Source src { QStringLiteral("127.0.0.1:2001"), QByteArray("\x01\x02\0\xff", 4) };
        WireMetadata several;
        for (int i = 0; i < 16; ++i)
            several.append({ QStringLiteral("k%1").arg(i), QByteArray(i, char('a' + i)) });
        const QList<Packet> packets {
            Ping { src },
            Ack { src },
            PingReq { src, QStringLiteral("127.0.0.1:2002") },
            GossipAck { src, QStringLiteral("127.0.0.1:2003"), 0x7fffffff },
            Gossip { src, QStringLiteral("127.0.0.1:2001"), 0, WireStatus::Suspect, std::nullopt },
            Gossip {
                src, QStringLiteral("n\u00e9\u4e16"), 256, WireStatus::Offline, WireMetadata {} },
            Gossip { src, QStringLiteral("m"), 65536, WireStatus::Online,
                WireMetadata { { QStringLiteral("name"), QByteArrayLiteral("127.0.0.1:2001") } } },
            Gossip { src, QStringLiteral("m"), 7, WireStatus::Online, several },
            Gossip { src, QStringLiteral("m"), 7, WireStatus::Online,
                WireMetadata { { QStringLiteral("a"), QByteArray(300, 'v') },
                    { QStringLiteral("b"), QByteArray(300, 'v') }, { QString(), QByteArray() } } },
        };
        for (const Packet &packet : packets) {
            const QByteArray written = writePacketPickle(packet);
            const std::optional<Packet> canonical = readCanonicalPacketPickle(written);
            QVERIFY2(canonical.has_value(), written.toHex().constData());
            QCOMPARE(*canonical, packet);
            QCOMPARE(std::get<Packet>(readPacketPickleByMachine(written)), packet);
        }
        // 17 keys are left to the machine.
        several.append({ QStringLiteral("k16"), QByteArray() });
        const Packet many = Gossip { src, QStringLiteral("m"), 7, WireStatus::Online, several };
        QVERIFY(!readCanonicalPacketPickle(writePacketPickle(many)));
        QCOMPARE(accepted(writePacketPickle(many)), many);
    }

    // Canonical-looking pickles the canonical reader must leave to the machine, which
    // accepts them with its own meaning or refuses them.
    void canonicalLeavesTheRestToTheMachine_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("refusal"); // empty: accepted
        const Source src { QStringLiteral("s"), QByteArrayLiteral("12345678") };
        const auto gossipPickle = [&](quint64 clock, const QString &name, WireMetadata m) {
            return writePacketPickle(Gossip { src, name, clock, WireStatus::Online, m });
        };
        const WireMetadata ab { { QStringLiteral("a"), QByteArrayLiteral("1") },
            { QStringLiteral("b"), QByteArrayLiteral("2") } };
        QByteArray repeated = gossipPickle(1, QStringLiteral("n"), ab);
        repeated.replace(QByteArray("\x8c\x01"
                                    "b\x94"),
            QByteArray("\x8c\x01"
                       "a\x94"));
        QTest::newRow("repeated metadata key") << repeated << QString();
        QByteArray negative = gossipPickle(0x10000, QStringLiteral("n"), ab);
        negative.replace(QByteArray("J\0\0\x01\0", 5), QByteArray("J\xff\xff\xff\xff"));
        QTest::newRow("negative clock") << negative << QStringLiteral("clock -1 out of range");
        QByteArray utf8 = gossipPickle(1, QStringLiteral("n\u00e9"), ab);
        utf8.replace(QByteArray("n\xc3\xa9"), QByteArray("n\xc3\x28"));
        QTest::newRow("invalid UTF-8") << utf8 << QStringLiteral("not valid UTF-8");
        QByteArray status = gossipPickle(1, QStringLiteral("n"), ab);
        status.replace(QByteArray("K\x01\x85"), QByteArray("K\x03\x85"));
        QTest::newRow("status 3") << status << QStringLiteral("status value 3");
    }
    void canonicalLeavesTheRestToTheMachine()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, refusal);
        QVERIFY(!readCanonicalPacketPickle(pickle));
        if (refusal.isEmpty()) {
            const Gossip g = std::get<Gossip>(accepted(pickle));
            // As a Python dict: the first key's place, the last value.
            QCOMPARE(
                *g.metadata, (WireMetadata { { QStringLiteral("a"), QByteArrayLiteral("2") } }));
        } else {
            QVERIFY2(::refusal(pickle).contains(refusal), qPrintable(::refusal(pickle)));
        }
    }

    void writerDedupesAndDropsRepeatedKeys()
    {
        Gossip g { expectedSource, QStringLiteral("n"), 1, WireStatus::Online,
            WireMetadata { { QStringLiteral("a"), QByteArrayLiteral("1") },
                { QStringLiteral("a"), QByteArrayLiteral("2") } } };
        const Gossip back = std::get<Gossip>(accepted(writePacketPickle(g)));
        QCOMPARE(
            *back.metadata, (WireMetadata { { QStringLiteral("a"), QByteArrayLiteral("2") } }));
    }
};

QTEST_GUILESS_MAIN(TestPickle)
#include "tst_pickle.moc"
