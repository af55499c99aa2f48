// How the backend thread makes a swim-protocol backend: a SwimService, and for the window's
// --demo an embedded LocalCluster beside it whose members are its peers.
#pragma once

#include "cluster/backendthread.h"
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"

#include <optional>

namespace shoal::swim {

cluster::BackendFactory swimBackendFactory(
    ServiceConfig config, std::optional<LocalClusterConfig> demo = std::nullopt);

} // namespace shoal::swim
