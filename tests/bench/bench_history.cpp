// The history's costs: the writer's events per second (one transaction per batch, as the
// recorder commits), the database's size per 1,000 events, and the Timeline's frame time at
// 1,000 members x a week of synthetic history (zoomed from an hour to the week, and panned).
// Prints figures, asserts nothing.
// Run: QT_QPA_PLATFORM=offscreen build/tests/bench/bench_history [events] [--screenshot PNG]
// (the screenshot wants a real display: xvfb-run -s '-screen 0 1600x1000x24' ...).
#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "ui/mainwindow.h"
#include "ui/timelineview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QRandomGenerator>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <vector>

using namespace shoal;
using namespace shoal::history;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QString memberName(int i)
{
    return QStringLiteral("10.0.%1.%2:7946").arg(i / 256).arg(i % 256);
}

// A realistic mix: mostly metadata changes (a token), some status changes.
HistoryEvent syntheticEvent(int i, const QDateTime &time)
{
    HistoryEvent event;
    event.time = time;
    event.member = memberName(i % 1000);
    if (i % 10 == 0) {
        event.kind = QStringLiteral("status");
        event.from = QStringLiteral("ONLINE");
        event.to = QStringLiteral("SUSPECT");
        event.detail = QStringLiteral("Online \u2192 Suspect");
    } else {
        event.kind = QStringLiteral("metadata");
        event.key = QStringLiteral("token");
        event.value = QByteArray::number(quint64(i) * 2654435761u, 36);
        event.detail = QStringLiteral("token = ") + QString::fromLatin1(*event.value);
    }
    return event;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p * double(values.size())))];
}

void benchWriter(int count)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    {
        // Through the recorder: queued from this thread, committed by its thread every 250 ms.
        HistoryRecorder recorder;
        QString error;
        if (!recorder.start(path, QStringLiteral("bench:writer"), &error)) {
            out() << "cannot open: " << error << Qt::endl;
            return;
        }
        QElapsedTimer timer;
        timer.start();
        qint64 queueNs = 0;
        for (int i = 0; i < count; ++i) {
            QElapsedTimer one;
            one.start();
            recorder.recordEvent(syntheticEvent(i, start.addMSecs(i)));
            queueNs += one.nsecsElapsed();
        }
        recorder.flush();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        out() << "writer: " << count << " events in " << QString::number(seconds, 'f', 2)
              << " s: " << qint64(double(count) / seconds) << " events/s committed; queueing "
              << QString::number(double(queueNs) / count, 'f', 0)
              << " ns/event on the caller's thread" << Qt::endl;
    }
    HistoryStore store;
    QString error;
    store.open(path, &error);
    // Checkpointed: the database file alone holds every page.
    const qint64 events = store.eventCount();
    const qint64 bytes = QFileInfo(path).size();
    out() << "size: " << events << " events, " << bytes / 1024
          << " KiB: " << QString::number(double(bytes) / double(events) * 1000.0 / 1024.0, 'f', 1)
          << " KiB per 1,000 events" << Qt::endl;
    // Batch size: one transaction per batch, straight into the store.
    for (const int batch : { 1, 10, 100, 1000 }) {
        HistoryStore direct;
        direct.open(dir.filePath(QStringLiteral("batch%1.sqlite").arg(batch)), &error);
        const qint64 cluster = direct.clusterId(QStringLiteral("bench"), true);
        const int total = std::min(count, batch * 2000);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < total; i += batch) {
            std::vector<HistoryEvent> chunk;
            for (int k = 0; k < batch; ++k)
                chunk.push_back(syntheticEvent(i + k, start.addMSecs(i + k)));
            direct.write(cluster, chunk);
        }
        out() << "store: batches of " << batch << ": "
              << qint64(double(total) / (double(timer.nsecsElapsed()) / 1e9)) << " events/s"
              << Qt::endl;
    }
    // A query as `shoal history --member` and the window's preload make it.
    QElapsedTimer timer;
    timer.start();
    HistoryQuery query;
    query.member = memberName(7);
    const qsizetype rows = store.read(query).size();
    out() << "read: one member's " << rows << " events of " << events << " in "
          << QString::number(double(timer.nsecsElapsed()) / 1e6, 'f', 1) << " ms" << Qt::endl;
}

// 1,000 members over a week: each changes status about every 4 hours (30 minutes SUSPECT or
// OFFLINE), changes its token every 30 minutes; 20 members flap every 2 minutes.
qint64 fillWeek(TimelineModel &model, qint64 nowMs)
{
    QRandomGenerator random(17);
    const qint64 week = qint64(7) * 24 * 3600 * 1000;
    const qint64 from = nowMs - week;
    qint64 events = 0;
    for (int m = 0; m < 1000; ++m) {
        std::vector<HistoryEvent> lane;
        HistoryEvent join;
        join.kind = QStringLiteral("join");
        join.member = memberName(m);
        join.to = QStringLiteral("ONLINE");
        join.detail = QStringLiteral("known, Online");
        join.time = QDateTime::fromMSecsSinceEpoch(from, Qt::UTC);
        model.addEvent(join);
        const bool flapping = m % 50 == 7;
        const qint64 statusEvery = flapping ? 120 * 1000 : 4 * 3600 * 1000;
        for (qint64 t = from + qint64(random.bounded(int(statusEvery / 1000))) * 1000; t < nowMs;
             t += statusEvery) {
            HistoryEvent down = join;
            down.kind = QStringLiteral("status");
            down.from = QStringLiteral("ONLINE");
            down.to
                = random.bounded(3) == 0 ? QStringLiteral("OFFLINE") : QStringLiteral("SUSPECT");
            down.detail = QStringLiteral("Online \u2192 ") + down.to;
            down.time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
            model.addEvent(down);
            HistoryEvent up = down;
            up.from = down.to;
            up.to = QStringLiteral("ONLINE");
            up.detail = down.to + QStringLiteral(" \u2192 Online");
            up.time = QDateTime::fromMSecsSinceEpoch(t + (flapping ? 40 : 1800) * 1000, Qt::UTC);
            model.addEvent(up);
            events += 2;
        }
        for (qint64 t = from + random.bounded(1800) * 1000; t < nowMs; t += 1800 * 1000) {
            HistoryEvent tick = join;
            tick.kind = QStringLiteral("metadata");
            tick.key = QStringLiteral("token");
            tick.detail = QStringLiteral("token = %1").arg(t % 100000);
            tick.time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
            model.addEvent(tick);
            ++events;
        }
        ++events;
    }
    return events;
}

void benchTimeline(const QString &screenshot)
{
    ui::MainWindow window;
    window.resize(1280, 800);
    ui::TimelineView *view = window.timeline();
    window.tabs()->setCurrentWidget(view);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer timer;
    timer.start();
    const qint64 events = fillWeek(view->model(), now);
    view->model().setNow(now);
    view->modelChanged();
    out() << "timeline: 1000 members, " << events << " events over a week, loaded in "
          << timer.elapsed() << " ms" << Qt::endl;
    window.show();
    QApplication::processEvents();
    QImage frame(view->size(), QImage::Format_ARGB32_Premultiplied);
    auto paintOnce = [&] {
        view->render(&frame);
        return double(view->lastPaintNs()) / 1e6;
    };
    struct Range
    {
        const char *name;
        qint64 span;
    };
    for (const Range range : { Range { "1 hour", 3600 * 1000 }, Range { "1 day", 86400 * 1000 },
             Range { "1 week", qint64(7) * 86400 * 1000 } }) {
        view->model().setRange(now - range.span, now);
        std::vector<double> frames;
        for (int i = 0; i < 30; ++i)
            frames.push_back(paintOnce());
        out() << "frame, " << range.name << " shown: median "
              << QString::number(median(frames), 'f', 2) << " ms, p99 "
              << QString::number(percentile(frames, 0.99), 'f', 2) << " ms" << Qt::endl;
    }
    // An interaction: zoom from an hour out to the week and back, panning as it goes.
    std::vector<double> frames;
    view->model().setRange(now - 3600 * 1000, now);
    for (int i = 0; i < 60; ++i) {
        view->model().zoom(i < 30 ? 1.3 : 1 / 1.3, now - view->model().spanMs() / 3);
        view->model().pan(i % 2 ? view->model().spanMs() / 50 : -view->model().spanMs() / 50);
        frames.push_back(paintOnce());
    }
    out() << "frames while zooming and panning (60): median "
          << QString::number(median(frames), 'f', 2) << " ms, p99 "
          << QString::number(percentile(frames, 0.99), 'f', 2) << " ms, max "
          << QString::number(*std::max_element(frames.begin(), frames.end()), 'f', 2)
          << " ms (60 fps is 16.7 ms)" << Qt::endl;
    if (!screenshot.isEmpty()) {
        view->model().setRange(now - qint64(7) * 86400 * 1000, now);
        view->setFollowing(true);
        QApplication::processEvents();
        window.grab().save(screenshot);
        out() << "screenshot: " << screenshot << Qt::endl;
    }
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStringList arguments = QApplication::arguments();
    QString screenshot;
    const qsizetype at = arguments.indexOf(QStringLiteral("--screenshot"));
    if (at > 0 && at + 1 < arguments.size()) {
        screenshot = arguments.at(at + 1);
        arguments.remove(at, 2);
    }
    const int count = arguments.size() > 1 ? std::max(1000, arguments.at(1).toInt()) : 200000;
    benchWriter(count);
    benchTimeline(screenshot);
    return 0;
}
