// Collects the cells an item model changed until its next flush and turns them into as few,
// as precise, dataChanged rectangles as the changes allow.
#pragma once

#include <QBitArray>
#include <QHash>
#include <QList>

namespace shoal {

class PendingChanges final
{
public:
    struct Range
    {
        int top = 0;
        int bottom = 0;
        int left = 0;
        int right = 0;
        QList<int> roles;
    };

    // Cells left..right of row changed in roles.
    void mark(int row, int left, int right, const QList<int> &roles);
    void mark(int row, int column, const QList<int> &roles) { mark(row, column, column, roles); }

    bool isEmpty() const { return m_rows.isEmpty(); }
    qsizetype dirtyRowCount() const { return m_rows.size(); }
    void clear() { m_rows.clear(); }
    // Forgets a row's marks (a row about to be removed needs no dataChanged).
    void forgetRow(int row) { m_rows.remove(row); }

    // Empties the set and returns the rectangles to emit, top to bottom. Consecutive rows with the
    // same changed columns and roles share a rectangle; a row's columns split into contiguous
    // runs. When more than half of rowCount rows changed, one rectangle spans every row (and the
    // columns any row changed), as qBittorrent's transfer list does: one signal beats thousands.
    QList<Range> take(int rowCount);

private:
    struct RowMark
    {
        QBitArray columns;
        quint32 roles = 0;
    };
    static quint32 roleBits(const QList<int> &roles);
    static QList<int> rolesOf(quint32 bits);

    QHash<int, RowMark> m_rows;
};

} // namespace shoal
