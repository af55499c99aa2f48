#include "history/historypreload.h"

#include <QFileInfo>

namespace shoal::history {

bool preloadHistory(
    const PreloadRequest &request, QList<EventRecord> *log, TimelineModel *timeline, QString *error)
{
    if (!QFileInfo::exists(request.path))
        return true;
    HistoryStore store;
    if (!store.open(request.path, error, true))
        return false;
    HistoryQuery query;
    query.cluster = request.cluster;
    query.since = request.now.addMSecs(-request.timelineSpanMs);
    query.limit = request.timelineLimit;
    const QList<HistoryEvent> events = store.read(query);
    const QDateTime logSince = request.now.addMSecs(-request.logSpanMs);
    qsizetype firstForLog = events.size();
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (timeline)
            timeline->addEvent(events.at(i));
        if (firstForLog == events.size() && events.at(i).time >= logSince)
            firstForLog = i;
    }
    if (log) {
        firstForLog = std::max(firstForLog, events.size() - request.logLimit);
        for (qsizetype i = firstForLog; i < events.size(); ++i) {
            if (const auto record = events.at(i).toEventRecord())
                log->append(*record);
        }
    }
    return true;
}

QVector<StatusCounts> replayStatusCounts(
    const TimelineModel &timeline, qint64 nowMs, int count, qint64 stepMs)
{
    QVector<StatusCounts> samples;
    if (timeline.eventCount() == 0 || count <= 0 || stepMs <= 0)
        return samples;
    for (int i = count - 1; i >= 0; --i) {
        const qint64 time = nowMs - qint64(i) * stepMs;
        if (time < timeline.earliestMs())
            continue;
        samples.append(timeline.countsAt(time));
    }
    return samples;
}

} // namespace shoal::history
