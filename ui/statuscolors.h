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
    case MemberStatus::Unknown:
        return QColor(0x80, 0x80, 0x80); // light grey: nothing known
    case MemberStatus::Leaving:
        return QColor(0x1f, 0x5f, 0xa8); // blue: going on purpose
    case MemberStatus::Left:
        return QColor(0x3f, 0x51, 0x6b); // slate
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
    case MemberStatus::Unknown:
        return QStringLiteral("\u25CC"); // dotted circle
    case MemberStatus::Leaving:
        return QStringLiteral("\u25D0"); // circle with left half black
    case MemberStatus::Left:
        return QStringLiteral("\u25A1"); // white square
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
    case MemberStatus::Unknown:
        return Qt::DashDotDotLine;
    case MemberStatus::Leaving:
    case MemberStatus::Left:
        return Qt::DashDotLine;
    }
    return Qt::SolidLine;
}

// Online, suspect and offline are always shown (a zero says something); the others only while
// some member is in them, so a swim cluster never shows LEAVING or LEFT.
inline bool statusAlwaysShown(MemberStatus status)
{
    return status == MemberStatus::Online || status == MemberStatus::Suspect
        || status == MemberStatus::Offline;
}

} // namespace shoal::ui
