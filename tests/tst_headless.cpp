// The headless forms never load the window's libraries (docs/DESIGN.md, "One command, two
// executables"): a running `shoal watch` (swim and Serf) has neither Qt Gui nor Widgets, their
// platform plugins nor QtKeychain mapped, while the window form (`shoal --demo`), exec'd in the
// same process, still works.
#include "shoalrun.h"

#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>


using namespace shoal;

namespace {

// The libraries only the window needs: a headless form that maps one of them regressed.
const char *const kWindowOnly[] = { "libQt6Gui", "libQt6Widgets", "libQt6XcbQpa", "/platforms/",
    "libqt6keychain", "libQt6DBus", "libxcb", "libGL", "libfontconfig", "libfreetype" };

// The shared objects process pid has mapped, one path per line, read from /proc/PID/maps.
QStringList mappedFiles(qint64 pid)
{
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    if (!maps.open(QIODevice::ReadOnly))
        return {};
    QStringList files;
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const qsizetype slash = line.indexOf('/');
        if (slash < 0)
            continue;
        const QString file = QString::fromLocal8Bit(line.mid(slash));
        if (!files.contains(file))
            files.append(file);
    }
    return files;
}

} // namespace

class HeadlessTest : public QObject
{
    Q_OBJECT

private slots:
    void watchMapsNoWindowLibrary_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("swim") << QStringLiteral("swim");
        QTest::newRow("serf") << QStringLiteral("serf");
    }

    // The watch runs until it has reached out to its peer (a datagram, or for Serf possibly a
    // TCP push/pull first): by then it has loaded all it needs to observe a cluster.
    void watchMapsNoWindowLibrary()
    {
        QFETCH(QString, protocol);
        QUdpSocket peer;
        QVERIFY(peer.bind(QHostAddress::LocalHost, 0));
        QTcpServer peerTcp;
        QVERIFY(peerTcp.listen(QHostAddress::LocalHost, peer.localPort()));
        bool reached = false;
        connect(&peer, &QUdpSocket::readyRead, this, [&reached] { reached = true; });
        connect(&peerTcp, &QTcpServer::newConnection, this, [&reached] { reached = true; });

        QProcess watch;
        watch.setProcessEnvironment(test::cleanEnvironment());
        QStringList arguments { QStringLiteral("watch"), QStringLiteral("--peer"),
            QStringLiteral("127.0.0.1:%1").arg(peer.localPort()), QStringLiteral("--duration"),
            QStringLiteral("30") };
        if (protocol == QLatin1String("serf"))
            arguments << QStringLiteral("--protocol") << QStringLiteral("serf");
        else
            arguments << QStringLiteral("--secret") << QStringLiteral("s3cret");
        watch.start(test::shoalBinary(), arguments);
        QVERIFY(watch.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(reached, 20000);

        const QStringList files = mappedFiles(watch.processId());
        // The check can see a library: Qt Core is there.
        QVERIFY2(files.filter(QStringLiteral("libQt6Core")).size() == 1,
            qPrintable(files.join(u'\n')));
        for (const char *library : kWindowOnly) {
            const QStringList found = files.filter(QLatin1String(library));
            QVERIFY2(found.isEmpty(),
                qPrintable(QStringLiteral("shoal watch (%1) maps %2")
                               .arg(protocol, found.join(QStringLiteral(", ")))));
        }
        watch.terminate();
        QVERIFY(watch.waitForFinished(10000));
    }

    // The window form runs shoal-window in shoal's place: same process, a window that paints.
    void windowFormStillRuns()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString shot = dir.filePath(QStringLiteral("demo.png"));
        QProcessEnvironment environment = test::cleanEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        environment.insert(QStringLiteral("SHOAL_STARTUP_TRACE"), QStringLiteral("1"));
        const test::Run run = test::runShoal({ QStringLiteral("--demo"), QStringLiteral("2"),
                                                 QStringLiteral("--screenshot"), shot,
                                                 QStringLiteral("--screenshot-delay"),
                                                 QStringLiteral("1") },
            environment);
        QVERIFY2(run.exitCode == 0, run.all().constData());
        QVERIFY(QFile::exists(shot));
        // The startup trace counts from shoal's main() across the exec.
        QVERIFY2(run.err.contains("shoal: startup: ") && run.err.contains(" ms first paint"),
            run.err.constData());
    }
};

QTEST_GUILESS_MAIN(HeadlessTest)
#include "tst_headless.moc"
