// Entry point: headless subcommands run on QCoreApplication (no display
// needed); everything else is the window, which this executable neither links nor loads: it
// execs shoal-window in its place (docs/DESIGN.md, "One command, two executables").
#include "app/commands.h"
#include "app/startuppages.h"
#include "app/usage.h"
#include "app/version.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include <unistd.h>

namespace {

bool isHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (!std::strcmp(arg, "-h") || !std::strcmp(arg, "--help") || !std::strcmp(arg, "-v")
            || !std::strcmp(arg, "--version") || !std::strcmp(arg, "--help-all"))
            return true;
    }
    return false;
}

// SHOAL_STARTUP_TRACE=1: the window prints how long after this main() it painted first; the
// clock is read here, before any Qt, and handed on (CLOCK_MONOTONIC survives exec). A launcher
// that sets it to its own CLOCK_MONOTONIC nanoseconds (tests/bench/startup.py: the spawn) gets
// the time from there instead, the loading of the libraries included.
void markStartForTrace()
{
    const char *trace = std::getenv("SHOAL_STARTUP_TRACE");
    if (!trace || std::strtoll(trace, nullptr, 10) > 1)
        return;
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const long long ns = now.tv_sec * 1000000000LL + now.tv_nsec;
    setenv("SHOAL_STARTUP_TRACE", std::to_string(ns).c_str(), 1);
}

// Runs shoal-window in this process's place (same pid, arguments and environment): installed
// under libexec/shoal/, or beside this executable in the build folder. Returns only on failure.
int execWindow(char **argv)
{
    char self[PATH_MAX] = {};
    const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = length > 0 ? std::string(self, size_t(length)) : std::string();
    const std::string::size_type slash = dir.rfind('/');
    dir.resize(slash == std::string::npos ? 0 : slash);
    const std::string installed = dir + "/" SHOAL_WINDOW_FROM_BINDIR "/shoal-window";
    execv(installed.c_str(), argv);
    int error = errno;
    if (error == ENOENT) {
        execv((dir + "/shoal-window").c_str(), argv);
        if (errno != ENOENT)
            error = errno;
    }
    QTextStream(stderr) << "shoal: cannot start the window (" << installed.c_str()
                        << "): " << std::strerror(error) << Qt::endl;
    return shoal::app::ExitRuntime;
}

} // namespace

int main(int argc, char **argv)
{
    markStartForTrace();
    using namespace shoal::app;
    const QString subcommand = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    using Runner = int (*)(const QStringList &);
    struct Entry
    {
        const char *name;
        Runner run;
    };
    static const Entry headless[] = {
        { "members", runMembers },
        { "watch", runWatch },
        { "serve", runServe },
        { "history", runHistory },
        { "decode", runDecode },
        { "encode", runEncode },
    };
    for (const Entry &entry : headless) {
        if (subcommand == QLatin1String(entry.name)) {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("shoal"));
            QCoreApplication::setApplicationVersion(QStringLiteral(SHOAL_VERSION));
            // Still one thread, every library loaded: what only the loading touched goes.
            if (!qEnvironmentVariableIsSet("SHOAL_KEEP_STARTUP_PAGES"))
                trimStartupPages();
            return entry.run(QCoreApplication::arguments());
        }
    }
    if (!subcommand.isEmpty() && !subcommand.startsWith(QLatin1Char('-'))) {
        // The window takes options only: a first word that is no form is a typo of one. Said
        // before any application object exists, so without a display.
        const QString near = nearestWord(subcommand, formNames());
        QTextStream err(stderr);
        // Not echoed unless a typo of a form: it may be a secret that lost its option.
        if (!near.isEmpty())
            err << "shoal: unknown form \"" << subcommand << "\"; did you mean " << near << "?";
        else
            err << "shoal: the first word is neither a form ("
                << formNames().join(QStringLiteral(", "))
                << ") nor an option (not shown: it may be a secret that lost its option)";
        err << Qt::endl;
        return ExitUsage;
    }
    if (isHelpOrVersion(argc, argv)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("shoal"));
        QCoreApplication::setApplicationVersion(versionText()); // --version prints it
        return runWindowHelp(QCoreApplication::arguments());
    }
    return execWindow(argv);
}
