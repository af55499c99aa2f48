// The timeline's data and geometry, without widgets: one lane per member holding its status
// over time (segments) and its metadata changes and restarts (ticks); the visible range and
// its zoom and pan; what lies under a point; the status counts at a time; flapping members.
// The Timeline view (ui/timelineview.*) only paints what this says.
#pragma once

#include "history/historyevent.h"
#include "model/member.h"
#include "model/statuscounts.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace shoal::history {

struct TimelineSegment
{
    qint64 startMs = 0; // until the next segment's start (the last one: until now)
    MemberStatus status = MemberStatus::Unknown;
    QString detail; // the event that began it ("ONLINE -> SUSPECT", "known, Online")
    bool fromJoin = false; // began with a join, not a status change
};

struct TimelineTick
{
    qint64 timeMs = 0;
    QString kind; // "metadata" or "restart"
    QString detail;
};

struct TimelineLane
{
    QString member;
    std::vector<TimelineSegment> segments; // by start
    std::vector<TimelineTick> ticks; // by time
};

// What lies under a point: a tick or a status change (an event), else a status segment.
struct TimelineHit
{
    int lane = -1;
    QString member;
    bool isEvent = false; // a tick or the start of a segment: an event of the log
    qint64 timeMs = 0; // the event's time, or the segment's start
    qint64 untilMs = 0; // segments: their end
    QString kind; // events: "join", "status", "metadata", "restart"; segments: "segment"
    QString detail;
    MemberStatus status = MemberStatus::Unknown;
};

class TimelineModel final
{
public:
    // Zoom limits: one minute to thirty days across the view.
    static constexpr qint64 kMinSpanMs = 60 * 1000;
    static constexpr qint64 kMaxSpanMs = qint64(30) * 24 * 3600 * 1000;

    // Status-bearing kinds start segments, metadata and restarts add ticks; others are ignored.
    void addEvent(const HistoryEvent &event);
    void addEvent(const EventRecord &event) { addEvent(HistoryEvent::fromEventRecord(event)); }
    void clear();

    int laneCount() const { return int(m_lanes.size()); }
    const TimelineLane &lane(int index) const { return m_lanes.at(std::size_t(index)); }
    int laneOf(const QString &member) const { return m_laneIndex.value(member, -1); }
    qint64 eventCount() const { return m_events; }
    qint64 earliestMs() const { return m_earliestMs; }

    // The segments of a lane that overlap [fromMs, toMs): index range into lane().segments.
    std::pair<std::size_t, std::size_t> segmentsIn(int lane, qint64 fromMs, qint64 toMs) const;
    std::pair<std::size_t, std::size_t> ticksIn(int lane, qint64 fromMs, qint64 toMs) const;
    std::optional<MemberStatus> statusAt(int lane, qint64 timeMs) const;
    StatusCounts countsAt(qint64 timeMs) const;

    // Status changes (joins not counted) of the member in (nowMs - windowMs, nowMs].
    int statusChanges(const QString &member, qint64 nowMs, qint64 windowMs = 3600 * 1000) const;
    // Members with more than threshold status changes in the hour before nowMs, by name.
    QStringList flappingMembers(qint64 nowMs, int threshold) const;

    // The visible time range (and "now", the right end of an open segment).
    void setRange(qint64 startMs, qint64 endMs);
    qint64 startMs() const { return m_startMs; }
    qint64 endMs() const { return m_endMs; }
    qint64 spanMs() const { return m_endMs - m_startMs; }
    void setNow(qint64 nowMs) { m_nowMs = nowMs; }
    qint64 nowMs() const { return m_nowMs; }
    // factor < 1 zooms in, keeping anchorMs at the same place; the span stays within limits.
    void zoom(double factor, qint64 anchorMs);
    void pan(qint64 deltaMs);

    // Geometry: a lane per laneHeight pixels from the top after firstLane; x from 0 to width.
    qint64 timeAtX(double x, double width) const;
    double xAtTime(qint64 timeMs, double width) const;
    // What is under x in a lane (ticks and status changes within tolerancePx first).
    std::optional<TimelineHit> hitTest(
        int lane, double x, double width, double tolerancePx = 4) const;

private:
    TimelineLane &laneFor(const QString &member);

    std::vector<TimelineLane> m_lanes; // by name, naturally ordered
    QHash<QString, int> m_laneIndex;
    qint64 m_events = 0;
    qint64 m_earliestMs = 0;
    qint64 m_startMs = 0;
    qint64 m_endMs = 3600 * 1000;
    qint64 m_nowMs = 0;
};

} // namespace shoal::history
