// What a window shows of a cluster's past as it opens: the last hour in the event log, the
// stored days in the timeline and the status chart's samples replayed from them.
#pragma once

#include "history/historystore.h"
#include "history/timelinemodel.h"
#include "model/eventlogmodel.h"
#include "model/statuscounts.h"

#include <QList>
#include <QVector>

namespace shoal::history {

struct PreloadRequest
{
    QString path;
    QString cluster; // identity
    QDateTime now;
    qint64 logSpanMs = 3600 * 1000; // the event log: the last hour...
    int logLimit = 10000; // ...at most this many (the log's capacity)
    qint64 timelineSpanMs = qint64(7) * 24 * 3600 * 1000; // the timeline: a week...
    int timelineLimit = 500000; // ...at most this many events, the newest
};

// Reads the cluster's stored events (nothing when there is no history yet: true, empty).
// False with *error when the file exists but cannot be read.
bool preloadHistory(const PreloadRequest &request, QList<EventRecord> *log, TimelineModel *timeline,
    QString *error);

// The chart's samples (one every stepMs, oldest first) for the last `count` steps before nowMs
// that the timeline covers: how many members were in each status then.
QVector<StatusCounts> replayStatusCounts(
    const TimelineModel &timeline, qint64 nowMs, int count, qint64 stepMs = 1000);

} // namespace shoal::history
