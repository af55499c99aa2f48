#include "cluster/memberevents.h"

#include "model/memberdiff.h"
#include "model/valuetext.h"

#include <QCoreApplication>

namespace shoal::cluster {

// The window's event log shows these words in the user's language, in the session's context
// (whose words they were); the CLI loads no translator, so they stay English there.
QList<EventRecord> memberEvents(const MemberUpdate &update, const QDateTime &time)
{
    QList<EventRecord> events;
    const MemberRecord &member = update.member;
    const MemberDiff diff = diffMember(update.previous ? &*update.previous : nullptr, member,
        update.what.testFlag(ChangeFlag::Restarted));
    auto event = [&](EventKind kind, const QString &detail) -> EventRecord & {
        EventRecord record;
        record.time = time;
        record.kind = kind;
        record.member = member.name;
        record.detail = detail;
        events.append(record);
        return events.last();
    };
    if (diff.appeared) {
        // `to` carries the status a member joined with: a timeline starts its lane from it.
        event(EventKind::Join,
            member.local
                ? QCoreApplication::translate("shoal::cluster::ClusterSession", "this member, %1")
                      .arg(memberStatusText(member.status))
                : QCoreApplication::translate("shoal::cluster::ClusterSession", "known, %1")
                      .arg(memberStatusText(member.status)))
            .to
            = memberStatusName(member.status);
    } else if (diff.statusChanged) {
        EventRecord &status = event(EventKind::Status,
            QStringLiteral("%1 \u2192 %2")
                .arg(memberStatusText(*diff.previousStatus), memberStatusText(member.status)));
        status.from = memberStatusName(*diff.previousStatus);
        status.to = memberStatusName(member.status);
    }
    if (diff.restarted)
        event(EventKind::Restart,
            QCoreApplication::translate("shoal::cluster::ClusterSession", "restarted (validity %1)")
                .arg(QString::fromLatin1(member.instanceId.toHex())));
    for (const KeyChange &change : diff.keys) {
        EventRecord &metadata = event(EventKind::MetadataChange,
            change.value
                ? QString(change.key + QStringLiteral(" = ") + displayValue(*change.value, 80))
                : QCoreApplication::translate("shoal::cluster::ClusterSession", "%1 removed")
                      .arg(change.key));
        metadata.key = change.key;
        metadata.value = change.value;
    }
    return events;
}

std::optional<EventRecord> clusterEventRecord(const ClusterEvent &event, const QDateTime &time)
{
    EventRecord record;
    record.time = time;
    if (event.kind == QLatin1String("query"))
        record.kind = EventKind::Query;
    else if (event.kind == QLatin1String("user-event"))
        record.kind = EventKind::UserEvent;
    else
        return std::nullopt;
    // The member column names who sent it when the protocol says (queries do).
    record.member = event.source;
    record.key = event.name;
    record.value = event.payload;
    record.detail = event.payload.isEmpty()
        ? event.name
        : QString(event.name + QStringLiteral(" ") + displayValue(event.payload, 80));
    return record;
}

} // namespace shoal::cluster
