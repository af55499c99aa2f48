#include "ui/eventlooplag.h"

#include <algorithm>
#include <cmath>

namespace shoal::ui {

EventLoopLag::EventLoopLag(int intervalMs, int window, QObject *parent)
    : QObject(parent)
    , m_intervalNs(qint64(intervalMs) * 1000000)
    , m_window(std::max(1, window))
{
    // A precise timer: a coarse one may legitimately fire 5% late, which would read as lag.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopLag::onTimeout);
}

void EventLoopLag::start()
{
    m_samples.clear();
    m_samples.reserve(m_window);
    m_next = 0;
    m_total = 0;
    m_max = 0;
    m_clock.start();
    m_expectedNs = m_intervalNs;
    m_timer.start(int(m_intervalNs / 1000000));
}

void EventLoopLag::stop()
{
    m_timer.stop();
}

void EventLoopLag::onTimeout()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double lagMs = double(std::max<qint64>(0, now - m_expectedNs)) / 1e6;
    if (m_samples.size() < m_window) {
        m_samples.append(lagMs);
    } else {
        m_samples[m_next] = lagMs;
        m_next = (m_next + 1) % m_window;
    }
    ++m_total;
    m_max = std::max(m_max, lagMs);
    // Schedule from now, not from the missed deadline: one long stall is one bad sample.
    m_expectedNs = now + m_intervalNs;
    m_timer.start(int(m_intervalNs / 1000000));
    emit sampled(lagMs);
}

EventLoopLag::Figures EventLoopLag::figures() const
{
    Figures figures;
    figures.samples = m_total;
    if (m_samples.isEmpty())
        return figures;
    QVector<double> sorted = m_samples;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double q) {
        const auto index = qsizetype(std::ceil(q * double(sorted.size()))) - 1;
        return sorted.at(std::clamp<qsizetype>(index, 0, sorted.size() - 1));
    };
    figures.p50Ms = at(0.50);
    figures.p99Ms = at(0.99);
    figures.maxMs = m_max;
    return figures;
}

QString EventLoopLag::summary() const
{
    const Figures f = figures();
    return QStringLiteral("event-loop lag: p50 %1 ms, p99 %2 ms, max %3 ms over %4 samples")
        .arg(f.p50Ms, 0, 'f', 1)
        .arg(f.p99Ms, 0, 'f', 1)
        .arg(f.maxMs, 0, 'f', 1)
        .arg(f.samples);
}

} // namespace shoal::ui
