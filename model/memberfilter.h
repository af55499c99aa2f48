// The members filter typed after Ctrl+F: words separated by blanks, all of which must match.
//   imap            free text: the member's name contains it (any case)
//   role=imap       metadata: the key's value is exactly this (any case); `role=` has the key
//   status:suspect  the status starts with this (ONLINE, SUSPECT, OFFLINE, UNKNOWN, ...);
//                   several status: words match any of them
// Double quotes keep blanks in a word: role="mail server". Nothing matches columns that change
// by themselves (since, last heard), so a row never flickers in and out.
#pragma once

#include "model/member.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace shoal {

class MemberFilterExpression
{
public:
    static MemberFilterExpression parse(const QString &text);
    // key=value as a filter word, quoted when it needs to be.
    static QString tagWord(const QString &key, const QString &value);

    bool isEmpty() const { return m_words.isEmpty() && m_tags.isEmpty() && !m_statusGiven; }
    bool matches(const MemberRecord &member) const;

private:
    QStringList m_words;
    QList<QPair<QString, QString>> m_tags;
    QList<MemberStatus> m_statuses;
    bool m_statusGiven = false; // status: words given (none valid: nothing matches)
};

} // namespace shoal
