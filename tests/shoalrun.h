// Runs the built shoal executable from a test, as a user's shell would, with no SWIM_* settings
// of the host leaking in. Shared by the tests of the command-line forms.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUdpSocket>

#include <functional>

namespace shoal::test {

inline QString shoalBinary()
{
    return QFileInfo(QCoreApplication::applicationDirPath() + QStringLiteral("/../app/shoal"))
        .canonicalFilePath();
}

// The environment without SWIM_* variables, so the host's settings cannot leak in, in English,
// and with the history in a folder of this test's own (removed at its end), never the user's.
inline QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys()) {
        if (key.startsWith(QStringLiteral("SWIM_")))
            environment.remove(key);
    }
    // The window's texts in English (the source language), whatever the machine's language.
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("C"));
    static const QTemporaryDir historyFolder;
    environment.insert(QStringLiteral("SHOAL_HISTORY_FILE"),
        historyFolder.filePath(QStringLiteral("history.sqlite")));
    return environment;
}

// A port on 127.0.0.1 free for UDP and TCP alike, as the OS picks it (a member binds both: a
// port another process holds for TCP made watch fail with "cannot listen on TCP"). Released at
// once: a small window remains in which another process could take it. 0 when none was found.
inline quint16 freeMemberPort()
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        QUdpSocket udp;
        if (!udp.bind(QHostAddress::LocalHost, 0))
            continue;
        QTcpServer tcp;
        if (tcp.listen(QHostAddress::LocalHost, udp.localPort()))
            return udp.localPort();
    }
    return 0;
}

struct Run
{
    int exitCode = -1; // -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
    QByteArray all() const { return out + err; }
};

// Runs shoal to completion while this test's event loop keeps running (in-process members
// keep answering). An empty environment means cleanEnvironment().
inline Run runShoal(const QStringList &arguments, const QProcessEnvironment &environment = {},
    const QByteArray &input = {}, const std::function<void()> &whileRunning = {},
    int timeoutMs = 60000)
{
    QProcess process;
    process.setProcessEnvironment(environment.isEmpty() ? cleanEnvironment() : environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(shoalBinary(), arguments);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (whileRunning)
        whileRunning();
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace shoal::test
