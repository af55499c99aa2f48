#include "model/member.h"

namespace shoal {

QString memberStatusName(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return QStringLiteral("ONLINE");
    case MemberStatus::Suspect:
        return QStringLiteral("SUSPECT");
    case MemberStatus::Offline:
        return QStringLiteral("OFFLINE");
    case MemberStatus::Unknown:
        return QStringLiteral("UNKNOWN");
    case MemberStatus::Leaving:
        return QStringLiteral("LEAVING");
    case MemberStatus::Left:
        return QStringLiteral("LEFT");
    }
    return QString();
}

QString memberStatusText(MemberStatus status)
{
    return status == MemberStatus::Unknown ? QStringLiteral("not heard yet")
                                           : memberStatusName(status);
}

std::optional<MemberStatus> memberStatusFromName(const QString &name)
{
    for (const MemberStatus status : kAllMemberStatuses) {
        if (name.compare(memberStatusName(status), Qt::CaseInsensitive) == 0)
            return status;
    }
    return std::nullopt;
}

} // namespace shoal
