// memberlist's integrity and secrecy layers: CRC-32 (IEEE) for the hasCrc
// wrapper, and AES-GCM with an ordered keyring (MEMBERLIST-SERF.md 2.4, 2.6).
// The cipher is OpenSSL's libcrypto; nothing cryptographic is written here.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace shoal::serf {

// zlib's crc32: reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF.
quint32 crc32(QByteArrayView data);

// Serf's keyring: index 0 is the primary key (used to encrypt); every key is
// tried in order to decrypt. Keys are 16, 24 or 32 bytes (AES-128/192/256).
class Keyring final
{
public:
    Keyring() = default;
    explicit Keyring(QList<QByteArray> keys); // invalid keys are dropped

    static bool validKey(QByteArrayView key);
    bool isEmpty() const { return m_keys.isEmpty(); }
    const QList<QByteArray> &keys() const { return m_keys; }
    QByteArray primary() const { return m_keys.value(0); }

    // The operations of Serf's internal key queries; false (with why) when refused.
    bool install(const QByteArray &key, QString *why = nullptr); // appended; known keys are fine
    bool use(const QByteArray &key, QString *why = nullptr); // must be installed
    bool remove(const QByteArray &key, QString *why = nullptr); // never the primary

private:
    QList<QByteArray> m_keys;
};

// Encryption versions: 0 pads PKCS#7 to 16 bytes; 1 (what Serf sends) does not.
constexpr int EncryptNonceSize = 12;
constexpr int EncryptTagSize = 16;
constexpr qsizetype encryptOverhead(int version)
{
    return 1 + EncryptNonceSize + EncryptTagSize + (version == 0 ? 16 : 0);
}

// [version][nonce][AES-GCM(plaintext', aad) || tag]. An empty nonce draws 12
// random bytes from OpenSSL's RNG (never reuse a nonce with one key).
// Returns an empty array if the key or nonce is unusable.
QByteArray encrypt(int version, QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad,
    QByteArrayView nonce = {});

struct Decrypted
{
    QByteArray plaintext;
    int version = 1;
    int keyIndex = 0; // which key of the ring opened it
};

// Tries every key in ring order; nullopt (with *why) if none opens it.
std::optional<Decrypted> decrypt(
    const Keyring &keyring, QByteArrayView payload, QByteArrayView aad, QString *why);

} // namespace shoal::serf
