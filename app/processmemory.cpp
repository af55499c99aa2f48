#include "app/processmemory.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

namespace shoal::app {

qint64 residentKiB(qint64 pid)
{
    QFile status(
        pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid) : QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace shoal::app
