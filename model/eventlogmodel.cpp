#include "model/eventlogmodel.h"

#include "model/itemroles.h"
#include "model/jsonvalue.h"
#include "model/valuetext.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace shoal {

namespace {

const QList<int> kFoldRoles { Qt::DisplayRole, Qt::ToolTipRole, SortRole, TimeRole };

Tone kindTone(EventKind kind)
{
    switch (kind) {
    case EventKind::Join:
        return Tone::Good;
    case EventKind::Restart:
        return Tone::Warning;
    case EventKind::Rejected:
        return Tone::Bad;
    case EventKind::Status:
    case EventKind::MetadataChange:
    case EventKind::UserEvent:
    case EventKind::Query:
        break;
    }
    return Tone::Normal;
}

QString detailText(const EventRecord &event, const QString &detail)
{
    return event.repeat > 1 ? detail + QStringLiteral(" (\u00d7%1)").arg(event.repeat) : detail;
}

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

// RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run a member name
// or a rejection reason (both come from the network) as a formula.
QString csvField(QString field)
{
    if (!field.isEmpty() && QStringLiteral("=+-@").contains(field.front()))
        field.prepend(u'\'');
    if (field.contains(u',') || field.contains(u'"') || field.contains(u'\n')
        || field.contains(u'\r')) {
        field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return u'"' + field + u'"';
    }
    return field;
}

} // namespace

QString eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Join:
        return QStringLiteral("join");
    case EventKind::Status:
        return QStringLiteral("status");
    case EventKind::MetadataChange:
        return QStringLiteral("metadata");
    case EventKind::Restart:
        return QStringLiteral("restart");
    case EventKind::Rejected:
        return QStringLiteral("rejected");
    case EventKind::UserEvent:
        return QStringLiteral("user-event");
    case EventKind::Query:
        return QStringLiteral("query");
    }
    return QString();
}

QString eventKindText(EventKind kind)
{
    switch (kind) {
    case EventKind::Join:
        return EventLogModel::tr("join");
    case EventKind::Status:
        return EventLogModel::tr("status");
    case EventKind::MetadataChange:
        return EventLogModel::tr("metadata");
    case EventKind::Restart:
        return EventLogModel::tr("restart");
    case EventKind::Rejected:
        return EventLogModel::tr("rejected");
    case EventKind::UserEvent:
        return EventLogModel::tr("user event");
    case EventKind::Query:
        return EventLogModel::tr("query");
    }
    return QString();
}

std::optional<EventKind> eventKindFromName(const QString &name)
{
    for (int i = 0; i < kEventKindCount; ++i) {
        const auto kind = static_cast<EventKind>(i);
        if (name.compare(eventKindName(kind), Qt::CaseInsensitive) == 0)
            return kind;
    }
    return std::nullopt;
}

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventLogModel::flush);
}

EventLogModel::~EventLogModel() = default;

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Kind");
    case MemberColumn:
        return tr("Member");
    case DetailColumn:
        return tr("Detail");
    default:
        return QVariant();
    }
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const EventRecord &event = m_events.at(std::size_t(index.row()));
    // A member going OFFLINE (SUSPECT -> OFFLINE above all) stands out.
    const Tone tone = event.kind == EventKind::Status && event.to == QLatin1String("OFFLINE")
        ? Tone::Bad
        : kindTone(event.kind);
    switch (role) {
    case StatusRole:
        return static_cast<int>(event.kind);
    case TimeRole:
        return event.time;
    case KeyRole:
        return event.member;
    case ToneRole:
        return static_cast<int>(tone);
    case Qt::BackgroundRole:
    case Qt::ForegroundRole:
        return toneColor(tone, role);
    default:
        break;
    }
    switch (index.column()) {
    case TimeColumn:
        if (role == Qt::DisplayRole)
            return event.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        if (role == SortRole)
            return event.time.toMSecsSinceEpoch();
        if (role == Qt::ToolTipRole)
            return event.time.toLocalTime().toString(Qt::ISODateWithMs);
        break;
    case KindColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return eventKindText(event.kind);
        break;
    case MemberColumn:
        if (role == Qt::ToolTipRole)
            return tooltipText(event.member);
        if (role == Qt::DisplayRole || role == SortRole)
            return event.member;
        break;
    case DetailColumn:
        if (role == Qt::DisplayRole)
            return detailText(event, shownDetail(event));
        if (role == SortRole)
            return shownDetail(event);
        if (role == Qt::ToolTipRole)
            return tooltipText(event.repeat > 1
                    ? tr("%1\n%2 times, last at %3")
                          .arg(shownDetail(event))
                          .arg(event.repeat)
                          .arg(event.time.toLocalTime().toString(Qt::ISODateWithMs))
                    : shownDetail(event));
        break;
    default:
        break;
    }
    return QVariant();
}

void EventLogModel::append(const EventRecord &event)
{
    ++m_totals.at(static_cast<std::size_t>(event.kind));
    auto same = [&event](const EventRecord &other) {
        return other.kind == event.kind && other.member == event.member
            && other.detail == event.detail;
    };
    if (!m_pending.empty()) {
        if (same(m_pending.back())) {
            m_pending.back().repeat += event.repeat;
            m_pending.back().time = event.time;
            scheduleFlush();
            return;
        }
    } else if (!m_events.empty() && same(m_events.back())) {
        m_events.back().repeat += event.repeat;
        m_events.back().time = event.time;
        m_changes.mark(int(m_events.size()) - 1, TimeColumn, DetailColumn, kFoldRoles);
        scheduleFlush();
        return;
    }
    m_pending.push_back(event);
    // Memory stays bounded even if no flush runs for a while under a flood.
    while (m_pending.size() > std::size_t(m_capacity))
        m_pending.pop_front();
    scheduleFlush();
}

void EventLogModel::append(EventKind kind, const QString &member, const QString &detail)
{
    EventRecord event;
    event.time = now();
    event.kind = kind;
    event.member = member;
    event.detail = detail;
    append(event);
}

void EventLogModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    while (m_pending.size() > std::size_t(m_capacity))
        m_pending.pop_front();
    flush();
    if (m_events.size() > std::size_t(m_capacity)) {
        const int drop = int(m_events.size()) - m_capacity;
        beginRemoveRows(QModelIndex(), 0, drop - 1);
        m_events.erase(m_events.begin(), m_events.begin() + drop);
        endRemoveRows();
    }
}

void EventLogModel::clear()
{
    beginResetModel();
    m_events.clear();
    m_pending.clear();
    m_changes.clear();
    m_totals = {};
    endResetModel();
    emit totalsChanged();
}

qint64 EventLogModel::total(EventKind kind) const
{
    return m_totals.at(static_cast<std::size_t>(kind));
}

void EventLogModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

void EventLogModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventLogModel::flush()
{
    m_flushTimer.stop();
    const bool any = hasPendingChanges();
    for (const PendingChanges::Range &range : m_changes.take(rowCount()))
        emit dataChanged(
            index(range.top, range.left), index(range.bottom, range.right), range.roles);
    if (!m_pending.empty()) {
        const std::size_t total = m_events.size() + m_pending.size();
        if (total > std::size_t(m_capacity)) {
            // m_pending never exceeds the capacity, so the drop is within the shown rows.
            const int drop = int(total - std::size_t(m_capacity));
            beginRemoveRows(QModelIndex(), 0, drop - 1);
            m_events.erase(m_events.begin(), m_events.begin() + drop);
            endRemoveRows();
        }
        const int first = int(m_events.size());
        beginInsertRows(QModelIndex(), first, first + int(m_pending.size()) - 1);
        for (EventRecord &event : m_pending)
            m_events.push_back(std::move(event));
        m_pending.clear();
        endInsertRows();
    }
    if (any)
        emit totalsChanged();
}

QList<const EventRecord *> EventLogModel::select(const QList<int> &rows) const
{
    QList<const EventRecord *> events;
    if (rows.isEmpty()) {
        for (const EventRecord &event : m_events)
            events.append(&event);
        return events;
    }
    for (int row : rows) {
        if (row >= 0 && std::size_t(row) < m_events.size())
            events.append(&m_events.at(std::size_t(row)));
    }
    return events;
}

void EventLogModel::setValueMask(const ValueMask &mask)
{
    m_mask = mask;
    if (!m_events.empty())
        emit dataChanged(index(0, DetailColumn), index(rowCount() - 1, DetailColumn),
            { Qt::DisplayRole, Qt::ToolTipRole, SortRole });
}

bool EventLogModel::hidesValue(const EventRecord &event) const
{
    return event.kind == EventKind::MetadataChange && !event.key.isEmpty() && event.value
        && m_mask.hides(event.key);
}

QString EventLogModel::shownDetail(const EventRecord &event) const
{
    return hidesValue(event) ? event.key + QStringLiteral(" = ") + maskedValueText() : event.detail;
}

bool EventLogModel::exportCsv(QIODevice *device, const QList<int> &rows, ExportValues values) const
{
    if (!device || !device->isWritable())
        return false;
    QString out = QStringLiteral("time,kind,member,detail,count,key,value,from,to\r\n");
    for (const EventRecord *event : select(rows)) {
        const bool masked = values == ExportValues::AsShown && hidesValue(*event);
        const QString value = !event->value ? QString()
            : masked                        ? maskedValueText()
                                            : displayValue(*event->value, 1 << 20);
        out += isoTime(event->time) + u',' + eventKindName(event->kind) + u','
            + csvField(event->member) + u','
            + csvField(masked ? shownDetail(*event) : event->detail) + u','
            + QString::number(event->repeat) + u',' + csvField(event->key) + u',' + csvField(value)
            + u',' + csvField(event->from) + u',' + csvField(event->to) + QStringLiteral("\r\n");
    }
    const QByteArray bytes = out.toUtf8();
    return device->write(bytes) == bytes.size();
}

bool EventLogModel::exportJson(QIODevice *device, const QList<int> &rows, ExportValues values) const
{
    if (!device || !device->isWritable())
        return false;
    QJsonArray array;
    for (const EventRecord *event : select(rows)) {
        const bool masked = values == ExportValues::AsShown && hidesValue(*event);
        QJsonObject object { { QStringLiteral("time"), isoTime(event->time) },
            { QStringLiteral("kind"), eventKindName(event->kind) },
            { QStringLiteral("member"), event->member },
            { QStringLiteral("detail"), masked ? shownDetail(*event) : event->detail },
            { QStringLiteral("count"), event->repeat } };
        if (!event->key.isEmpty()) {
            object.insert(QStringLiteral("key"), event->key);
            object.insert(QStringLiteral("value"),
                !event->value ? QJsonValue(QJsonValue::Null)
                    : masked  ? QJsonValue(maskedValueText())
                              : jsonValueFromBytes(*event->value));
        }
        if (!event->from.isEmpty())
            object.insert(QStringLiteral("from"), event->from);
        if (!event->to.isEmpty())
            object.insert(QStringLiteral("to"), event->to);
        array.append(object);
    }
    const QByteArray bytes = QJsonDocument(array).toJson(QJsonDocument::Indented);
    return device->write(bytes) == bytes.size();
}

} // namespace shoal
