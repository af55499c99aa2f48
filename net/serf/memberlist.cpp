#include "net/serf/memberlist.h"

#include "net/serf/lzw.h"
#include "net/serf/msgpack.h"

namespace shoal::serf {

namespace {

bool is(QByteArrayView key, const char *name)
{
    return key == QByteArrayView(name);
}

// ---- bodies: msgpack struct <-> message ------------------------------------

bool readBody(MsgReader &r, Ping &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Node"))
            return r.readString(m.node);
        if (is(k, "SeqNo"))
            return r.readUInt32(m.seqNo);
        if (is(k, "SourceAddr"))
            return r.readBytes(m.sourceAddr);
        if (is(k, "SourceNode"))
            return r.readString(m.sourceNode);
        if (is(k, "SourcePort"))
            return r.readUInt16(m.sourcePort);
        return false;
    });
}

bool readBody(MsgReader &r, IndirectPing &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Nack"))
            return r.readBool(m.nack);
        if (is(k, "Node"))
            return r.readString(m.node);
        if (is(k, "Port"))
            return r.readUInt16(m.port);
        if (is(k, "SeqNo"))
            return r.readUInt32(m.seqNo);
        if (is(k, "SourceAddr"))
            return r.readBytes(m.sourceAddr);
        if (is(k, "SourceNode"))
            return r.readString(m.sourceNode);
        if (is(k, "SourcePort"))
            return r.readUInt16(m.sourcePort);
        if (is(k, "Target"))
            return r.readBytes(m.target);
        return false;
    });
}

bool readBody(MsgReader &r, Ack &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Payload"))
            return r.readBytes(m.payload);
        if (is(k, "SeqNo"))
            return r.readUInt32(m.seqNo);
        return false;
    });
}

bool readBody(MsgReader &r, Nack &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "SeqNo"))
            return r.readUInt32(m.seqNo);
        return false;
    });
}

bool readBody(MsgReader &r, Suspect &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "From"))
            return r.readString(m.from);
        if (is(k, "Incarnation"))
            return r.readUInt32(m.incarnation);
        if (is(k, "Node"))
            return r.readString(m.node);
        return false;
    });
}

bool readBody(MsgReader &r, Dead &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "From"))
            return r.readString(m.from);
        if (is(k, "Incarnation"))
            return r.readUInt32(m.incarnation);
        if (is(k, "Node"))
            return r.readString(m.node);
        return false;
    });
}

bool readBody(MsgReader &r, Alive &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Addr"))
            return r.readBytes(m.addr);
        if (is(k, "Incarnation"))
            return r.readUInt32(m.incarnation);
        if (is(k, "Meta"))
            return r.readBytes(m.meta);
        if (is(k, "Node"))
            return r.readString(m.node);
        if (is(k, "Port"))
            return r.readUInt16(m.port);
        if (is(k, "Vsn"))
            return r.readBytes(m.vsn);
        return false;
    });
}

bool readBody(MsgReader &r, ErrorResponse &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Error"))
            return r.readString(m.error);
        return false;
    });
}

bool readBody(MsgReader &r, PushNodeState &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Addr"))
            return r.readBytes(m.addr);
        if (is(k, "Incarnation"))
            return r.readUInt32(m.incarnation);
        if (is(k, "Meta"))
            return r.readBytes(m.meta);
        if (is(k, "Name"))
            return r.readString(m.name);
        if (is(k, "Port"))
            return r.readUInt16(m.port);
        if (is(k, "State")) {
            quint8 s = 0;
            if (!r.readUInt8(s))
                return false;
            if (s > 3)
                return r.fail(QStringLiteral("unknown node state %1").arg(s));
            m.state = NodeState(s);
            return true;
        }
        if (is(k, "Vsn"))
            return r.readBytes(m.vsn);
        return false;
    });
}

struct Compress
{
    quint64 algo = 0;
    QByteArray buf;
    bool sawAlgo = false;
};

bool readBody(MsgReader &r, Compress &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Algo")) {
            m.sawAlgo = true;
            return r.readUInt(m.algo);
        }
        if (is(k, "Buf"))
            return r.readBytes(m.buf);
        return false;
    });
}

void writeBody(MsgWriter &w, const Ping &m)
{
    const bool addr = !m.sourceAddr.isEmpty();
    const bool node = !m.sourceNode.isEmpty();
    const bool port = m.sourcePort != 0;
    w.mapHeader(quint32(2 + int(addr) + int(node) + int(port)));
    w.key("Node");
    w.string(m.node);
    w.key("SeqNo");
    w.uint(m.seqNo);
    if (addr) {
        w.key("SourceAddr");
        w.raw(m.sourceAddr);
    }
    if (node) {
        w.key("SourceNode");
        w.string(m.sourceNode);
    }
    if (port) {
        w.key("SourcePort");
        w.uint(m.sourcePort);
    }
}

void writeBody(MsgWriter &w, const IndirectPing &m)
{
    const bool addr = !m.sourceAddr.isEmpty();
    const bool node = !m.sourceNode.isEmpty();
    const bool port = m.sourcePort != 0;
    w.mapHeader(quint32(5 + int(addr) + int(node) + int(port)));
    w.key("Nack");
    w.boolean(m.nack);
    w.key("Node");
    w.string(m.node);
    w.key("Port");
    w.uint(m.port);
    w.key("SeqNo");
    w.uint(m.seqNo);
    if (addr) {
        w.key("SourceAddr");
        w.raw(m.sourceAddr);
    }
    if (node) {
        w.key("SourceNode");
        w.string(m.sourceNode);
    }
    if (port) {
        w.key("SourcePort");
        w.uint(m.sourcePort);
    }
    w.key("Target");
    w.raw(m.target);
}

void writeBody(MsgWriter &w, const Ack &m)
{
    w.mapHeader(2);
    w.key("Payload");
    w.bytesOrNil(m.payload);
    w.key("SeqNo");
    w.uint(m.seqNo);
}

void writeBody(MsgWriter &w, const Nack &m)
{
    w.mapHeader(1);
    w.key("SeqNo");
    w.uint(m.seqNo);
}

template<typename Verdict> void writeVerdict(MsgWriter &w, const Verdict &m)
{
    w.mapHeader(3);
    w.key("From");
    w.string(m.from);
    w.key("Incarnation");
    w.uint(m.incarnation);
    w.key("Node");
    w.string(m.node);
}

void writeBody(MsgWriter &w, const Suspect &m)
{
    writeVerdict(w, m);
}

void writeBody(MsgWriter &w, const Dead &m)
{
    writeVerdict(w, m);
}

void writeBody(MsgWriter &w, const Alive &m)
{
    w.mapHeader(6);
    w.key("Addr");
    w.raw(m.addr);
    w.key("Incarnation");
    w.uint(m.incarnation);
    w.key("Meta");
    w.bytesOrNil(m.meta);
    w.key("Node");
    w.string(m.node);
    w.key("Port");
    w.uint(m.port);
    w.key("Vsn");
    w.raw(m.vsn);
}

void writeBody(MsgWriter &w, const ErrorResponse &m)
{
    w.mapHeader(1);
    w.key("Error");
    w.string(m.error);
}

void writeBody(MsgWriter &w, const PushNodeState &m)
{
    w.mapHeader(7);
    w.key("Addr");
    w.raw(m.addr);
    w.key("Incarnation");
    w.uint(m.incarnation);
    w.key("Meta");
    w.bytesOrNil(m.meta);
    w.key("Name");
    w.string(m.name);
    w.key("Port");
    w.uint(m.port);
    w.key("State");
    w.uint(quint8(m.state));
    w.key("Vsn");
    w.raw(m.vsn);
}

quint8 typeOf(const Message &m)
{
    return std::visit(
        [](const auto &v) -> quint8 {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Ping>)
                return quint8(MessageType::Ping);
            else if constexpr (std::is_same_v<T, IndirectPing>)
                return quint8(MessageType::IndirectPing);
            else if constexpr (std::is_same_v<T, Ack>)
                return quint8(MessageType::Ack);
            else if constexpr (std::is_same_v<T, Nack>)
                return quint8(MessageType::Nack);
            else if constexpr (std::is_same_v<T, Suspect>)
                return quint8(MessageType::Suspect);
            else if constexpr (std::is_same_v<T, Alive>)
                return quint8(MessageType::Alive);
            else if constexpr (std::is_same_v<T, Dead>)
                return quint8(MessageType::Dead);
            else if constexpr (std::is_same_v<T, UserMessage>)
                return quint8(MessageType::User);
            else
                return quint8(MessageType::Err);
        },
        m);
}

// Reads one message body of type T; an error string if it does not parse.
template<typename T> std::optional<QString> readOne(QByteArrayView body, int depth, T &out)
{
    MsgReader r(body, depth);
    if (!readBody(r, out))
        return r.error();
    return std::nullopt;
}

// The recursive part of a datagram: compound and compress unwrap into `into`.
std::optional<QString> handle(
    QByteArrayView msg, int nesting, DecodedPacket &into, const CodecLimits &limits)
{
    if (msg.isEmpty())
        return QStringLiteral("empty message");
    const quint8 type = quint8(msg[0]);
    const QByteArrayView body = msg.sliced(1);
    const int depth = limits.maxMsgpackDepth;
    auto add = [&](auto message) -> std::optional<QString> {
        if (auto error = readOne(body, depth, message))
            return QStringLiteral("%1: %2").arg(messageTypeName(type), *error);
        into.messages.append(Message(std::move(message)));
        return std::nullopt;
    };
    switch (MessageType(type)) {
    case MessageType::Ping:
        return add(Ping {});
    case MessageType::IndirectPing:
        return add(IndirectPing {});
    case MessageType::Ack:
        return add(Ack {});
    case MessageType::Nack:
        return add(Nack {});
    case MessageType::Suspect:
        return add(Suspect {});
    case MessageType::Alive:
        return add(Alive {});
    case MessageType::Dead:
        return add(Dead {});
    case MessageType::User:
        into.messages.append(UserMessage { body.toByteArray() });
        return std::nullopt;
    case MessageType::Compound: {
        if (nesting >= limits.maxNesting)
            return QStringLiteral("compound nested deeper than %1").arg(limits.maxNesting);
        ++into.layers.compounds;
        if (body.isEmpty())
            return QStringLiteral("compound: missing part count");
        const int count = quint8(body[0]);
        if (body.size() < 1 + 2 * count)
            return QStringLiteral("compound: truncated length table");
        qsizetype at = 1 + 2 * count;
        for (int i = 0; i < count; ++i) {
            const qsizetype length
                = (qsizetype(quint8(body[1 + 2 * i])) << 8) | quint8(body[2 + 2 * i]);
            if (body.size() - at < length) {
                into.truncatedParts += count - i;
                break;
            }
            if (auto error = handle(body.sliced(at, length), nesting + 1, into, limits))
                into.refused.append(QStringLiteral("compound part %1: %2").arg(i).arg(*error));
            at += length;
        }
        return std::nullopt;
    }
    case MessageType::Compress: {
        if (nesting >= limits.maxNesting)
            return QStringLiteral("compress nested deeper than %1").arg(limits.maxNesting);
        ++into.layers.compressed;
        Compress c;
        if (auto error = readOne(body, depth, c))
            return QStringLiteral("compress: %1").arg(*error);
        if (c.algo != 0)
            return QStringLiteral("compress: unknown algorithm %1").arg(c.algo);
        QString why;
        const std::optional<QByteArray> inner
            = lzw::decompress(c.buf, limits.maxPacketDecompressed, &why);
        if (!inner)
            return QStringLiteral("compress: %1").arg(why);
        return handle(*inner, nesting + 1, into, limits);
    }
    case MessageType::HasCrc:
        return QStringLiteral("hasCrc is only valid outermost");
    case MessageType::PushPull:
    case MessageType::Encrypt:
    case MessageType::Err:
        return QStringLiteral("%1 is not a datagram message").arg(messageTypeName(type));
    }
    return QStringLiteral("unknown message type %1").arg(type);
}

QByteArray withHeader(quint8 type, const MsgWriter &w)
{
    QByteArray out;
    out.reserve(1 + w.data().size());
    out.append(char(type));
    out.append(w.data());
    return out;
}

} // namespace

QString messageTypeName(quint8 type)
{
    static const char *const names[]
        = { "ping", "indirectPing", "ackResp", "suspect", "alive", "dead", "pushPull", "compound",
              "user", "compress", "encrypt", "nackResp", "hasCrc", "err" };
    if (type < std::size(names))
        return QString::fromLatin1(names[type]);
    return QStringLiteral("type %1").arg(type);
}

PacketResult decodeMessages(QByteArrayView message, const CodecLimits &limits)
{
    DecodedPacket out;
    if (auto error = handle(message, 0, out, limits))
        return CodecError { *error };
    return out;
}

PacketResult decodePacket(
    QByteArrayView datagram, const Keyring &keyring, const CodecLimits &limits)
{
    if (datagram.isEmpty())
        return CodecError { QStringLiteral("empty datagram") };
    if (datagram.size() > limits.maxDatagram)
        return CodecError { QStringLiteral("datagram of %1 bytes").arg(datagram.size()) };
    PacketLayers layers;
    QByteArray plain;
    QByteArrayView data = datagram;
    if (!keyring.isEmpty()) {
        QString why;
        std::optional<Decrypted> opened = decrypt(keyring, datagram, {}, &why);
        if (!opened)
            return CodecError { QStringLiteral("decrypt: %1").arg(why) };
        plain = std::move(opened->plaintext);
        data = plain;
        layers.encrypted = true;
        layers.encryptionVersion = opened->version;
        layers.keyIndex = opened->keyIndex;
    }
    if (data.size() >= 5 && quint8(data[0]) == quint8(MessageType::HasCrc)) {
        const quint32 expected = (quint32(quint8(data[1])) << 24) | (quint32(quint8(data[2])) << 16)
            | (quint32(quint8(data[3])) << 8) | quint32(quint8(data[4]));
        data = data.sliced(5);
        if (crc32(data) != expected)
            return CodecError { QStringLiteral("CRC mismatch") };
        layers.crc = true;
    }
    PacketResult result = decodeMessages(data, limits);
    if (auto *decoded = std::get_if<DecodedPacket>(&result)) {
        layers.compressed = decoded->layers.compressed;
        layers.compounds = decoded->layers.compounds;
        decoded->layers = layers;
    }
    return result;
}

QByteArray encodeMessage(const Message &message)
{
    MsgWriter w;
    if (const auto *user = std::get_if<UserMessage>(&message)) {
        QByteArray out;
        out.append(char(MessageType::User));
        out.append(user->payload);
        return out;
    }
    std::visit(
        [&w](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (!std::is_same_v<T, UserMessage>)
                writeBody(w, m);
        },
        message);
    return withHeader(typeOf(message), w);
}

QByteArray encodeCompound(const QList<QByteArray> &parts)
{
    // Go computes numParts*2 in uint8: 128 parts or more are mis-parsed.
    if (parts.isEmpty() || parts.size() > 127)
        return {};
    QByteArray out;
    out.append(char(MessageType::Compound));
    out.append(char(parts.size()));
    for (const QByteArray &part : parts) {
        if (part.size() > 0xffff)
            return {};
        out.append(char(quint8(part.size() >> 8)));
        out.append(char(quint8(part.size())));
    }
    for (const QByteArray &part : parts)
        out.append(part);
    return out;
}

QByteArray encodeCompress(QByteArrayView message)
{
    MsgWriter w;
    w.mapHeader(2);
    w.key("Algo");
    w.uint(0);
    w.key("Buf");
    w.raw(lzw::compress(message));
    return withHeader(quint8(MessageType::Compress), w);
}

QByteArray encodeCrc(QByteArrayView payload)
{
    const quint32 c = crc32(payload);
    QByteArray out;
    out.reserve(5 + payload.size());
    out.append(char(MessageType::HasCrc));
    out.append(char(quint8(c >> 24)));
    out.append(char(quint8(c >> 16)));
    out.append(char(quint8(c >> 8)));
    out.append(char(quint8(c)));
    out.append(payload);
    return out;
}

QByteArray encodePacket(
    const QList<QByteArray> &messages, const PacketOptions &options, const Keyring &keyring)
{
    if (messages.isEmpty())
        return {};
    QByteArray packet = messages.size() == 1 ? messages.first() : encodeCompound(messages);
    if (packet.isEmpty())
        return {};
    if (options.compress) {
        QByteArray compressed = encodeCompress(packet);
        if (compressed.size() < packet.size())
            packet = std::move(compressed);
    }
    if (options.crc)
        packet = encodeCrc(packet);
    if (!keyring.isEmpty())
        packet = encrypt(options.encryptionVersion, keyring.primary(), packet, {}, options.nonce);
    return packet;
}

QByteArray encodeStreamMessage(const StreamMessage &message)
{
    if (const auto *pp = std::get_if<PushPull>(&message)) {
        MsgWriter w;
        w.mapHeader(3);
        w.key("Join");
        w.boolean(pp->join);
        w.key("Nodes");
        w.uint(quint64(pp->nodes.size()));
        w.key("UserStateLen");
        w.uint(quint64(pp->userState.size()));
        for (const PushNodeState &node : pp->nodes)
            writeBody(w, node);
        w.append(pp->userState);
        return withHeader(quint8(MessageType::PushPull), w);
    }
    if (const auto *user = std::get_if<UserMessage>(&message)) {
        MsgWriter w;
        w.mapHeader(1);
        w.key("UserMsgLen");
        w.uint(quint64(user->payload.size()));
        w.append(user->payload);
        return withHeader(quint8(MessageType::User), w);
    }
    return std::visit(
        [](const auto &m) -> QByteArray {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T,
                              Ping> || std::is_same_v<T, Ack> || std::is_same_v<T, ErrorResponse>)
                return encodeMessage(Message(m));
            else
                return {};
        },
        message);
}

QByteArray encodeStream(
    const StreamMessage &message, const StreamOptions &options, const Keyring &keyring)
{
    QByteArray buf = encodeStreamMessage(message);
    if (options.compress)
        buf = encodeCompress(buf);
    if (keyring.isEmpty())
        return buf;
    // [0x0a][u32 length][sealed]: the 5-byte header is the AAD (net.go:980-1001).
    const qsizetype sealedSize = encryptOverhead(options.encryptionVersion)
        + (options.encryptionVersion == 0 ? buf.size() / 16 * 16 : buf.size());
    QByteArray header;
    header.append(char(MessageType::Encrypt));
    for (int shift = 24; shift >= 0; shift -= 8)
        header.append(char(quint8(quint64(sealedSize) >> shift)));
    const QByteArray sealed
        = encrypt(options.encryptionVersion, keyring.primary(), buf, header, options.nonce);
    if (sealed.isEmpty())
        return {};
    return header + sealed;
}

// ---- streams ---------------------------------------------------------------

StreamReader::StreamReader(Keyring keyring, CodecLimits limits)
    : m_keyring(std::move(keyring))
    , m_limits(limits)
{ }

StreamReader::State StreamReader::failWith(const QString &why)
{
    m_state = State::Failed;
    m_error = why;
    m_buffer.clear();
    return m_state;
}

StreamReader::State StreamReader::feed(QByteArrayView bytes)
{
    if (m_state != State::NeedMore)
        return m_state;
    if (m_buffer.size() + bytes.size() > m_limits.maxStream + 5)
        return failWith(QStringLiteral("stream beyond %1 bytes").arg(m_limits.maxStream));
    m_buffer.append(bytes);
    if (m_buffer.size() < m_needAtLeast)
        return m_state;
    return tryParse();
}

namespace {

enum class Parse : quint8 { Ok, Truncated, Error };

struct StreamParse
{
    Parse result = Parse::Ok;
    QString error;
    qsizetype used = 0;
    qsizetype needed = 0; // when truncated: bytes needed at least (0 = unknown)
    std::optional<StreamMessage> message;
};

StreamParse parseStreamMessage(QByteArrayView data, bool complete, bool allowCompress,
    const CodecLimits &limits, PacketLayers &layers)
{
    StreamParse out;
    auto fromReader = [&](const MsgReader &r, const QString &what) {
        if (r.truncated() && !complete) {
            out.result = Parse::Truncated;
            out.needed = 1 + r.required();
        } else {
            out.result = Parse::Error;
            out.error = what + QStringLiteral(": ") + r.error();
        }
        return out;
    };
    if (data.isEmpty()) {
        out.result = complete ? Parse::Error : Parse::Truncated;
        out.error = QStringLiteral("empty stream message");
        return out;
    }
    const quint8 type = quint8(data[0]);
    MsgReader r(data.sliced(1), limits.maxMsgpackDepth);
    switch (MessageType(type)) {
    case MessageType::Compress: {
        if (!allowCompress) {
            out.result = Parse::Error;
            out.error = QStringLiteral("compress inside compress");
            return out;
        }
        Compress c;
        if (!readBody(r, c))
            return fromReader(r, QStringLiteral("compress"));
        if (c.algo != 0) {
            out.result = Parse::Error;
            out.error = QStringLiteral("compress: unknown algorithm %1").arg(c.algo);
            return out;
        }
        QString why;
        const std::optional<QByteArray> inner
            = lzw::decompress(c.buf, limits.maxStreamDecompressed, &why);
        if (!inner) {
            out.result = Parse::Error;
            out.error = QStringLiteral("compress: %1").arg(why);
            return out;
        }
        ++layers.compressed;
        StreamParse innerParse = parseStreamMessage(*inner, true, false, limits, layers);
        innerParse.used = 1 + r.position();
        return innerParse;
    }
    case MessageType::Ping: {
        Ping p;
        if (!readBody(r, p))
            return fromReader(r, QStringLiteral("ping"));
        out.message = p;
        break;
    }
    case MessageType::Ack: {
        Ack a;
        if (!readBody(r, a))
            return fromReader(r, QStringLiteral("ackResp"));
        out.message = a;
        break;
    }
    case MessageType::Err: {
        ErrorResponse e;
        if (!readBody(r, e))
            return fromReader(r, QStringLiteral("err"));
        out.message = e;
        break;
    }
    case MessageType::PushPull: {
        bool join = false;
        quint64 nodes = 0;
        quint64 userStateLen = 0;
        const bool headerOk = r.readStruct([&](QByteArrayView k) {
            if (is(k, "Join"))
                return r.readBool(join);
            if (is(k, "Nodes"))
                return r.readUInt(nodes);
            if (is(k, "UserStateLen"))
                return r.readUInt(userStateLen);
            return false;
        });
        if (!headerOk)
            return fromReader(r, QStringLiteral("pushPull header"));
        if (nodes > limits.maxPushNodes || userStateLen > quint64(limits.maxStream)) {
            out.result = Parse::Error;
            out.error = QStringLiteral("pushPull: %1 nodes, %2 bytes of user state: too many")
                            .arg(nodes)
                            .arg(userStateLen);
            return out;
        }
        PushPull pp;
        pp.join = join;
        for (quint64 i = 0; i < nodes; ++i) {
            PushNodeState node;
            if (!readBody(r, node))
                return fromReader(r, QStringLiteral("pushPull node %1").arg(i));
            pp.nodes.append(std::move(node));
        }
        const QByteArrayView rest = r.rest();
        if (quint64(rest.size()) < userStateLen) {
            out.result = complete ? Parse::Error : Parse::Truncated;
            out.needed = 1 + r.position() + qsizetype(userStateLen);
            out.error = QStringLiteral("pushPull: user state truncated");
            return out;
        }
        pp.userState = rest.first(qsizetype(userStateLen)).toByteArray();
        out.message = std::move(pp);
        out.used = 1 + r.position() + qsizetype(userStateLen);
        return out;
    }
    case MessageType::User: {
        quint64 length = 0;
        const bool headerOk = r.readStruct([&](QByteArrayView k) {
            if (is(k, "UserMsgLen"))
                return r.readUInt(length);
            return false;
        });
        if (!headerOk)
            return fromReader(r, QStringLiteral("user header"));
        const QByteArrayView rest = r.rest();
        if (length > quint64(limits.maxStream) || quint64(rest.size()) < length) {
            out.result
                = complete || length > quint64(limits.maxStream) ? Parse::Error : Parse::Truncated;
            out.needed = 1 + r.position()
                + qsizetype(std::min<quint64>(length, quint64(limits.maxStream)));
            out.error = QStringLiteral("user: message truncated");
            return out;
        }
        out.message = UserMessage { rest.first(qsizetype(length)).toByteArray() };
        out.used = 1 + r.position() + qsizetype(length);
        return out;
    }
    default:
        out.result = Parse::Error;
        out.error = QStringLiteral("%1 is not a stream message").arg(messageTypeName(type));
        return out;
    }
    out.used = 1 + r.position();
    return out;
}

} // namespace

StreamReader::State StreamReader::tryParse()
{
    const QByteArrayView data = m_buffer;
    const quint8 type = quint8(data[0]);
    PacketLayers layers;
    StreamParse parsed;
    qsizetype frame = 0;
    if (type == quint8(MessageType::Encrypt)) {
        if (data.size() < 5) {
            m_needAtLeast = 5;
            return m_state;
        }
        const quint32 length = (quint32(quint8(data[1])) << 24) | (quint32(quint8(data[2])) << 16)
            | (quint32(quint8(data[3])) << 8) | quint32(quint8(data[4]));
        if (qsizetype(length) > m_limits.maxStream)
            return failWith(QStringLiteral("encrypted stream of %1 bytes").arg(length));
        if (m_keyring.isEmpty())
            return failWith(
                QStringLiteral("Remote state is encrypted and encryption is not configured"));
        frame = 5 + qsizetype(length);
        if (data.size() < frame) {
            m_needAtLeast = frame;
            return m_state;
        }
        QString why;
        std::optional<Decrypted> opened
            = decrypt(m_keyring, data.sliced(5, length), data.first(5), &why);
        if (!opened)
            return failWith(QStringLiteral("decrypt: %1").arg(why));
        layers.encrypted = true;
        layers.encryptionVersion = opened->version;
        layers.keyIndex = opened->keyIndex;
        parsed = parseStreamMessage(opened->plaintext, true, true, m_limits, layers);
        parsed.used = frame;
    } else {
        if (!m_keyring.isEmpty())
            return failWith(
                QStringLiteral("Encryption is configured but remote state is not encrypted"));
        parsed = parseStreamMessage(data, false, true, m_limits, layers);
    }
    if (parsed.result == Parse::Truncated) {
        // Re-parse only once the bytes the parser ran out of may be there.
        if (parsed.needed > m_limits.maxStream + 5)
            return failWith(QStringLiteral("stream message of %1 bytes").arg(parsed.needed));
        m_needAtLeast = std::max(m_buffer.size() + 1, parsed.needed);
        return m_state;
    }
    if (parsed.result == Parse::Error)
        return failWith(parsed.error);
    m_message = std::move(parsed.message);
    m_consumed = parsed.used;
    m_layers = layers;
    m_state = State::Done;
    m_buffer.clear();
    return m_state;
}

} // namespace shoal::serf
