#include "model/member.h"

#include <QCoreApplication>

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
    // Translated for the window; the CLI installs no translator, so it reads English there.
    switch (status) {
    case MemberStatus::Online:
        return QCoreApplication::translate("shoal::MemberStatus", "ONLINE");
    case MemberStatus::Suspect:
        return QCoreApplication::translate("shoal::MemberStatus", "SUSPECT");
    case MemberStatus::Offline:
        return QCoreApplication::translate("shoal::MemberStatus", "OFFLINE");
    case MemberStatus::Unknown:
        return QCoreApplication::translate("shoal::MemberStatus", "not heard yet");
    case MemberStatus::Leaving:
        return QCoreApplication::translate("shoal::MemberStatus", "LEAVING");
    case MemberStatus::Left:
        return QCoreApplication::translate("shoal::MemberStatus", "LEFT");
    }
    return QString();
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
