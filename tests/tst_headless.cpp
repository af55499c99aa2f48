// The headless forms never load the window's libraries (docs/DESIGN.md, "One command, two
// executables"): a running `shoal watch` (swim and Serf) has neither Qt Gui nor Widgets, their
// platform plugins nor QtKeychain mapped, and holds megabytes fewer resident pages than with
// the pages only its start-up touched kept (app/startuppages.h); the window form (`shoal
// --demo`), exec'd in the same process, still works.
#include "app/processmemory.h"
#include "app/startuppages.h"
#include "shoalrun.h"

#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace shoal;

using shoal::app::residentKiB;

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

// A peer that never answers: notes when a watch first reaches it (a datagram, or for Serf
// possibly a TCP push/pull first).
struct SilentPeer
{
    QUdpSocket udp;
    QTcpServer tcp;
    bool reached = false;

    // UDP and TCP on one port the OS picks for UDP; another process may hold that port for
    // TCP, so a few picks.
    bool listen()
    {
        bool bound = false;
        for (int attempt = 0; attempt < 20 && !bound; ++attempt) {
            udp.close();
            bound = udp.bind(QHostAddress::LocalHost, 0)
                && tcp.listen(QHostAddress::LocalHost, udp.localPort());
        }
        if (!bound)
            return false;
        QObject::connect(&udp, &QUdpSocket::readyRead, &udp, [this] { reached = true; });
        QObject::connect(&tcp, &QTcpServer::newConnection, &tcp, [this] { reached = true; });
        return true;
    }
    quint16 port() const { return udp.localPort(); }
};

QStringList watchArguments(const QString &protocol, quint16 port)
{
    QStringList arguments { QStringLiteral("watch"), QStringLiteral("--peer"),
        QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--duration"),
        QStringLiteral("30") };
    if (protocol == QLatin1String("serf"))
        arguments << QStringLiteral("--protocol") << QStringLiteral("serf");
    return arguments;
}

class HeadlessTest : public QObject
{
    Q_OBJECT

private slots:
    // A process of more than one thread is left alone: another thread could be loading a
    // library into what was read as read-only. (A test always has two: QTest's watchdog.)
    void trimStartupPagesNeedsOneThread()
    {
        std::mutex mutex;
        std::condition_variable released;
        bool release = false;
        std::thread other([&] {
            std::unique_lock<std::mutex> lock(mutex);
            released.wait(lock, [&] { return release; });
        });
        const qint64 before = residentKiB();
        QCOMPARE(app::trimStartupPages(), 0);
        QVERIFY(residentKiB() >= before);
        {
            const std::lock_guard<std::mutex> lock(mutex);
            release = true;
        }
        released.notify_one();
        other.join();
    }

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
        QProcessEnvironment environment = test::cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("s3cret"));
        // The same watch keeping the pages only its start-up touched (app/startuppages.h).
        QProcessEnvironment keeping = environment;
        keeping.insert(QStringLiteral("SHOAL_KEEP_STARTUP_PAGES"), QStringLiteral("1"));
        SilentPeer keptPeer;
        SilentPeer peer;
        QVERIFY(keptPeer.listen() && peer.listen());
        QProcess kept;
        kept.setProcessEnvironment(keeping);
        kept.start(test::shoalBinary(), watchArguments(protocol, keptPeer.port()));
        QProcess watch;
        watch.setProcessEnvironment(environment);
        watch.start(test::shoalBinary(), watchArguments(protocol, peer.port()));
        QVERIFY(kept.waitForStarted(10000) && watch.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(keptPeer.reached && peer.reached, 20000);

        // Both past their start-up: the trimmed one holds megabytes fewer pages.
        const qint64 keptKiB = residentKiB(kept.processId());
        const qint64 trimmedKiB = residentKiB(watch.processId());
        QVERIFY2(trimmedKiB > 0 && trimmedKiB < keptKiB - 2048,
            qPrintable(QStringLiteral("RSS %1 KiB, %2 KiB with the start-up pages kept")
                           .arg(trimmedKiB)
                           .arg(keptKiB)));
        kept.terminate();
        QVERIFY(kept.waitForFinished(10000));

        const QStringList files = mappedFiles(watch.processId());
        // The check can see a library: Qt Core is there.
        QVERIFY2(
            files.filter(QStringLiteral("libQt6Core")).size() == 1, qPrintable(files.join(u'\n')));
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
        const test::Run run = test::runShoal(
            { QStringLiteral("--demo"), QStringLiteral("2"), QStringLiteral("--screenshot"), shot,
                QStringLiteral("--screenshot-delay"), QStringLiteral("1") },
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
