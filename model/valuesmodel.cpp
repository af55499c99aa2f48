#include "model/valuesmodel.h"

#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/valuetext.h"

#include <algorithm>

namespace shoal {

namespace {

const QList<int> kValueRoles { Qt::DisplayRole, Qt::ToolTipRole, SortRole, RawValueRole };
const QList<int> kFlagRoles { DisagreeRole, ToneRole, Qt::BackgroundRole, Qt::ForegroundRole,
    Qt::ToolTipRole };
const QList<int> kDistinctRoles { Qt::DisplayRole, SortRole, ToneRole, Qt::BackgroundRole,
    Qt::ForegroundRole, Qt::ToolTipRole };
const QList<int> kHiddenRoles { Qt::DisplayRole, Qt::ToolTipRole, SortRole, RawValueRole };

const QString kMask = QStringLiteral("\u2022\u2022\u2022\u2022");

QList<int> unite(const QList<int> &a, const QList<int> &b)
{
    QList<int> roles = a;
    for (int role : b) {
        if (!roles.contains(role))
            roles.append(role);
    }
    return roles;
}

const QList<int> kCellRoles = unite(kValueRoles, kFlagRoles);

// Removes the given sorted-descending indices from list in contiguous runs; calls remove(first,
// last) around each run so the model can signal it.
template<typename Begin, typename End>
void removeRuns(const QList<int> &descending, Begin begin, End end)
{
    qsizetype i = 0;
    while (i < descending.size()) {
        const int last = descending.at(i);
        int first = last;
        while (i + 1 < descending.size() && descending.at(i + 1) == first - 1)
            first = descending.at(++i);
        ++i;
        begin(first, last);
        end();
    }
}

} // namespace

ValuesModel::ValuesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &ValuesModel::flush);
}

ValuesModel::~ValuesModel() = default;

void ValuesModel::setClusterMetadata(ClusterMetadata *metadata)
{
    if (m_metadata)
        disconnect(m_metadata, nullptr, this, nullptr);
    m_metadata = metadata;
    if (metadata) {
        connect(metadata, &ClusterMetadata::remoteValueChanged, this,
            [this](
                const QString &key, const QString &member) { onRemoteValueChanged(key, member); });
        connect(metadata, &ClusterMetadata::localKeyChanged, this, &ValuesModel::onLocalKeyChanged);
        connect(metadata, &ClusterMetadata::memberAdded, this, &ValuesModel::onMemberAdded);
        connect(metadata, &ClusterMetadata::memberDiscarded, this, &ValuesModel::onMemberDiscarded);
        connect(metadata, &QObject::destroyed, this, [this] { setClusterMetadata(nullptr); });
    }
    rebuild();
}

void ValuesModel::rebuild()
{
    beginResetModel();
    m_keys.clear();
    m_states.clear();
    m_rowOf.clear();
    m_members.clear();
    m_memberIndex.clear();
    m_changes.clear();
    m_touchedKeys.clear();
    m_pendingMembers.clear();
    m_pendingMemberRemovals.clear();
    m_flushTimer.stop();
    if (const ClusterMetadata *metadata = m_metadata.data()) {
        m_keys = metadata->allKeys();
        for (int row = 0; row < m_keys.size(); ++row) {
            m_rowOf.insert(m_keys.at(row), row);
            m_states.append(computeState(m_keys.at(row)));
        }
        m_members = metadata->memberNames();
        for (int i = 0; i < m_members.size(); ++i)
            m_memberIndex.insert(m_members.at(i), i);
    }
    endResetModel();
}

int ValuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int ValuesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumnCount + int(m_members.size());
}

int ValuesModel::columnOf(const QString &member) const
{
    const auto it = m_memberIndex.constFind(member);
    return it == m_memberIndex.cend() ? -1 : FixedColumnCount + *it;
}

QVariant ValuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QVariant();
    switch (section) {
    case KeyColumn:
        return role == Qt::DisplayRole ? QVariant(tr("Key")) : QVariant();
    case LocalColumn:
        if (role == Qt::DisplayRole)
            return tr("Local value");
        if (role == LocalRole)
            return true;
        return QVariant();
    case DistinctColumn:
        if (role == Qt::DisplayRole)
            return tr("Distinct");
        if (role == Qt::ToolTipRole)
            return tr("How many different values the key has across the cluster");
        return QVariant();
    default:
        if (role == Qt::ToolTipRole)
            return tooltipText(memberAt(section));
        if (role == Qt::DisplayRole || role == KeyRole)
            return memberAt(section);
        return QVariant();
    }
}

std::optional<QByteArray> ValuesModel::valueAt(int row, int column) const
{
    const ClusterMetadata *metadata = m_metadata.data();
    if (!metadata)
        return std::nullopt;
    const QString &key = m_keys.at(row);
    if (column == LocalColumn) {
        const Metadata &local = metadata->local();
        const auto it = local.constFind(key);
        if (it == local.cend())
            return std::nullopt;
        return it.value();
    }
    const RemoteMetadata &remote = metadata->remote();
    const auto values = remote.constFind(key);
    if (values == remote.cend())
        return std::nullopt;
    const QString member = memberAt(column);
    if (!values->contains(member))
        return std::nullopt;
    return values->value(member);
}

bool ValuesModel::disagrees(int row, int column) const
{
    const RowState &state = m_states.at(row);
    if (!state.majority)
        return false;
    const auto value = valueAt(row, column);
    return value && *value != *state.majority;
}

QVariant ValuesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const int row = index.row();
    const int column = index.column();
    const QString &key = m_keys.at(row);
    if (role == KeyRole)
        return key;
    if (role == LocalRole)
        return column == LocalColumn;

    if (column == KeyColumn) {
        if (role == Qt::ToolTipRole)
            return tooltipText(key);
        if (role == Qt::DisplayRole || role == SortRole)
            return key;
        return QVariant();
    }
    if (column == DistinctColumn) {
        const int distinct = m_states.at(row).distinct;
        const bool perNode = isPerNodeKey(key);
        const Tone tone = distinct > 1 && !perNode ? Tone::Warning : Tone::Normal;
        switch (role) {
        case Qt::DisplayRole:
            return perNode ? tr("%1 per node").arg(distinct) : QString::number(distinct);
        case Qt::ToolTipRole:
            if (perNode)
                return tr("%1 different values: a per-node key, where every member "
                          "holds its own value (not marked as disagreeing)")
                    .arg(distinct);
            return distinct > 1 ? tr("%1 different values across the cluster: the "
                                     "cells that differ from the majority are marked")
                                      .arg(distinct)
                                : tr("One value across the cluster");
        case SortRole:
            return distinct;
        case Qt::TextAlignmentRole:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        case ToneRole:
            return static_cast<int>(tone);
        case Qt::BackgroundRole:
        case Qt::ForegroundRole:
            return toneColor(tone, role);
        default:
            return QVariant();
        }
    }

    // A value cell: the local value or a member's.
    const auto value = valueAt(row, column);
    const bool flagged = disagrees(row, column);
    const Tone tone = flagged ? Tone::Warning : Tone::Normal;
    const bool hidden = m_mask.hides(key);
    switch (role) {
    case Qt::DisplayRole:
        if (!value)
            return QVariant();
        return hidden ? kMask : displayValue(*value);
    case Qt::ToolTipRole: {
        if (!value)
            return column == LocalColumn ? tr("Not set locally") : tr("No value from this member");
        QString tip;
        if (hidden)
            tip = tr("Hidden (%1 bytes)").arg(value->size());
        else if (isTextValue(*value))
            tip = tr("Text, %1 bytes: %2").arg(value->size()).arg(displayValue(*value, 400));
        else
            tip = tr("Binary, %1 bytes: %2").arg(value->size()).arg(displayValue(*value, 400));
        if (flagged)
            tip += tr("\nDiffers from the majority value");
        return tooltipText(tip);
    }
    case SortRole:
    case RawValueRole:
        if (!value || hidden)
            return QVariant();
        return *value;
    case DisagreeRole:
        return flagged;
    case ToneRole:
        return static_cast<int>(tone);
    case Qt::BackgroundRole:
    case Qt::ForegroundRole:
        return toneColor(tone, role);
    default:
        return QVariant();
    }
}

void ValuesModel::setValuesHidden(bool hidden)
{
    ValueMask mask = m_mask;
    mask.setHideAll(hidden);
    setValueMask(mask);
}

void ValuesModel::setValueMask(const ValueMask &mask)
{
    if (mask == m_mask)
        return;
    m_mask = mask;
    if (!m_keys.isEmpty())
        emit dataChanged(
            index(0, LocalColumn), index(rowCount() - 1, columnCount() - 1), kHiddenRoles);
}

void ValuesModel::setPerNodeKeys(const QSet<QString> &keys)
{
    if (keys == m_perNodeKeys)
        return;
    // The keys that change sides: their Distinct cell now, their flags at the flush.
    const QSet<QString> changed = (keys - m_perNodeKeys) + (m_perNodeKeys - keys);
    m_perNodeKeys = keys;
    for (const QString &key : changed) {
        const int row = rowOf(key);
        if (row < 0)
            continue;
        m_changes.mark(row, DistinctColumn, kDistinctRoles);
        m_touchedKeys.insert(key);
    }
    scheduleFlush();
}

std::optional<QByteArray> ValuesModel::majority(const QString &key) const
{
    const int row = rowOf(key);
    return row < 0 ? std::nullopt : m_states.at(row).majority;
}

ValuesModel::RowState ValuesModel::computeState(const QString &key) const
{
    RowState state;
    const ClusterMetadata *metadata = m_metadata.data();
    if (!metadata)
        return state;
    QHash<QByteArray, int> counts;
    const RemoteMetadata &remote = metadata->remote();
    if (const auto values = remote.constFind(key); values != remote.cend()) {
        for (const QByteArray &value : *values)
            ++counts[value];
    }
    const Metadata &local = metadata->local();
    if (const auto it = local.constFind(key); it != local.cend())
        ++counts[it.value()];
    state.distinct = int(counts.size());
    // A strict plurality only: with a tie at the top nobody is "the odd one out".
    int best = 0;
    bool tie = false;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > best) {
            best = it.value();
            state.majority = it.key();
            tie = false;
        } else if (it.value() == best) {
            tie = true;
        }
    }
    if (tie || counts.size() < 2 || isPerNodeKey(key))
        state.majority.reset();
    return state;
}

void ValuesModel::onRemoteValueChanged(const QString &key, const QString &member)
{
    const int row = rowOf(key);
    const int column = columnOf(member);
    if (row >= 0 && column >= 0)
        m_changes.mark(row, column, kCellRoles);
    m_touchedKeys.insert(key);
    scheduleFlush();
}

void ValuesModel::onLocalKeyChanged(const QString &key)
{
    const int row = rowOf(key);
    if (row >= 0)
        m_changes.mark(row, LocalColumn, kCellRoles);
    m_touchedKeys.insert(key);
    scheduleFlush();
}

void ValuesModel::onMemberAdded(const QString &name)
{
    if (m_pendingMemberRemovals.remove(name) || m_memberIndex.contains(name)
        || m_pendingMembers.contains(name))
        return;
    m_pendingMembers.append(name);
    scheduleFlush();
}

void ValuesModel::onMemberDiscarded(const QString &name)
{
    if (m_pendingMembers.removeOne(name))
        return;
    if (m_memberIndex.contains(name)) {
        m_pendingMemberRemovals.insert(name);
        scheduleFlush();
    }
}

bool ValuesModel::hasPendingChanges() const
{
    return !m_changes.isEmpty() || !m_touchedKeys.isEmpty() || !m_pendingMembers.isEmpty()
        || !m_pendingMemberRemovals.isEmpty();
}

void ValuesModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ValuesModel::flush()
{
    m_flushTimer.stop();
    const ClusterMetadata *metadata = m_metadata.data();
    if (!metadata) {
        m_changes.clear();
        m_touchedKeys.clear();
        return;
    }

    // 1. Re-check the keys whose values moved: gone, new, or a new majority / distinct count.
    QList<int> goneRows;
    QList<QString> newKeys;
    for (const QString &key : std::as_const(m_touchedKeys)) {
        const bool exists = metadata->local().contains(key) || metadata->remote().contains(key);
        const int row = rowOf(key);
        if (row < 0) {
            if (exists)
                newKeys.append(key);
            continue;
        }
        if (!exists) {
            goneRows.append(row);
            continue;
        }
        const RowState state = computeState(key);
        RowState &old = m_states[row];
        if (state.majority != old.majority)
            m_changes.mark(
                row, LocalColumn, FixedColumnCount + int(m_members.size()) - 1, kFlagRoles);
        if (state.distinct != old.distinct)
            m_changes.mark(row, DistinctColumn, kDistinctRoles);
        old = state;
    }
    m_touchedKeys.clear();

    // 2. Changed cells, while rows and columns are where the marks say.
    for (const PendingChanges::Range &range : m_changes.take(rowCount()))
        emit dataChanged(
            index(range.top, range.left), index(range.bottom, range.right), range.roles);

    // 3. Discarded members' columns, right to left in contiguous runs.
    if (!m_pendingMemberRemovals.isEmpty()) {
        QList<int> gone;
        for (const QString &name : std::as_const(m_pendingMemberRemovals))
            gone.append(int(m_memberIndex.take(name)));
        m_pendingMemberRemovals.clear();
        std::sort(gone.begin(), gone.end(), std::greater<int>());
        int first = 0;
        int last = 0;
        removeRuns(
            gone,
            [&](int from, int to) {
                first = from;
                last = to;
                beginRemoveColumns(QModelIndex(), FixedColumnCount + from, FixedColumnCount + to);
            },
            [&] {
                m_members.remove(first, last - first + 1);
                endRemoveColumns();
            });
        for (int i = gone.last(); i < m_members.size(); ++i)
            m_memberIndex[m_members.at(i)] = i;
    }

    // 4. Keys nobody holds any more, bottom up in contiguous runs.
    if (!goneRows.isEmpty()) {
        std::sort(goneRows.begin(), goneRows.end(), std::greater<int>());
        for (int row : std::as_const(goneRows))
            m_rowOf.remove(m_keys.at(row));
        int first = 0;
        int last = 0;
        removeRuns(
            goneRows,
            [&](int from, int to) {
                first = from;
                last = to;
                beginRemoveRows(QModelIndex(), from, to);
            },
            [&] {
                m_keys.remove(first, last - first + 1);
                m_states.remove(first, last - first + 1);
                endRemoveRows();
            });
        for (int row = goneRows.last(); row < m_keys.size(); ++row)
            m_rowOf[m_keys.at(row)] = row;
    }

    // 5. New keys, appended in one go (sorted among themselves; a proxy sorts the rest).
    if (!newKeys.isEmpty()) {
        std::sort(newKeys.begin(), newKeys.end());
        const int first = int(m_keys.size());
        beginInsertRows(QModelIndex(), first, first + int(newKeys.size()) - 1);
        for (const QString &key : std::as_const(newKeys)) {
            m_rowOf.insert(key, int(m_keys.size()));
            m_keys.append(key);
            m_states.append(computeState(key));
        }
        endInsertRows();
    }

    // 6. New members' columns, appended in one go.
    if (!m_pendingMembers.isEmpty()) {
        const int first = columnCount();
        beginInsertColumns(QModelIndex(), first, first + int(m_pendingMembers.size()) - 1);
        for (const QString &name : std::as_const(m_pendingMembers)) {
            m_memberIndex.insert(name, int(m_members.size()));
            m_members.append(name);
        }
        m_pendingMembers.clear();
        endInsertColumns();
    }
}

} // namespace shoal
