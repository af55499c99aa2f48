// Sorts the members table on raw values (names in natural order: 10.0.0.9 before 10.0.0.10) and
// filters it by a filter expression (MemberFilterExpression) and by status.
#pragma once

#include "model/member.h"
#include "model/memberfilter.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace shoal::ui {

class MemberFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MemberFilterProxy(QObject *parent = nullptr);

    // The columns are found by header text ("Name", "Status") when the source is set, so the
    // proxy does not depend on the source's column order; these override the guess.
    void setNameColumn(int column);
    void setStatusColumn(int column);
    int nameColumn() const { return m_nameColumn; }
    int statusColumn() const { return m_statusColumn; }

    // A filter expression (model/memberfilter.h) on a MemberTableModel source; on any other
    // source, text that any cell contains.
    void setText(const QString &text);
    QString text() const { return m_text; }
    void setStatusVisible(MemberStatus status, bool visible);
    bool isStatusVisible(MemberStatus status) const { return !m_hidden.contains(status); }

    // A status read from a cell's text ("ONLINE", "● ONLINE", "suspect"...).
    static std::optional<MemberStatus> parseStatus(const QString &text);

    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void guessColumns();

    int m_nameColumn = 0;
    int m_statusColumn = 1;
    QString m_text;
    MemberFilterExpression m_expression;
    QSet<MemberStatus> m_hidden;
};

} // namespace shoal::ui
