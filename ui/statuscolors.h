// One colour for each member status, from the palette, paired with a symbol so colour is never the
// only cue.
#pragma once

#include "model/member.h"
#include "ui/palettecolors.h"

#include <QColor>
#include <QGuiApplication>
#include <QString>

namespace shoal::ui {

// The status's colour in the application's palette (light or dark), readable at >= 4.5:1 as
// text on its window, base and button colours (ui/palettecolors.h).
inline QColor statusColor(MemberStatus status)
{
    return statusColor(status, QGuiApplication::palette());
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
