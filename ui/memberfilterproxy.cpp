#include "ui/memberfilterproxy.h"

#include "model/itemroles.h"
#include "model/membertablemodel.h"
#include "model/naturalcompare.h"

namespace shoal::ui {

MemberFilterProxy::MemberFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Rows change status all the time: keep them where the sort says.
    setDynamicSortFilter(true);
}

void MemberFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    QSortFilterProxyModel::setSourceModel(model);
    guessColumns();
}

void MemberFilterProxy::guessColumns()
{
    const QAbstractItemModel *model = sourceModel();
    if (!model)
        return;
    // The member table's headers are translated: its columns are known without reading them.
    if (qobject_cast<const MemberTableModel *>(model)) {
        m_nameColumn = MemberTableModel::NameColumn;
        m_statusColumn = MemberTableModel::StatusColumn;
        return;
    }
    for (int column = 0; column < model->columnCount(); ++column) {
        const QString header
            = model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().trimmed();
        if (header.compare(QLatin1String("Name"), Qt::CaseInsensitive) == 0)
            m_nameColumn = column;
        else if (header.compare(QLatin1String("Status"), Qt::CaseInsensitive) == 0)
            m_statusColumn = column;
    }
}

void MemberFilterProxy::setNameColumn(int column)
{
    m_nameColumn = column;
    invalidateFilter();
}

void MemberFilterProxy::setStatusColumn(int column)
{
    m_statusColumn = column;
    invalidateFilter();
}

void MemberFilterProxy::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_expression = MemberFilterExpression::parse(trimmed);
    invalidateFilter();
}

void MemberFilterProxy::setStatusVisible(MemberStatus status, bool visible)
{
    if (visible == isStatusVisible(status))
        return;
    if (visible)
        m_hidden.remove(status);
    else
        m_hidden.insert(status);
    invalidateFilter();
}

std::optional<MemberStatus> MemberFilterProxy::parseStatus(const QString &text)
{
    for (const MemberStatus status : kAllMemberStatuses) {
        if (text.contains(memberStatusName(status), Qt::CaseInsensitive)
            || text.contains(memberStatusText(status), Qt::CaseInsensitive))
            return status;
    }
    return std::nullopt;
}

bool MemberFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!m_hidden.isEmpty()) {
        // The models give the raw status on every cell (StatusRole); text is the fallback.
        const QModelIndex cell = model->index(sourceRow, m_statusColumn, sourceParent);
        const QVariant raw = cell.data(StatusRole);
        std::optional<MemberStatus> status;
        if (raw.isValid() && raw.toInt() >= 0 && raw.toInt() < kMemberStatusCount)
            status = MemberStatus(raw.toInt());
        else
            status = parseStatus(cell.data().toString());
        if (status && m_hidden.contains(*status))
            return false;
    }
    if (m_text.isEmpty())
        return true;
    if (const auto *members = qobject_cast<const MemberTableModel *>(model))
        return m_expression.matches(members->record(sourceRow));
    // The text matches any visible column: a name, a status, a key count typed by hand.
    for (int column = 0; column < model->columnCount(sourceParent); ++column) {
        if (model->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool MemberFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString) {
        const int order = naturalCompare(a.toString(), b.toString());
        if (order != 0)
            return order < 0;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace shoal::ui
