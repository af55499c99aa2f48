#include "net/swim/codec.h"

#include "net/swim/hmacsha256.h"
#include "net/swim/pickle.h"

#include <QRandomGenerator>

#include <sys/random.h>

#include <array>
#include <cstring>
#include <string>

namespace shoal::swim {

namespace {

constexpr char PrefixXor[] = "SWIM?!";

quint8 prefixByte(QByteArrayView datagram, qsizetype i)
{
    return quint8(quint8(datagram[i]) ^ quint8(PrefixXor[i]));
}

// Salts come from the kernel's CSPRNG in bulk: one getrandom() per 256 datagrams instead of
// the CPU's RDRAND per word (about a microsecond a datagram on this class of machine).
void fillSalt(char *salt)
{
    constexpr std::size_t poolSize = 4096;
    thread_local std::array<char, poolSize> pool;
    thread_local std::size_t used = poolSize;
    if (used + Codec::SaltSize > poolSize) {
        std::size_t filled = 0;
        while (filled < poolSize) {
            const ssize_t got = ::getrandom(pool.data() + filled, poolSize - filled, 0);
            if (got <= 0)
                break;
            filled += std::size_t(got);
        }
        if (filled < poolSize) // no getrandom (old kernel, seccomp): Qt's system source
            QRandomGenerator::system()->generate(pool.begin() + filled, pool.end());
        used = 0;
    }
    std::memcpy(salt, pool.data() + used, Codec::SaltSize);
    // Never hand out the same bytes twice.
    std::memset(pool.data() + used, 0, Codec::SaltSize);
    used += Codec::SaltSize;
}

} // namespace

QString DecodeError::reason() const
{
    switch (kind) {
    case Kind::Framing:
        return QStringLiteral("framing");
    case Kind::Signature:
        return QStringLiteral("signature");
    case Kind::Pickle:
        return QStringLiteral("pickle");
    }
    return QString();
}

Codec::Codec(QByteArray secret, QByteArray version)
    : m_mac(secret)
    , m_version(std::move(version))
{ }

QByteArray Codec::encode(const Packet &packet) const
{
    char salt[SaltSize];
    fillSalt(salt);
    return encode(packet, QByteArrayView(salt, SaltSize));
}

QByteArray Codec::encode(const Packet &packet, QByteArrayView salt) const
{
    if (salt.size() > 0xff)
        return {};
    // The pickle is written behind room for the prefix, salt and digest, which are then filled
    // in place: one buffer per thread, one copy into the datagram.
    thread_local std::string buffer;
    const qsizetype headerSize = PrefixSize + salt.size() + DigestSize;
    buffer.assign(std::size_t(headerSize), '\0');
    appendPacketPickle(buffer, packet);
    const QByteArrayView payload(buffer.data() + headerSize, qsizetype(buffer.size()) - headerSize);
    if (quint64(payload.size()) > 0xffffffffu)
        return {};
    writeHeader(buffer.data(), salt, payload);
    QByteArray out(buffer.data(), qsizetype(buffer.size()));
    if (buffer.capacity() > 64 * 1024) // a huge packet's buffer is not kept
        std::string().swap(buffer);
    return out;
}

void Codec::writeHeader(char *out, QByteArrayView salt, QByteArrayView payload) const
{
    const HmacSha256::Digest mac = m_mac.mac(m_version, salt, payload);
    const auto length = quint32(payload.size());
    const quint8 prefix[PrefixSize] = { quint8(salt.size()), quint8(DigestSize),
        quint8(length >> 24), quint8(length >> 16), quint8(length >> 8), quint8(length) };
    for (qsizetype i = 0; i < PrefixSize; ++i)
        out[i] = char(prefix[i] ^ quint8(PrefixXor[i]));
    if (!salt.isEmpty())
        std::memcpy(out + PrefixSize, salt.data(), std::size_t(salt.size()));
    std::memcpy(out + PrefixSize + salt.size(), mac.data(), mac.size());
}

QByteArray Codec::sign(QByteArrayView payload, QByteArrayView salt) const
{
    if (salt.size() > 0xff || quint64(payload.size()) > 0xffffffffu)
        return {};
    const qsizetype headerSize = PrefixSize + salt.size() + DigestSize;
    QByteArray out(headerSize + payload.size(), Qt::Uninitialized);
    writeHeader(out.data(), salt, payload);
    if (!payload.isEmpty())
        std::memcpy(out.data() + headerSize, payload.data(), std::size_t(payload.size()));
    return out;
}

DecodeResult Codec::decode(QByteArrayView datagram) const
{
    const auto framing = [](const QString &detail) {
        return DecodeError { DecodeError::Kind::Framing, detail };
    };
    if (datagram.size() < PrefixSize)
        return framing(QStringLiteral("datagram of %1 bytes is shorter than the 6-byte prefix")
                           .arg(datagram.size()));
    const qsizetype saltLength = prefixByte(datagram, 0);
    const qsizetype digestLength = prefixByte(datagram, 1);
    const quint64 payloadLength = quint64(prefixByte(datagram, 2)) << 24
        | quint64(prefixByte(datagram, 3)) << 16 | quint64(prefixByte(datagram, 4)) << 8
        | quint64(prefixByte(datagram, 5));
    if (digestLength != DigestSize)
        return framing(
            QStringLiteral("digest length %1, expected %2").arg(digestLength).arg(DigestSize));
    const qsizetype payloadStart = PrefixSize + saltLength + digestLength;
    if (datagram.size() < payloadStart)
        return framing(
            QStringLiteral("datagram of %1 bytes ends inside the salt and digest (%2 bytes)")
                .arg(datagram.size())
                .arg(payloadStart));
    // As the reference: bytes beyond the declared payload are ignored, a short one is refused.
    const auto available = quint64(datagram.size() - payloadStart);
    if (available < payloadLength)
        return framing(QStringLiteral("payload of %1 bytes, prefix says %2")
                           .arg(available)
                           .arg(payloadLength));
    const QByteArrayView salt = datagram.sliced(PrefixSize, saltLength);
    const QByteArrayView digest = datagram.sliced(PrefixSize + saltLength, digestLength);
    const QByteArrayView payload = datagram.sliced(payloadStart, qsizetype(payloadLength));

    if (!m_mac.verify(digest, m_version, salt, payload))
        return DecodeError { DecodeError::Kind::Signature,
            QStringLiteral("HMAC-SHA256 digest does not verify (wrong secret or "
                           "protocol version, or altered bytes)") };

    PickleResult result = readPacketPickle(payload);
    if (auto *error = std::get_if<PickleError>(&result))
        return DecodeError { DecodeError::Kind::Pickle, std::move(error->detail) };
    return std::get<Packet>(std::move(result));
}

} // namespace shoal::swim
