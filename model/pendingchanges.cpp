#include "model/pendingchanges.h"

#include "model/itemroles.h"

#include <algorithm>
#include <array>

namespace shoal {

namespace {

// Every role a Shoal model reports in dataChanged; a role's bit is its index here. Shoal's own
// roles come from their enum, so a role added there is tracked without an edit here.
constexpr std::array<int, 10> kQtRoles = { Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole,
    Qt::DecorationRole, Qt::BackgroundRole, Qt::ForegroundRole, Qt::FontRole, Qt::TextAlignmentRole,
    Qt::CheckStateRole, Qt::AccessibleTextRole };
constexpr std::size_t kRoleCount = kQtRoles.size() + std::size_t(EndOfShoalRoles - SortRole);
static_assert(kRoleCount <= 32, "role bits are a quint32");

constexpr std::array<int, kRoleCount> makeRoles()
{
    std::array<int, kRoleCount> roles {};
    std::size_t i = 0;
    for (int role : kQtRoles)
        roles[i++] = role;
    for (int role = SortRole; role < EndOfShoalRoles; ++role)
        roles[i++] = role;
    return roles;
}
constexpr std::array<int, kRoleCount> kRoles = makeRoles();

} // namespace

quint32 PendingChanges::roleBits(const QList<int> &roles)
{
    quint32 bits = 0;
    for (int role : roles) {
        const auto it = std::find(kRoles.begin(), kRoles.end(), role);
        // An unknown role widens to "all roles" rather than being lost.
        if (it == kRoles.end())
            return ~quint32 { 0 };
        bits |= quint32 { 1 } << static_cast<unsigned>(it - kRoles.begin());
    }
    return bits;
}

QList<int> PendingChanges::rolesOf(quint32 bits)
{
    // All bits set: an empty role list, which dataChanged reads as "every role".
    if (bits == ~quint32 { 0 })
        return {};
    QList<int> roles;
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
        if (bits & (quint32 { 1 } << i))
            roles.append(kRoles[i]);
    }
    return roles;
}

void PendingChanges::mark(int row, int left, int right, const QList<int> &roles)
{
    if (row < 0 || left < 0 || right < left)
        return;
    RowMark &mark = m_rows[row];
    if (mark.columns.size() <= right)
        mark.columns.resize(right + 1);
    mark.columns.fill(true, left, right + 1);
    mark.roles |= roleBits(roles);
}

QList<PendingChanges::Range> PendingChanges::take(int rowCount)
{
    QList<Range> ranges;
    if (m_rows.isEmpty() || rowCount <= 0) {
        m_rows.clear();
        return ranges;
    }

    if (m_rows.size() * 2 > rowCount) {
        quint32 roles = 0;
        qsizetype left = -1;
        qsizetype right = -1;
        for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
            roles |= it->roles;
            const QBitArray &columns = it->columns;
            for (qsizetype c = 0; c < columns.size(); ++c) {
                if (columns.testBit(c)) {
                    if (left < 0 || c < left)
                        left = c;
                    break;
                }
            }
            for (qsizetype c = columns.size() - 1; c >= 0; --c) {
                if (columns.testBit(c)) {
                    right = qMax(right, c);
                    break;
                }
            }
        }
        m_rows.clear();
        if (left >= 0)
            ranges.append({ 0, rowCount - 1, int(left), int(right), rolesOf(roles) });
        return ranges;
    }

    QList<int> rows = m_rows.keys();
    std::sort(rows.begin(), rows.end());
    qsizetype i = 0;
    while (i < rows.size()) {
        const int top = rows.at(i);
        const RowMark &first = m_rows[top];
        qsizetype j = i + 1;
        while (j < rows.size() && rows.at(j) == rows.at(j - 1) + 1) {
            const RowMark &next = m_rows[rows.at(j)];
            if (next.roles != first.roles || next.columns != first.columns)
                break;
            ++j;
        }
        const int bottom = rows.at(j - 1);
        if (bottom < rowCount) {
            const QList<int> roles = rolesOf(first.roles);
            const QBitArray &columns = first.columns;
            qsizetype c = 0;
            while (c < columns.size()) {
                if (!columns.testBit(c)) {
                    ++c;
                    continue;
                }
                qsizetype end = c;
                while (end + 1 < columns.size() && columns.testBit(end + 1))
                    ++end;
                ranges.append({ top, bottom, int(c), int(end), roles });
                c = end + 1;
            }
        }
        i = j;
    }
    m_rows.clear();
    return ranges;
}

} // namespace shoal
