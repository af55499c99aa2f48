#pragma once

#include <QTimer>

#include <algorithm>
#include <limits>

namespace shoal::net {

// The single-shot timer that wakes a protocol engine at its next deadline (swim and Serf
// services). It is re-armed only when the engine needs it earlier: a timer start or stop is
// linear in the timers of the thread (Qt keeps them in a sorted list), and one process may run a
// thousand members. Armed too early, it costs one tick that finds nothing due.
class EngineTimer
{
public:
    template<typename Receiver, typename Slot> EngineTimer(Receiver *receiver, Slot slot)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, receiver, slot);
    }

    void arm(qint64 deadlineMs, qint64 nowMs)
    {
        if (m_timer.isActive() && deadlineMs >= m_armedDeadlineMs)
            return;
        m_armedDeadlineMs = deadlineMs;
        m_timer.start(static_cast<int>(
            std::clamp<qint64>(deadlineMs - nowMs, 0, std::numeric_limits<int>::max() / 2)));
    }

    void stop() { m_timer.stop(); }

private:
    QTimer m_timer;
    qint64 m_armedDeadlineMs = 0; // when m_timer fires, while active
};

} // namespace shoal::net
