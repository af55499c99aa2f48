#include "app/commands.h"

#include <QTextStream>

namespace shoal::app {

int runDecode(const QStringList &)
{
    QTextStream(stderr) << "shoal decode: not implemented yet\n";
    return ExitRuntime;
}

int runEncode(const QStringList &)
{
    QTextStream(stderr) << "shoal encode: not implemented yet\n";
    return ExitRuntime;
}

} // namespace shoal::app
