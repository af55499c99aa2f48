// Bytes <-> packets for swim-protocol 0.6.3: framing, HMAC-SHA256 signature
// and a strict pickle subset (SWIM-PROTOCOL.md sections 1-3). A plain class:
// no sockets, no QObject; decode returns a packet or the reason it was refused.
#pragma once

#include "net/swim/hmacsha256.h"
#include "net/swim/packet.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <variant>

namespace shoal::swim {

struct DecodeError
{
    enum class Kind : quint8 { Framing, Signature, Pickle };
    Kind kind = Kind::Framing;
    QString detail; // human-readable, never contains secret material

    // "framing", "signature" or "pickle": the reason counted and shown to users.
    QString reason() const;
};

using DecodeResult = std::variant<Packet, DecodeError>;

class Codec final
{
public:
    static QByteArray defaultVersion() { return QByteArrayLiteral("0.6.3"); }

    explicit Codec(QByteArray secret, QByteArray version = defaultVersion());

    QByteArray encode(const Packet &packet) const; // fresh random salt
    QByteArray encode(const Packet &packet, QByteArrayView salt) const; // given salt (tests)
    DecodeResult decode(QByteArrayView datagram) const;

    // Frames and signs any payload (tests and the fuzzer sign hand-made pickles).
    // A salt longer than 255 bytes cannot be framed: returns an empty array.
    QByteArray sign(QByteArrayView payload, QByteArrayView salt) const;
    static constexpr qsizetype SaltSize = 16;
    static constexpr qsizetype DigestSize = 32;
    static constexpr qsizetype PrefixSize = 6;

private:
    // Writes prefix, salt and HMAC at `out` (PrefixSize + salt + DigestSize bytes).
    void writeHeader(char *out, QByteArrayView salt, QByteArrayView payload) const;

    HmacSha256 m_mac; // keyed once: the secret's pad states, never rebuilt per datagram
    QByteArray m_version;
};

} // namespace shoal::swim
