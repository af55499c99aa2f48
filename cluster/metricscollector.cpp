#include "cluster/metricscollector.h"

#include <QMap>

#include <algorithm>
#include <cstddef>

namespace shoal::cluster {

namespace {

// One code point as UTF-8 (the code points come from QString::toUcs4: valid, no surrogates).
void appendUtf8(QByteArray &out, char32_t c)
{
    if (c < 0x80) {
        out.append(char(c));
    } else if (c < 0x800) {
        out.append(char(0xC0 | (c >> 6)));
        out.append(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.append(char(0xE0 | (c >> 12)));
        out.append(char(0x80 | ((c >> 6) & 0x3F)));
        out.append(char(0x80 | (c & 0x3F)));
    } else {
        out.append(char(0xF0 | (c >> 18)));
        out.append(char(0x80 | ((c >> 12) & 0x3F)));
        out.append(char(0x80 | ((c >> 6) & 0x3F)));
        out.append(char(0x80 | (c & 0x3F)));
    }
}

QByteArray number(quint64 value)
{
    return QByteArray::number(value);
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 15);
}

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArrayLiteral("# HELP ") + name + ' ' + help + '\n';
    out += QByteArrayLiteral("# TYPE ") + name + ' ' + type + '\n';
}

// Counts keyed by a cluster-sent word, as label values: escaped, cut, merged where the cut
// makes two equal, and at most maxLabelValues of them (the rest summed as "(other)").
QMap<QByteArray, quint64> boundedLabels(const QMap<QString, quint64> &counts)
{
    QMap<QByteArray, quint64> labels;
    quint64 other = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const QByteArray label = MetricsCollector::labelValue(it.key());
        if (labels.contains(label) || labels.size() < MetricsCollector::maxLabelValues - 1)
            labels[label] += it.value();
        else
            other += it.value();
    }
    if (other > 0)
        labels[QByteArrayLiteral("(other)")] += other;
    return labels;
}

void labelledCounter(QByteArray &out, const char *name, const char *label, const char *help,
    const QMap<QString, quint64> &counts)
{
    header(out, name, "counter", help);
    const QMap<QByteArray, quint64> labels = boundedLabels(counts);
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        out += QByteArray(name) + '{' + label + "=\"" + it.key() + "\"} " + number(it.value())
            + '\n';
}

} // namespace

void MetricsCollector::setInfo(const QString &version, const QString &protocol)
{
    m_version = version;
    m_protocol = protocol;
}

void MetricsCollector::apply(const QList<MemberUpdate> &updates)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const MemberUpdate &update : updates) {
        const MemberRecord &member = update.member;
        auto found = m_members.find(member.name);
        if (found == m_members.end()) {
            // Admitted in the order first seen: a later flood of names cannot push out the
            // series of members already watched.
            MemberState state;
            state.hasSeries = m_membersWithSeries < m_memberSeriesCap;
            if (state.hasSeries)
                ++m_membersWithSeries;
            found = m_members.insert(member.name, state);
            m_lastChange = now;
        }
        if (found->status != member.status || update.what & ChangeFlag::Status)
            m_lastChange = now;
        found->status = member.status;

        // A probe of ours that ended with an answer: one round trip observed.
        const bool newProbe = !update.previous || update.previous->lastProbe != member.lastProbe;
        if (update.what & ChangeFlag::Probe && newProbe && member.probe == ProbeResult::Answered
            && member.rttMicros >= 0) {
            const double seconds = double(member.rttMicros) / 1e6;
            const auto bucket
                = std::lower_bound(rttBucketsSeconds.cbegin(), rttBucketsSeconds.cend(), seconds);
            if (bucket != rttBucketsSeconds.cend())
                ++m_rttBuckets.at(std::size_t(bucket - rttBucketsSeconds.cbegin()));
            ++m_rttCount;
            m_rttSumSeconds += seconds;
        }
    }
}

QByteArray MetricsCollector::labelValue(const QString &text)
{
    constexpr QLatin1String cutMark("...");
    QByteArray out;
    out.reserve(std::min<qsizetype>(text.size(), maxLabelBytes) + 8);
    for (const char32_t c : text.toUcs4()) {
        QByteArray piece;
        if (c == U'\\')
            piece = QByteArrayLiteral("\\\\");
        else if (c == U'"')
            piece = QByteArrayLiteral("\\\"");
        else if (c == U'\n')
            piece = QByteArrayLiteral("\\n");
        else if (c < 0x20 || c == 0x7F)
            appendUtf8(piece, U'\uFFFD'); // no other control character reaches a scrape
        else
            appendUtf8(piece, c);
        if (out.size() + piece.size() > maxLabelBytes - cutMark.size()) {
            // Cut between whole characters and whole escapes, and say so.
            out += cutMark.latin1();
            return out;
        }
        out += piece;
    }
    return out;
}

QByteArray MetricsCollector::exposition() const
{
    QByteArray out;
    out.reserve(4096 + std::min(m_members.size(), m_memberSeriesCap) * 80);

    header(out, "shoal_build_info", "gauge",
        "Always 1: the Shoal version and the gossip protocol it speaks.");
    out += "shoal_build_info{version=\"" + labelValue(m_version) + "\",protocol=\""
        + labelValue(m_protocol) + "\"} 1\n";

    std::array<quint64, kMemberStatusCount> byStatus {};
    for (const MemberState &state : m_members)
        ++byStatus.at(std::size_t(state.status));
    header(out, "shoal_members", "gauge",
        "Members known, the local one included, by status (ONLINE, SUSPECT, OFFLINE, UNKNOWN, "
        "LEAVING, LEFT).");
    for (const MemberStatus status : kAllMemberStatuses)
        out += "shoal_members{status=\"" + memberStatusName(status).toUtf8() + "\"} "
            + number(byStatus.at(std::size_t(status))) + '\n';

    header(out, "shoal_member_status", "gauge",
        "One series a member (up to the cap, first seen first): 1 while it takes part (ONLINE "
        "or SUSPECT), else 0; the status label names its status.");
    QList<QString> names;
    names.reserve(m_membersWithSeries);
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (it->hasSeries)
            names.append(it.key());
    }
    std::sort(names.begin(), names.end());
    QSet<QByteArray> labelsSeen; // two names cut to the same label: the first one only
    qsizetype omitted = m_members.size() - names.size();
    for (const QString &name : std::as_const(names)) {
        const QByteArray label = labelValue(name);
        if (labelsSeen.contains(label)) {
            ++omitted;
            continue;
        }
        labelsSeen.insert(label);
        const MemberState &state = m_members[name];
        const bool available
            = state.status == MemberStatus::Online || state.status == MemberStatus::Suspect;
        out += "shoal_member_status{name=\"" + label + "\",status=\""
            + memberStatusName(state.status).toUtf8() + "\"} " + (available ? "1" : "0") + '\n';
    }
    header(out, "shoal_member_status_omitted", "gauge",
        "Members without a shoal_member_status series (beyond the cap).");
    out += "shoal_member_status_omitted " + number(quint64(omitted)) + '\n';

    header(out, "shoal_last_change_timestamp_seconds", "gauge",
        "When a member last joined or changed status, as seen here (0: not yet).");
    out += "shoal_last_change_timestamp_seconds "
        + (m_lastChange.isValid()
                ? QByteArray::number(double(m_lastChange.toMSecsSinceEpoch()) / 1000.0, 'f', 3)
                : QByteArrayLiteral("0"))
        + '\n';

    header(out, "shoal_probe_rtt_seconds", "histogram",
        "Round trip of our own answered probes (ping to ack).");
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < rttBucketsSeconds.size(); ++i) {
        cumulative += m_rttBuckets.at(i);
        out += "shoal_probe_rtt_seconds_bucket{le=\"" + number(rttBucketsSeconds.at(i)) + "\"} "
            + number(cumulative) + '\n';
    }
    out += "shoal_probe_rtt_seconds_bucket{le=\"+Inf\"} " + number(m_rttCount) + '\n';
    out += "shoal_probe_rtt_seconds_sum " + number(m_rttSumSeconds) + '\n';
    out += "shoal_probe_rtt_seconds_count " + number(m_rttCount) + '\n';

    labelledCounter(out, "shoal_packets_received_total", "type",
        "Packets received, by the protocol's packet type.", m_counters.packetsIn);
    labelledCounter(out, "shoal_packets_sent_total", "type",
        "Packets sent, by the protocol's packet type.", m_counters.packetsOut);
    labelledCounter(out, "shoal_datagrams_received_total", "transport",
        "Datagrams received (TCP: one per connection).",
        { { QStringLiteral("udp"), m_counters.udpIn },
            { QStringLiteral("tcp"), m_counters.tcpIn } });
    labelledCounter(out, "shoal_datagrams_sent_total", "transport", "Datagrams sent.",
        { { QStringLiteral("udp"), m_counters.udpOut },
            { QStringLiteral("tcp"), m_counters.tcpOut } });
    header(out, "shoal_received_bytes_total", "counter", "Bytes received, UDP and TCP.");
    out += "shoal_received_bytes_total " + number(m_counters.bytesIn) + '\n';
    header(out, "shoal_sent_bytes_total", "counter", "Bytes sent, UDP and TCP.");
    out += "shoal_sent_bytes_total " + number(m_counters.bytesOut) + '\n';
    header(out, "shoal_send_failures_total", "counter",
        "Sends that failed (unresolved names, refused or timed out TCP, socket errors).");
    out += "shoal_send_failures_total " + number(m_counters.sendFailures) + '\n';
    labelledCounter(out, "shoal_rejected_datagrams_total", "reason",
        "Datagrams refused, by reason (swim: signature means a wrong secret or protocol "
        "version; serf: a key that decrypts nothing).",
        m_counters.rejectedByReason);
    return out;
}

} // namespace shoal::cluster
