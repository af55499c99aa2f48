// HmacSha256 gives QMessageAuthenticationCode's digests, with and without the SHA instructions.
#include "net/swim/hmacsha256.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTest>

using shoal::swim::HmacSha256;

class TestHmacSha256 final : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { HmacSha256::setShaExtensionsAllowed(true); }

    void matchesQt_data()
    {
        QTest::addColumn<bool>("extensions");
        QTest::newRow("portable") << false;
        QTest::newRow("sha-extensions-if-present") << true;
    }

    void matchesQt()
    {
        QFETCH(bool, extensions);
        const bool available = HmacSha256::setShaExtensionsAllowed(extensions);
        QCOMPARE(HmacSha256::usesShaExtensions(), extensions && available);
        QRandomGenerator random(42);
        auto bytes = [&random](qsizetype size) {
            QByteArray data(size, Qt::Uninitialized);
            for (char &c : data)
                c = static_cast<char>(random.bounded(256));
            return data;
        };
        // Key sizes around the block (64: padded, 65: hashed first), message lengths across
        // every padding boundary, split in three parts at varying places.
        const QList<qsizetype> keySizes { 0, 1, 6, 32, 63, 64, 65, 200 };
        for (qsizetype keySize : keySizes) {
            const QByteArray key = bytes(keySize);
            const HmacSha256 mac(key);
            for (qsizetype length = 0; length < 300; ++length) {
                const QByteArray message = bytes(length);
                const qsizetype first = length / 3;
                const qsizetype second = (length - first) / 2 + (length % 5);
                const qsizetype split = std::min(first + second, length);
                const HmacSha256::Digest digest = mac.mac(QByteArrayView(message).first(first),
                    QByteArrayView(message).sliced(first, split - first),
                    QByteArrayView(message).sliced(split));
                const QByteArray expected
                    = QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
                QCOMPARE(QByteArray(
                             reinterpret_cast<const char *>(digest.data()), HmacSha256::DigestSize),
                    expected);
            }
        }
    }

    void longMessage()
    {
        HmacSha256::setShaExtensionsAllowed(true);
        const QByteArray key("s3cret");
        const QByteArray message(1024 * 1024 + 17, 'x');
        const HmacSha256::Digest digest = HmacSha256(key).mac(message);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(digest.data()), HmacSha256::DigestSize),
            QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256));
    }
};

QTEST_GUILESS_MAIN(TestHmacSha256)
#include "tst_hmacsha256.moc"
