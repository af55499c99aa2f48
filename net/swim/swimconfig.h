// Settings of one swim-protocol member (SWIM-PROTOCOL.md section 7).
#pragma once

#include "net/swim/packet.h"

#include <QString>
#include <QStringList>

namespace shoal::swim {

// Observer (Shoal's default) never gossips a record version it authored about
// another member; Participant behaves exactly as a swim-protocol member.
enum class Role : quint8 { Observer, Participant };

struct Timings
{
    qint64 pingIntervalMs = 1000;
    qint64 pingTimeoutMs = 300;
    int pingReqCount = 1;
    qint64 pingReqTimeoutMs = 900;
    qint64 suspectTimeoutMs = 5000;
    qint64 syncIntervalMs = 500;

    static Timings swim() { return Timings {}; }
    static Timings pymap() { return Timings { 10000, 1000, 1, 900, 300000, 30000 }; }
};

struct MemberConfig
{
    QString localName; // host:port
    QStringList peers; // host:port each
    WireMetadata localMetadata;
    Timings timings;
    Role role = Role::Observer;
};

} // namespace shoal::swim
