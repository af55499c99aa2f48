// One stored event of a cluster's history: what the event log shows (joins, status, metadata,
// restarts, rejected datagrams per minute) and Shoal's own probe results per minute.
#pragma once

#include "model/eventlogmodel.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace shoal::history {

// The stored kinds: the event log's names (eventKindName) and "probe".
inline QString probeKindName()
{
    return QStringLiteral("probe");
}

struct HistoryEvent
{
    QDateTime time; // UTC, millisecond precision
    QString kind; // "join", "status", "metadata", "restart", "rejected", "probe"
    QString member; // who it is about; rejected: the sender; probe: empty (the whole cluster)
    QString detail; // as the event log words it
    QString key; // metadata
    std::optional<QByteArray> value; // metadata: nullopt when the key was removed
    QString from; // status: previous status name
    QString to; // status and join: the status name
    qint64 count = 1; // rejected: datagrams in the minute; probe: probes ended in the minute
    QJsonObject extra; // kind-specific numbers (probe: answered, no_answer, rtt_ms_mean, ...)
    QString cluster; // read back: the cluster's identity
    // Written only: events with the same key replace the earlier row (a minute's running sum).
    QString summaryKey;

    static HistoryEvent fromEventRecord(const EventRecord &record);
    // nullopt for kinds the event log does not have (probe).
    std::optional<EventRecord> toEventRecord() const;
};

} // namespace shoal::history
