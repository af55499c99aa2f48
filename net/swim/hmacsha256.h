// HMAC-SHA256 keyed once: the codec signs and verifies every datagram with one secret, so the
// hash states after the key's inner and outer pads are computed once and reused, and the
// compression uses the CPU's SHA instructions when it has them (same digests as
// QMessageAuthenticationCode, which the tests compare against).
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <array>

namespace shoal::swim {

class HmacSha256 final
{
public:
    static constexpr qsizetype DigestSize = 32;
    using Digest = std::array<quint8, DigestSize>;

    explicit HmacSha256(QByteArrayView key);

    // HMAC over the concatenation of up to three parts (version, salt, payload).
    Digest mac(QByteArrayView a, QByteArrayView b = {}, QByteArrayView c = {}) const;

    // Whether the SHA instructions are used (for the benchmark's report).
    static bool usesShaExtensions();
    // Tests and benchmarks: false forces the portable code; true uses the SHA instructions if
    // the CPU has them, for every later call. Returns whether the CPU has them.
    static bool setShaExtensionsAllowed(bool allowed);

private:
    using State = std::array<quint32, 8>;
    State m_inner {};
    State m_outer {};
};

} // namespace shoal::swim
