// One palette for member statuses, paired with a symbol so colour is never the only cue.
#pragma once

#include "model/member.h"

#include <QColor>
#include <QString>

namespace shoal::ui {

// Dark enough to read as text on a light background, and as a fill behind dark text when lightened.
inline QColor statusColor(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return QColor(0x1b, 0x7f, 0x3b); // green
    case MemberStatus::Suspect:
        return QColor(0xb3, 0x5c, 0x00); // amber
    case MemberStatus::Offline:
        return QColor(0x5f, 0x63, 0x68); // grey
    }
    return QColor(Qt::black);
}

// A shape for each status: readable in grey-scale and by colour-blind users.
inline QString statusSymbol(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return QStringLiteral("\u25CF"); // black circle
    case MemberStatus::Suspect:
        return QStringLiteral("\u25B2"); // black up-pointing triangle
    case MemberStatus::Offline:
        return QStringLiteral("\u25CB"); // white circle
    }
    return QString();
}

// Line style of each status in the chart, for the same reason.
inline Qt::PenStyle statusPenStyle(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return Qt::SolidLine;
    case MemberStatus::Suspect:
        return Qt::DashLine;
    case MemberStatus::Offline:
        return Qt::DotLine;
    }
    return Qt::SolidLine;
}

constexpr MemberStatus kAllStatuses[]
    = { MemberStatus::Online, MemberStatus::Suspect, MemberStatus::Offline };

} // namespace shoal::ui
