// HmacSha256 (OpenSSL's SHA-256 from keyed pad states) gives RFC 4231's and
// QMessageAuthenticationCode's digests, however its keyed states are reused.
#include "net/swim/hmacsha256.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTest>

using shoal::swim::HmacSha256;

namespace {

QByteArray hex(const HmacSha256::Digest &digest)
{
    return QByteArray(reinterpret_cast<const char *>(digest.data()), HmacSha256::DigestSize)
        .toHex();
}

QByteArray qtMac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestHmacSha256 final : public QObject
{
    Q_OBJECT

private slots:
    void rfc4231_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("mac"); // hex; case 5 is truncated to 128 bits
        QTest::newRow("case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                                << QByteArray("b0344c61d8db38535ca8afceaf0bf12b"
                                              "881dc200c9833da726e9376c2e32cff7");
        QTest::newRow("case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                << QByteArray("5bdcc146bf60754e6a042426089575c7"
                                              "5a003f089d2739839dec58b964ec3843");
        QTest::newRow("case 3") << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
                                << QByteArray("773ea91e36800e46854db8ebd09181a7"
                                              "2959098b3ef8c122d9635514ced565fe");
        QTest::newRow("case 4") << QByteArray::fromHex(
            "0102030405060708090a0b0c0d0e0f10111213141516171819")
                                << QByteArray(50, '\xcd')
                                << QByteArray("82558a389a443c0ea4cc819899f2083a"
                                              "85f0faa3e578f8077a2e3ff46729665b");
        QTest::newRow("case 5") << QByteArray(20, '\x0c') << QByteArray("Test With Truncation")
                                << QByteArray("a3b6167473100ee06e0c796c2955552b");
        QTest::newRow("case 6") << QByteArray(
            131, '\xaa') << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
                                << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f"
                                              "8e0bc6213728c5140546040f0ee37f54");
        QTest::newRow("case 7")
            << QByteArray(131, '\xaa')
            << QByteArray("This is a test using a larger than block-size key and a larger "
                          "than block-size data. The key needs to be hashed before being "
                          "used by the HMAC algorithm.")
            << QByteArray("9b09ffa71b942fcb27635fbcd5b0e944"
                          "bfdc63644f0713938a7f51535c3a35e2");
    }

    void rfc4231()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, mac);
        const HmacSha256 keyed(key);
        QCOMPARE(hex(keyed.mac(data)).left(mac.size()), mac);
        // Split in three parts, as the codec signs version, salt and payload.
        const qsizetype third = data.size() / 3;
        QCOMPARE(hex(keyed.mac(QByteArrayView(data).first(third),
                         QByteArrayView(data).sliced(third, third),
                         QByteArrayView(data).sliced(2 * third)))
                     .left(mac.size()),
            mac);
    }

    void matchesQt()
    {
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
                QCOMPARE(hex(digest), qtMac(key, message));
            }
        }
    }

    // The keyed states are copied, never consumed: one object gives the same digest however
    // often it is used, and two keyed objects used in turn do not disturb each other.
    void reusedAndInterleaved()
    {
        const QByteArray oldSecret("s3cret");
        const QByteArray newSecret("another secret, longer than the sixty-four bytes of a block!!");
        const HmacSha256 oldKey(oldSecret);
        const HmacSha256 newKey(newSecret);
        const QByteArray message(554, 'g');
        const QByteArray expectedOld = qtMac(oldSecret, message);
        const QByteArray expectedNew = qtMac(newSecret, message);
        QVERIFY(expectedOld != expectedNew);
        const HmacSha256 copy = oldKey; // the codec is copied with its keyed states
        for (int i = 0; i < 1000; ++i) {
            const QByteArray other = QByteArray::number(i);
            QCOMPARE(hex(oldKey.mac(other)), qtMac(oldSecret, other));
            QCOMPARE(hex(oldKey.mac(message)), expectedOld);
            QCOMPARE(hex(newKey.mac(message.first(100), message.sliced(100))), expectedNew);
            QCOMPARE(hex(copy.mac(message)), expectedOld);
            QCOMPARE(hex(newKey.mac(other)), qtMac(newSecret, other));
        }
    }

    void verify()
    {
        const HmacSha256 keyed(QByteArray("s3cret"));
        const HmacSha256::Digest digest = keyed.mac("0.6.3", "salt", "payload");
        QByteArray bytes(reinterpret_cast<const char *>(digest.data()), HmacSha256::DigestSize);
        QVERIFY(keyed.verify(bytes, "0.6.3", "salt", "payload"));
        QVERIFY(!keyed.verify(bytes, "0.6.3", "salt", "payloaD"));
        QVERIFY(!HmacSha256(QByteArray("s3creT")).verify(bytes, "0.6.3", "salt", "payload"));
        QVERIFY(!keyed.verify(bytes.first(31), "0.6.3", "salt", "payload"));
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            QByteArray altered = bytes;
            altered[i] = char(altered[i] ^ 0x01);
            QVERIFY(!keyed.verify(altered, "0.6.3", "salt", "payload"));
        }
    }

    void longMessage()
    {
        const QByteArray key("s3cret");
        const QByteArray message(1024 * 1024 + 17, 'x');
        QCOMPARE(hex(HmacSha256(key).mac(message)), qtMac(key, message));
    }
};

QTEST_GUILESS_MAIN(TestHmacSha256)
#include "tst_hmacsha256.moc"
