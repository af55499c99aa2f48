#include "model/localmetadatamodel.h"

#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/spreadtracker.h"
#include "model/valuetext.h"

#include <algorithm>

namespace shoal {

namespace {

const QList<int> kEditRoles { Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole, SortRole,
    RawValueRole, DirtyRole, HexModeRole, ToneRole, Qt::BackgroundRole, Qt::ForegroundRole };
const QList<int> kSpreadRoles { Qt::DisplayRole, Qt::ToolTipRole, SortRole, ToneRole,
    Qt::BackgroundRole, Qt::ForegroundRole };

} // namespace

LocalMetadataModel::LocalMetadataModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &LocalMetadataModel::flush);
    m_encodedSize = estimate(Metadata {});
}

LocalMetadataModel::~LocalMetadataModel() = default;

void LocalMetadataModel::setClusterMetadata(ClusterMetadata *metadata)
{
    if (m_metadata)
        disconnect(m_metadata, nullptr, this, nullptr);
    m_metadata = metadata;
    if (metadata) {
        connect(metadata, &ClusterMetadata::localKeyChanged, this,
            &LocalMetadataModel::onLocalKeyChanged);
        connect(metadata, &QObject::destroyed, this, [this] { setClusterMetadata(nullptr); });
    }
    rebuild();
}

void LocalMetadataModel::rebuild()
{
    beginResetModel();
    m_entries.clear();
    m_deleted.clear();
    if (const ClusterMetadata *metadata = m_metadata.data()) {
        const Metadata &local = metadata->local();
        for (auto it = local.cbegin(); it != local.cend(); ++it)
            m_entries.append(
                { it.key(), it.value(), it.key(), it.value(), !isTextValue(it.value()) });
    }
    endResetModel();
    updateDerived();
}

int LocalMetadataModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LocalMetadataModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags LocalMetadataModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (index.column() == KeyColumn || index.column() == ValueColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant LocalMetadataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case KeyColumn:
            return tr("Key");
        case ValueColumn:
            return tr("Value");
        case SizeColumn:
            return tr("Size");
        case SpreadColumn:
            return tr("Spread");
        default:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case SizeColumn:
            return tr("Bytes of key and value. The whole mapping encodes to about %1 "
                      "bytes; over the %2-byte MTU the packet goes by TCP.")
                .arg(m_encodedSize)
                .arg(m_mtu);
        case SpreadColumn:
            return tr("Members that acknowledged the current local clock");
        default:
            break;
        }
    }
    return QVariant();
}

void LocalMetadataModel::setValueMask(const ValueMask &mask)
{
    if (mask == m_mask)
        return;
    m_mask = mask;
    if (!m_entries.isEmpty())
        emit dataChanged(index(0, ValueColumn), index(rowCount() - 1, ValueColumn),
            { Qt::DisplayRole, Qt::ToolTipRole, SortRole });
}

QVariant LocalMetadataModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Entry &entry = m_entries.at(index.row());
    const int column = index.column();
    const bool dirty = entry.dirty();
    switch (role) {
    case KeyRole:
        return entry.key;
    case RawValueRole:
        return m_mask.hides(entry.key) ? QVariant() : QVariant(entry.value);
    case DirtyRole:
        return dirty;
    case HexModeRole:
        return entry.hex;
    default:
        break;
    }

    // Over the MTU, the editor marks the total, not each row's size.
    Tone tone = dirty ? Tone::Highlight : Tone::Normal;
    if (column == SpreadColumn && !dirty && m_total > 0)
        tone = m_acked >= m_total ? Tone::Good : Tone::Warning;
    if (role == ToneRole)
        return static_cast<int>(tone);
    if (role == Qt::BackgroundRole || role == Qt::ForegroundRole)
        return toneColor(tone, role);

    switch (column) {
    case KeyColumn:
        if (role == Qt::DisplayRole)
            return dirty ? entry.key + QStringLiteral(" *") : entry.key;
        if (role == Qt::EditRole || role == SortRole)
            return entry.key;
        if (role == Qt::ToolTipRole) {
            if (entry.baseKey.isEmpty())
                return tr("New key, not applied yet");
            if (entry.key != entry.baseKey)
                return tr("Renamed from \"%1\", not applied yet").arg(entry.baseKey);
            return dirty ? tr("Edited, not applied yet") : QVariant();
        }
        return QVariant();
    case ValueColumn:
        if (m_mask.hides(entry.key)) {
            if (role == Qt::DisplayRole)
                return tr("\u2022\u2022\u2022\u2022\u2022\u2022 (hidden)");
            if (role == Qt::ToolTipRole)
                return tr("Hidden (%1 bytes)").arg(entry.value.size());
            if (role == SortRole)
                return QVariant();
        }
        if (role == Qt::DisplayRole)
            return entry.hex ? (entry.value.isEmpty() ? tr("(empty)")
                                                      : hexValue(entry.value.left(100))
                               + (entry.value.size() > 100 ? QStringLiteral(" \u2026") : QString()))
                             : displayValue(entry.value);
        if (role == Qt::EditRole)
            return entry.hex ? hexValue(entry.value) : QString::fromUtf8(entry.value);
        if (role == SortRole)
            return entry.value;
        if (role == Qt::ToolTipRole)
            return entry.hex ? tr("Shown as hex (%1 bytes)").arg(entry.value.size())
                             : tr("Text (%1 bytes)").arg(entry.value.size());
        return QVariant();
    case SizeColumn: {
        const qsizetype bytes = entry.key.toUtf8().size() + entry.value.size();
        if (role == Qt::DisplayRole)
            return tr("%1 B").arg(bytes);
        if (role == SortRole)
            return bytes;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return exceedsMtu()
                ? tr("The metadata encodes to about %1 bytes, over the %2-byte MTU: "
                     "it is sent by TCP")
                      .arg(m_encodedSize)
                      .arg(m_mtu)
                : tr("The metadata encodes to about %1 of %2 bytes (MTU)")
                      .arg(m_encodedSize)
                      .arg(m_mtu);
        return QVariant();
    }
    case SpreadColumn:
        if (role == Qt::DisplayRole) {
            if (dirty)
                return tr("not applied");
            if (m_total <= 0)
                return QStringLiteral("\u2014");
            return QStringLiteral("%1/%2").arg(m_acked).arg(m_total);
        }
        if (role == SortRole)
            return dirty || m_total <= 0 ? -1.0 : double(m_acked) / double(m_total);
        if (role == Qt::ToolTipRole && !dirty && m_total > 0)
            return tr("%1 of %2 members acknowledged the current local clock")
                .arg(m_acked)
                .arg(m_total);
        return QVariant();
    default:
        return QVariant();
    }
}

bool LocalMetadataModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int row = index.row();
    Entry &entry = m_entries[row];

    if (role == HexModeRole) {
        const bool hex = value.toBool();
        if (hex == entry.hex)
            return true;
        if (!hex && !isTextValue(entry.value)) {
            emit editRefused(
                tr("The value of \"%1\" is not UTF-8 text; it stays hex").arg(entry.key));
            return false;
        }
        entry.hex = hex;
        rowChanged(row, ValueColumn, ValueColumn);
        return true;
    }

    if (index.column() == KeyColumn && role == Qt::EditRole) {
        const QString key = value.toString();
        if (key == entry.key)
            return true;
        if (!isValidKey(key)) {
            emit editRefused(tr("A key must be non-empty UTF-8 text"));
            return false;
        }
        if (keyTaken(key, row)) {
            emit editRefused(tr("The key \"%1\" exists already").arg(key));
            return false;
        }
        entry.key = key;
        rowChanged(row, KeyColumn, SpreadColumn);
        updateDerived();
        return true;
    }

    if (index.column() == ValueColumn && (role == Qt::EditRole || role == RawValueRole)) {
        QByteArray bytes;
        if (role == RawValueRole) {
            bytes = value.toByteArray();
        } else if (entry.hex) {
            const auto parsed = parseHexValue(value.toString());
            if (!parsed) {
                emit editRefused(tr("Not hex: type pairs of digits 0-9 a-f"));
                return false;
            }
            bytes = *parsed;
        } else {
            bytes = value.toString().toUtf8();
        }
        if (bytes == entry.value)
            return true;
        entry.value = bytes;
        if (!entry.hex && !isTextValue(bytes))
            entry.hex = true; // binary bytes cannot be edited as text without loss
        rowChanged(row, KeyColumn, SpreadColumn);
        updateDerived();
        return true;
    }
    return false;
}

bool LocalMetadataModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > m_entries.size() || count <= 0)
        return false;
    beginInsertRows(QModelIndex(), row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        Entry entry;
        entry.key = uniqueKey();
        m_entries.insert(row + i, entry);
    }
    endInsertRows();
    updateDerived();
    return true;
}

bool LocalMetadataModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_entries.size())
        return false;
    QList<int> rows;
    for (int i = row; i < row + count; ++i)
        rows.append(i);
    removeRowRuns(rows);
    updateDerived();
    return true;
}

void LocalMetadataModel::removeRowRuns(QList<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    qsizetype i = 0;
    while (i < rows.size()) {
        const int last = rows.at(i);
        int first = last;
        while (i + 1 < rows.size() && rows.at(i + 1) == first - 1)
            first = rows.at(++i);
        ++i;
        beginRemoveRows(QModelIndex(), first, last);
        for (int r = first; r <= last; ++r) {
            const Entry &entry = m_entries.at(r);
            if (!entry.baseKey.isEmpty())
                m_deleted.insert(entry.baseKey);
        }
        m_entries.remove(first, last - first + 1);
        endRemoveRows();
    }
}

int LocalMetadataModel::addEntry(const QString &key, const QByteArray &value)
{
    if (!isValidKey(key)) {
        emit editRefused(tr("A key must be non-empty UTF-8 text"));
        return -1;
    }
    if (keyTaken(key, -1)) {
        emit editRefused(tr("The key \"%1\" exists already").arg(key));
        return -1;
    }
    const int row = int(m_entries.size());
    beginInsertRows(QModelIndex(), row, row);
    Entry entry;
    entry.key = key;
    entry.value = value;
    entry.hex = !isTextValue(value);
    m_entries.append(entry);
    endInsertRows();
    updateDerived();
    return row;
}

int LocalMetadataModel::rowOf(const QString &key) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).key == key)
            return row;
    }
    return -1;
}

QString LocalMetadataModel::keyAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).key : QString();
}

QByteArray LocalMetadataModel::valueAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).value : QByteArray();
}

Metadata LocalMetadataModel::staged() const
{
    Metadata metadata;
    for (const Entry &entry : m_entries)
        metadata.insert(entry.key, entry.value);
    return metadata;
}

bool LocalMetadataModel::apply()
{
    ClusterMetadata *metadata = m_metadata.data();
    if (!metadata)
        return false;
    const Metadata next = staged();
    const bool changed = next != metadata->local();
    if (changed) {
        // A new local clock: nobody has acknowledged it yet.
        m_acked = 0;
        m_applying = true;
        metadata->setLocalMetadata(next);
        m_applying = false;
    }
    m_deleted.clear();
    QList<int> rebased;
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &entry = m_entries[row];
        if (entry.dirty())
            rebased.append(row);
        entry.baseKey = entry.key;
        entry.baseValue = entry.value;
    }
    if (changed && !m_entries.isEmpty()) {
        // Every row's Spread restarts; the rebased rows lose their marks too.
        emit dataChanged(index(0, SpreadColumn), index(rowCount() - 1, SpreadColumn), kSpreadRoles);
        for (int row : std::as_const(rebased))
            emit dataChanged(index(row, KeyColumn), index(row, SizeColumn), kEditRoles);
    }
    updateDerived();
    return changed;
}

void LocalMetadataModel::discardStaged()
{
    const ClusterMetadata *metadata = m_metadata.data();
    const Metadata local = metadata ? metadata->local() : Metadata {};
    QList<int> doomed;
    for (int row = 0; row < m_entries.size(); ++row) {
        const Entry &entry = m_entries.at(row);
        if (entry.baseKey.isEmpty() || !local.contains(entry.baseKey))
            doomed.append(row);
    }
    removeRowRuns(doomed);
    m_deleted.clear();
    QSet<QString> present;
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &entry = m_entries[row];
        const QByteArray value = local.value(entry.baseKey);
        present.insert(entry.baseKey);
        if (entry.key == entry.baseKey && entry.value == value && entry.baseValue == value)
            continue;
        entry.key = entry.baseKey;
        entry.value = value;
        entry.baseValue = value;
        entry.hex = !isTextValue(value);
        rowChanged(row, KeyColumn, SpreadColumn);
    }
    QList<Entry> restored;
    for (auto it = local.cbegin(); it != local.cend(); ++it) {
        if (!present.contains(it.key()))
            restored.append(
                { it.key(), it.value(), it.key(), it.value(), !isTextValue(it.value()) });
    }
    if (!restored.isEmpty()) {
        const int first = int(m_entries.size());
        beginInsertRows(QModelIndex(), first, first + int(restored.size()) - 1);
        m_entries.append(restored);
        endInsertRows();
    }
    updateDerived();
}

void LocalMetadataModel::onLocalKeyChanged(const QString &key)
{
    if (m_applying)
        return;
    const ClusterMetadata *metadata = m_metadata.data();
    if (!metadata)
        return;
    const auto now = metadata->local().constFind(key);
    const bool exists = now != metadata->local().cend();
    const int row = rowOfBase(key);
    if (row >= 0) {
        Entry &entry = m_entries[row];
        const bool wasDirty = entry.dirty();
        if (!exists) {
            if (wasDirty) {
                // The user's edit of a key removed elsewhere stays, as a new key.
                entry.baseKey.clear();
                entry.baseValue.clear();
                rowChanged(row, KeyColumn, SpreadColumn);
            } else {
                removeRowRuns({ row });
                m_deleted.remove(key);
            }
        } else if (wasDirty) {
            entry.baseValue = now.value(); // the staged edit wins at apply
            rowChanged(row, KeyColumn, SpreadColumn);
        } else {
            entry.value = now.value();
            entry.baseValue = now.value();
            entry.hex = entry.hex || !isTextValue(entry.value);
            rowChanged(row, KeyColumn, SpreadColumn);
        }
    } else if (exists) {
        if (!m_deleted.contains(key)) {
            const int taken = rowOf(key);
            if (taken >= 0) {
                // A new row of the user's with this very key now stands for it.
                Entry &entry = m_entries[taken];
                entry.baseKey = key;
                entry.baseValue = now.value();
                rowChanged(taken, KeyColumn, SpreadColumn);
            } else {
                const int first = int(m_entries.size());
                beginInsertRows(QModelIndex(), first, first);
                m_entries.append({ key, now.value(), key, now.value(), !isTextValue(now.value()) });
                endInsertRows();
            }
        }
    } else {
        m_deleted.remove(key);
    }
    updateDerived();
}

void LocalMetadataModel::setSpreadTracker(SpreadTracker *tracker)
{
    disconnect(m_trackerConnection);
    if (!tracker)
        return;
    const auto follow
        = [this, tracker] { setAcknowledged(tracker->acknowledged(), tracker->total()); };
    m_trackerConnection = connect(tracker, &SpreadTracker::changed, this, follow);
    follow();
}

void LocalMetadataModel::setAcknowledged(int acked, int total)
{
    total = qMax(0, total);
    acked = qBound(0, acked, total);
    if (acked == m_acked && total == m_total)
        return;
    m_acked = acked;
    m_total = total;
    // Acks arrive in floods: one Spread update per event-loop turn.
    m_spreadPending = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void LocalMetadataModel::flush()
{
    m_flushTimer.stop();
    if (!m_spreadPending)
        return;
    m_spreadPending = false;
    if (!m_entries.isEmpty())
        emit dataChanged(index(0, SpreadColumn), index(rowCount() - 1, SpreadColumn), kSpreadRoles);
}

void LocalMetadataModel::setMtu(int bytes)
{
    if (bytes <= 0 || bytes == m_mtu)
        return;
    m_mtu = bytes;
    m_encodedSize = -1; // force the signal
    updateDerived();
}

void LocalMetadataModel::setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator)
{
    m_estimator = std::move(estimator);
    m_encodedSize = -1;
    updateDerived();
}

qsizetype LocalMetadataModel::estimate(const Metadata &metadata) const
{
    if (m_estimator)
        return m_estimator(metadata);
    qsizetype bytes = 0;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        bytes += it.key().toUtf8().size() + it.value().size();
    return bytes;
}

void LocalMetadataModel::rowChanged(int row, int left, int right)
{
    emit dataChanged(index(row, left), index(row, right), kEditRoles);
}

void LocalMetadataModel::updateDerived()
{
    const Metadata next = staged();
    const qsizetype size = estimate(next);
    if (size != m_encodedSize) {
        const bool wasOver = m_encodedSize > m_mtu;
        m_encodedSize = size;
        if (!m_entries.isEmpty())
            emit dataChanged(index(0, SizeColumn), index(rowCount() - 1, SizeColumn),
                wasOver != exceedsMtu() ? kEditRoles : QList<int> { Qt::ToolTipRole });
        emit headerDataChanged(Qt::Horizontal, SizeColumn, SizeColumn);
        emit encodedSizeChanged(size, exceedsMtu());
    }
    const ClusterMetadata *metadata = m_metadata.data();
    const bool modified = metadata ? next != metadata->local() : !next.isEmpty();
    if (modified != m_modified) {
        m_modified = modified;
        emit modifiedChanged(modified);
    }
}

QString LocalMetadataModel::uniqueKey() const
{
    QString key = QStringLiteral("key");
    for (int n = 2; keyTaken(key, -1); ++n)
        key = QStringLiteral("key %1").arg(n);
    return key;
}

bool LocalMetadataModel::keyTaken(const QString &key, int exceptRow) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (row != exceptRow && m_entries.at(row).key == key)
            return true;
    }
    return false;
}

int LocalMetadataModel::rowOfBase(const QString &baseKey) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).baseKey == baseKey)
            return row;
    }
    return -1;
}

} // namespace shoal
