#include "cluster/updatecoalescer.h"

namespace shoal::cluster {

void UpdateCoalescer::add(const QList<MemberUpdate> &updates)
{
    for (const MemberUpdate &update : updates) {
        const auto pending = m_updates.find(update.member.name);
        if (pending == m_updates.end()) {
            m_updates.insert(update.member.name, update);
            m_order.append(update.member.name);
            continue;
        }
        // A removal replaces what was pending; a member added again after its removal starts
        // anew (its update carries Added).
        if (update.what.testFlag(ChangeFlag::Removed)
            || pending->what.testFlag(ChangeFlag::Removed)) {
            *pending = update;
            continue;
        }
        pending->member = update.member;
        pending->what |= update.what;
        pending->localVerdict = update.localVerdict;
    }
}

void UpdateCoalescer::acknowledge(const QString &peer, quint64 clock)
{
    quint64 &known = m_acks[peer];
    known = std::max(known, clock);
}

QList<MemberUpdate> UpdateCoalescer::takeUpdates()
{
    QList<MemberUpdate> result;
    result.reserve(m_order.size());
    for (const QString &name : std::as_const(m_order))
        result.append(m_updates.value(name));
    m_updates.clear();
    m_order.clear();
    return result;
}

QList<QPair<QString, quint64>> UpdateCoalescer::takeAcknowledgements()
{
    QList<QPair<QString, quint64>> result;
    result.reserve(m_acks.size());
    for (auto it = m_acks.cbegin(); it != m_acks.cend(); ++it)
        result.append({ it.key(), it.value() });
    m_acks.clear();
    return result;
}

} // namespace shoal::cluster
