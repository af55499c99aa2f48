#include "app/commands.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

namespace shoal::app {

namespace {
void describeWindow(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Shoal: a live monitor for swim-protocol (pymap) clusters.\n\n"
        "Forms:\n"
        "  shoal [OPTIONS]              the window\n"
        "  shoal --demo [N] [OPTIONS]   the window on an embedded cluster of N members\n"
        "  shoal members [OPTIONS]      print every known member, then leave\n"
        "  shoal watch [OPTIONS]        print each change as it happens\n"
        "  shoal serve --nodes N        run N headless members on 127.0.0.1\n"
        "  shoal decode | encode        datagram hex <-> packet JSON on stdin/stdout\n"
        "Run `shoal <form> --help` for the options of a form."));
    parser.addHelpOption();
    parser.addVersionOption();
}
} // namespace

int runWindowHelp(const QStringList &arguments)
{
    QCommandLineParser parser;
    describeWindow(parser);
    parser.process(arguments);
    return ExitOk;
}

int runWindow(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("shoal"));
    QApplication::setApplicationVersion(QStringLiteral(SHOAL_VERSION));
    ui::MainWindow window;
    window.show();
    return QApplication::exec();
}

} // namespace shoal::app
