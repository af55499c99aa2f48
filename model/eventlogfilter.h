// Filters the event log by kind and by text, and exports what it shows.
#pragma once

#include "model/eventlogmodel.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace shoal {

class EventLogFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventLogFilter(QObject *parent = nullptr);

    void setKindVisible(EventKind kind, bool visible);
    bool isKindVisible(EventKind kind) const { return !m_hidden.contains(kind); }
    // Case-insensitive substring of the member, the detail or the kind; empty shows all.
    void setText(const QString &text);
    QString text() const { return m_text; }

    // The rows this filter shows, in its order, through the source log's exporters.
    bool exportCsv(QIODevice *device, ExportValues values = ExportValues::AsShown) const;
    bool exportJson(QIODevice *device, ExportValues values = ExportValues::AsShown) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QList<int> sourceRows() const;

    QSet<EventKind> m_hidden;
    QString m_text;
};

} // namespace shoal
