// What the app needs to offer and make a swim-protocol backend: the join dialog's protocol page,
// and a factory for the backend thread (a SwimService, and for the window's --demo an embedded
// LocalCluster beside it whose members are its peers).
#pragma once

#include "cluster/backendthread.h"
#include "cluster/protocolform.h"
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"

#include <optional>

namespace shoal::swim {

// What `shoal --version` names: the protocol and the version this backend speaks.
QString protocolDescription();

// The local port the join dialog proposes for swim-protocol (which has no standard port): a
// fixed one beside Serf's 7946, so that a monitor is the same member on every run.
constexpr quint16 kDialogSwimPort = 7950;

// The join dialog's page for swim-protocol: the --profile presets (their values from Timings),
// the six timings and the role, each named after its command-line option.
cluster::ProtocolForm swimProtocolForm();

cluster::BackendFactory swimBackendFactory(
    ServiceConfig config, std::optional<LocalClusterConfig> demo = std::nullopt);

} // namespace shoal::swim
