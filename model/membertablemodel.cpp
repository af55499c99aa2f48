#include "model/membertablemodel.h"

#include "model/itemroles.h"
#include "model/valuetext.h"

#include <algorithm>
#include <limits>

namespace shoal {

namespace {

const QList<int> kPlainRoles { Qt::DisplayRole, SortRole };
const QList<int> kTimeRoles { Qt::DisplayRole, SortRole, Qt::ToolTipRole, TimeRole };
const QList<int> kProbeRoles { Qt::DisplayRole, SortRole, Qt::ToolTipRole, TimeRole, ToneRole,
    Qt::BackgroundRole, Qt::ForegroundRole };
const QList<int> kTipRoles { Qt::DisplayRole, SortRole, Qt::ToolTipRole };
// A status or local change recolours the whole row.
const QList<int> kRowRoles { Qt::DisplayRole, SortRole, Qt::ToolTipRole, StatusRole, LocalRole,
    ToneRole, Qt::BackgroundRole, Qt::ForegroundRole };

int statusIndex(MemberStatus status)
{
    return static_cast<int>(status);
}

// Sort order: the healthy first.
int statusRank(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return 0;
    case MemberStatus::Suspect:
        return 1;
    case MemberStatus::Leaving:
        return 2;
    case MemberStatus::Offline:
        return 3;
    case MemberStatus::Left:
        return 4;
    case MemberStatus::Unknown:
        return 5;
    }
    return 6;
}

QString clockTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString fullTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(Qt::ISODateWithMs) : QString();
}

QString probeText(const MemberRecord &record)
{
    switch (record.probe) {
    case ProbeResult::NotProbed:
        return MemberTableModel::tr("not probed");
    case ProbeResult::Answered:
        return MemberTableModel::tr("answered %1").arg(clockTime(record.lastProbe));
    case ProbeResult::NoAnswer:
        return MemberTableModel::tr("no answer %1").arg(clockTime(record.lastProbe));
    }
    return QString();
}

QString rttText(qint64 micros)
{
    if (micros < 0)
        return QStringLiteral("\u2014");
    if (micros < 1000)
        return QStringLiteral("%1 \u00b5s").arg(micros);
    const double ms = static_cast<double>(micros) / 1000.0;
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 100.0 ? 1 : 0);
}

qint64 timeKey(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

Tone cellTone(const MemberRecord &record, int column)
{
    switch (column) {
    case MemberTableModel::StatusColumn:
        switch (record.status) {
        case MemberStatus::Online:
            return Tone::Good;
        case MemberStatus::Suspect:
            return Tone::Warning;
        case MemberStatus::Offline:
            return Tone::Bad;
        case MemberStatus::Leaving:
            return Tone::Warning;
        case MemberStatus::Unknown:
        case MemberStatus::Left:
            return Tone::Muted;
        }
        break;
    case MemberTableModel::ProbeColumn:
        if (record.probe == ProbeResult::Answered)
            return Tone::Good;
        if (record.probe == ProbeResult::NoAnswer)
            return Tone::Bad;
        break;
    case MemberTableModel::NameColumn:
        if (record.local)
            return Tone::Highlight;
        break;
    default:
        break;
    }
    return record.available() ? Tone::Normal : Tone::Muted;
}

} // namespace

MemberTableModel::MemberTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &MemberTableModel::flush);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MemberTableModel::tick);
    m_tick.start();
}

MemberTableModel::~MemberTableModel() = default;

int MemberTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MemberTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MemberTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case StatusColumn:
            return tr("Status");
        case ProbeColumn:
            return tr("Probe");
        case ClockColumn:
            return tr("Clock");
        case SinceColumn:
            return tr("Since");
        case LastHeardColumn:
            return tr("Last heard");
        case RttColumn:
            return tr("RTT");
        case KeysColumn:
            return tr("Keys");
        case ValidityColumn:
            return tr("Validity");
        default:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case StatusColumn:
            return tr("Status as the member record holds it (gossiped)");
        case ProbeColumn:
            return tr("Our own view: did it answer our last probe, and when");
        case ClockColumn:
            return tr("Version of the member's record");
        case SinceColumn:
            return tr("Time since the status last changed");
        case RttColumn:
            return tr("Round trip of our last answered ping");
        case ValidityColumn:
            return tr("Identity of the process instance; a change means a restart");
        default:
            break;
        }
    }
    return QVariant();
}

QVariant MemberTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const MemberRecord &record = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return record.local ? tr("%1 (local)").arg(record.name) : record.name;
        case StatusColumn:
            if (m_flapping.contains(record.name))
                return tr("%1  \u21AF flapping").arg(memberStatusText(record.status));
            return memberStatusText(record.status);
        case ProbeColumn:
            return probeText(record);
        case ClockColumn:
            return QString::number(record.clock);
        case SinceColumn:
            return record.statusSince.isValid() ? relativeTime(record.statusSince, now())
                                                : QStringLiteral("\u2014");
        case LastHeardColumn:
            return record.local ? QStringLiteral("\u2014") : relativeTime(record.lastHeard, now());
        case RttColumn:
            return rttText(record.rttMicros);
        case KeysColumn:
            return record.metadata ? QString::number(record.metadata->size()) : QStringLiteral("?");
        case ValidityColumn:
            return record.instanceId.isEmpty() ? QStringLiteral("\u2014")
                                               : QString::fromLatin1(record.instanceId.toHex());
        default:
            return QVariant();
        }
    case SortRole:
        switch (column) {
        case NameColumn:
            return record.name;
        case StatusColumn:
            return statusRank(record.status);
        case ProbeColumn:
            return static_cast<int>(record.probe);
        case ClockColumn:
            return QVariant::fromValue<qulonglong>(record.clock);
        case SinceColumn:
            return timeKey(record.statusSince);
        case LastHeardColumn:
            return timeKey(record.lastHeard);
        case RttColumn:
            // No measurement sorts after every measurement.
            return record.rttMicros < 0 ? std::numeric_limits<qint64>::max() : record.rttMicros;
        case KeysColumn:
            return record.metadata ? int(record.metadata->size()) : -1;
        case ValidityColumn:
            return record.instanceId;
        default:
            return QVariant();
        }
    case Qt::ToolTipRole:
        switch (column) {
        case NameColumn:
            return record.local ? tr("The member this process runs") : QVariant();
        case StatusColumn:
            if (m_flapping.contains(record.name))
                return tr("Flapping: %1 status changes in the last hour (more than %2)")
                    .arg(m_flapping.value(record.name))
                    .arg(m_flapThreshold);
            Q_FALLTHROUGH();
        case SinceColumn:
            return record.statusSince.isValid()
                ? tr("%1 since %2")
                      .arg(memberStatusText(record.status), fullTime(record.statusSince))
                : memberStatusText(record.status);
        case ProbeColumn:
            return record.lastProbe.isValid() ? fullTime(record.lastProbe) : QVariant();
        case LastHeardColumn:
            return record.lastHeard.isValid() ? fullTime(record.lastHeard) : QVariant();
        case KeysColumn:
            if (!record.metadata)
                return tr("Metadata not received yet: it comes with the members' "
                          "gossip rounds");
            return QStringList(record.metadata->keys()).join(QStringLiteral(", ")).left(500);
        case ValidityColumn:
            return QString::fromLatin1(record.instanceId.toHex(' '));
        default:
            return QVariant();
        }
    case Qt::TextAlignmentRole:
        if (column == ClockColumn || column == RttColumn || column == KeysColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case StatusRole:
        return statusIndex(record.status);
    case LocalRole:
        return record.local;
    case KeyRole:
        return record.name;
    case TimeRole:
        if (column == SinceColumn)
            return record.statusSince;
        if (column == LastHeardColumn)
            return record.lastHeard;
        if (column == ProbeColumn)
            return record.lastProbe;
        return QVariant();
    case ToneRole:
        return static_cast<int>(cellTone(record, column));
    case Qt::BackgroundRole:
    case Qt::ForegroundRole:
        return toneColor(cellTone(record, column), role);
    default:
        return QVariant();
    }
}

void MemberTableModel::setFlapping(const QHash<QString, int> &changesByMember, int threshold)
{
    if (changesByMember == m_flapping && threshold == m_flapThreshold)
        return;
    QSet<QString> touched;
    for (auto it = m_flapping.cbegin(); it != m_flapping.cend(); ++it)
        touched.insert(it.key());
    for (auto it = changesByMember.cbegin(); it != changesByMember.cend(); ++it)
        touched.insert(it.key());
    m_flapping = changesByMember;
    m_flapThreshold = threshold;
    for (const QString &name : std::as_const(touched)) {
        const int row = rowOf(name);
        if (row >= 0)
            emit dataChanged(index(row, StatusColumn), index(row, StatusColumn),
                { Qt::DisplayRole, Qt::ToolTipRole });
    }
}

void MemberTableModel::upsert(const MemberRecord &record)
{
    if (record.name.isEmpty())
        return;
    const auto row = m_rowOf.constFind(record.name);
    if (row != m_rowOf.cend()) {
        m_pendingRemovals.remove(record.name);
        // Copy first: record may be a reference to this very row (upsert(record(row))).
        MemberRecord &stored = m_rows[*row];
        const MemberRecord before = stored;
        stored = record;
        markChanged(*row, before, stored);
    } else if (const auto pending = m_pendingInsertOf.constFind(record.name);
               pending != m_pendingInsertOf.cend()) {
        m_pendingInserts[*pending] = record;
    } else {
        m_pendingInsertOf.insert(record.name, m_pendingInserts.size());
        m_pendingInserts.append(record);
    }
    scheduleFlush();
}

void MemberTableModel::upsert(const QList<MemberRecord> &records)
{
    for (const MemberRecord &record : records)
        upsert(record);
}

void MemberTableModel::remove(const QString &name)
{
    if (const auto pending = m_pendingInsertOf.constFind(name);
        pending != m_pendingInsertOf.cend()) {
        const qsizetype at = *pending;
        m_pendingInserts.removeAt(at);
        m_pendingInsertOf.erase(pending);
        for (auto it = m_pendingInsertOf.begin(); it != m_pendingInsertOf.end(); ++it) {
            if (*it > at)
                --*it;
        }
        return;
    }
    if (!m_rowOf.contains(name))
        return;
    m_pendingRemovals.insert(name);
    scheduleFlush();
}

void MemberTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_changes.clear();
    m_pendingInserts.clear();
    m_pendingInsertOf.clear();
    m_pendingRemovals.clear();
    endResetModel();
    recount();
}

bool MemberTableModel::hasPendingChanges() const
{
    return !m_changes.isEmpty() || !m_pendingInserts.isEmpty() || !m_pendingRemovals.isEmpty();
}

bool MemberTableModel::contains(const QString &name) const
{
    return m_rowOf.contains(name) || m_pendingInsertOf.contains(name);
}

const MemberRecord *MemberTableModel::find(const QString &name) const
{
    if (const auto pending = m_pendingInsertOf.constFind(name); pending != m_pendingInsertOf.cend())
        return &m_pendingInserts.at(*pending);
    if (const auto row = m_rowOf.constFind(name); row != m_rowOf.cend())
        return &m_rows.at(*row);
    return nullptr;
}

int MemberTableModel::count(MemberStatus status) const
{
    return m_counts.count(status);
}

void MemberTableModel::flush()
{
    m_flushTimer.stop();

    // 1. Changed cells, while every row is where the marks say.
    const int rows = int(m_rows.size());
    for (const PendingChanges::Range &range : m_changes.take(rows))
        emit dataChanged(
            index(range.top, range.left), index(range.bottom, range.right), range.roles);

    // 2. Removals, bottom up, one beginRemoveRows per contiguous run.
    if (!m_pendingRemovals.isEmpty()) {
        QList<int> gone;
        gone.reserve(m_pendingRemovals.size());
        for (const QString &name : std::as_const(m_pendingRemovals))
            gone.append(m_rowOf.take(name));
        m_pendingRemovals.clear();
        std::sort(gone.begin(), gone.end(), std::greater<int>());
        qsizetype i = 0;
        while (i < gone.size()) {
            const int last = gone.at(i);
            int first = last;
            while (i + 1 < gone.size() && gone.at(i + 1) == first - 1)
                first = gone.at(++i);
            ++i;
            beginRemoveRows(QModelIndex(), first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        }
        for (int row = gone.last(); row < m_rows.size(); ++row)
            m_rowOf[m_rows.at(row).name] = row;
    }

    // 3. New members, appended in one go.
    if (!m_pendingInserts.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(m_pendingInserts.size()) - 1);
        for (MemberRecord &record : m_pendingInserts) {
            m_rowOf.insert(record.name, int(m_rows.size()));
            m_rows.append(std::move(record));
        }
        m_pendingInserts.clear();
        m_pendingInsertOf.clear();
        endInsertRows();
    }
    recount();
}

void MemberTableModel::setTickInterval(int ms)
{
    if (ms <= 0) {
        m_tick.stop();
        return;
    }
    m_tick.setInterval(ms);
    m_tick.start();
}

void MemberTableModel::tick()
{
    if (m_rows.isEmpty())
        return;
    static_assert(LastHeardColumn == SinceColumn + 1, "one rectangle covers both live columns");
    emit dataChanged(
        index(0, SinceColumn), index(int(m_rows.size()) - 1, LastHeardColumn), { Qt::DisplayRole });
}

void MemberTableModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

QDateTime MemberTableModel::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

void MemberTableModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MemberTableModel::markChanged(int row, const MemberRecord &before, const MemberRecord &after)
{
    if (before.status != after.status || before.local != after.local) {
        m_changes.mark(row, 0, ColumnCount - 1, kRowRoles);
        return;
    }
    if (before.probe != after.probe || before.lastProbe != after.lastProbe)
        m_changes.mark(row, ProbeColumn, kProbeRoles);
    if (before.clock != after.clock)
        m_changes.mark(row, ClockColumn, kPlainRoles);
    if (before.statusSince != after.statusSince)
        m_changes.mark(row, SinceColumn, kTimeRoles);
    if (before.lastHeard != after.lastHeard)
        m_changes.mark(row, LastHeardColumn, kTimeRoles);
    if (before.rttMicros != after.rttMicros)
        m_changes.mark(row, RttColumn, kPlainRoles);
    if (before.metadata != after.metadata)
        m_changes.mark(row, KeysColumn, kTipRoles);
    if (before.instanceId != after.instanceId)
        m_changes.mark(row, ValidityColumn, kTipRoles);
}

void MemberTableModel::recount()
{
    StatusCounts counts;
    int availablePeers = 0;
    int answeringPeers = 0;
    int remote = 0;
    int awaitingMetadata = 0;
    for (const MemberRecord &record : std::as_const(m_rows)) {
        counts.add(record.status);
        if (!record.local)
            ++remote;
        if (!record.local && record.available())
            ++availablePeers;
        if (!record.local && (record.available() || record.lastHeard.isValid()))
            ++answeringPeers;
        if (!record.local && record.available() && !record.metadata)
            ++awaitingMetadata;
    }
    if (counts != m_counts || availablePeers != m_availablePeers
        || answeringPeers != m_answeringPeers || remote != m_remoteCount
        || awaitingMetadata != m_awaitingMetadata) {
        m_counts = counts;
        m_remoteCount = remote;
        m_availablePeers = availablePeers;
        m_answeringPeers = answeringPeers;
        m_awaitingMetadata = awaitingMetadata;
        emit countsChanged();
    }
}

} // namespace shoal
