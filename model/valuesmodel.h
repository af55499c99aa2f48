// The per-key view of the cluster's metadata: keys as rows, members as columns, with the local
// value, the number of distinct values and the cells that disagree with the majority.
#pragma once

#include "model/pendingchanges.h"

#include "model/secretkeys.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <optional>

namespace shoal {

class ClusterMetadata;

class ValuesModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Fixed columns; one column per remote member follows, in the order members arrived.
    enum Column : int {
        KeyColumn,
        LocalColumn, // the local member's value
        DistinctColumn, // ClusterMetadata::getAll(key).size()
        FixedColumnCount
    };

    explicit ValuesModel(QObject *parent = nullptr);
    ~ValuesModel() override;

    // Follows metadata's signals from now on; builds the table with one model reset (this is the
    // "new join" case). nullptr detaches and empties the table.
    void setClusterMetadata(ClusterMetadata *metadata);
    ClusterMetadata *clusterMetadata() const { return m_metadata; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Masks every value: display, tooltip, raw and sort roles.
    void setValuesHidden(bool hidden);
    bool valuesHidden() const { return m_mask.hideAll(); }
    // Masks the values the mask hides (all, or secret keys such as pymap's `admin`), alike.
    void setValueMask(const ValueMask &mask);
    const ValueMask &valueMask() const { return m_mask; }

    // Keys whose values are expected to differ per member (pymap's `admin`: each node's own
    // secret): they have no majority, so no cell is marked as differing, and the Distinct column
    // says "per node" instead of warning.
    void setPerNodeKeys(const QSet<QString> &keys);
    const QSet<QString> &perNodeKeys() const { return m_perNodeKeys; }
    bool isPerNodeKey(const QString &key) const { return m_perNodeKeys.contains(key); }
    // pymap's admin service puts a per-node secret key under `admin`.
    static QSet<QString> defaultPerNodeKeys() { return { QStringLiteral("admin") }; }

    // Emits every queued change now (also runs by itself once per event-loop turn).
    void flush();
    // Flushes at most every ms milliseconds (default 0: once per event-loop turn); a window
    // under a flood of packets may prefer 100.
    void setFlushInterval(int ms) { m_flushTimer.setInterval(qMax(0, ms)); }
    bool hasPendingChanges() const;

    int rowOf(const QString &key) const { return m_rowOf.value(key, -1); }
    int columnOf(const QString &member) const;
    QString keyAt(int row) const { return m_keys.value(row); }
    QString memberAt(int column) const { return m_members.value(column - FixedColumnCount); }
    // The most common value of key when one value is more common than every other.
    std::optional<QByteArray> majority(const QString &key) const;

private:
    struct RowState
    {
        std::optional<QByteArray> majority;
        int distinct = 0;
    };

    void onRemoteValueChanged(const QString &key, const QString &member);
    void onLocalKeyChanged(const QString &key);
    void onMemberAdded(const QString &name);
    void onMemberDiscarded(const QString &name);
    void rebuild();
    void scheduleFlush();
    RowState computeState(const QString &key) const;
    std::optional<QByteArray> valueAt(int row, int column) const;
    bool disagrees(int row, int column) const;

    QPointer<ClusterMetadata> m_metadata;
    QList<QString> m_keys;
    QList<RowState> m_states; // parallel to m_keys
    QHash<QString, int> m_rowOf;
    QList<QString> m_members;
    QHash<QString, int> m_memberIndex; // index into m_members
    ValueMask m_mask;
    QSet<QString> m_perNodeKeys = defaultPerNodeKeys();

    PendingChanges m_changes;
    QSet<QString> m_touchedKeys; // to re-check at flush: exists? majority? distinct?
    QList<QString> m_pendingMembers; // columns to append
    QSet<QString> m_pendingMemberRemovals;
    QTimer m_flushTimer;
};

} // namespace shoal
