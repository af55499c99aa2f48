#include "net/serf/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <vector>

namespace shoal::serf {

namespace {

std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table {};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

const EVP_CIPHER *cipherFor(qsizetype keySize)
{
    switch (keySize) {
    case 16:
        return EVP_aes_128_gcm();
    case 24:
        return EVP_aes_192_gcm();
    case 32:
        return EVP_aes_256_gcm();
    default:
        return nullptr;
    }
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *bytes(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

// An AES-GCM context keyed once per key and direction, per thread: keying (the AES key
// schedule and the GHASH table) costs about as much as sealing a datagram, so a datagram only
// sets its nonce. A few keys are kept (a keyring has one or two in use), the oldest dropped.
EVP_CIPHER_CTX *keyedContext(QByteArrayView key, bool encrypting)
{
    struct Keyed
    {
        QByteArray key;
        bool encrypting;
        CipherContext ctx;
    };
    thread_local std::vector<Keyed> cache;
    for (const Keyed &k : cache) {
        if (k.encrypting == encrypting && k.key == key)
            return k.ctx.get();
    }
    const EVP_CIPHER *cipher = cipherFor(key.size());
    if (!cipher)
        return nullptr;
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx
        || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypting ? 1 : 0) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, EncryptNonceSize, nullptr) != 1
        || EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes(key), nullptr, encrypting ? 1 : 0)
            != 1)
        return nullptr;
    constexpr std::size_t kept = 8;
    if (cache.size() >= kept)
        cache.erase(cache.begin());
    cache.push_back({ key.toByteArray(), encrypting, std::move(ctx) });
    return cache.back().ctx.get();
}

// One AES-GCM open; nullopt if the tag does not verify.
std::optional<QByteArray> gcmOpen(
    QByteArrayView key, QByteArrayView nonce, QByteArrayView sealed, QByteArrayView aad)
{
    if (sealed.size() < EncryptTagSize)
        return std::nullopt;
    EVP_CIPHER_CTX *ctx = keyedContext(key, false);
    if (!ctx)
        return std::nullopt;
    const QByteArrayView ciphertext = sealed.first(sealed.size() - EncryptTagSize);
    QByteArray tag = sealed.last(EncryptTagSize).toByteArray();
    QByteArray plain(ciphertext.size(), Qt::Uninitialized);
    int length = 0;
    int total = 0;
    if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, bytes(nonce)) != 1)
        return std::nullopt;
    if (!aad.isEmpty()
        && EVP_DecryptUpdate(ctx, nullptr, &length, bytes(aad), int(aad.size())) != 1)
        return std::nullopt;
    if (!ciphertext.isEmpty()
        && EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char *>(plain.data()), &length,
               bytes(ciphertext), int(ciphertext.size()))
            != 1)
        return std::nullopt;
    total = ciphertext.isEmpty() ? 0 : length;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, EncryptTagSize, tag.data()) != 1)
        return std::nullopt;
    if (EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char *>(plain.data()) + total, &length)
        != 1)
        return std::nullopt;
    plain.truncate(total + length);
    return plain;
}

} // namespace

quint32 crc32(QByteArrayView data)
{
    static const std::array<quint32, 256> table = makeCrcTable();
    quint32 c = 0xffffffffu;
    for (const char ch : data)
        c = table[(c ^ quint8(ch)) & 0xffu] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

Keyring::Keyring(QList<QByteArray> keys)
{
    for (QByteArray &key : keys)
        if (validKey(key) && !m_keys.contains(key))
            m_keys.append(std::move(key));
}

bool Keyring::validKey(QByteArrayView key)
{
    return key.size() == 16 || key.size() == 24 || key.size() == 32;
}

bool Keyring::install(const QByteArray &key, QString *why)
{
    if (!validKey(key)) {
        if (why)
            *why = QStringLiteral("key size must be 16, 24 or 32 bytes");
        return false;
    }
    if (!m_keys.contains(key))
        m_keys.append(key);
    return true;
}

bool Keyring::use(const QByteArray &key, QString *why)
{
    const qsizetype i = m_keys.indexOf(key);
    if (i < 0) {
        if (why)
            *why = QStringLiteral("Requested key is not in the keyring");
        return false;
    }
    m_keys.move(i, 0);
    return true;
}

bool Keyring::remove(const QByteArray &key, QString *why)
{
    if (!m_keys.isEmpty() && m_keys.first() == key) {
        if (why)
            *why = QStringLiteral("Removing the primary key is not allowed");
        return false;
    }
    m_keys.removeAll(key);
    return true;
}

QByteArray encrypt(int version, QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad,
    QByteArrayView nonce)
{
    const EVP_CIPHER *cipher = cipherFor(key.size());
    if (!cipher || (version != 0 && version != 1)
        || (!nonce.isEmpty() && nonce.size() != EncryptNonceSize))
        return {};
    QByteArray iv = nonce.toByteArray();
    if (iv.isEmpty()) {
        iv.resize(EncryptNonceSize);
        if (RAND_bytes(reinterpret_cast<unsigned char *>(iv.data()), EncryptNonceSize) != 1)
            return {};
    }
    QByteArray plain = plaintext.toByteArray();
    if (version == 0) {
        const auto pad = char(16 - plain.size() % 16);
        plain.append(QByteArray(pad, pad));
    }
    EVP_CIPHER_CTX *ctx = keyedContext(key, true);
    if (!ctx)
        return {};
    QByteArray out;
    out.reserve(1 + EncryptNonceSize + plain.size() + EncryptTagSize);
    out.append(char(version));
    out.append(iv);
    const qsizetype cipherAt = out.size();
    out.resize(cipherAt + plain.size() + EncryptTagSize);
    auto *dst = reinterpret_cast<unsigned char *>(out.data()) + cipherAt;
    int length = 0;
    if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, bytes(iv)) != 1)
        return {};
    if (!aad.isEmpty()
        && EVP_EncryptUpdate(ctx, nullptr, &length, bytes(aad), int(aad.size())) != 1)
        return {};
    int total = 0;
    if (!plain.isEmpty()) {
        if (EVP_EncryptUpdate(ctx, dst, &length, bytes(plain), int(plain.size())) != 1)
            return {};
        total = length;
    }
    if (EVP_EncryptFinal_ex(ctx, dst + total, &length) != 1)
        return {};
    total += length;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, EncryptTagSize, dst + total) != 1)
        return {};
    return out;
}

std::optional<Decrypted> decrypt(
    const Keyring &keyring, QByteArrayView payload, QByteArrayView aad, QString *why)
{
    auto refuse = [why](const QString &reason) -> std::optional<Decrypted> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (payload.isEmpty())
        return refuse(QStringLiteral("empty encrypted payload"));
    const int version = quint8(payload[0]);
    if (version > 1)
        return refuse(QStringLiteral("unsupported encryption version %1").arg(version));
    if (payload.size() < encryptOverhead(version))
        return refuse(QStringLiteral("encrypted payload too short (%1 bytes)").arg(payload.size()));
    const QByteArrayView nonce = payload.sliced(1, EncryptNonceSize);
    const QByteArrayView sealed = payload.sliced(1 + EncryptNonceSize);
    for (qsizetype i = 0; i < keyring.keys().size(); ++i) {
        std::optional<QByteArray> plain = gcmOpen(keyring.keys()[i], nonce, sealed, aad);
        if (!plain)
            continue;
        if (version == 0) {
            // Go strips the last byte's count without validating the padding;
            // a count beyond the plaintext would make Go panic: refuse it.
            const qsizetype pad = plain->isEmpty() ? 0 : quint8(plain->back());
            if (pad == 0 || pad > plain->size())
                return refuse(QStringLiteral("bad version 0 padding"));
            plain->chop(pad);
        }
        return Decrypted { std::move(*plain), version, int(i) };
    }
    return refuse(keyring.isEmpty() ? QStringLiteral("no keys to decrypt with")
                                    : QStringLiteral("no installed key decrypts the message"));
}

} // namespace shoal::serf
