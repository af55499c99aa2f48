// pymap's rule for mirroring one member's change into a ClusterMetadata, in one place for the
// backends (their own mirror) and the window (its mirror, fed from another thread).
#pragma once

#include "cluster/clustertypes.h"
#include "model/clustermetadata.h"
#include "model/member.h"

namespace shoal::cluster {

// A remote member is in the metadata while AVAILABLE with known metadata, discarded otherwise.
// Only a change of status or metadata (or a first report) can move it: most batches are a
// packet heard or a probe answered, and change nothing. The local member is never mirrored
// (its mapping is ClusterMetadata::local()). Merged changes (flags OR-ed, latest record) give
// the same result as applying each one: a change without these flags keeps status and metadata.
void mirrorMember(ClusterMetadata &metadata, const MemberRecord &record, ChangeFlags what);

} // namespace shoal::cluster
