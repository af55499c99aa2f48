#include "model/alertthrottle.h"

#include <QCoreApplication>

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
    if (m_held.size() == 2)
        text = QCoreApplication::translate("shoal::AlertThrottle", "%1 (and 1 more change)")
                   .arg(text);
    else if (m_held.size() > 2)
        text = QCoreApplication::translate("shoal::AlertThrottle", "%1 (and %2 more changes)")
                   .arg(text, QString::number(m_held.size() - 1));
    m_held.clear();
    m_lastShownMs = nowMs;
    m_shownOnce = true;
    return text;
}

} // namespace shoal
