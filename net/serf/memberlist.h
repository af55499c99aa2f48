// memberlist 0.2.2 messages and their framing (MEMBERLIST-SERF.md sections
// 2-4): the message structs, datagram layers (encryption, CRC, compression,
// compound) both ways, push/pull, and an incremental reader of TCP streams.
// Plain functions and one small class: no sockets, no QObject.
#pragma once

#include "net/serf/crypto.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <tuple>
#include <variant>

namespace shoal::serf {

enum class MessageType : quint8 {
    Ping = 0,
    IndirectPing = 1,
    Ack = 2,
    Suspect = 3,
    Alive = 4,
    Dead = 5,
    PushPull = 6,
    Compound = 7,
    User = 8,
    Compress = 9,
    Encrypt = 10,
    Nack = 11,
    HasCrc = 12,
    Err = 13,
};

// Node states in push/pull (state.go:18-23).
enum class NodeState : quint8 { Alive = 0, Suspect = 1, Dead = 2, Left = 3 };

// Serf 0.9.4's Vsn: memberlist 1..5 speaking 2, Serf 2..5 speaking 5.
inline QByteArray defaultVsn()
{
    return QByteArray::fromHex("010502020505");
}

struct Ping
{
    QString node; // the target's name; empty = whoever answers
    quint32 seqNo = 0;
    QByteArray sourceAddr; // omitempty
    QString sourceNode; // omitempty
    quint16 sourcePort = 0; // omitempty
    bool operator==(const Ping &o) const
    {
        return std::tie(node, seqNo, sourceAddr, sourceNode, sourcePort)
            == std::tie(o.node, o.seqNo, o.sourceAddr, o.sourceNode, o.sourcePort);
    }
};

struct IndirectPing
{
    bool nack = false;
    QString node;
    quint16 port = 0;
    quint32 seqNo = 0;
    QByteArray sourceAddr;
    QString sourceNode;
    quint16 sourcePort = 0;
    QByteArray target;
    bool operator==(const IndirectPing &o) const
    {
        return std::tie(nack, node, port, seqNo, sourceAddr, sourceNode, sourcePort, target)
            == std::tie(o.nack, o.node, o.port, o.seqNo, o.sourceAddr, o.sourceNode, o.sourcePort,
                o.target);
    }
};

struct Ack
{
    std::optional<QByteArray> payload; // Serf: 0x01 + coordinate, or nil
    quint32 seqNo = 0;
    bool operator==(const Ack &o) const
    {
        return std::tie(payload, seqNo) == std::tie(o.payload, o.seqNo);
    }
};

struct Nack
{
    quint32 seqNo = 0;
    bool operator==(const Nack &o) const { return std::tie(seqNo) == std::tie(o.seqNo); }
};

struct Suspect
{
    QString from;
    quint32 incarnation = 0;
    QString node;
    bool operator==(const Suspect &o) const
    {
        return std::tie(from, incarnation, node) == std::tie(o.from, o.incarnation, o.node);
    }
};

struct Alive
{
    QByteArray addr; // 4 or 16 bytes
    quint32 incarnation = 0;
    std::optional<QByteArray> meta; // Serf tags (0xff + map), <= 512 bytes
    QString node;
    quint16 port = 0;
    QByteArray vsn; // 6 bytes
    bool operator==(const Alive &o) const
    {
        return std::tie(addr, incarnation, meta, node, port, vsn)
            == std::tie(o.addr, o.incarnation, o.meta, o.node, o.port, o.vsn);
    }
};

struct Dead
{
    QString from; // == node: the node left
    quint32 incarnation = 0;
    QString node;
    bool operator==(const Dead &o) const
    {
        return std::tie(from, incarnation, node) == std::tie(o.from, o.incarnation, o.node);
    }
};

struct UserMessage
{
    QByteArray payload; // a Serf message: type byte + msgpack
    bool operator==(const UserMessage &o) const { return std::tie(payload) == std::tie(o.payload); }
};

struct ErrorResponse
{
    QString error;
    bool operator==(const ErrorResponse &o) const { return std::tie(error) == std::tie(o.error); }
};

struct PushNodeState
{
    QByteArray addr;
    quint32 incarnation = 0;
    std::optional<QByteArray> meta;
    QString name;
    quint16 port = 0;
    NodeState state = NodeState::Alive;
    QByteArray vsn;
    bool operator==(const PushNodeState &o) const
    {
        return std::tie(addr, incarnation, meta, name, port, state, vsn)
            == std::tie(o.addr, o.incarnation, o.meta, o.name, o.port, o.state, o.vsn);
    }
};

struct PushPull
{
    bool join = false;
    QList<PushNodeState> nodes;
    QByteArray userState; // Serf's 0x02 + messagePushPull, not msgpack-wrapped
    bool operator==(const PushPull &o) const
    {
        return std::tie(join, nodes, userState) == std::tie(o.join, o.nodes, o.userState);
    }
};

// What a datagram may carry (compound and compress are unwrapped).
using Message
    = std::variant<Ping, IndirectPing, Ack, Nack, Suspect, Alive, Dead, UserMessage, ErrorResponse>;
// What a stream may carry.
using StreamMessage = std::variant<Ping, Ack, PushPull, UserMessage, ErrorResponse>;

// Bounds for untrusted input (Serf's own where it has them).
struct CodecLimits
{
    qsizetype maxDatagram = 65536; // udpPacketBufSize
    qsizetype maxPacketDecompressed = 64 * 1024;
    qsizetype maxStream = 20 * 1024 * 1024; // maxPushStateBytes
    qsizetype maxStreamDecompressed = 32 * 1024 * 1024;
    int maxNesting = 4; // compound/compress inside each other
    int maxMsgpackDepth = 16;
    quint32 maxPushNodes = 100000;
};

struct PacketLayers
{
    bool encrypted = false;
    int encryptionVersion = -1;
    int keyIndex = -1;
    bool crc = false;
    int compressed = 0; // compress layers met
    int compounds = 0;
};

struct DecodedPacket
{
    QList<Message> messages; // in order of appearance
    QStringList refused; // reasons for parts dropped inside compounds (the rest is kept)
    int truncatedParts = 0; // compound parts cut off by a short datagram (Go drops them too)
    PacketLayers layers;
};

struct CodecError
{
    QString reason; // human-readable, never secret material
};

using PacketResult = std::variant<DecodedPacket, CodecError>;

// A whole UDP datagram: decrypts with the keyring (if not empty; then plaintext
// is refused, as memberlist's GossipVerifyIncoming does), checks the CRC,
// unwraps compress and compound (nesting bounded).
PacketResult decodePacket(
    QByteArrayView datagram, const Keyring &keyring = {}, const CodecLimits &limits = {});
// One message (type byte + body) of a datagram, without encryption or CRC.
PacketResult decodeMessages(QByteArrayView message, const CodecLimits &limits = {});

// One message as type byte + msgpack body, as Go writes it.
QByteArray encodeMessage(const Message &message);
// 0x07 count lengths... parts. Refuses (returns empty) more than 127 parts or parts over 65535.
QByteArray encodeCompound(const QList<QByteArray> &parts);
// 0x09 + compress{Algo 0, Buf LZW(message)}.
QByteArray encodeCompress(QByteArrayView message);
// 0x0c + crc32 + payload.
QByteArray encodeCrc(QByteArrayView payload);

struct PacketOptions
{
    bool compress = true; // only used when strictly shorter (net.go:752-763)
    bool crc = false; // destination's pMax >= 5
    int encryptionVersion = 1;
    QByteArray nonce; // tests only; empty = random
};
// Builds a datagram from whole messages: alone or as a compound (<= 127 parts),
// then compress (if shorter), CRC, encrypt (keyring's primary, no AAD).
QByteArray encodePacket(
    const QList<QByteArray> &messages, const PacketOptions &options, const Keyring &keyring = {});

// Push/pull body after the type byte, and a whole stream message.
QByteArray encodeStreamMessage(const StreamMessage &message);
struct StreamOptions
{
    bool compress = true; // streams are always compressed when enabled (net.go:811-820)
    int encryptionVersion = 1;
    QByteArray nonce; // tests only
};
QByteArray encodeStream(
    const StreamMessage &message, const StreamOptions &options, const Keyring &keyring = {});

// Reads one stream message from bytes arriving in any split. Encrypted
// streams are length-prefixed; plain ones are parsed as they come: each
// feed re-parses from the start once enough bytes may be there, so a message
// of n bytes costs O(n * feeds); feeds are socket reads, so few.
class StreamReader final
{
public:
    enum class State : quint8 { NeedMore, Done, Failed };

    explicit StreamReader(Keyring keyring = {}, CodecLimits limits = {});

    State feed(QByteArrayView bytes);
    State state() const { return m_state; }
    // Set once Done; bytes after the message stay unread (the peer waits for our answer).
    const std::optional<StreamMessage> &message() const { return m_message; }
    QString error() const { return m_error; }
    qsizetype consumed() const { return m_consumed; }
    PacketLayers layers() const { return m_layers; }

private:
    State tryParse();
    State failWith(const QString &why);

    Keyring m_keyring;
    CodecLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_needAtLeast = 1;
    State m_state = State::NeedMore;
    std::optional<StreamMessage> m_message;
    QString m_error;
    qsizetype m_consumed = 0;
    PacketLayers m_layers;
};

QString messageTypeName(quint8 type);

} // namespace shoal::serf
