// The local member's metadata as the editor stages it: add, rename, edit and delete keys, then
// apply() the real changes to ClusterMetadata in one step, or discardStaged().
#pragma once

#include "model/member.h"

#include "model/secretkeys.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace shoal {

class SpreadTracker;

class ClusterMetadata;

class LocalMetadataModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        KeyColumn, // editable: rename (non-empty, valid UTF-8, unique)
        ValueColumn, // editable: as text, or as hex when the row's HexModeRole is set
        SizeColumn, // bytes of key + value; tone Warning when the whole mapping is over the MTU
        SpreadColumn, // how many members acknowledged the current local clock
        ColumnCount
    };

    explicit LocalMetadataModel(QObject *parent = nullptr);
    ~LocalMetadataModel() override;

    // Stages a copy of metadata's local mapping and follows it from now on (one reset: a new
    // join). nullptr detaches and empties the editor.
    void setClusterMetadata(ClusterMetadata *metadata);
    ClusterMetadata *clusterMetadata() const { return m_metadata; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // New rows get unique placeholder keys ("key", "key 2", ...) and an empty value.
    bool insertRows(int row, int count, const QModelIndex &parent = QModelIndex()) override;
    bool removeRows(int row, int count, const QModelIndex &parent = QModelIndex()) override;

    // Appends a staged key; returns its row, or -1 (and editRefused) for an invalid or taken key.
    int addEntry(const QString &key, const QByteArray &value = QByteArray());
    int rowOf(const QString &key) const;
    QString keyAt(int row) const;
    QByteArray valueAt(int row) const;

    // The mapping as staged; what apply() would make the local mapping.
    Metadata staged() const;
    bool isModified() const { return m_modified; }
    // Sends the staged mapping to ClusterMetadata (one setLocalMetadata: only keys that really
    // changed are signalled, and nothing at all when nothing changed). False when nothing changed.
    bool apply();
    // Discards every staged edit: rows go back to the local mapping, by rows removed, restored
    // and changed (no reset, selection elsewhere survives).
    // (Not QAbstractItemModel::revert(): a view calls that when an editor is closed with Escape.)
    void discardStaged();

    // How many of total members acknowledged the current local clock. apply() sets it to 0.
    void setAcknowledged(int acked, int total);
    // Follows the tracker's figures from now on (null: stops following).
    void setSpreadTracker(SpreadTracker *tracker);
    int acknowledged() const { return m_acked; }
    int acknowledgeTotal() const { return m_total; }

    // Size of the datagram the staged mapping needs, against the MTU (over it: TCP).
    void setMtu(int bytes);
    // Values the mask hides read as dots in the display, tooltip and sort roles (editing still
    // starts from the real value: an explicit double-click or F2).
    void setValueMask(const ValueMask &mask);
    const ValueMask &valueMask() const { return m_mask; }
    int mtu() const { return m_mtu; }
    // The joined backend's estimate of the datagram announcing us (ClusterBackend::
    // sizeEstimator). Without one, the bytes of the keys and values alone: a lower bound that
    // knows no protocol.
    void setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator);
    qsizetype encodedSize() const { return m_encodedSize; }
    bool exceedsMtu() const { return m_encodedSize > m_mtu; }

    // Emits the coalesced Spread update now (also runs by itself once per event-loop turn).
    void flush();

signals:
    void modifiedChanged(bool modified);
    void encodedSizeChanged(qsizetype bytes, bool overMtu);
    // An edit was refused; reason reads as a sentence for a status line.
    void editRefused(const QString &reason);

private:
    struct Entry
    {
        QString key;
        QByteArray value;
        QString baseKey; // the local key this row stands for; empty for a new row
        QByteArray baseValue; // that key's value in the local mapping
        bool hex = false;
        bool dirty() const { return baseKey.isEmpty() || key != baseKey || value != baseValue; }
    };

    void onLocalKeyChanged(const QString &key);
    void rebuild();
    void rowChanged(int row, int left, int right);
    void updateDerived();
    qsizetype estimate(const Metadata &metadata) const;
    QString uniqueKey() const;
    bool keyTaken(const QString &key, int exceptRow) const;
    int rowOfBase(const QString &baseKey) const;
    void removeRowRuns(QList<int> rows);

    QPointer<ClusterMetadata> m_metadata;
    QList<Entry> m_entries;
    ValueMask m_mask;
    QSet<QString> m_deleted; // local keys whose row the user deleted
    bool m_modified = false;
    bool m_applying = false;
    QMetaObject::Connection m_trackerConnection;
    int m_acked = 0;
    int m_total = 0;
    bool m_spreadPending = false;
    int m_mtu = 1500;
    std::function<qsizetype(const Metadata &)> m_estimator;
    qsizetype m_encodedSize = 0;
    QTimer m_flushTimer;
};

} // namespace shoal
