#include "app/console.h"

#include <QTextStream>

#include <cstdio>

namespace shoal::app {

QTextStream &standardOutput()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &standardError()
{
    static QTextStream stream(stderr);
    return stream;
}

} // namespace shoal::app
