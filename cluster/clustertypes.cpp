#include "cluster/clustertypes.h"

namespace shoal::cluster {

quint64 TrafficCounters::rejectedTotal() const
{
    quint64 total = 0;
    for (quint64 n : rejectedByReason)
        total += n;
    return total;
}

void registerMetaTypes()
{
    qRegisterMetaType<shoal::cluster::MemberUpdate>();
    qRegisterMetaType<QList<shoal::cluster::MemberUpdate>>();
    qRegisterMetaType<shoal::cluster::RejectReport>();
    qRegisterMetaType<QList<shoal::cluster::RejectReport>>();
    qRegisterMetaType<shoal::cluster::TrafficCounters>();
    qRegisterMetaType<shoal::cluster::ClusterEvent>();
    qRegisterMetaType<QList<shoal::cluster::ClusterEvent>>();
}

void RejectTally::note(const QString &from, const QString &reason)
{
    auto bump = [&](Counts &map) {
        const QString &key
            = map.contains(from) || map.size() < maxSources ? from : QStringLiteral("other");
        ++map[key][reason];
    };
    bump(m_pending);
    bump(m_totals);
}

QList<RejectReport> RejectTally::takePending()
{
    QList<RejectReport> reports;
    for (auto source = m_pending.cbegin(); source != m_pending.cend(); ++source) {
        for (auto reason = source->cbegin(); reason != source->cend(); ++reason)
            reports.append(RejectReport { source.key(), reason.key(), reason.value() });
    }
    m_pending.clear();
    return reports;
}

} // namespace shoal::cluster
