#include "net/swim/hmacsha256.h"

#include <QCryptographicHash>

#include <algorithm>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHOAL_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace shoal::swim {

namespace {

constexpr qsizetype BlockSize = 64;

constexpr std::array<quint32, 64> K = { 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
    0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
    0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3,
    0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354,
    0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3,
    0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa,
    0xa4506ceb, 0xbef9a3f7, 0xc67178f2 };

constexpr std::array<quint32, 8> Initial = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

inline quint32 rotr(quint32 x, int n)
{
    return (x >> n) | (x << (32 - n));
}

inline quint32 load32(const quint8 *p)
{
    return quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]);
}

void compressPortable(quint32 *state, const quint8 *blocks, qsizetype count)
{
    for (; count > 0; --count, blocks += BlockSize) {
        quint32 w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = load32(blocks + 4 * i);
        for (int i = 16; i < 64; ++i) {
            const quint32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const quint32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        quint32 a = state[0], b = state[1], c = state[2], d = state[3];
        quint32 e = state[4], f = state[5], g = state[6], h = state[7];
        for (std::size_t i = 0; i < 64; ++i) {
            const quint32 t1
                = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            const quint32 t2
                = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

#ifdef SHOAL_SHA_NI
// The SHA-256 rounds with the x86 SHA extensions, in the layout of Intel's published sequence:
// state as ABEF/CDGH, four rounds per group, the schedule of later groups mixed in on the way.
__attribute__((target("sha,sse4.1,ssse3"))) void compressShaNi(
    quint32 *state, const quint8 *blocks, qsizetype count)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state));
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4));
    tmp = _mm_shuffle_epi32(tmp, 0xB1); // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B); // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0); // CDGH

    for (; count > 0; --count, blocks += BlockSize) {
        const __m128i abefSave = state0;
        const __m128i cdghSave = state1;
        __m128i msg[4];
        for (std::size_t i = 0; i < 4; ++i)
            msg[i] = _mm_shuffle_epi8(
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(blocks + 16 * i)), byteSwap);
        for (std::size_t r = 0; r < 16; ++r) {
            const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i *>(K.data() + 4 * r));
            __m128i m = _mm_add_epi32(msg[r & 3], k);
            state1 = _mm_sha256rnds2_epu32(state1, state0, m);
            if (r >= 3 && r <= 14) {
                const __m128i carry = _mm_alignr_epi8(msg[r & 3], msg[(r - 1) & 3], 4);
                __m128i &next = msg[(r + 1) & 3];
                next = _mm_sha256msg2_epu32(_mm_add_epi32(next, carry), msg[r & 3]);
            }
            m = _mm_shuffle_epi32(m, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, m);
            if (r >= 1 && r <= 12)
                msg[(r - 1) & 3] = _mm_sha256msg1_epu32(msg[(r - 1) & 3], msg[r & 3]);
        }
        state0 = _mm_add_epi32(state0, abefSave);
        state1 = _mm_add_epi32(state1, cdghSave);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B); // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1); // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8); // ABEF
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), state1);
}

bool cpuHasShaExtensions()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    const bool ssse3 = c & (1u << 9);
    const bool sse41 = c & (1u << 19);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return ssse3 && sse41 && (b & (1u << 29));
}
#endif

using Compress = void (*)(quint32 *, const quint8 *, qsizetype);

std::atomic<Compress> &compressFunction()
{
#ifdef SHOAL_SHA_NI
    static std::atomic<Compress> function(cpuHasShaExtensions() ? compressShaNi : compressPortable);
#else
    static std::atomic<Compress> function(compressPortable);
#endif
    return function;
}

// Hashes a message in pieces from a given state; `prefix` bytes were hashed before it.
class Sha256Stream
{
public:
    Sha256Stream(const std::array<quint32, 8> &state, quint64 prefix)
        : m_state(state)
        , m_length(prefix)
        , m_compress(compressFunction().load(std::memory_order_relaxed))
    { }

    void add(QByteArrayView data)
    {
        if (data.isEmpty())
            return; // an empty view may have no data(): memcpy must not see it
        auto bytes = reinterpret_cast<const quint8 *>(data.data());
        qsizetype size = data.size();
        m_length += quint64(size);
        if (m_used > 0) {
            const qsizetype take = std::min(size, BlockSize - m_used);
            std::memcpy(m_buffer.data() + m_used, bytes, std::size_t(take));
            m_used += take;
            bytes += take;
            size -= take;
            if (m_used < BlockSize)
                return;
            m_compress(m_state.data(), m_buffer.data(), 1);
            m_used = 0;
        }
        if (size >= BlockSize) {
            m_compress(m_state.data(), bytes, size / BlockSize);
            bytes += size / BlockSize * BlockSize;
            size %= BlockSize;
        }
        if (size > 0)
            std::memcpy(m_buffer.data(), bytes, std::size_t(size));
        m_used = size;
    }

    std::array<quint8, 32> finish()
    {
        const quint64 bits = m_length * 8;
        m_buffer[std::size_t(m_used++)] = 0x80;
        if (m_used > BlockSize - 8) {
            std::memset(m_buffer.data() + m_used, 0, std::size_t(BlockSize - m_used));
            m_compress(m_state.data(), m_buffer.data(), 1);
            m_used = 0;
        }
        std::memset(m_buffer.data() + m_used, 0, std::size_t(BlockSize - 8 - m_used));
        for (std::size_t i = 0; i < 8; ++i)
            m_buffer[std::size_t(BlockSize) - 1 - i] = quint8(bits >> (8 * i));
        m_compress(m_state.data(), m_buffer.data(), 1);
        std::array<quint8, 32> digest {};
        for (std::size_t i = 0; i < 8; ++i) {
            digest[4 * i] = quint8(m_state[i] >> 24);
            digest[4 * i + 1] = quint8(m_state[i] >> 16);
            digest[4 * i + 2] = quint8(m_state[i] >> 8);
            digest[4 * i + 3] = quint8(m_state[i]);
        }
        return digest;
    }

    const std::array<quint32, 8> &state() const { return m_state; }

private:
    std::array<quint32, 8> m_state;
    quint64 m_length;
    Compress m_compress;
    std::array<quint8, BlockSize> m_buffer {};
    qsizetype m_used = 0;
};

} // namespace

HmacSha256::HmacSha256(QByteArrayView key)
{
    std::array<quint8, BlockSize> block {};
    if (key.size() > BlockSize) {
        const QByteArray hashed = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
        std::memcpy(block.data(), hashed.constData(), std::size_t(hashed.size()));
    } else if (!key.isEmpty()) {
        std::memcpy(block.data(), key.data(), std::size_t(key.size()));
    }
    const Compress compress = compressFunction().load(std::memory_order_relaxed);
    std::array<quint8, BlockSize> pad {};
    for (std::size_t i = 0; i < pad.size(); ++i)
        pad[i] = quint8(block[i] ^ 0x36);
    m_inner = Initial;
    compress(m_inner.data(), pad.data(), 1);
    for (std::size_t i = 0; i < pad.size(); ++i)
        pad[i] = quint8(block[i] ^ 0x5c);
    m_outer = Initial;
    compress(m_outer.data(), pad.data(), 1);
}

HmacSha256::Digest HmacSha256::mac(QByteArrayView a, QByteArrayView b, QByteArrayView c) const
{
    Sha256Stream inner(m_inner, BlockSize);
    inner.add(a);
    inner.add(b);
    inner.add(c);
    const Digest innerDigest = inner.finish();
    Sha256Stream outer(m_outer, BlockSize);
    outer.add(QByteArrayView(reinterpret_cast<const char *>(innerDigest.data()), DigestSize));
    return outer.finish();
}

bool HmacSha256::usesShaExtensions()
{
#ifdef SHOAL_SHA_NI
    return compressFunction().load() == compressShaNi;
#else
    return false;
#endif
}

bool HmacSha256::setShaExtensionsAllowed(bool allowed)
{
#ifdef SHOAL_SHA_NI
    const bool available = cpuHasShaExtensions();
    compressFunction().store(allowed && available ? compressShaNi : compressPortable);
    return available;
#else
    Q_UNUSED(allowed);
    return false;
#endif
}

} // namespace shoal::swim
