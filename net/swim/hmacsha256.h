// HMAC-SHA256 keyed once: the codec signs and verifies every datagram with one secret, so the
// hash states after the key's inner and outer pads are computed once and each datagram starts
// from a copy of them. The hashing is OpenSSL's libcrypto (its SHA-256 uses the CPU's SHA
// instructions when it has them); see docs/PERFORMANCE.md "Codec" for why this API.
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <array>
#include <cstddef>

namespace shoal::swim {

class HmacSha256 final
{
public:
    static constexpr qsizetype DigestSize = 32;
    using Digest = std::array<quint8, DigestSize>;

    explicit HmacSha256(QByteArrayView key);

    // HMAC over the concatenation of up to three parts (version, salt, payload). Const and
    // without shared state: one keyed object may be used from several threads.
    Digest mac(QByteArrayView a, QByteArrayView b = {}, QByteArrayView c = {}) const;

    // Whether `digest` is this key's HMAC of the parts, compared in constant time.
    bool verify(QByteArrayView digest, QByteArrayView a, QByteArrayView b = {},
        QByteArrayView c = {}) const;

    // The size of OpenSSL's SHA256_CTX, kept out of this header (checked in the .cpp).
    static constexpr std::size_t StateSize = 112;

private:
    alignas(8) std::array<unsigned char, StateSize> m_inner {};
    alignas(8) std::array<unsigned char, StateSize> m_outer {};
};

} // namespace shoal::swim
