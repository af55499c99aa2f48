// Colours come from the palette and read at >= 4.5:1 in a light and a dark theme (issue 13,
// defect 7): status colours on the window, base and buttons; tone text on tone fills; and a
// window rendered in each palette.
#include "model/itemroles.h"
#include "ui/mainwindow.h"
#include "ui/palettecolors.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

using namespace shoal;
using namespace shoal::ui;

namespace {

QPalette lightPalette()
{
    QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    const QPalette palette = fusion->standardPalette();
    delete fusion;
    return palette;
}

QPalette darkPalette()
{
    return referenceDarkPalette();
}

} // namespace

class TestContrast final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void ratio()
    {
        QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white)), 21);
        QCOMPARE(contrastRatio(Qt::white, Qt::white), 1.0);
        // The old hard-coded grey on a dark base: the defect's 2.5:1.
        QVERIFY(contrastRatio(QColor(0x5f, 0x63, 0x68), QColor(0x1e, 0x1e, 0x1e)) < 4.5);
    }

    void readableInBothThemes_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << lightPalette() << false;
        QTest::newRow("dark") << darkPalette() << true;
    }
    void readableInBothThemes()
    {
        QFETCH(QPalette, palette);
        QFETCH(bool, dark);
        QCOMPARE(isDarkPalette(palette), dark);
        for (const MemberStatus status : kAllMemberStatuses) {
            const QColor color = statusColor(status, palette);
            for (const auto role :
                { QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::Button }) {
                const double ratio = contrastRatio(color, palette.color(role));
                QVERIFY2(ratio >= 4.5,
                    qPrintable(QStringLiteral("%1 on role %2: %3")
                                   .arg(memberStatusName(status))
                                   .arg(int(role))
                                   .arg(ratio)));
            }
        }
        for (const Tone tone : { Tone::Good, Tone::Warning, Tone::Bad, Tone::Highlight }) {
            const QColor background = toneBackground(tone, palette);
            QVERIFY(background.isValid());
            // A fill that keeps to the theme: dark fills in a dark theme.
            QCOMPARE(isDarkPalette(palette),
                relativeLuminance(background) < relativeLuminance(palette.color(QPalette::Text)));
            const double ratio = contrastRatio(toneForeground(tone, palette), background);
            QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
            // The view's ordinary text stays readable on the fill too.
            QVERIFY(contrastRatio(palette.color(QPalette::Text), background) >= 4.5);
        }
        const QColor muted = toneForeground(Tone::Muted, palette);
        QVERIFY(contrastRatio(muted, palette.color(QPalette::Base)) >= 4.5);
        QVERIFY(contrastRatio(muted, palette.color(QPalette::AlternateBase)) >= 4.5);
    }

    // The window renders in either palette, its cells taking the palette's tones.
    void windowRendersInBothThemes()
    {
        for (const QPalette &palette : { lightPalette(), darkPalette() }) {
            QApplication::setPalette(palette);
            MainWindow window;
            window.resize(800, 500);
            const QImage image = window.grab().toImage();
            QVERIFY(!image.isNull());
            QCOMPARE(toneColor(Tone::Bad, Qt::BackgroundRole).value<QColor>(),
                toneBackground(Tone::Bad, palette));
        }
    }
};

QTEST_MAIN(TestContrast)
#include "tst_contrast.moc"
