#include "app/commands.h"

#include <QTextStream>

namespace shoal::app {

namespace {
int notYet(const char *what)
{
    QTextStream(stderr) << "shoal " << what << ": not implemented yet\n";
    return ExitRuntime;
}
} // namespace

int runMembers(const QStringList &)
{
    return notYet("members");
}
int runWatch(const QStringList &)
{
    return notYet("watch");
}
int runServe(const QStringList &)
{
    return notYet("serve");
}

} // namespace shoal::app
