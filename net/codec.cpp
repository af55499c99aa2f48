#include "net/codec.h"

// Placeholder until the codec lands (issue 3): refuses everything.
namespace shoal::swim {

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
    : m_secret(std::move(secret))
    , m_version(std::move(version))
{ }

QByteArray Codec::encode(const Packet &) const
{
    return {};
}
QByteArray Codec::encode(const Packet &, QByteArrayView) const
{
    return {};
}
DecodeResult Codec::decode(QByteArrayView) const
{
    return DecodeError { DecodeError::Kind::Framing, QStringLiteral("codec not implemented") };
}

} // namespace shoal::swim
