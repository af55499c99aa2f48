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
#include <array>
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

// How much a status says "look here": a column of several segments shows the highest.
int statusSeverity(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Offline:
        return 5;
    case MemberStatus::Suspect:
        return 4;
    case MemberStatus::Leaving:
        return 3;
    case MemberStatus::Left:
        return 2;
    case MemberStatus::Unknown:
        return 1;
    case MemberStatus::Online:
        break;
    }
    return 0;
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
    m_model.setRange(now - 15 * 60 * 1000, now); // a new cluster: its first minutes
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
    // Per paint, not per segment: the palette's status colours and their brushes.
    std::array<QColor, kMemberStatusCount> colors;
    std::array<QBrush, kMemberStatusCount> patterns;
    std::array<QColor, kMemberStatusCount> tints;
    for (const MemberStatus status : kAllMemberStatuses) {
        const auto index = std::size_t(status);
        colors[index] = statusColor(status, pal);
        patterns[index] = QBrush(colors[index], statusPattern(status));
        tints[index] = colors[index];
        tints[index].setAlpha(60);
    }
    QVector<QLine> metadataTicks;
    QVector<QLine> restartTicks;
    for (int laneIndex = firstLane; laneIndex < lastLane; ++laneIndex) {
        const history::TimelineLane &lane = m_model.lane(laneIndex);
        const int top = lanes.top() + (laneIndex - firstLane) * m_laneHeight;
        const int bandTop = top + 3;
        const int bandHeight = m_laneHeight - 5;
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(4, top, m_namesWidth - 8, m_laneHeight),
            Qt::AlignLeft | Qt::AlignVCenter,
            fontMetrics().elidedText(lane.member, Qt::ElideMiddle, m_namesWidth - 8));
        // Runs of one status, each pixel column drawn once.
        int runLeft = 0;
        int runRight = 0;
        MemberStatus runStatus = MemberStatus::Online;
        auto drawRun = [&] {
            if (runRight <= runLeft)
                return;
            const QRect band(lanes.left() + runLeft, bandTop, runRight - runLeft, bandHeight);
            const auto index = std::size_t(runStatus);
            if (statusPattern(runStatus) == Qt::SolidPattern) {
                painter.fillRect(band, colors[index]);
            } else {
                painter.fillRect(band, tints[index]);
                painter.fillRect(band, patterns[index]);
            }
        };
        auto addRun = [&](int left, int right, MemberStatus status) {
            if (status == runStatus && left == runRight) {
                runRight = right;
                return;
            }
            drawRun();
            runLeft = left;
            runRight = right;
            runStatus = status;
        };
        const auto &segments = lane.segments;
        const auto [first, last] = m_model.segmentsIn(laneIndex, start, end);
        int nextFree = 0; // the first pixel column not drawn yet
        std::size_t i = first;
        while (i < last) {
            const history::TimelineSegment &segment = segments[i];
            const qint64 segmentEnd = i + 1 < segments.size() ? segments[i + 1].startMs
                                                              : std::max(now, segment.startMs);
            const double x0 = std::max(0.0, m_model.xAtTime(segment.startMs, width));
            const double x1 = std::min(width, m_model.xAtTime(segmentEnd, width));
            const int left = std::max(nextFree, int(std::floor(x0)));
            const int right = int(std::ceil(x1));
            if (right <= left) {
                ++i;
                continue;
            }
            if (right - left == 1) {
                // A column that segments share: it shows the least available status among
                // them, so that a short SUSPECT is never hidden by the zoom.
                const qint64 columnEnd = m_model.timeAtX(double(left + 1), width);
                MemberStatus worst = segment.status;
                std::size_t j = i + 1;
                for (; j < last && segments[j].startMs < columnEnd; ++j) {
                    if (statusSeverity(segments[j].status) > statusSeverity(worst))
                        worst = segments[j].status;
                }
                addRun(left, left + 1, worst);
                nextFree = left + 1;
                // The last segment that began in the column may go on past it.
                i = j - 1 > i ? j - 1 : i + 1;
                continue;
            }
            addRun(left, right, segment.status);
            nextFree = right;
            ++i;
        }
        drawRun();
        // Ticks: metadata changes (short, at the top) and restarts (the lane's height), one
        // per pixel column at most, all drawn at once below.
        const auto [tickFirst, tickLast] = m_model.ticksIn(laneIndex, start, end);
        int lastTickX = -1;
        for (std::size_t k = tickFirst; k < tickLast; ++k) {
            const int x = lanes.left() + int(m_model.xAtTime(lane.ticks[k].timeMs, width));
            if (x == lastTickX)
                continue;
            lastTickX = x;
            if (lane.ticks[k].kind == QLatin1String("restart"))
                restartTicks.append(QLine(x, top + 1, x, top + m_laneHeight - 1));
            else
                metadataTicks.append(QLine(x, top, x, top + 3));
        }
    }
    painter.setPen(pal.color(QPalette::Text));
    painter.drawLines(metadataTicks);
    painter.setPen(QPen(pal.color(QPalette::Text), 2));
    painter.drawLines(restartTicks);
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
