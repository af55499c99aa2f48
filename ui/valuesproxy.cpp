#include "ui/valuesproxy.h"

#include "model/clustermetadata.h"
#include "model/membertablemodel.h"
#include "model/valuesmodel.h"

namespace shoal::ui {

ValuesProxy::ValuesProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setFilterKeyColumn(ValuesModel::KeyColumn);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void ValuesProxy::setMembers(MemberTableModel *members)
{
    if (m_members)
        m_members->disconnect(this);
    m_members = members;
    // A status or metadata change can move a member in or out of the filter: checked again
    // once per event-loop turn after the members table changed, only while a filter is set.
    if (members) {
        const auto recheck = [this] {
            if (m_memberExpression.isEmpty() || m_recheckQueued)
                return;
            m_recheckQueued = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_recheckQueued = false;
                    invalidateColumnsFilter();
                },
                Qt::QueuedConnection);
        };
        connect(members, &QAbstractItemModel::dataChanged, this, recheck);
        connect(members, &QAbstractItemModel::rowsInserted, this, recheck);
        connect(members, &QAbstractItemModel::modelReset, this, recheck);
    }
    invalidateColumnsFilter();
}

void ValuesProxy::setKeyText(const QString &text)
{
    setFilterFixedString(text);
}

void ValuesProxy::setMemberText(const QString &text)
{
    if (text == m_memberText)
        return;
    m_memberText = text;
    m_memberExpression = MemberFilterExpression::parse(text);
    invalidateColumnsFilter();
}

bool ValuesProxy::filterAcceptsColumn(int sourceColumn, const QModelIndex &sourceParent) const
{
    if (sourceColumn < ValuesModel::FixedColumnCount || m_memberExpression.isEmpty())
        return true;
    const auto *values = qobject_cast<const ValuesModel *>(sourceModel());
    const MemberTableModel *members = m_members.data();
    if (!values || !members)
        return QSortFilterProxyModel::filterAcceptsColumn(sourceColumn, sourceParent);
    const MemberRecord *record = members->find(values->memberAt(sourceColumn));
    return record && m_memberExpression.matches(*record);
}

} // namespace shoal::ui
