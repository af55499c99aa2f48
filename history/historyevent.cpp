#include "history/historyevent.h"

namespace shoal::history {

HistoryEvent HistoryEvent::fromEventRecord(const EventRecord &record)
{
    HistoryEvent event;
    event.time = record.time.toUTC();
    event.kind = eventKindName(record.kind);
    event.member = record.member;
    event.detail = record.detail;
    event.key = record.key;
    event.value = record.value;
    event.from = record.from;
    event.to = record.to;
    event.count = record.repeat;
    return event;
}

std::optional<EventRecord> HistoryEvent::toEventRecord() const
{
    const std::optional<EventKind> eventKind = eventKindFromName(kind);
    if (!eventKind)
        return std::nullopt;
    EventRecord record;
    record.time = time;
    record.kind = *eventKind;
    record.member = member;
    record.detail = detail;
    record.key = key;
    record.value = value;
    record.from = from;
    record.to = to;
    record.repeat = int(std::clamp<qint64>(count, 1, 1 << 30));
    return record;
}

} // namespace shoal::history
