#include "net/mirrorrule.h"

namespace shoal::swim {

void mirrorMember(ClusterMetadata &metadata, const MemberRecord &record, MemberChangeFlags what)
{
    constexpr MemberChangeFlags mirrored
        = MemberChangeFlag::Added | MemberChangeFlag::Status | MemberChangeFlag::Metadata;
    if (record.local || !(what & mirrored))
        return;
    if (record.available() && record.metadata)
        metadata.add(record.name, *record.metadata);
    else
        metadata.discard(record.name);
}

} // namespace shoal::swim
