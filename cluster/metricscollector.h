// What a cluster looks like to Prometheus: member counts by status, one series per member (up
// to a cap), our probe round trips as a histogram, traffic by packet type, refused datagrams
// by reason, the last change and what Shoal is, rendered in the Prometheus text exposition
// format (0.0.4). Protocol-neutral: fed the same update batches and traffic counters that
// ClusterSession and the headless commands see; serves nobody itself (app/ does the HTTP).
// Every metric is listed in docs/METRICS.md.
#pragma once

#include "cluster/clustertypes.h"
#include "model/member.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <array>

namespace shoal::cluster {

class MetricsCollector final
{
public:
    // Members beyond this many get no shoal_member_status series of their own (they are still
    // counted by status); shoal_member_status_omitted says how many.
    static constexpr qsizetype defaultMemberSeriesCap = 1000;
    // Longest label value, in UTF-8 bytes, before it is cut (a cut one ends in "...").
    static constexpr qsizetype maxLabelBytes = 128;
    // Distinct packet types or reject reasons per metric; the rest are summed as "other".
    static constexpr qsizetype maxLabelValues = 64;
    // Upper bounds of the probe round-trip histogram, in seconds.
    static constexpr std::array<double, 12> rttBucketsSeconds { 0.0005, 0.001, 0.0025, 0.005, 0.01,
        0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5 };

    // version: Shoal's; protocol: "swim" or "serf"; localName: our member's name.
    void setInfo(const QString &version, const QString &protocol);
    void setMemberSeriesCap(qsizetype cap) { m_memberSeriesCap = cap; }

    // One batch of member changes, as a backend reports them.
    void apply(const QList<MemberUpdate> &updates);
    // The backend's latest traffic snapshot (packets, bytes, refused datagrams by reason).
    void setCounters(const TrafficCounters &counters) { m_counters = counters; }

    // The whole exposition, ending in a newline.
    QByteArray exposition() const;

    // A label value as the text format wants it: \ " and newline escaped, other control
    // characters replaced, cut to maxLabelBytes of UTF-8. For the tests and the renderer.
    static QByteArray labelValue(const QString &text);

private:
    struct MemberState
    {
        MemberStatus status = MemberStatus::Unknown;
        bool hasSeries = false; // admitted under the cap when first seen
    };

    QString m_version;
    QString m_protocol;
    qsizetype m_memberSeriesCap = defaultMemberSeriesCap;
    qsizetype m_membersWithSeries = 0;
    QHash<QString, MemberState> m_members;
    QDateTime m_lastChange; // last member added or status change, invalid before any
    std::array<quint64, rttBucketsSeconds.size()> m_rttBuckets {}; // not cumulative here
    quint64 m_rttCount = 0;
    double m_rttSumSeconds = 0;
    TrafficCounters m_counters;
};

} // namespace shoal::cluster
