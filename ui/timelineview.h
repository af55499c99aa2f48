// The Timeline tab: one lane per member, its status over time as coloured and patterned bands
// (the pattern says the status without colour), metadata changes and restarts as ticks.
// Wheel or +/- zoom (one minute to thirty days), Shift+wheel or Left/Right pan, Home follows
// now; hovering shows the event, clicking one selects it in the event log. The logic is
// history::TimelineModel's; this widget paints what it says, only the visible lanes and range.
#pragma once

#include "history/timelinemodel.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QScrollBar;

namespace shoal {
class EventLogModel;
} // namespace shoal

namespace shoal::ui {

class TimelineView final : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    history::TimelineModel &model() { return m_model; }
    const history::TimelineModel &model() const { return m_model; }
    // Live events: every row the log gains from now on (preloaded history goes to model()).
    void setEventLog(EventLogModel *log);
    // The right end of the range stays at now, moving with the clock (Home turns it on again).
    void setFollowing(bool follow);
    bool following() const { return m_following; }
    // After a bulk change of model(): the scroll bar and the picture.
    void modelChanged();
    // The brush of a status: its colour with a pattern of its own (readable without colour).
    static Qt::BrushStyle statusPattern(MemberStatus status);
    // The lane under a widget y, -1 when none.
    int laneAt(int y) const;
    // The last paint's duration (benchmarks).
    qint64 lastPaintNs() const { return m_lastPaintNs; }

    QSize sizeHint() const override;

signals:
    // An event was clicked: select it in the log.
    void eventActivated(const QString &member, qint64 timeMs, const QString &kind);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect lanesRect() const; // the bands' area, right of the names and below the time axis
    void updateScrollBar();
    void tick();
    void zoomBy(double factor, qint64 anchorMs);

    history::TimelineModel m_model;
    QPointer<EventLogModel> m_log;
    QScrollBar *m_scroll;
    QTimer m_clock;
    bool m_following = true;
    int m_laneHeight = 16;
    int m_namesWidth = 170;
    int m_axisHeight = 22;
    qint64 m_lastPaintNs = 0;
};

} // namespace shoal::ui
