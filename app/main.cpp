// Entry point: headless subcommands run on QCoreApplication (no display
// needed); everything else is the window.
#include "app/commands.h"
#include "app/usage.h"
#include "app/version.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <cstring>

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

} // namespace

int main(int argc, char **argv)
{
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
    return runWindow(argc, argv);
}
