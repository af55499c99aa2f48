#include "cluster/clustersession.h"

#include "cluster/memberevents.h"
#include "cluster/mirrorrule.h"
#include "model/valuetext.h"

#include <QDateTime>

namespace shoal::cluster {

ClusterSession::ClusterSession(QObject *parent)
    : QObject(parent)
    , m_backend(&m_metadata)
{
    m_backend.setCoalesceIntervalMs(100);
    m_values.setClusterMetadata(&m_metadata);
    connect(&m_backend, &BackendThread::membersUpdated, this, &ClusterSession::apply);
    connect(&m_backend, &BackendThread::datagramsRejected, this, &ClusterSession::applyRejected);
    connect(&m_backend, &BackendThread::eventsReceived, this, &ClusterSession::applyEvents);
    connect(&m_backend, &BackendThread::localAcknowledged, &m_spread, &SpreadTracker::acknowledge);
    connect(&m_backend, &BackendThread::stopped, this, &ClusterSession::left);
    // A new local mapping makes a new version: acknowledgements of the old one stop counting.
    connect(&m_metadata, &ClusterMetadata::localChanged, &m_spread,
        &SpreadTracker::forgetAcknowledgements);
    connect(&m_members, &MemberTableModel::countsChanged, &m_spread,
        [this] { m_spread.setPeerCount(m_members.availablePeerCount()); });
}

ClusterSession::~ClusterSession()
{
    m_backend.stop();
}

bool ClusterSession::start(const BackendFactory &factory, QString *error)
{
    if (!m_backend.start(factory, error))
        return false;
    m_spread.clear();
    // Another cluster (or the same one again): none of the earlier members is known to be
    // there; the ones that are come back with the first batches.
    m_members.clear();
    const QStringList earlier = m_metadata.memberNames();
    for (const QString &name : earlier)
        m_metadata.discard(name);
    // Rows at once; the join events and the mirror come with the first batch, which reports
    // these members as new.
    m_members.upsert(m_backend.initialMembers());
    m_members.flush();
    return true;
}

void ClusterSession::stop()
{
    m_backend.stop();
}

void ClusterSession::leave()
{
    m_backend.stopInBackground();
}

void ClusterSession::apply(const QList<MemberUpdate> &updates)
{
    if (updates.isEmpty())
        return;
    // What the log shows (joins, status, metadata, restarts) is logged as it happens; a
    // packet heard or a probe answered only refreshes the row.
    constexpr ChangeFlags logged
        = ChangeFlag::Added | ChangeFlag::Status | ChangeFlag::Metadata | ChangeFlag::Restarted;
    QList<MemberRecord> records;
    records.reserve(updates.size());
    for (const MemberUpdate &update : updates) {
        mirrorMember(m_metadata, update.member, update.what);
        if (update.what & ChangeFlag::Removed) {
            m_members.remove(update.member.name); // evicted to bound memory: no event
            continue;
        }
        if (update.member.local)
            m_spread.setLocalClock(update.member.clock);
        if (update.what & logged || !update.previous)
            logEvents(update);
        records.append(update.member);
    }
    m_members.upsert(records);
    // The batch is already merged (the backend thread's window): the views get it now, not
    // after another timer.
    m_members.flush();
    m_values.flush();
    m_events.flush();
}

void ClusterSession::applyRejected(const QList<RejectReport> &reports)
{
    for (const RejectReport &report : reports) {
        EventRecord event;
        event.time = QDateTime::currentDateTimeUtc();
        event.kind = EventKind::Rejected;
        event.member = report.from;
        event.detail = report.reason;
        event.repeat = int(std::min<quint64>(report.count, 1u << 30));
        m_events.append(event);
        emit rejected(report.from, report.reason, report.count);
    }
    m_events.flush();
}

void ClusterSession::applyEvents(const QList<ClusterEvent> &events)
{
    for (const ClusterEvent &event : events) {
        if (const std::optional<EventRecord> record = clusterEventRecord(event, m_events.now()))
            m_events.append(*record);
        else // the backend thread's note of events it dropped
            m_events.append(EventKind::Rejected, QString(), event.name);
    }
    m_events.flush();
}

// What a newcomer wants to read in the log: joins, status changes, restarts and each key
// that changed ("key = value", or "key removed").
void ClusterSession::logEvents(const MemberUpdate &update)
{
    for (const EventRecord &event : memberEvents(update, m_events.now()))
        m_events.append(event);
}

} // namespace shoal::cluster
