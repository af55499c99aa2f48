#include "cluster/mirrorrule.h"

namespace shoal::cluster {

void mirrorMember(ClusterMetadata &metadata, const MemberRecord &record, ChangeFlags what)
{
    constexpr ChangeFlags mirrored = ChangeFlag::Added | ChangeFlag::Status | ChangeFlag::Metadata;
    if (what & ChangeFlag::Removed) {
        metadata.discard(record.name);
        return;
    }
    if (record.local || !(what & mirrored))
        return;
    if (record.available() && record.metadata)
        metadata.add(record.name, *record.metadata);
    else
        metadata.discard(record.name);
}

} // namespace shoal::cluster
