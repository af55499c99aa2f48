// OpenSSL 3 deprecates the SHA256_* functions in favour of EVP, but a keyed EVP context is
// dearer per datagram: measured on the 554 bytes a Gossip signs, a copied SHA256_CTX makes
// 2.4 million HMACs per CPU-second, EVP_MD_CTX_copy_ex 1.9-2.2 M (it allocates per copy),
// HMAC_Init_ex reuse 1.9-2.1 M, EVP_MAC_CTX_dup 0.9-1.1 M; the former hand-written SHA-NI
// code 2.2 M (docs/PERFORMANCE.md, "Codec").
#define OPENSSL_SUPPRESS_DEPRECATED

#include "net/swim/hmacsha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

namespace shoal::swim {

namespace {

constexpr std::size_t BlockSize = 64;

static_assert(sizeof(SHA256_CTX) == HmacSha256::StateSize);
static_assert(alignof(SHA256_CTX) <= 8);

SHA256_CTX load(const std::array<unsigned char, HmacSha256::StateSize> &state)
{
    SHA256_CTX ctx;
    std::memcpy(&ctx, state.data(), sizeof ctx);
    return ctx;
}

void update(SHA256_CTX &ctx, QByteArrayView part)
{
    if (!part.isEmpty())
        SHA256_Update(&ctx, part.data(), std::size_t(part.size()));
}

void keyedState(const unsigned char *block, unsigned char pad,
    std::array<unsigned char, HmacSha256::StateSize> &state)
{
    unsigned char padded[BlockSize];
    for (std::size_t i = 0; i < BlockSize; ++i)
        padded[i] = static_cast<unsigned char>(block[i] ^ pad);
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, padded, BlockSize);
    std::memcpy(state.data(), &ctx, sizeof ctx);
    OPENSSL_cleanse(padded, sizeof padded);
    OPENSSL_cleanse(&ctx, sizeof ctx);
}

} // namespace

HmacSha256::HmacSha256(QByteArrayView key)
{
    // RFC 2104: a key longer than the block is hashed first; a shorter one is zero-padded.
    unsigned char block[BlockSize] = {};
    if (qsizetype(BlockSize) < key.size())
        SHA256(reinterpret_cast<const unsigned char *>(key.data()), std::size_t(key.size()), block);
    else if (!key.isEmpty())
        std::memcpy(block, key.data(), std::size_t(key.size()));
    keyedState(block, 0x36, m_inner);
    keyedState(block, 0x5c, m_outer);
    OPENSSL_cleanse(block, sizeof block);
}

HmacSha256::Digest HmacSha256::mac(QByteArrayView a, QByteArrayView b, QByteArrayView c) const
{
    Digest digest;
    SHA256_CTX inner = load(m_inner);
    update(inner, a);
    update(inner, b);
    update(inner, c);
    SHA256_Final(digest.data(), &inner);
    SHA256_CTX outer = load(m_outer);
    SHA256_Update(&outer, digest.data(), digest.size());
    SHA256_Final(digest.data(), &outer);
    return digest;
}

bool HmacSha256::verify(
    QByteArrayView digest, QByteArrayView a, QByteArrayView b, QByteArrayView c) const
{
    if (digest.size() != DigestSize)
        return false;
    const Digest expected = mac(a, b, c);
    return CRYPTO_memcmp(expected.data(), digest.data(), expected.size()) == 0;
}

} // namespace shoal::swim
