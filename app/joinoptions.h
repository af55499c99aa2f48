// The join dialog's side of the app: the protocol pages it offers and its answer turned into
// cluster options, through the command line's own parser.
#pragma once

#include "app/clusteroptions.h"
#include "cluster/protocolform.h"
#include "ui/joindialog.h"

#include <QList>

#include <optional>

namespace shoal::app {

// swim-protocol's page, then Serf's, with Serf's key checked as --encrypt checks it.
QList<cluster::ProtocolForm> joinProtocolForms();

// The dialog's answer, run through the same option parser as the command line so both are
// validated alike; base gives what the dialog does not ask (MTU, protocol version, metadata).
std::optional<ClusterOptions> optionsFromRequest(
    const ui::JoinRequest &request, const ClusterOptions &base, QString *error);

// What the dialog starts from for a cluster joined from the command line.
ui::JoinRequest requestFromOptions(const ClusterOptions &options);

} // namespace shoal::app
