#include "history/timelinemodel.h"

#include "model/naturalcompare.h"

#include <algorithm>
#include <cmath>

namespace shoal::history {

TimelineLane &TimelineModel::laneFor(const QString &member)
{
    const int found = m_laneIndex.value(member, -1);
    if (found >= 0)
        return m_lanes[std::size_t(found)];
    const auto at = std::lower_bound(
        m_lanes.begin(), m_lanes.end(), member, [](const TimelineLane &lane, const QString &name) {
            return naturalCompare(lane.member, name) < 0;
        });
    const auto inserted = m_lanes.insert(at, TimelineLane { member, {}, {} });
    // New members are rare next to events: renumbering the lanes after it is fine.
    for (auto it = inserted; it != m_lanes.end(); ++it)
        m_laneIndex.insert(it->member, int(it - m_lanes.begin()));
    return *inserted;
}

void TimelineModel::addEvent(const HistoryEvent &event)
{
    if (event.member.isEmpty() || !event.time.isValid())
        return;
    const qint64 time = event.time.toMSecsSinceEpoch();
    const bool join = event.kind == QLatin1String("join");
    if (join || event.kind == QLatin1String("status")) {
        const std::optional<MemberStatus> status = memberStatusFromName(event.to);
        if (!status)
            return;
        TimelineLane &lane = laneFor(event.member);
        TimelineSegment segment { time, *status, event.detail, join };
        // Events come in time order; an older one (another writer's) goes to its place.
        auto at = lane.segments.end();
        if (!lane.segments.empty() && lane.segments.back().startMs > time)
            at = std::upper_bound(lane.segments.begin(), lane.segments.end(), time,
                [](qint64 t, const TimelineSegment &s) { return t < s.startMs; });
        // A join repeating the status the lane already has (a new session) starts nothing new.
        if (join && at != lane.segments.begin() && std::prev(at)->status == *status)
            return;
        lane.segments.insert(at, std::move(segment));
    } else if (event.kind == QLatin1String("metadata") || event.kind == QLatin1String("restart")) {
        TimelineLane &lane = laneFor(event.member);
        TimelineTick tick { time, event.kind, event.detail };
        auto at = lane.ticks.end();
        if (!lane.ticks.empty() && lane.ticks.back().timeMs > time)
            at = std::upper_bound(lane.ticks.begin(), lane.ticks.end(), time,
                [](qint64 t, const TimelineTick &k) { return t < k.timeMs; });
        lane.ticks.insert(at, std::move(tick));
    } else {
        return;
    }
    m_earliestMs = m_events == 0 ? time : std::min(m_earliestMs, time);
    ++m_events;
    m_nowMs = std::max(m_nowMs, time);
}

void TimelineModel::clear()
{
    m_lanes.clear();
    m_laneIndex.clear();
    m_events = 0;
    m_earliestMs = 0;
}

std::pair<std::size_t, std::size_t> TimelineModel::segmentsIn(
    int laneIndex, qint64 fromMs, qint64 toMs) const
{
    const auto &segments = lane(laneIndex).segments;
    // The segment in force at fromMs (the last starting at or before it) is visible too.
    auto first = std::upper_bound(segments.begin(), segments.end(), fromMs,
        [](qint64 t, const TimelineSegment &s) { return t < s.startMs; });
    if (first != segments.begin())
        --first;
    const auto last = std::lower_bound(first, segments.end(), toMs,
        [](const TimelineSegment &s, qint64 t) { return s.startMs < t; });
    return { std::size_t(first - segments.begin()), std::size_t(last - segments.begin()) };
}

std::pair<std::size_t, std::size_t> TimelineModel::ticksIn(
    int laneIndex, qint64 fromMs, qint64 toMs) const
{
    const auto &ticks = lane(laneIndex).ticks;
    const auto first = std::lower_bound(ticks.begin(), ticks.end(), fromMs,
        [](const TimelineTick &k, qint64 t) { return k.timeMs < t; });
    const auto last = std::lower_bound(
        first, ticks.end(), toMs, [](const TimelineTick &k, qint64 t) { return k.timeMs < t; });
    return { std::size_t(first - ticks.begin()), std::size_t(last - ticks.begin()) };
}

std::optional<MemberStatus> TimelineModel::statusAt(int laneIndex, qint64 timeMs) const
{
    const auto &segments = lane(laneIndex).segments;
    auto at = std::upper_bound(segments.begin(), segments.end(), timeMs,
        [](qint64 t, const TimelineSegment &s) { return t < s.startMs; });
    if (at == segments.begin())
        return std::nullopt;
    return std::prev(at)->status;
}

StatusCounts TimelineModel::countsAt(qint64 timeMs) const
{
    StatusCounts counts;
    for (int i = 0; i < laneCount(); ++i) {
        if (const auto status = statusAt(i, timeMs))
            counts.add(*status);
    }
    return counts;
}

int TimelineModel::statusChanges(const QString &member, qint64 nowMs, qint64 windowMs) const
{
    const int index = laneOf(member);
    if (index < 0)
        return 0;
    const auto &segments = lane(index).segments;
    const auto first = std::upper_bound(segments.begin(), segments.end(), nowMs - windowMs,
        [](qint64 t, const TimelineSegment &s) { return t < s.startMs; });
    return int(std::count_if(first, segments.end(),
        [nowMs](const TimelineSegment &s) { return !s.fromJoin && s.startMs <= nowMs; }));
}

QStringList TimelineModel::flappingMembers(qint64 nowMs, int threshold) const
{
    QStringList members;
    for (const TimelineLane &lane : m_lanes) {
        if (statusChanges(lane.member, nowMs) > threshold)
            members << lane.member;
    }
    return members;
}

void TimelineModel::setRange(qint64 startMs, qint64 endMs)
{
    const qint64 span = std::clamp(endMs - startMs, kMinSpanMs, kMaxSpanMs);
    m_startMs = startMs;
    m_endMs = startMs + span;
}

void TimelineModel::zoom(double factor, qint64 anchorMs)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const double span
        = std::clamp(double(spanMs()) * factor, double(kMinSpanMs), double(kMaxSpanMs));
    const double anchorShare = spanMs() > 0 ? double(anchorMs - m_startMs) / double(spanMs()) : 0.5;
    const qint64 start = anchorMs - qint64(std::llround(anchorShare * span));
    setRange(start, start + qint64(std::llround(span)));
}

void TimelineModel::pan(qint64 deltaMs)
{
    m_startMs += deltaMs;
    m_endMs += deltaMs;
}

qint64 TimelineModel::timeAtX(double x, double width) const
{
    if (width <= 0)
        return m_startMs;
    return m_startMs + qint64(std::llround(x / width * double(spanMs())));
}

double TimelineModel::xAtTime(qint64 timeMs, double width) const
{
    return spanMs() > 0 ? double(timeMs - m_startMs) / double(spanMs()) * width : 0;
}

std::optional<TimelineHit> TimelineModel::hitTest(
    int laneIndex, double x, double width, double tolerancePx) const
{
    if (laneIndex < 0 || laneIndex >= laneCount() || width <= 0)
        return std::nullopt;
    const TimelineLane &row = lane(laneIndex);
    const qint64 time = timeAtX(x, width);
    const qint64 tolerance = qint64(std::ceil(tolerancePx / width * double(spanMs())));
    TimelineHit hit;
    hit.lane = laneIndex;
    hit.member = row.member;
    // The nearest event within tolerance: a tick, or the start of a segment.
    qint64 best = tolerance + 1;
    const auto nearer = [&](qint64 eventMs) {
        const qint64 distance = std::abs(eventMs - time);
        if (distance >= best)
            return false;
        best = distance;
        hit.isEvent = true;
        hit.timeMs = eventMs;
        return true;
    };
    const auto [tickFirst, tickLast] = ticksIn(laneIndex, time - tolerance, time + tolerance + 1);
    for (std::size_t i = tickFirst; i < tickLast; ++i) {
        const TimelineTick &tick = row.ticks[i];
        if (nearer(tick.timeMs)) {
            hit.kind = tick.kind;
            hit.detail = tick.detail;
        }
    }
    const auto [first, last] = segmentsIn(laneIndex, time - tolerance, time + tolerance + 1);
    for (std::size_t i = first; i < last; ++i) {
        const TimelineSegment &segment = row.segments[i];
        // A tick wins a tie (nearer is strict): it is drawn on top.
        if (nearer(segment.startMs)) {
            hit.kind = segment.fromJoin ? QStringLiteral("join") : QStringLiteral("status");
            hit.detail = segment.detail;
            hit.status = segment.status;
        }
    }
    if (hit.isEvent)
        return hit;
    const auto status = statusAt(laneIndex, time);
    if (!status || time > std::max(m_nowMs, row.segments.back().startMs))
        return std::nullopt;
    const auto at = std::upper_bound(row.segments.begin(), row.segments.end(), time,
        [](qint64 t, const TimelineSegment &s) { return t < s.startMs; });
    const TimelineSegment &segment = *std::prev(at);
    hit.kind = QStringLiteral("segment");
    hit.timeMs = segment.startMs;
    hit.untilMs = at == row.segments.end() ? m_nowMs : at->startMs;
    hit.status = segment.status;
    hit.detail = segment.detail;
    return hit;
}

} // namespace shoal::history
