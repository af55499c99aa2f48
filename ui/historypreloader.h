// A window opening on a known cluster: the stored last hour into its event log, the stored
// week into its Timeline, the chart's last minutes replayed; then live events feed the timeline.
#pragma once

#include "history/historypreload.h"

namespace shoal {
class EventLogModel;
} // namespace shoal

namespace shoal::ui {

class MainWindow;

// False with *error when the history exists but cannot be read (the window opens anyway).
bool preloadWindow(
    MainWindow &window, EventLogModel *log, const history::PreloadRequest &request, QString *error);

} // namespace shoal::ui
