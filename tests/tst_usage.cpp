// Usage errors (issue 13, defect 1): every one is found without a display, exits 2 with one line
// naming the offending word and the nearest form or option; Qt's own options reach Qt.
#include "app/clusteroptions.h"
#include "app/usage.h"
#include "tests/shoalrun.h"

#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

using namespace shoal::app;
using namespace shoal::test;

namespace {

// No display at all: neither an X server nor a platform chosen for us.
QProcessEnvironment headlessEnvironment()
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return environment;
}

} // namespace

class TestUsage final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFileInfo::exists(shoalBinary()), "the shoal binary is built"); }

    void editDistance_()
    {
        QCOMPARE(editDistance(QStringLiteral("membrs"), QStringLiteral("members")), 1);
        QCOMPARE(editDistance(QString(), QStringLiteral("abc")), 3);
        QCOMPARE(editDistance(QStringLiteral("kitten"), QStringLiteral("sitting")), 3);
        QCOMPARE(editDistance(QStringLiteral("wacth"), QStringLiteral("watch")), 1);
    }

    void nearest()
    {
        QCOMPARE(nearestWord(QStringLiteral("membrs"), formNames()), QStringLiteral("members"));
        QCOMPARE(nearestWord(QStringLiteral("member"), formNames()), QStringLiteral("members"));
        QCOMPARE(nearestWord(QStringLiteral("wacth"), formNames()), QStringLiteral("watch"));
        QCOMPARE(nearestWord(QStringLiteral("xyzzy"), formNames()), QString());
        const QStringList options { QStringLiteral("-v"), QStringLiteral("--version"),
            QStringLiteral("--peer"), QStringLiteral("--json") };
        QCOMPARE(nearestWord(QStringLiteral("-V"), options), QStringLiteral("-v"));
        QCOMPARE(nearestWord(QStringLiteral("--jsn"), options), QStringLiteral("--json"));
        QCOMPARE(nearestWord(QStringLiteral("--peers"), options), QStringLiteral("--peer"));
    }

    void parseNamesTheWord_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        const QString p = QStringLiteral("shoal");
        QTest::newRow("value is an option") << QStringList {
            p, QStringLiteral("--peer"), QStringLiteral("--secret-file"), QStringLiteral("f")
        } << QStringLiteral("--peer needs a value, but the next word is the option --secret-file");
        QTest::newRow("unknown option")
            << QStringList { p, QStringLiteral("--jsn") }
            << QStringLiteral("unknown option --jsn; did you mean --json?");
        QTest::newRow("form after an option")
            << QStringList { p, QStringLiteral("--json"), QStringLiteral("members") }
            << QStringLiteral("the form members comes first: shoal members [OPTIONS]");
        QTest::newRow("stray word")
            << QStringList { p, QStringLiteral("--peer"), QStringLiteral("h:1"),
                   QStringLiteral("stray") }
            << QStringLiteral("the word after --peer's value belongs to no option (not shown: it "
                              "may be a secret that lost its option); every value follows its "
                              "option, e.g. --secret-file PATH");
        QTest::newRow("word after a secret is not echoed")
            << QStringList { p, QStringLiteral("--secret"), QStringLiteral("s3"),
                   QStringLiteral("cr3t") }
            << QStringLiteral("the word after --secret's value belongs to no option (not shown: "
                              "it may be a secret that lost its option); every value follows its "
                              "option, e.g. --secret-file PATH");
        QTest::newRow("first word")
            << QStringList { p, QStringLiteral("cr3t"), QStringLiteral("--json") }
            << QStringLiteral("the first word belongs to no option (not shown: it may be a secret "
                              "that lost its option); every value follows its option, e.g. "
                              "--secret-file PATH");
        QTest::newRow("after a flag")
            << QStringList { p, QStringLiteral("--json"), QStringLiteral("cr3t") }
            << QStringLiteral("the word after --json belongs to no option (not shown: it may be a "
                              "secret that lost its option); every value follows its option, e.g. "
                              "--secret-file PATH");
        QTest::newRow("typo of a form")
            << QStringList { p, QStringLiteral("--json"), QStringLiteral("membrs") }
            << QStringLiteral("\"membrs\" belongs to no option; did you mean the form members? "
                              "(forms come first: shoal members [OPTIONS])");
        QTest::newRow("missing value") << QStringList { p, QStringLiteral("--peer") }
                                       << QStringLiteral("Missing value after '--peer'.");
    }
    void parseNamesTheWord()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        QCommandLineParser parser;
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        parser.addHelpOption();
        addClusterOptions(parser);
        QString got;
        QVERIFY(!parseArguments(parser, arguments, &got));
        QCOMPARE(got, error);
        QVERIFY(!got.contains(QStringLiteral("cr3t")));
        // and a good command line still parses, values and all
        QVERIFY(parseArguments(parser,
            { p(), QStringLiteral("--peer"), QStringLiteral("h:1"), QStringLiteral("--json") },
            &got));
        QCOMPARE(parser.value(QStringLiteral("peer")), QStringLiteral("h:1"));
    }

    void qtOptionsGoToQt()
    {
        QStringList qt;
        const QStringList rest = takeQtOptions(
            { QStringLiteral("shoal"), QStringLiteral("-style"), QStringLiteral("fusion"),
                QStringLiteral("--platform=offscreen"), QStringLiteral("-reverse"),
                QStringLiteral("--name"), QStringLiteral("h:1"), QStringLiteral("-stylesheet"),
                QStringLiteral("a.qss") },
            &qt);
        QCOMPARE(rest,
            QStringList(
                { QStringLiteral("shoal"), QStringLiteral("--name"), QStringLiteral("h:1") }));
        QCOMPARE(qt,
            QStringList(
                { QStringLiteral("-style"), QStringLiteral("fusion"), QStringLiteral("-platform"),
                    QStringLiteral("offscreen"), QStringLiteral("-reverse"),
                    QStringLiteral("-stylesheet"), QStringLiteral("a.qss") }));
    }

    // The executable, with no display: exit 2, one line on stderr naming the word, nothing on
    // stdout, no crash.
    void headlessUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("membrs") << QStringList { QStringLiteral("membrs") }
                                << QStringLiteral("unknown form \"membrs\"; did you mean members?");
        QTest::newRow("member") << QStringList { QStringLiteral("member"),
            QStringLiteral("--json") }
                                << QStringLiteral("unknown form \"member\"; did you mean members?");
        QTest::newRow("not a form, not echoed")
            << QStringList { QStringLiteral("xyzzy") }
            << QStringLiteral("the first word is neither a form (members, watch, serve, decode, "
                              "encode, history) nor an option (not shown");
        QTest::newRow("option before the form") << QStringList { QStringLiteral("--json"),
            QStringLiteral("members") } << QStringLiteral("the form members comes first");
        QTest::newRow("-V") << QStringList { QStringLiteral("-V") }
                            << QStringLiteral("unknown option -V; did you mean -v?");
        QTest::newRow("-V after Qt's -style") << QStringList { QStringLiteral("-style"),
            QStringLiteral("fusion"), QStringLiteral("-V") }
                                              << QStringLiteral("unknown option -V");
        QTest::newRow("window value is an option") << QStringList {
            QStringLiteral("--peer"), QStringLiteral("--secret-file"), QStringLiteral("f")
        } << QStringLiteral("--peer needs a value, but the next word is the option --secret-file");
        QTest::newRow("window stray word") << QStringList {
            QStringLiteral("--peer"), QStringLiteral("h:1"), QStringLiteral("stray")
        } << QStringLiteral("the word after --peer's value belongs to no option");
        QTest::newRow("window bad peer")
            << QStringList { QStringLiteral("--peer=foo") } << QStringLiteral("--peer");
        QTest::newRow("demo count") << QStringList { QStringLiteral("--demo"), QStringLiteral("0") }
                                    << QStringLiteral("--demo");
        QTest::newRow("base-port without demo")
            << QStringList { QStringLiteral("--base-port=20000") }
            << QStringLiteral("--base-port applies only with --demo");
        QTest::newRow("base-port too high") << QStringList {
            QStringLiteral("--demo"), QStringLiteral("3"), QStringLiteral("--base-port=65534")
        } << QStringLiteral("--base-port: \"65534\" leaves no room for 3 ports");
        QTest::newRow("members value is an option")
            << QStringList { QStringLiteral("members"), QStringLiteral("--peer"),
                   QStringLiteral("--secret-file"), QStringLiteral("f") }
            << QStringLiteral("shoal members: --peer needs a value, but the next word is the "
                              "option --secret-file");
        QTest::newRow("members typo option")
            << QStringList { QStringLiteral("members"), QStringLiteral("--max-wiat=1") }
            << QStringLiteral("unknown option --max-wiat; did you mean --max-wait?");
        QTest::newRow("watch stray")
            << QStringList { QStringLiteral("watch"), QStringLiteral("members") }
            << QStringLiteral("the form members comes first");
        QTest::newRow("decode typo")
            << QStringList { QStringLiteral("decode"), QStringLiteral("--secret-fil=x") }
            << QStringLiteral("unknown option --secret-fil; did you mean --secret-file?");
    }
    void headlessUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const Run run = runShoal(arguments, headlessEnvironment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(run.out.isEmpty(), run.out.constData());
    }

    // --help names shoal (not the build path) and points at the manual, for every form.
    void helpNamesShoal_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("usage");
        QTest::newRow("window") << QStringList { QStringLiteral("--help") }
                                << QStringLiteral("Usage: shoal [options]");
        for (const char *form : { "members", "watch", "serve", "decode" })
            QTest::newRow(form) << QStringList { QLatin1String(form), QStringLiteral("--help") }
                                << QStringLiteral("Usage: shoal %1").arg(QLatin1String(form));
    }
    void helpNamesShoal()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, usage);
        const Run run = runShoal(arguments, headlessEnvironment());
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(usage.toUtf8()), run.out.constData());
        QVERIFY(run.out.contains("man shoal"));
        QVERIFY(!run.out.contains(shoalBinary().toUtf8()));
        QVERIFY(!run.out.contains("source tree"));
    }

    // Qt's own -platform reaches Qt: with no display, the window runs on the platform given.
    void qtPlatformOptionReachesQt()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("w.png"));
        const Run run
            = runShoal({ QStringLiteral("--demo"), QStringLiteral("2"), QStringLiteral("-platform"),
                           QStringLiteral("offscreen"), QStringLiteral("-style"),
                           QStringLiteral("fusion"), QStringLiteral("--screenshot"), png,
                           QStringLiteral("--screenshot-delay"), QStringLiteral("0.2") },
                headlessEnvironment());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(QFileInfo::exists(png));
    }

    // --demo --base-port P: the demo's members take the ports given (a port in use says so).
    void demoTakesTheBasePort()
    {
        QUdpSocket taken;
        QVERIFY(taken.bind(QHostAddress::LocalHost, 0));
        const Run run
            = runShoal({ QStringLiteral("--demo"), QStringLiteral("1"), QStringLiteral("-platform"),
                           QStringLiteral("offscreen"), QStringLiteral("--base-port"),
                           QString::number(taken.localPort()) },
                headlessEnvironment());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QByteArray::number(taken.localPort())), run.err.constData());
    }

private:
    static QString p() { return QStringLiteral("shoal"); }
};

QTEST_GUILESS_MAIN(TestUsage)
#include "tst_usage.moc"
