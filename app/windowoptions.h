// The window form's command line (`shoal [OPTIONS]`, `shoal --demo [N] [OPTIONS]`): its options,
// help and version. Headless, so that `shoal --help` and `--version` need neither the window's
// executable nor a display (the window itself is app/windowcommand.cpp, in shoal-window).
#pragma once

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace shoal::app {

constexpr int kDefaultDemoNodes = 5;
constexpr int kMaxDemoNodes = 200;

// Adds the window form's options (and its description) to parser.
void describeWindow(QCommandLineParser &parser);

// `--demo N`: QCommandLineParser has no optional values, so a number right after --demo is
// taken out of the arguments before parsing; *count is N (default kDefaultDemoNodes), *error
// set when N is no member count.
QStringList takeDemoCount(QStringList arguments, int *count, QString *error);

} // namespace shoal::app
