#include "model/spreadtracker.h"

#include <algorithm>

namespace shoal {

SpreadTracker::SpreadTracker(QObject *parent)
    : QObject(parent)
{ }

void SpreadTracker::setLocalClock(quint64 clock)
{
    if (clock == m_localClock)
        return;
    m_localClock = clock;
    recount();
}

void SpreadTracker::acknowledge(const QString &peer, quint64 clock)
{
    quint64 &known = m_acks[peer];
    if (clock <= known)
        return;
    known = clock;
    recount();
}

void SpreadTracker::setPeerCount(int count)
{
    count = std::max(0, count);
    if (count == m_peerCount)
        return;
    m_peerCount = count;
    emit changed();
}

void SpreadTracker::forgetAcknowledgements()
{
    m_acks.clear();
    recount();
}

void SpreadTracker::clear()
{
    m_localClock = 0;
    m_peerCount = 0;
    m_acks.clear();
    recount();
}

void SpreadTracker::recount()
{
    // Linear in the peers, once per acknowledgement batch (the backend thread merges them).
    int acknowledged = 0;
    for (auto it = m_acks.cbegin(); it != m_acks.cend(); ++it) {
        if (m_localClock > 0 && it.value() >= m_localClock)
            ++acknowledged;
    }
    m_acknowledged = acknowledged;
    emit changed();
}

} // namespace shoal
