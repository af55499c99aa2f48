#include "app/windowoptions.h"

#include "app/clusteroptions.h"
#include "app/commands.h"
#include "app/console.h"
#include "app/metricsserver.h"
#include "app/usage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace shoal::app {

void describeWindow(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Shoal: a live monitor for swim-protocol (pymap) clusters.\n\n"
        "Forms:\n"
        "  shoal [OPTIONS]              the window; joins at once with --peer, else asks\n"
        "  shoal --demo [N] [OPTIONS]   the window on an embedded cluster of N members (default "
        "5)\n"
        "  shoal members [OPTIONS]      print every known member, then leave\n"
        "  shoal watch [OPTIONS]        print each change as it happens\n"
        "  shoal serve --nodes N        run N headless members on 127.0.0.1\n"
        "  shoal decode | encode        datagram hex <-> packet JSON on stdin/stdout\n"
        "  shoal history [OPTIONS]      the stored events of the joined clusters\n"
        "Run `shoal <form> --help` for the options of a form."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ QStringLiteral("demo"),
        QStringLiteral("Join an embedded cluster of N members on 127.0.0.1 "
                       "(N follows the option, default 5) whose `token` key "
                       "changes now and then.") });
    addClusterOptions(parser);
    parser.addOption({ QStringLiteral("base-port"),
        QStringLiteral("With --demo: its members on ports P..P+N-1 (default: OS-chosen)."),
        QStringLiteral("P") });
    parser.addOption({ QStringLiteral("hide-values"),
        QStringLiteral("Start with every metadata value hidden (View > Hide values; the choice "
                       "is remembered).") });
    parser.addOption(metricsListenOption());
    parser.addOption({ QStringLiteral("no-history"),
        QStringLiteral("Neither read nor record the cluster's history (shoal history; by "
                       "default the window opens with the last hour and records every event).") });
    // Hidden: measurement and documentation aids.
    const auto hidden = [](QCommandLineOption option) {
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        return option;
    };
    const QCommandLineOption measure = hidden({ QStringLiteral("measure-lag"),
        QStringLiteral("Print event-loop lag p50/p99/max and memory to "
                       "stderr after S seconds, then quit."),
        QStringLiteral("S") });
    const QCommandLineOption measureDelay = hidden({ QStringLiteral("measure-lag-delay"),
        QStringLiteral("Start measuring the lag only after S seconds (e.g. once a large "
                       "cluster's join burst is over)."),
        QStringLiteral("S"), QStringLiteral("0") });
    const QCommandLineOption shot = hidden({ QStringLiteral("screenshot"),
        QStringLiteral("Save the window as PNG after --screenshot-delay "
                       "seconds (default 5), then quit."),
        QStringLiteral("PATH") });
    const QCommandLineOption delay = hidden({ QStringLiteral("screenshot-delay"),
        QStringLiteral("Seconds."), QStringLiteral("S"), QStringLiteral("5") });
    const QCommandLineOption tab = hidden({ QStringLiteral("tab"),
        QStringLiteral("Open on this tab: members, values, local, events, timeline."),
        QStringLiteral("NAME") });
    const QCommandLineOption select = hidden({ QStringLiteral("select"),
        QStringLiteral("Select the member at this row of the members "
                       "table once it is shown."),
        QStringLiteral("ROW") });
    const QCommandLineOption dark = hidden({ QStringLiteral("dark-palette"),
        QStringLiteral("Use Shoal's reference dark palette (Fusion style): the dark "
                       "screenshots.") });
    parser.addOptions({ measure, measureDelay, shot, delay, tab, select, dark });
}

QStringList takeDemoCount(QStringList arguments, int *count, QString *error)
{
    *count = kDefaultDemoNodes;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == QLatin1String("--"))
            break;
        if (arg.startsWith(QLatin1String("--demo="))) {
            bool ok = false;
            *count = arg.mid(7).toInt(&ok);
            if (!ok || *count < 1 || *count > kMaxDemoNodes)
                *error = QStringLiteral("--demo: \"%1\" is not a member count from 1 to %2")
                             .arg(arg.mid(7))
                             .arg(kMaxDemoNodes);
            arguments[i] = QStringLiteral("--demo");
            break;
        }
        if (arg != QLatin1String("--demo"))
            continue;
        if (i + 1 < arguments.size() && !arguments.at(i + 1).startsWith(QLatin1Char('-'))) {
            bool ok = false;
            *count = arguments.at(i + 1).toInt(&ok);
            if (!ok || *count < 1 || *count > kMaxDemoNodes)
                *error = QStringLiteral("--demo: \"%1\" is not a member count from 1 to %2")
                             .arg(arguments.at(i + 1))
                             .arg(kMaxDemoNodes);
            arguments.removeAt(i + 1);
        }
        break;
    }
    return arguments;
}

int runWindowHelp(const QStringList &arguments)
{
    QCommandLineParser parser;
    describeWindow(parser);
    int count = 0;
    QString error;
    QStringList qtOptions;
    const QStringList list = takeDemoCount(takeQtOptions(arguments, &qtOptions), &count, &error);
    if (!parseArguments(parser, list, &error)) {
        standardError() << "shoal: " << error << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "shoal " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    QTextStream(stdout) << helpText(parser, QStringLiteral("shoal")) << Qt::flush;
    return ExitOk;
}

} // namespace shoal::app
