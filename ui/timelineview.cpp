#include "ui/timelineview.h"

#include "model/eventlogmodel.h"
#include "ui/statuscolors.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace shoal::ui {

namespace {

qint64 currentMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A step for the axis labels: the first that leaves at least minPx between them.
qint64 axisStep(qint64 spanMs, double widthPx, double minPx)
{
    static const qint64 steps[] = { 1000, 5000, 15000, 60000, 5 * 60000, 15 * 60000, 3600000,
        3 * 3600000, 6 * 3600000, 12 * 3600000, 86400000, 2 * 86400000, 7 * 86400000 };
    for (const qint64 step : steps) {
        if (double(step) / double(spanMs) * widthPx >= minPx)
            return step;
    }
    return steps[std::size(steps) - 1];
}

} // namespace

Qt::BrushStyle TimelineView::statusPattern(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return Qt::SolidPattern;
    case MemberStatus::Suspect:
        return Qt::BDiagPattern;
    case MemberStatus::Offline:
        return Qt::DiagCrossPattern;
    case MemberStatus::Unknown:
        return Qt::Dense6Pattern;
    case MemberStatus::Leaving:
        return Qt::FDiagPattern;
    case MemberStatus::Left:
        return Qt::HorPattern;
    }
    return Qt::SolidPattern;
}

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(QString()); // tooltips come from event()
    setWhatsThis(tr("One lane per member: its status over time (solid: online, hatched: suspect, "
                    "cross-hatched: offline), metadata changes as ticks. Wheel or +/- zooms, "
                    "Shift+wheel or Left/Right pans, Home follows now."));
    const int lineHeight = fontMetrics().height();
    m_laneHeight = std::max(12, lineHeight + 2);
    m_axisHeight = lineHeight + 6;
    connect(m_scroll, &QScrollBar::valueChanged, this, [this] { update(); });
    const qint64 now = currentMs();
    m_model.setNow(now);
    m_model.setRange(now - 3600 * 1000, now);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &TimelineView::tick);
    m_clock.start();
}

QSize TimelineView::sizeHint() const
{
    return { 720, 400 };
}

void TimelineView::setEventLog(EventLogModel *log)
{
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (!log)
        return;
    connect(log, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &, int first, int last) {
            EventLogModel *source = m_log;
            if (!source)
                return;
            for (int row = first; row <= last; ++row)
                m_model.addEvent(source->eventAt(row));
            modelChanged();
        });
}

void TimelineView::setFollowing(bool follow)
{
    m_following = follow;
    if (follow) {
        const qint64 span = m_model.spanMs();
        m_model.setRange(m_model.nowMs() - span, m_model.nowMs());
    }
    update();
}

void TimelineView::modelChanged()
{
    updateScrollBar();
    update();
}

void TimelineView::tick()
{
    m_model.setNow(std::max(m_model.nowMs(), currentMs()));
    if (m_following)
        m_model.setRange(m_model.nowMs() - m_model.spanMs(), m_model.nowMs());
    if (isVisible())
        update();
}

QRect TimelineView::lanesRect() const
{
    const int scrollWidth = m_scroll->isVisible() ? m_scroll->width() : 0;
    return QRect(m_namesWidth, m_axisHeight, std::max(1, width() - m_namesWidth - scrollWidth),
        std::max(1, height() - m_axisHeight));
}

int TimelineView::laneAt(int y) const
{
    if (y < m_axisHeight)
        return -1;
    const int lane = m_scroll->value() + (y - m_axisHeight) / m_laneHeight;
    return lane < m_model.laneCount() ? lane : -1;
}

void TimelineView::updateScrollBar()
{
    const int visible = std::max(1, (height() - m_axisHeight) / m_laneHeight);
    m_scroll->setRange(0, std::max(0, m_model.laneCount() - visible));
    m_scroll->setPageStep(visible);
    m_scroll->setVisible(m_model.laneCount() > visible);
    m_scroll->setGeometry(width() - m_scroll->sizeHint().width(), m_axisHeight,
        m_scroll->sizeHint().width(), height() - m_axisHeight);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateScrollBar();
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QElapsedTimer timer;
    timer.start();
    QPainter painter(this);
    const QPalette &pal = palette();
    painter.fillRect(rect(), pal.base());
    const QRect lanes = lanesRect();
    const double width = lanes.width();
    const qint64 start = m_model.startMs();
    const qint64 end = m_model.endMs();
    const qint64 now = m_model.nowMs();

    // Time axis: labels at a round step, grid lines through the lanes.
    const qint64 step = axisStep(m_model.spanMs(), width, 90);
    const bool withDate = m_model.spanMs() > 86400000 || step >= 86400000;
    painter.setPen(pal.color(QPalette::Text));
    for (qint64 t = (start / step + 1) * step; t < end; t += step) {
        const int x = lanes.left() + int(m_model.xAtTime(t, width));
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(t);
        const QString label = time.toString(withDate ? QStringLiteral("MM-dd HH:mm")
                : step < 60000                       ? QStringLiteral("HH:mm:ss")
                                                     : QStringLiteral("HH:mm"));
        painter.setPen(pal.color(QPalette::Mid));
        painter.drawLine(x, m_axisHeight - 3, x, height());
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(x + 3, 0, 120, m_axisHeight - 2, Qt::AlignLeft | Qt::AlignVCenter, label);
    }

    const int firstLane = m_scroll->value();
    const int lastLane
        = std::min(m_model.laneCount(), firstLane + lanes.height() / m_laneHeight + 1);
    const QColor tickColor = pal.color(QPalette::Text);
    const QColor background = pal.color(QPalette::Base);
    for (int laneIndex = firstLane; laneIndex < lastLane; ++laneIndex) {
        const history::TimelineLane &lane = m_model.lane(laneIndex);
        const int top = lanes.top() + (laneIndex - firstLane) * m_laneHeight;
        const int bandTop = top + 2;
        const int bandHeight = m_laneHeight - 4;
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(4, top, m_namesWidth - 8, m_laneHeight),
            Qt::AlignLeft | Qt::AlignVCenter,
            fontMetrics().elidedText(lane.member, Qt::ElideMiddle, m_namesWidth - 8));
        // Segments: each visible pixel column once; where many segments share a pixel, the
        // one in force at the column's start stands for them and the rest are skipped.
        const auto [first, last] = m_model.segmentsIn(laneIndex, start, end);
        std::size_t i = first;
        while (i < last) {
            const history::TimelineSegment &segment = lane.segments[i];
            const qint64 segmentEnd = i + 1 < lane.segments.size() ? lane.segments[i + 1].startMs
                                                                   : std::max(now, segment.startMs);
            const double x0 = std::max(0.0, m_model.xAtTime(segment.startMs, width));
            const double x1 = std::min(width, m_model.xAtTime(segmentEnd, width));
            int left = int(std::floor(x0));
            int right = int(std::ceil(x1));
            std::size_t next = i + 1;
            if (right - left <= 1 && i + 1 < last) {
                // Jump to the segment in force at the next pixel column.
                right = left + 1;
                const qint64 nextColumn = m_model.timeAtX(double(right), width);
                const auto at = std::upper_bound(lane.segments.begin() + qsizetype(i),
                    lane.segments.begin() + qsizetype(last), nextColumn,
                    [](qint64 t, const history::TimelineSegment &s) { return t < s.startMs; });
                next = std::max(i + 1, std::size_t(at - lane.segments.begin()) - 1);
            }
            if (right > left) {
                const QRect band(lanes.left() + left, bandTop, right - left, bandHeight);
                const QColor color = statusColor(segment.status, pal);
                const Qt::BrushStyle pattern = statusPattern(segment.status);
                if (pattern == Qt::SolidPattern) {
                    painter.fillRect(band, color);
                } else {
                    QColor light = color;
                    light.setAlpha(70);
                    painter.fillRect(band, background);
                    painter.fillRect(band, light);
                    painter.fillRect(band, QBrush(color, pattern));
                }
            }
            i = next;
        }
        // Ticks: metadata changes and restarts, one per pixel column at most.
        const auto [tickFirst, tickLast] = m_model.ticksIn(laneIndex, start, end);
        int lastTickX = -1;
        painter.setPen(tickColor);
        for (std::size_t k = tickFirst; k < tickLast; ++k) {
            const int x = lanes.left() + int(m_model.xAtTime(lane.ticks[k].timeMs, width));
            if (x == lastTickX)
                continue;
            lastTickX = x;
            if (lane.ticks[k].kind == QLatin1String("restart"))
                painter.drawLine(x, top, x, top + m_laneHeight - 1);
            else
                painter.drawLine(x, top + 1, x, top + m_laneHeight / 2);
        }
    }
    if (m_model.laneCount() == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(lanes, Qt::AlignCenter | Qt::TextWordWrap,
            tr("No history yet: members appear here as they are seen, and stay for the next "
               "session."));
    }
    // Now.
    if (now >= start && now <= end) {
        const int x = lanes.left() + int(m_model.xAtTime(now, width));
        painter.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
        painter.drawLine(x, m_axisHeight, x, height());
    }
    m_lastPaintNs = timer.nsecsElapsed();
}

void TimelineView::zoomBy(double factor, qint64 anchorMs)
{
    m_model.zoom(factor, anchorMs);
    // Zooming around now keeps following it; around another point it stops.
    m_following = m_following && anchorMs >= m_model.nowMs();
    if (m_following)
        m_model.setRange(m_model.nowMs() - m_model.spanMs(), m_model.nowMs());
    update();
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    const QRect lanes = lanesRect();
    if (event->modifiers() & Qt::ShiftModifier) {
        m_following = false;
        m_model.pan(qint64(-steps * 0.1 * double(m_model.spanMs())));
        update();
    } else {
        const qint64 anchor
            = m_model.timeAtX(event->position().x() - lanes.left(), double(lanes.width()));
        zoomBy(std::pow(0.8, steps), m_following ? m_model.nowMs() : anchor);
    }
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const qint64 center = m_model.startMs() + m_model.spanMs() / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(0.5, m_following ? m_model.nowMs() : center);
        return;
    case Qt::Key_Minus:
        zoomBy(2.0, m_following ? m_model.nowMs() : center);
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
        m_following = false;
        m_model.pan((event->key() == Qt::Key_Left ? -1 : 1) * m_model.spanMs() / 10);
        update();
        return;
    case Qt::Key_Home:
        setFollowing(true);
        return;
    case Qt::Key_Up:
        m_scroll->setValue(m_scroll->value() - 1);
        return;
    case Qt::Key_Down:
        m_scroll->setValue(m_scroll->value() + 1);
        return;
    case Qt::Key_PageUp:
        m_scroll->setValue(m_scroll->value() - m_scroll->pageStep());
        return;
    case Qt::Key_PageDown:
        m_scroll->setValue(m_scroll->value() + m_scroll->pageStep());
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const QRect lanes = lanesRect();
    const int lane = laneAt(int(event->position().y()));
    if (event->button() != Qt::LeftButton || lane < 0 || event->position().x() < lanes.left())
        return QWidget::mousePressEvent(event);
    const auto hit
        = m_model.hitTest(lane, event->position().x() - lanes.left(), double(lanes.width()));
    if (hit && hit->isEvent)
        emit eventActivated(hit->member, hit->timeMs, hit->kind);
}

bool TimelineView::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto *help = static_cast<QHelpEvent *>(event);
    const QRect lanes = lanesRect();
    const int lane = laneAt(help->pos().y());
    std::optional<history::TimelineHit> hit;
    if (lane >= 0 && help->pos().x() >= lanes.left())
        hit = m_model.hitTest(lane, help->pos().x() - lanes.left(), double(lanes.width()));
    if (!hit) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    const QString time = QDateTime::fromMSecsSinceEpoch(hit->timeMs)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    QString text;
    if (hit->isEvent) {
        text = tr("%1\n%2 %3: %4").arg(hit->member, time, hit->kind, hit->detail);
    } else {
        const QString until = QDateTime::fromMSecsSinceEpoch(hit->untilMs)
                                  .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        text = tr("%1\n%2 from %3 until %4")
                   .arg(hit->member, memberStatusText(hit->status), time, until);
    }
    // Plain text: what the cluster sent is escaped, never read as markup.
    QToolTip::showText(help->globalPos(),
        QStringLiteral("<p style='white-space:pre'>%1</p>")
            .arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))),
        this);
    return true;
}

} // namespace shoal::ui
