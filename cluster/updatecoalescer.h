// Merges a worker thread's member updates and acknowledgements between two deliveries, so that a
// flood (every packet is a batch) posts one event per window to the owner thread, not one per
// packet.
#pragma once

#include "cluster/clustertypes.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace shoal::cluster {

class UpdateCoalescer final
{
public:
    // Per member: the FIRST previous (the record the receiver saw last), the LATEST record and
    // localVerdict (both describe the current version), the flags OR-ed.
    void add(const QList<MemberUpdate> &updates);
    // Per peer: the highest clock acknowledged.
    void acknowledge(const QString &peer, quint64 clock);
    bool isEmpty() const { return m_order.isEmpty() && m_acks.isEmpty(); }
    // In the order members were first seen since the last take.
    QList<MemberUpdate> takeUpdates();
    QList<QPair<QString, quint64>> takeAcknowledgements();

private:
    QHash<QString, MemberUpdate> m_updates;
    QStringList m_order;
    QHash<QString, quint64> m_acks;
};

} // namespace shoal::cluster
