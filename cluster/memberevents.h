// A member update as the event log tells it: joins, status changes, restarts and each key that
// changed, and Serf's user events and queries. One place for the words and fields, read by the
// event log and the stored history.
#pragma once

#include "cluster/clustertypes.h"
#include "model/eventlogmodel.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace shoal::cluster {

// The events one update makes, stamped `time`; empty when nothing the log shows changed.
QList<EventRecord> memberEvents(const MemberUpdate &update, const QDateTime &time);

// A protocol event (Serf's user events and queries) as the log shows it: the name in `key`, the
// payload in `value`, the asking node (queries) as the member. nullopt for any other kind.
std::optional<EventRecord> clusterEventRecord(const ClusterEvent &event, const QDateTime &time);

} // namespace shoal::cluster
