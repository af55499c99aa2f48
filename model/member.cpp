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
    }
    return QString();
}

std::optional<MemberStatus> memberStatusFromName(const QString &name)
{
    for (auto status : { MemberStatus::Online, MemberStatus::Suspect, MemberStatus::Offline }) {
        if (name.compare(memberStatusName(status), Qt::CaseInsensitive) == 0)
            return status;
    }
    return std::nullopt;
}

} // namespace shoal
