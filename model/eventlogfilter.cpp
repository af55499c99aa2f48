#include "model/eventlogfilter.h"

#include "model/itemroles.h"

namespace shoal {

EventLogFilter::EventLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
}

void EventLogFilter::setKindVisible(EventKind kind, bool visible)
{
    if (visible == isKindVisible(kind))
        return;
    if (visible)
        m_hidden.remove(kind);
    else
        m_hidden.insert(kind);
    invalidateFilter();
}

void EventLogFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!source)
        return false;
    const QModelIndex kindIndex = source->index(sourceRow, EventLogModel::KindColumn, sourceParent);
    const auto kind = static_cast<EventKind>(kindIndex.data(StatusRole).toInt());
    if (m_hidden.contains(kind))
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column :
        { EventLogModel::KindColumn, EventLogModel::MemberColumn, EventLogModel::DetailColumn }) {
        if (source->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QList<int> EventLogFilter::sourceRows() const
{
    QList<int> rows;
    rows.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row)
        rows.append(mapToSource(index(row, 0)).row());
    return rows;
}

bool EventLogFilter::exportCsv(QIODevice *device, ExportValues values) const
{
    const auto *log = qobject_cast<const EventLogModel *>(sourceModel());
    if (!log)
        return false;
    const QList<int> rows = sourceRows();
    // An empty selection would mean "all" to the log: write just the header then.
    return rows.isEmpty() && log->rowCount() > 0 ? log->exportCsv(device, { -1 }, values)
                                                 : log->exportCsv(device, rows, values);
}

bool EventLogFilter::exportJson(QIODevice *device, ExportValues values) const
{
    const auto *log = qobject_cast<const EventLogModel *>(sourceModel());
    if (!log)
        return false;
    const QList<int> rows = sourceRows();
    return rows.isEmpty() && log->rowCount() > 0 ? log->exportJson(device, { -1 }, values)
                                                 : log->exportJson(device, rows, values);
}

} // namespace shoal
