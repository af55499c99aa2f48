// What the installed package promises, checked against the built binary: `shoal --version`
// prints the version and the protocols; every option and environment variable that a form's
// --help prints, and every one docs/CLI.md names, is in the manual page (packaging/shoal.1.in);
// every option is in the bash completion; the manual page lists every exit status; the
// AppStream screenshots are the README's.
#include "app/commands.h"
#include "net/swim/codec.h"
#include "tests/shoalrun.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace shoal::test;

namespace {

const QString kSourceDir = QStringLiteral(SHOAL_SOURCE_DIR);

QString readText(const QString &relativePath)
{
    QFile file(kSourceDir + QLatin1Char('/') + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// The manual page's text with roff's escaped hyphens ("\-") as plain ones.
QString manPage()
{
    return readText(QStringLiteral("packaging/shoal.1.in"))
        .replace(QStringLiteral("\\-"), QStringLiteral("-"));
}

// `word` in `text` as a whole word: no letter, digit or hyphen right before or after it, so
// --secret is not found inside --secret-file.
bool containsWord(const QString &text, const QString &word)
{
    const QRegularExpression pattern(
        QStringLiteral("(?<![\\w-])%1(?![\\w-])").arg(QRegularExpression::escape(word)));
    return pattern.match(text).hasMatch();
}

// The options a --help text lists ("  -h, --help", "  --name <HOST:PORT>  ...").
QStringList helpOptions(const QString &help)
{
    QStringList options;
    static const QRegularExpression line(
        QStringLiteral("^  (?:(-\\w), )?(--[\\w-]+)"), QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(help); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (!match.captured(1).isEmpty())
            options << match.captured(1);
        options << match.captured(2);
    }
    return options;
}

const QStringList kForms
    = { QString(), QStringLiteral("members"), QStringLiteral("watch"), QStringLiteral("serve"),
          QStringLiteral("decode"), QStringLiteral("encode"), QStringLiteral("history") };

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT

private slots:
    void sourcesFound()
    {
        QVERIFY2(manPage().contains(QStringLiteral(".TH SHOAL 1")), qPrintable(kSourceDir));
        QVERIFY(!readText(QStringLiteral("packaging/shoal.bash-completion")).isEmpty());
        QVERIFY(!readText(QStringLiteral("docs/CLI.md")).isEmpty());
    }

    void versionNamesTheProtocols()
    {
        const Run run = runShoal({ QStringLiteral("--version") });
        QCOMPARE(run.exitCode, 0);
        const QByteArray expected = QByteArray("shoal " SHOAL_VERSION "\nprotocols: swim-protocol ")
            + shoal::swim::Codec::defaultVersion() + ", serf 0.9.4 (memberlist 0.2.2)\n";
        QCOMPARE(run.out, expected);
    }

    void helpOptionsAreDocumented_data()
    {
        QTest::addColumn<QString>("form");
        for (const QString &form : kForms)
            QTest::newRow(form.isEmpty() ? "window" : qPrintable(form)) << form;
    }

    void helpOptionsAreDocumented()
    {
        QFETCH(QString, form);
        QStringList arguments;
        if (!form.isEmpty())
            arguments << form;
        arguments << QStringLiteral("--help");
        const Run run = runShoal(arguments);
        QCOMPARE(run.exitCode, 0);
        const QString help = QString::fromUtf8(run.out);
        const QStringList options = helpOptions(help);
        QVERIFY2(options.contains(QStringLiteral("--help")), run.all().constData());

        const QString man = manPage();
        const QString completion = readText(QStringLiteral("packaging/shoal.bash-completion"));
        if (!form.isEmpty()) {
            QVERIFY2(containsWord(man, QStringLiteral("shoal ") + form), qPrintable(form));
            QVERIFY2(containsWord(completion, form), qPrintable(form));
        }
        for (const QString &option : options) {
            QVERIFY2(containsWord(man, option),
                qPrintable(
                    QStringLiteral("shoal.1.in lacks %1 (shoal %2 --help)").arg(option, form)));
            QVERIFY2(containsWord(completion, option),
                qPrintable(QStringLiteral("shoal.bash-completion lacks %1 (shoal %2 --help)")
                               .arg(option, form)));
        }
        static const QRegularExpression environment(QStringLiteral("\\bSWIM_[A-Z_]+\\b"));
        for (auto it = environment.globalMatch(help); it.hasNext();) {
            const QString name = it.next().captured();
            QVERIFY2(containsWord(man, QStringLiteral(".B ") + name),
                qPrintable(QStringLiteral("shoal.1.in lacks %1 under ENVIRONMENT").arg(name)));
        }
    }

    void cliContractIsInTheManPage()
    {
        const QString cli = readText(QStringLiteral("docs/CLI.md"));
        const QString man = manPage();
        static const QRegularExpression word(
            QStringLiteral("(?<![\\w-])(--[a-z][\\w-]*|SWIM_[A-Z_]+)"));
        QSet<QString> seen;
        for (auto it = word.globalMatch(cli); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (seen.contains(name))
                continue;
            seen.insert(name);
            QVERIFY2(containsWord(man, name),
                qPrintable(QStringLiteral("shoal.1.in lacks %1 (docs/CLI.md)").arg(name)));
        }
        QVERIFY(seen.size() > 20);
    }

    void everyExitStatusIsInTheManPage()
    {
        using namespace shoal::app;
        const QString man = manPage();
        const qsizetype section = man.indexOf(QStringLiteral(".SH EXIT STATUS"));
        QVERIFY(section >= 0);
        const QString exitStatus
            = man.mid(section, man.indexOf(QStringLiteral(".SH"), section + 1) - section);
        for (const int status : { ExitOk, ExitRuntime, ExitUsage, ExitNoMembers, ExitIncomplete }) {
            QVERIFY2(exitStatus.contains(QStringLiteral("\n.B %1\n").arg(status)),
                qPrintable(QStringLiteral("shoal.1.in lacks exit status %1").arg(status)));
        }
    }

    // The AppStream screenshots are the README's current ones: each is shown by the README and
    // exists in docs/screenshots.
    void metainfoScreenshotsAreTheReadmes()
    {
        const QString cmake = readText(QStringLiteral("packaging/CMakeLists.txt"));
        const qsizetype start = cmake.indexOf(QStringLiteral("set(SHOAL_SCREENSHOTS"));
        QVERIFY(start >= 0);
        const QString list = cmake.mid(start, cmake.indexOf(u')', start) - start);
        static const QRegularExpression file(QStringLiteral("\"([\\w.-]+\\.png)\""));
        const QString readme = readText(QStringLiteral("README.md"));
        int count = 0;
        for (auto it = file.globalMatch(list); it.hasNext(); ++count) {
            const QString name = it.next().captured(1);
            QVERIFY2(readme.contains(QStringLiteral("](docs/screenshots/%1)").arg(name)),
                qPrintable(name + QStringLiteral(" is not shown by README.md")));
            QVERIFY2(QFile::exists(kSourceDir + QStringLiteral("/docs/screenshots/") + name),
                qPrintable(name));
        }
        QVERIFY(count >= 4);
    }
};

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
