// The Values view's proxy: keys (rows) filtered by text and sorted on raw values; members
// (columns) filtered by the members' filter expression (model/memberfilter.h: name, role=imap,
// status:suspect), read against the members table.
#pragma once

#include "model/memberfilter.h"

#include <QPointer>
#include <QSortFilterProxyModel>

namespace shoal {
class MemberTableModel;
} // namespace shoal

namespace shoal::ui {

class ValuesProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ValuesProxy(QObject *parent = nullptr);

    // Where the member columns' statuses and metadata are read (null: every member shown).
    void setMembers(MemberTableModel *members);
    // Keys containing this text (any case).
    void setKeyText(const QString &text);
    // Member columns matching this filter expression; the fixed columns always stay.
    void setMemberText(const QString &text);
    QString memberText() const { return m_memberText; }

protected:
    bool filterAcceptsColumn(int sourceColumn, const QModelIndex &sourceParent) const override;

private:
    QPointer<MemberTableModel> m_members;
    QString m_memberText;
    MemberFilterExpression m_memberExpression;
    bool m_recheckQueued = false;
};

} // namespace shoal::ui
