// What the app needs to offer and make a Serf backend: the join dialog's protocol page and a
// factory for the backend thread (a SerfService, and for --demo a SerfLocalCluster beside it).
#pragma once

#include "cluster/backendthread.h"
#include "cluster/protocolform.h"
#include "net/serf/serflocalcluster.h"
#include "net/serf/serfservice.h"

#include <optional>

namespace shoal::serf {

// The Serf version Shoal speaks, for `shoal --version`: "serf 0.9.4 (memberlist 0.2.2)".
QString protocolDescription();

// The join dialog's page for Serf: the role (observer or member).
cluster::ProtocolForm serfProtocolForm();

// A SerfService; with demo, an embedded SerfLocalCluster beside it (in the backend's thread)
// whose members are its peers.
cluster::BackendFactory serfBackendFactory(
    SerfServiceConfig config, std::optional<SerfLocalClusterConfig> demo = std::nullopt);

} // namespace shoal::serf
