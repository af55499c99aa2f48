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
}

} // namespace shoal::cluster
