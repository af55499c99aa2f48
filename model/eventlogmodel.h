// The event log: an append-only, bounded list of what happened in the cluster (joins, status and
// metadata changes, restarts, rejected datagrams), coalesced once per event-loop turn.
#pragma once

#include "model/pendingchanges.h"
#include "model/secretkeys.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QTimer>

#include <array>
#include <deque>
#include <functional>
#include <optional>

class QIODevice;

namespace shoal {

// UserEvent and Query: Serf's, with the name in `key` and the payload in `value`.
enum class EventKind : quint8 { Join, Status, MetadataChange, Restart, Rejected, UserEvent, Query };
constexpr int kEventKindCount = 7;

// "join", "status", "metadata", "restart", "rejected", "user-event", "query" (as watch --json)
QString eventKindName(EventKind kind);
QString eventKindText(EventKind kind); // eventKindName in the window's language
std::optional<EventKind> eventKindFromName(const QString &name);

struct EventRecord
{
    QDateTime time; // of the latest occurrence
    EventKind kind = EventKind::Status;
    QString member; // who it is about; for rejected datagrams, the sender's address
    QString detail; // e.g. "ONLINE -> SUSPECT", "bad signature"
    int repeat = 1; // identical events in a row fold into one row (a flood stays readable)
    // Structured fields for exports and masking: a metadata event's key and value (nullopt:
    // removed), a status event's statuses (memberStatusName).
    QString key;
    std::optional<QByteArray> value;
    QString from;
    QString to;
};

// Exports write values as the view shows them (masked while hidden) or all of them.
enum class ExportValues : quint8 { AsShown, Include };

class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { TimeColumn, KindColumn, MemberColumn, DetailColumn, ColumnCount };

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Queues the event; rows appear at the next flush. An event identical (kind, member, detail)
    // to the newest one folds into it: repeat + 1 and the newer time.
    void append(const EventRecord &event);
    void append(EventKind kind, const QString &member, const QString &detail);
    // At most capacity rows are kept (default 10,000); the oldest go first.
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    // Empties the log (a new join): one model reset.
    void clear();

    void flush();
    // Flushes at most every ms milliseconds (default 0: once per event-loop turn); a window
    // under a flood of packets may prefer 100.
    void setFlushInterval(int ms) { m_flushTimer.setInterval(qMax(0, ms)); }
    bool hasPendingChanges() const { return !m_pending.empty() || !m_changes.isEmpty(); }

    const EventRecord &eventAt(int row) const { return m_events.at(std::size_t(row)); }
    // Events of kind seen since the start or the last clear(), dropped ones and repeats included.
    qint64 total(EventKind kind) const;

    // Which metadata values show: masked ones read "key = ••••" in every role and export.
    void setValueMask(const ValueMask &mask);
    const ValueMask &valueMask() const { return m_mask; }
    // Whether the event carries a value the mask hides.
    bool hidesValue(const EventRecord &event) const;

    // Writes the given rows (all when empty) as CSV with a header line (time, kind, member,
    // detail, count, key, value, from, to), or as a JSON array.
    bool exportCsv(QIODevice *device, const QList<int> &rows = {},
        ExportValues values = ExportValues::AsShown) const;
    bool exportJson(QIODevice *device, const QList<int> &rows = {},
        ExportValues values = ExportValues::AsShown) const;

    // "Now" for append(kind, member, detail); tests pin it.
    void setClock(std::function<QDateTime()> clock);
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }

signals:
    void totalsChanged();

private:
    QList<const EventRecord *> select(const QList<int> &rows) const;
    QString shownDetail(const EventRecord &event) const;
    void scheduleFlush();

    std::deque<EventRecord> m_events;
    std::deque<EventRecord> m_pending;
    PendingChanges m_changes; // the newest row when an event folded into it
    int m_capacity = 10000;
    std::array<qint64, kEventKindCount> m_totals {};
    std::function<QDateTime()> m_clock;
    QTimer m_flushTimer;
    ValueMask m_mask;
};

} // namespace shoal
