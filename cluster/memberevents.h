// A member update as the event log tells it: joins, status changes, restarts and each key that
// changed. One place for the words and fields, read by the event log and the stored history.
#pragma once

#include "cluster/clustertypes.h"
#include "model/eventlogmodel.h"

#include <QDateTime>
#include <QList>

namespace shoal::cluster {

// The events one update makes, stamped `time`; empty when nothing the log shows changed.
QList<EventRecord> memberEvents(const MemberUpdate &update, const QDateTime &time);

} // namespace shoal::cluster
