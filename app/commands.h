// The subcommands of the shoal executable (docs: README "Command line").
// Each takes the arguments after the program name and returns the exit status.
#pragma once

#include <QStringList>

namespace shoal::app {

enum ExitStatus : int {
    ExitOk = 0,
    ExitRuntime = 1,
    ExitUsage = 2,
    ExitNoMembers = 3,
    ExitIncomplete = 4
};

int runDecode(const QStringList &arguments);
int runEncode(const QStringList &arguments);
int runMembers(const QStringList &arguments);
int runWatch(const QStringList &arguments);
int runServe(const QStringList &arguments);
// `shoal history`: the stored events, headless.
int runHistory(const QStringList &arguments);
// The window (also --demo). Needs a QApplication.
int runWindow(int &argc, char **argv);
// `shoal --help`/`--version` without a display.
int runWindowHelp(const QStringList &arguments);

// One line of "why nobody answered": count refusals from source for reason, cause being the
// backend's plural phrase ("were refused (x)"). A reason starting "tcp-" counts TCP
// connections, not datagrams; one of them takes the singular verb.
QString rejectLine(quint64 count, const QString &source, const QString &reason, QString cause);

} // namespace shoal::app
