// What changed between two records of one member, as the event log and `shoal watch` tell it:
// one place for "member diff -> events", whichever protocol reported the member.
#pragma once

#include "model/member.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace shoal {

struct KeyChange
{
    QString key;
    std::optional<QByteArray> value; // nullopt: the key was removed
};

struct MemberDiff
{
    bool appeared = false; // no earlier record: the first time this member is told
    bool statusChanged = false; // appeared, or its status differs from the earlier one
    std::optional<MemberStatus> previousStatus; // nullopt when it appeared
    bool restarted = false; // its process instance changed (as the protocol reported)
    // Keys set (in key order), then keys removed (in key order); empty while the metadata is
    // unknown (nothing to say per key then), every key of it when it first becomes known.
    QList<KeyChange> keys;

    bool isEmpty() const { return !statusChanged && !restarted && keys.isEmpty(); }
};

// before: the record this reader saw last (null: none). restarted comes from the protocol,
// which alone knows that an instance changed from a known one.
MemberDiff diffMember(const MemberRecord *before, const MemberRecord &after, bool restarted);

} // namespace shoal
