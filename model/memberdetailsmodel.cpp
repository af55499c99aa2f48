#include "model/memberdetailsmodel.h"

#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/membertablemodel.h"
#include "model/valuetext.h"

namespace shoal {

MemberDetailsModel::MemberDetailsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

MemberDetailsModel::~MemberDetailsModel() = default;

int MemberDetailsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_unknown ? 1 : int(m_rows.size());
}

int MemberDetailsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MemberDetailsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (m_unknown) {
        if (role != Qt::DisplayRole)
            return {};
        return index.column() == KeyColumn ? tr("(unknown)")
                                           : tr("no metadata received from it yet");
    }
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == KeyColumn)
            return row.first;
        return m_mask.hides(row.first) ? tr("\u2022\u2022\u2022\u2022\u2022\u2022 (hidden)")
                                       : displayValue(row.second);
    case RawValueRole:
        if (index.column() == ValueColumn && !m_mask.hides(row.first))
            return row.second;
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && !m_mask.hides(row.first))
            return tr("%1 bytes").arg(row.second.size());
        return {};
    default:
        return {};
    }
}

QVariant MemberDetailsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == KeyColumn ? tr("Key") : tr("Value");
}

void MemberDetailsModel::setSources(MemberTableModel *members, ClusterMetadata *metadata)
{
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_members = members;
    m_metadata = metadata;
    if (members) {
        // Only a change in the shown member's row concerns this model. The lambdas use the
        // sender itself: a connection dies with its sender.
        m_connections.append(connect(members, &QAbstractItemModel::dataChanged, this,
            [this, members](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int row = members->rowOf(m_name);
                if (row >= topLeft.row() && row <= bottomRight.row())
                    refresh();
            }));
        m_connections.append(connect(members, &QAbstractItemModel::rowsInserted, this,
            [this, members](const QModelIndex &, int first, int last) {
                const int row = members->rowOf(m_name);
                if (row >= first && row <= last)
                    refresh();
            }));
        m_connections.append(
            connect(members, &QAbstractItemModel::modelReset, this, &MemberDetailsModel::refresh));
    }
    if (metadata) {
        m_connections.append(connect(metadata, &ClusterMetadata::remoteValueChanged, this,
            [this](const QString &, const QString &member, const std::optional<QByteArray> &) {
                if (member == m_name)
                    refresh();
            }));
        m_connections.append(
            connect(metadata, &ClusterMetadata::localKeyChanged, this, [this](const QString &) {
                if (m_local)
                    refresh();
            }));
    }
    refresh();
}

void MemberDetailsModel::setMember(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    refresh();
}

void MemberDetailsModel::setValuesHidden(bool hidden)
{
    ValueMask mask = m_mask;
    mask.setHideAll(hidden);
    setValueMask(mask);
}

void MemberDetailsModel::setValueMask(const ValueMask &mask)
{
    if (mask == m_mask)
        return;
    m_mask = mask;
    if (!m_unknown && !m_rows.isEmpty())
        emit dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn),
            { Qt::DisplayRole, Qt::ToolTipRole });
}

std::optional<Metadata> MemberDetailsModel::currentMetadata() const
{
    const MemberRecord *record = m_members ? m_members->find(m_name) : nullptr;
    std::optional<Metadata> metadata = record ? record->metadata : std::nullopt;
    if (m_metadata) {
        if (m_local)
            metadata = m_metadata->local();
        else if (auto mirrored = m_metadata->memberMetadata(m_name))
            metadata = std::move(mirrored);
    }
    return metadata;
}

void MemberDetailsModel::refresh()
{
    const MemberRecord *record = m_members ? m_members->find(m_name) : nullptr;
    m_local = record ? record->local : false;
    QString summary;
    if (record) {
        summary = tr("%1, clock %2, validity %3")
                      .arg(memberStatusText(record->status))
                      .arg(record->clock)
                      .arg(record->instanceId.isEmpty()
                              ? tr("unknown")
                              : QString::fromLatin1(record->instanceId.toHex()));
    }
    if (summary != m_summary) {
        m_summary = summary;
        emit summaryChanged();
    }
    if (m_name.isEmpty()) {
        replaceRows({}, false);
        return;
    }
    const std::optional<Metadata> metadata = currentMetadata();
    QList<Row> rows;
    if (metadata) {
        rows.reserve(metadata->size());
        for (auto it = metadata->cbegin(); it != metadata->cend(); ++it)
            rows.append({ it.key(), it.value() });
    }
    replaceRows(rows, !metadata);
}

void MemberDetailsModel::replaceRows(const QList<Row> &rows, bool unknown)
{
    if (unknown != m_unknown) {
        // From "unknown" to known keys or back: the explanatory row goes, the keys come.
        if (rowCount() > 0) {
            beginRemoveRows({}, 0, rowCount() - 1);
            m_rows.clear();
            m_unknown = false;
            endRemoveRows();
        }
        m_rows.clear();
        m_unknown = false;
        if (unknown) {
            beginInsertRows({}, 0, 0);
            m_unknown = true;
            endInsertRows();
            return;
        }
    }
    if (m_unknown)
        return;
    // Both lists are sorted by key: one merge pass removes, inserts and changes rows in place.
    int row = 0;
    qsizetype next = 0;
    while (row < m_rows.size() || next < rows.size()) {
        if (next == rows.size()
            || (row < m_rows.size() && m_rows.at(row).first < rows.at(next).first)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        } else if (row == m_rows.size() || rows.at(next).first < m_rows.at(row).first) {
            beginInsertRows({}, row, row);
            m_rows.insert(row, rows.at(next));
            endInsertRows();
            ++row;
            ++next;
        } else {
            if (m_rows.at(row).second != rows.at(next).second) {
                m_rows[row].second = rows.at(next).second;
                emit dataChanged(index(row, ValueColumn), index(row, ValueColumn),
                    { Qt::DisplayRole, Qt::ToolTipRole });
            }
            ++row;
            ++next;
        }
    }
}

} // namespace shoal
