#include "ui/historypreloader.h"

#include "model/eventlogmodel.h"
#include "ui/mainwindow.h"
#include "ui/statuschart.h"
#include "ui/timelineview.h"

#include <algorithm>

namespace shoal::ui {

bool preloadWindow(
    MainWindow &window, EventLogModel *log, const history::PreloadRequest &request, QString *error)
{
    TimelineView *timeline = window.timeline();
    timeline->model().clear();
    QList<EventRecord> events;
    const bool ok = history::preloadHistory(request, &events, &timeline->model(), error);
    for (const EventRecord &event : std::as_const(events))
        log->append(event);
    log->flush();
    const QVector<StatusCounts> samples = history::replayStatusCounts(
        timeline->model(), request.now.toMSecsSinceEpoch(), window.chart()->capacity());
    for (const StatusCounts &counts : samples)
        window.chart()->addSample(counts);
    // Open on what is stored, from five minutes up to the last hour (wheel or - for more).
    if (timeline->model().eventCount() > 0) {
        const qint64 now = request.now.toMSecsSinceEpoch();
        const qint64 covered = now - timeline->model().earliestMs();
        const qint64 span = std::clamp<qint64>(covered + covered / 10, 5 * 60000, 3600000);
        timeline->model().setNow(now);
        timeline->model().setRange(now - span, now);
    }
    timeline->modelChanged();
    // From now on the log's new rows reach the timeline (the preloaded ones are there already).
    timeline->setEventLog(log);
    return ok;
}

} // namespace shoal::ui
