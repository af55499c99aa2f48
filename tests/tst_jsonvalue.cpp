// Tests of the UTF-8-or-base64 JSON form of metadata values.
#include "model/jsonvalue.h"

#include <QJsonObject>
#include <QTest>

using namespace shoal;

class TestJsonValue final : public QObject
{
    Q_OBJECT
private slots:
    void bytesBothWays_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("text");
        QTest::newRow("ascii") << QByteArrayLiteral("imap") << true;
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("utf-8") << QByteArray("v\xc3\xa4lue \xe2\x98\x83") << true;
        QTest::newRow("nul is valid utf-8") << QByteArray("a\0b", 3) << true;
        QTest::newRow("binary") << QByteArray::fromHex("00ff800a") << false;
        QTest::newRow("overlong") << QByteArray("\xc0\x80") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("truncated sequence") << QByteArray("\xe2\x98") << false;
    }
    void bytesBothWays()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, text);
        const QJsonValue v = jsonValueFromBytes(bytes);
        QCOMPARE(v.isString(), text);
        if (!text)
            QCOMPARE(v[QLatin1String("base64")].toString(), QString::fromLatin1(bytes.toBase64()));
        QCOMPARE(bytesFromJsonValue(v), std::optional(bytes));
    }
    void refusals()
    {
        QString error;
        QVERIFY(!bytesFromJsonValue(QJsonValue(1), &error));
        QVERIFY(error.contains(QLatin1String("expected a string")));
        QVERIFY(!bytesFromJsonValue(
            QJsonObject { { QStringLiteral("base64"), QStringLiteral("@@") } }, &error));
        QCOMPARE(error, QStringLiteral("invalid base64"));
        QVERIFY(!bytesFromJsonValue(
            QJsonObject { { QStringLiteral("hex"), QStringLiteral("00") } }, &error));
        QVERIFY(!bytesFromJsonValue(QJsonValue::Null));
        QVERIFY(!bytesFromJsonValue(QJsonValue(QString(QChar(0xd800))), &error));
        QVERIFY(error.contains(QLatin1String("unpaired surrogate")));
    }
};

QTEST_GUILESS_MAIN(TestJsonValue)
#include "tst_jsonvalue.moc"
