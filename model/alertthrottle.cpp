#include "model/alertthrottle.h"

namespace shoal {

std::optional<QString> AlertThrottle::offer(qint64 nowMs, const QString &text)
{
    if (m_shownOnce && nowMs - m_lastShownMs < m_intervalMs) {
        m_held << text;
        return std::nullopt;
    }
    m_held << text;
    return due(nowMs);
}

std::optional<QString> AlertThrottle::due(qint64 nowMs)
{
    if (m_held.isEmpty() || (m_shownOnce && nowMs - m_lastShownMs < m_intervalMs))
        return std::nullopt;
    QString text = m_held.constLast();
    if (m_held.size() > 1)
        text += QStringLiteral(" (and %1 more change%2)")
                    .arg(m_held.size() - 1)
                    .arg(m_held.size() > 2 ? QStringLiteral("s") : QString());
    m_held.clear();
    m_lastShownMs = nowMs;
    m_shownOnce = true;
    return text;
}

} // namespace shoal
