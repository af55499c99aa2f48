#include "model/memberfilter.h"

namespace shoal {

namespace {

// Splits on blanks, except inside double quotes (which are dropped).
QStringList words(const QString &text)
{
    QStringList result;
    QString current;
    bool quoted = false;
    bool any = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            any = true;
        } else if (c.isSpace() && !quoted) {
            if (any)
                result << current;
            current.clear();
            any = false;
        } else {
            current += c;
            any = true;
        }
    }
    if (any)
        result << current;
    return result;
}

} // namespace

MemberFilterExpression MemberFilterExpression::parse(const QString &text)
{
    MemberFilterExpression expression;
    for (const QString &word : words(text)) {
        if (word.startsWith(QLatin1String("status:"), Qt::CaseInsensitive)) {
            expression.m_statusGiven = true;
            const QString wanted = word.mid(7);
            for (const MemberStatus status : kAllMemberStatuses) {
                if (!wanted.isEmpty()
                    && (memberStatusName(status).startsWith(wanted, Qt::CaseInsensitive)
                        || memberStatusText(status).startsWith(wanted, Qt::CaseInsensitive)))
                    expression.m_statuses << status;
            }
            continue;
        }
        const qsizetype equals = word.indexOf(QLatin1Char('='));
        if (equals > 0) {
            expression.m_tags.append({ word.left(equals), word.mid(equals + 1) });
            continue;
        }
        expression.m_words << word;
    }
    return expression;
}

QString MemberFilterExpression::tagWord(const QString &key, const QString &value)
{
    const QString word = key + QLatin1Char('=') + value;
    bool plain = !word.contains(QLatin1Char('"'));
    for (const QChar c : word)
        plain = plain && !c.isSpace();
    if (plain)
        return word;
    QString quoted = word;
    quoted.remove(QLatin1Char('"')); // a quote cannot be typed inside a quoted word
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool MemberFilterExpression::matches(const MemberRecord &member) const
{
    if (m_statusGiven && !m_statuses.contains(member.status))
        return false;
    for (const QString &word : m_words) {
        if (!member.name.contains(word, Qt::CaseInsensitive))
            return false;
    }
    for (const auto &[key, value] : m_tags) {
        if (!member.metadata || !member.metadata->contains(key))
            return false;
        if (!value.isEmpty()
            && QString::fromUtf8(member.metadata->value(key)).compare(value, Qt::CaseInsensitive)
                != 0)
            return false;
    }
    return true;
}

} // namespace shoal
