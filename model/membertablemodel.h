// The members table: one row per known member, updated in place, coalesced once per event-loop
// turn, for the members view and anything that lists members.
#pragma once

#include "model/member.h"
#include "model/pendingchanges.h"
#include "model/statuscounts.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include <functional>

namespace shoal {

class MemberTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        NameColumn,
        StatusColumn,
        ProbeColumn, // first-hand: did it answer our last probe, and when
        ClockColumn,
        SinceColumn, // status since, relative and live
        LastHeardColumn, // relative and live
        RttColumn,
        KeysColumn,
        ValidityColumn, // instanceId, hex
        ColumnCount
    };

    explicit MemberTableModel(QObject *parent = nullptr);
    ~MemberTableModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Adds the member or updates it. A known member's row is updated at once and its changed
    // cells signalled at the next flush; a new member's row appears at the next flush (appended).
    void upsert(const MemberRecord &record);
    void upsert(const QList<MemberRecord> &records);
    // The member's row goes at the next flush; nothing when unknown.
    void remove(const QString &name);
    // Empties the table with one model reset: only for a new join.
    void clear();

    // Emits every queued change now (also runs by itself once per event-loop turn).
    void flush();
    // Flushes at most every ms milliseconds (default 0: once per event-loop turn); a window
    // under a flood of packets may prefer 100.
    void setFlushInterval(int ms) { m_flushTimer.setInterval(qMax(0, ms)); }
    bool hasPendingChanges() const;

    // Lookup by name through a hash; -1 when the member has no (visible) row yet.
    int rowOf(const QString &name) const { return m_rowOf.value(name, -1); }
    bool contains(const QString &name) const;
    // The record shown at row (must be valid).
    const MemberRecord &record(int row) const { return m_rows.at(row); }
    // The newest record for name, including one not yet flushed; nullptr when unknown.
    const MemberRecord *find(const QString &name) const;
    // Visible rows by status (after the last flush).
    int count(MemberStatus status) const;
    const StatusCounts &counts() const { return m_counts; }
    // Remote members that are available (could acknowledge our record), and those available or
    // heard from at least once (none of them: nobody answers us). After the last flush.
    int availablePeerCount() const { return m_availablePeers; }
    int remoteCount() const { return m_remoteCount; }
    int answeringPeerCount() const { return m_answeringPeers; }
    // Available remote members whose metadata has not arrived yet: it comes only with the
    // members' gossip, which can take a while (pymap gossips every 30 s).
    int awaitingMetadataCount() const { return m_awaitingMetadata; }

    // The relative-time columns refresh every interval ms (default 1000; 0 stops the tick).
    void setTickInterval(int ms);
    int tickInterval() const { return m_tick.interval(); }
    // Refreshes the Since and LastHeard columns: one dataChanged over those two columns.
    void tick();
    // "Now" for the relative columns; tests pin it. Defaults to the current UTC time.
    void setClock(std::function<QDateTime()> clock);

    // Flapping members (more than threshold status changes in the last hour) and how many:
    // their Status cell says so ("↯ flapping") with the count in its tooltip.
    void setFlapping(const QHash<QString, int> &changesByMember, int threshold);
    bool isFlapping(const QString &name) const { return m_flapping.contains(name); }

signals:
    // After a flush that changed how many members are in some status (or the peer counts).
    void countsChanged();

private:
    QDateTime now() const;
    void scheduleFlush();
    void markChanged(int row, const MemberRecord &before, const MemberRecord &after);
    void recount();

    QList<MemberRecord> m_rows;
    QHash<QString, int> m_rowOf;
    PendingChanges m_changes;
    QList<MemberRecord> m_pendingInserts;
    QHash<QString, qsizetype> m_pendingInsertOf; // index into m_pendingInserts
    QSet<QString> m_pendingRemovals;
    QTimer m_flushTimer;
    QTimer m_tick;
    std::function<QDateTime()> m_clock;
    StatusCounts m_counts;
    QHash<QString, int> m_flapping; // name -> status changes in the last hour
    int m_flapThreshold = 5;
    int m_availablePeers = 0;
    int m_remoteCount = 0;
    int m_answeringPeers = 0;
    int m_awaitingMetadata = 0;
};

} // namespace shoal
