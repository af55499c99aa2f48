// Sorts the members table on raw values and filters it by text and by status.
#pragma once

#include "model/member.h"

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

    void setText(const QString &text);
    void setStatusVisible(MemberStatus status, bool visible);
    bool isStatusVisible(MemberStatus status) const { return !m_hidden.contains(status); }

    // A status read from a cell's text ("ONLINE", "● ONLINE", "suspect"...).
    static std::optional<MemberStatus> parseStatus(const QString &text);

    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void guessColumns();

    int m_nameColumn = 0;
    int m_statusColumn = 1;
    QString m_text;
    QSet<MemberStatus> m_hidden;
};

} // namespace shoal::ui
