#include "ui/statuschart.h"

#include "ui/statuscolors.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace shoal::ui {

StatusChart::StatusChart(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(tr("Members by status over the last %1 seconds, one sample a second.\n"
                  "Solid: ONLINE, dashed: SUSPECT, dotted: OFFLINE; others while present.")
                   .arg(m_capacity));
}

void StatusChart::addSample(const Counts &counts)
{
    if (m_samples.size() >= m_capacity)
        m_samples.removeFirst();
    m_samples.append(counts);
    update();
}

void StatusChart::clear()
{
    m_samples.clear();
    update();
}

QSize StatusChart::sizeHint() const
{
    const int line = fontMetrics().height();
    return QSize(320, line * 9);
}

QSize StatusChart::minimumSizeHint() const
{
    const int line = fontMetrics().height();
    return QSize(200, line * 6);
}

void StatusChart::setCurrent(const Counts &counts)
{
    if (m_hasCurrent && counts == m_current)
        return;
    m_current = counts;
    m_hasCurrent = true;
    update();
}

void StatusChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    const Counts last = legendCounts();
    // The statuses drawn: the usual three, and any other some sample holds.
    QList<MemberStatus> shown;
    for (const MemberStatus status : kAllMemberStatuses) {
        if (statusAlwaysShown(status)
            || std::any_of(m_samples.cbegin(), m_samples.cend(),
                [status](const Counts &c) { return c.count(status) > 0; }))
            shown.append(status);
    }

    // Legend on top: line style, symbol, name and the current count, flowing onto a second
    // row when the chart is narrow; the chart below.
    int x = 6;
    int y = 2;
    for (const MemberStatus status : std::as_const(shown)) {
        const QString text = statusSymbol(status) + QLatin1Char(' ') + memberStatusText(status)
            + QLatin1Char(' ') + QString::number(last.count(status));
        const int entryWidth = 22 + metrics.horizontalAdvance(text);
        if (x > 6 && x + entryWidth > width() - 4) {
            x = 6;
            y += line + 2;
        }
        painter.setPen(QPen(statusColor(status, palette()), 2, statusPenStyle(status)));
        painter.drawLine(x, y + line / 2, x + 18, y + line / 2);
        painter.setPen(statusColor(status, palette()));
        painter.drawText(QPoint(x + 22, y + metrics.ascent()), text);
        x += entryWidth + 12;
    }
    const int legendBottom = y + line;

    // The time axis grows with the data (one minute at first) up to the capacity.
    const int span = int(std::clamp<qsizetype>(m_samples.size(), 60, m_capacity));
    int maxValue = 1;
    for (const Counts &c : std::as_const(m_samples)) {
        for (const MemberStatus status : std::as_const(shown))
            maxValue = std::max(maxValue, c.count(status));
    }
    const QString maxLabel = QString::number(maxValue);
    const int labelWidth = metrics.horizontalAdvance(maxLabel) + 6;
    const QRect plot(labelWidth + 4, legendBottom + 8, width() - labelWidth - 10,
        height() - legendBottom - line - 12);
    if (plot.width() < 10 || plot.height() < 10)
        return;

    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(plot);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(0, plot.top() - line / 2, labelWidth, line), Qt::AlignRight, maxLabel);
    painter.drawText(
        QRect(0, plot.bottom() - line / 2, labelWidth, line), Qt::AlignRight, QStringLiteral("0"));
    painter.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), line), Qt::AlignLeft,
        tr("%1 s ago").arg(span));
    painter.drawText(
        QRect(plot.left(), plot.bottom() + 2, plot.width(), line), Qt::AlignRight, tr("now"));

    if (m_samples.isEmpty())
        return;
    const double step = double(plot.width()) / double(span - 1);
    const double startX = double(plot.right()) - step * double(m_samples.size() - 1);
    const auto yOf = [&](int value) {
        return double(plot.bottom()) - double(value) * double(plot.height()) / double(maxValue);
    };
    // Backwards so the online line, the one people watch, is drawn on top.
    for (auto it = shown.crbegin(); it != shown.crend(); ++it) {
        const MemberStatus status = *it;
        QPainterPath path;
        for (qsizetype s = 0; s < m_samples.size(); ++s) {
            const QPointF point(startX + step * double(s), yOf(m_samples.at(s).count(status)));
            if (s == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(statusColor(status, palette()), 2, statusPenStyle(status)));
        painter.drawPath(path);
    }
}

} // namespace shoal::ui
