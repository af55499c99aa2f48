// Item roles and cell tones shared by Shoal's item models and the views that show them.
#pragma once

#include <QVariant>
#include <Qt>

#include <functional>

namespace shoal {

// Custom roles, the same numbers on every Shoal model.
enum ItemRole : int {
    // The raw value to sort on (numbers as numbers: a clock 10 sorts after 9). Point a
    // QSortFilterProxyModel at it with setSortRole(shoal::SortRole).
    SortRole = Qt::UserRole + 1,
    // Members table: int(MemberStatus) on every cell of the row. Event log: int(EventKind).
    StatusRole,
    // bool: the row is the local member (members table), the column is the local value (values).
    LocalRole,
    // QString: the row's key (member name, metadata key); stable across sorting and filtering.
    KeyRole,
    // QByteArray: the raw bytes of a value cell (values model, local editor).
    RawValueRole,
    // bool: a values cell that differs from the key's majority value.
    DisagreeRole,
    // int(Tone): what the cell's colour means; Background/ForegroundRole come from toneColors().
    ToneRole,
    // bool: a local editor row with an edit not yet applied.
    DirtyRole,
    // bool (settable): a local editor row shows and edits its value as hex.
    HexModeRole,
    // QDateTime: the time a cell is about (since, last heard, event time).
    TimeRole,
    // One past the last role: new roles go above, and PendingChanges tracks them all.
    EndOfShoalRoles,
};

// What a cell's colour says; the text always says it too (colour is never the only cue).
enum class Tone : quint8 {
    Normal,
    Good, // online, answered
    Warning, // suspect, values disagree
    Bad, // offline, no answer, rejected
    Muted, // a row of an offline member
    Highlight, // the local member, an unapplied edit
};

// The models live in Qt Core and cannot build a QColor/QBrush (Qt Gui). The window installs one
// function that maps a tone to a colour for Qt::BackgroundRole or Qt::ForegroundRole; until then
// those roles return an invalid QVariant and views use their palette.
using ToneColors = std::function<QVariant(Tone tone, int role)>;
void setToneColors(ToneColors colors);
// The installed colour of tone for role (Background/Foreground), or an invalid QVariant.
QVariant toneColor(Tone tone, int role);

} // namespace shoal
