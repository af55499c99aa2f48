#include "model/memberdiff.h"

namespace shoal {

MemberDiff diffMember(const MemberRecord *before, const MemberRecord &after, bool restarted)
{
    MemberDiff diff;
    diff.appeared = before == nullptr;
    diff.statusChanged = diff.appeared || before->status != after.status;
    if (before)
        diff.previousStatus = before->status;
    diff.restarted = restarted;
    if (!after.metadata)
        return diff;
    const Metadata old = before && before->metadata ? *before->metadata : Metadata {};
    const Metadata &now = *after.metadata;
    if (old == now)
        return diff;
    // Keys set first, then keys removed, each in key order: the order watch has always printed.
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        const auto was = old.constFind(it.key());
        if (was == old.cend() || was.value() != it.value())
            diff.keys.append({ it.key(), it.value() });
    }
    for (auto it = old.cbegin(); it != old.cend(); ++it) {
        if (!now.contains(it.key()))
            diff.keys.append({ it.key(), std::nullopt });
    }
    return diff;
}

} // namespace shoal
