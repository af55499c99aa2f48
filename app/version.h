// What `shoal --version` prints after the program name: Shoal's version (project(VERSION) in
// CMakeLists.txt, passed in as SHOAL_VERSION) and the protocols it speaks.
#pragma once

#include "net/serf/serfbackendfactory.h"
#include "net/swim/swimbackendfactory.h"

#include <QString>

namespace shoal::app {

inline QString versionText()
{
    return QStringLiteral(SHOAL_VERSION "\nprotocols: ") + swim::protocolDescription()
        + QStringLiteral(", ") + serf::protocolDescription();
}

} // namespace shoal::app
