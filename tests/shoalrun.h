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
#include <QTemporaryDir>

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
    // The environment without SWIM_* variables, so the host's settings cannot leak in, in English,
    // and with the history in a folder of this test's own (removed at its end), never the user's.
    return environment;
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
