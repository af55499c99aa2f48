// The shared text helpers: values as text or hex, hex parsing, key validity, relative times.
#include "model/valuetext.h"

#include <QTest>

using namespace shoal;

class TestValueText final : public QObject
{
    Q_OBJECT
private slots:
    void tooltipsAreEscapedAndWrapped()
    {
        // Markup from a peer shows as typed; a long token without blanks is broken anyway.
        const QString token(200, QLatin1Char('x'));
        const QString tip = tooltipText(QStringLiteral("<b>bold</b> ") + token, 72);
        QVERIFY(tip.contains(QLatin1String("&lt;b&gt;bold&lt;/b&gt;")));
        QVERIFY(!tip.contains(QLatin1String("<b>")));
        QVERIFY(tip.startsWith(QLatin1String("<p"))); // rich text: Qt keeps the breaks
        const QString inner = tip.section(QLatin1Char('>'), 1).section(QLatin1String("</p"), 0, 0);
        const QStringList lines = inner.split(QStringLiteral("<br>"));
        QVERIFY(lines.size() >= 3);
        qsizetype total = 0;
        for (const QString &line : lines) {
            const QString plain = QString(line)
                                      .replace(QLatin1String("&lt;"), QLatin1String("<"))
                                      .replace(QLatin1String("&gt;"), QLatin1String(">"))
                                      .replace(QLatin1String("&amp;"), QLatin1String("&"));
            QVERIFY2(plain.size() <= 72, qPrintable(plain));
            total += plain.count(QLatin1Char('x'));
        }
        QCOMPARE(total, 200); // nothing lost
        // Line breaks of the text stay.
        QCOMPARE(tooltipText(QStringLiteral("a\nb")).count(QStringLiteral("<br>")), 1);
    }

    void textOrHex()
    {
        QVERIFY(isTextValue(QByteArray("imap")));
        QVERIFY(isTextValue(QByteArray("h\xc3\xa9llo\tworld\n")));
        QVERIFY(isTextValue(QByteArray()));
        QVERIFY(!isTextValue(QByteArray("\xff\xfe")));
        QVERIFY(!isTextValue(QByteArray("a\0b", 3))); // NUL is a control
        QVERIFY(!isTextValue(QByteArray("\xc3"))); // truncated sequence
        QVERIFY(!isTextValue(QByteArray("\xe2\x80\xae"))); // RIGHT-TO-LEFT OVERRIDE hides text
        QVERIFY(!isTextValue(QByteArray("\xed\xa0\x80"))); // an encoded surrogate is not UTF-8
        QCOMPARE(displayValue(QByteArray("imap")), QStringLiteral("imap"));
        QCOMPARE(displayValue(QByteArray::fromHex("00ff10")), QStringLiteral("0x00ff10"));
        QCOMPARE(displayValue(QByteArray()), QStringLiteral("(empty)"));
        QCOMPARE(displayValue(QByteArray("a\nb")), QStringLiteral("a\u21b5b"));
    }

    void longValuesAreCut()
    {
        const QString text = displayValue(QByteArray(10000, 'x'), 20);
        QCOMPARE(text.size(), 20);
        QVERIFY(text.endsWith(QChar(0x2026)));
        const QString hex = displayValue(QByteArray(1 << 20, '\0'), 20);
        QCOMPARE(hex.size(), 20);
        QVERIFY(hex.startsWith(QStringLiteral("0x0000")));
    }

    void hexRoundTrip()
    {
        QCOMPARE(hexValue(QByteArray::fromHex("00ff1a")), QStringLiteral("00 ff 1a"));
        QCOMPARE(parseHexValue(QStringLiteral("00 ff 1a")),
            std::optional(QByteArray::fromHex("00ff1a")));
        QCOMPARE(parseHexValue(QStringLiteral("0x00:FF-1a")),
            std::optional(QByteArray::fromHex("00ff1a")));
        QCOMPARE(parseHexValue(QString()), std::optional(QByteArray()));
        QCOMPARE(parseHexValue(QStringLiteral("abc")), std::nullopt);
        QCOMPARE(parseHexValue(QStringLiteral("zz")), std::nullopt);
    }

    void keys()
    {
        QVERIFY(isValidKey(QStringLiteral("admin")));
        QVERIFY(isValidKey(QStringLiteral("cl\u00e9")));
        QVERIFY(!isValidKey(QString()));
        QVERIFY(!isValidKey(QString(QChar(0xdc00))));
    }

    void relativeTimes()
    {
        const QDateTime now(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        QCOMPARE(relativeTime(now, now), QStringLiteral("now"));
        QCOMPARE(relativeTime(now.addSecs(-12), now), QStringLiteral("12 s ago"));
        QCOMPARE(relativeTime(now.addSecs(-185), now), QStringLiteral("3 min ago"));
        QCOMPARE(relativeTime(now.addSecs(-7200), now), QStringLiteral("2 h ago"));
        QCOMPARE(relativeTime(now.addDays(-4), now), QStringLiteral("4 d ago"));
        QCOMPARE(relativeTime(QDateTime(), now), QStringLiteral("never"));
        QCOMPARE(relativeTime(now.addSecs(5), now), QStringLiteral("now")); // clock skew
    }

    // Every C0 and C1 control, DEL, bidi control, zero-width and separator character, and a
    // lone surrogate comes out escaped: none reaches a terminal raw.
    void printableTextEscapesControls()
    {
        QList<char32_t> hostile;
        for (char32_t c = 0; c < 0x20; ++c)
            hostile << c;
        for (char32_t c = 0x7f; c < 0xa0; ++c)
            hostile << c;
        for (char32_t c = 0x202a; c <= 0x202e; ++c)
            hostile << c;
        for (char32_t c = 0x2066; c <= 0x2069; ++c)
            hostile << c;
        hostile << 0x200e << 0x200f << 0x061c << 0x200b << 0x2028 << 0x2029 << 0xfeff << 0xe0001;
        QString all;
        for (const char32_t c : std::as_const(hostile)) {
            // (fromUcs4 would drop a leading U+FEFF as a byte order mark)
            const QString one
                = c < 0x10000 ? QString(QChar(char16_t(c))) : QString::fromUcs4(&c, 1);
            const QString printed = printableText(QStringLiteral("a") + one + QStringLiteral("b"));
            QVERIFY2(!printed.contains(one), qPrintable(QString::number(uint(c), 16)));
            QVERIFY2(printed.startsWith(QStringLiteral("a\\")), qPrintable(printed));
            all += one;
        }
        QCOMPARE(printableText(QStringLiteral("\x1b[31m\n")), QStringLiteral("\\x1b[31m\\x0a"));
        QCOMPARE(printableText(QStringLiteral("\u202e")), QStringLiteral("\\u202e"));
        QCOMPARE(printableText(QStringLiteral("a\\b")), QStringLiteral("a\\\\b"));
        // Lone surrogates, both halves; a valid pair is kept.
        const QChar lone[] = { QChar(0xd800), QChar(u'x'), QChar(0xdc00) };
        QCOMPARE(printableText(QString(lone, 3)), QStringLiteral("\\ud800x\\udc00"));
        const QString pair = QString::fromUcs4(U"\U0001F600", 1);
        QCOMPARE(printableText(pair), pair);
        // Only printable characters in the result, whatever came in.
        const QString printed = printableText(all);
        for (const QChar ch : printed)
            QVERIFY2(ch.unicode() >= 0x20 && ch.unicode() < 0x7f, qPrintable(printed));
        // Plain text, accents and CJK stay as they are.
        QCOMPARE(printableText(QStringLiteral("caf\u00e9 \u6771\u4eac 127.0.0.1:7946")),
            QStringLiteral("caf\u00e9 \u6771\u4eac 127.0.0.1:7946"));
    }

    void printableTextIsCut()
    {
        const QString huge(200000, QLatin1Char('x'));
        const QString cut = printableText(huge, 80);
        QCOMPARE(cut.size(), 80);
        QVERIFY(cut.endsWith(QChar(0x2026)));
        const QString controls(1000, QChar(0x1b));
        QVERIFY(printableText(controls, 64).size() <= 64);
        QCOMPARE(printableText(QStringLiteral("short"), 80), QStringLiteral("short"));
    }

    void tooltipsArePlain()
    {
        QVERIFY(tooltipText(QStringLiteral("127.0.0.1:1")).contains(QStringLiteral("127.0.0.1:1")));
        const QString tip = tooltipText(QStringLiteral("<img src=x><b>bold</b>"));
        QVERIFY(!tip.contains(QStringLiteral("<b>")));
        QVERIFY(!tip.contains(QStringLiteral("<img")));
        QVERIFY(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;")));
    }
};

QTEST_GUILESS_MAIN(TestValueText)
#include "tst_valuetext.moc"
