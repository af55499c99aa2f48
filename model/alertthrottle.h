// Desktop notifications without a flood: at most one alert per interval; what comes in between
// is held and summed up in the next one ("and 4 more changes").
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace shoal {

class AlertThrottle
{
public:
    explicit AlertThrottle(qint64 intervalMs = 10000)
        : m_intervalMs(intervalMs)
    { }

    // The text to show now, or nullopt when one was shown less than the interval ago (the text
    // is then held for due()).
    std::optional<QString> offer(qint64 nowMs, const QString &text);
    // The held alerts as one text once the interval has passed; nullopt when none or too early.
    std::optional<QString> due(qint64 nowMs);
    bool hasHeld() const { return !m_held.isEmpty(); }
    qint64 intervalMs() const { return m_intervalMs; }

private:
    qint64 m_intervalMs;
    qint64 m_lastShownMs = 0;
    bool m_shownOnce = false;
    QStringList m_held;
};

} // namespace shoal
