// The event log: a filterable table of joins, status and metadata changes, restarts and
// rejected datagrams, exportable as CSV or JSON.
#pragma once

#include <QSortFilterProxyModel>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace shoal::ui {

// Filters the log by kind (the "Kind" column, found by its header) and by text in any column.
class EventFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventFilterProxy(QObject *parent = nullptr);
    void setKind(const QString &kind); // empty: every kind
    void setText(const QString &text);
    int kindColumn() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_kind;
    QString m_text;
};

// The rows a model shows, as CSV (RFC 4180 quoting) or a JSON array of objects keyed by header.
QByteArray exportCsv(const QAbstractItemModel &model);
QByteArray exportJson(const QAbstractItemModel &model);

class EventLogView final : public QWidget
{
    Q_OBJECT
public:
    explicit EventLogView(QWidget *parent = nullptr);
    void setModel(QAbstractItemModel *model, int sortRole);
    EventFilterProxy *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *kindBox() const { return m_kind; }
    QTableView *view() const { return m_view; }

    // Writes what is shown (filtered) to path; CSV unless the name ends in .json.
    bool exportTo(const QString &path, QString *error = nullptr) const;

private:
    void refreshKinds();

    EventFilterProxy *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QComboBox *m_kind;
    bool m_follow = true;
};

} // namespace shoal::ui
