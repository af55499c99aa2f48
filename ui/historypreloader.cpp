#include "ui/historypreloader.h"

#include "model/eventlogmodel.h"
#include "ui/mainwindow.h"
#include "ui/statuschart.h"
#include "ui/timelineview.h"

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
    timeline->modelChanged();
    // From now on the log's new rows reach the timeline (the preloaded ones are there already).
    timeline->setEventLog(log);
    return ok;
}

} // namespace shoal::ui
