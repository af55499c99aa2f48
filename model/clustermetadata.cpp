#include "model/clustermetadata.h"

namespace shoal {

ClusterMetadata::ClusterMetadata(QObject *parent)
    : QObject(parent)
{ }

ClusterMetadata::~ClusterMetadata() = default;

void ClusterMetadata::add(const QString &name, const Metadata &metadata)
{
    auto it = m_members.find(name);
    if (it == m_members.end()) {
        m_members.insert(name, metadata);
        emit memberAdded(name);
        for (auto value = metadata.cbegin(); value != metadata.cend(); ++value)
            setRemoteValue(value.key(), name, value.value());
        return;
    }
    if (it.value() == metadata)
        return;
    // Keep a copy: the stored mapping is replaced before the signals go out, so a slot reading
    // memberMetadata() already sees the new one.
    const Metadata old = std::exchange(it.value(), metadata);
    for (auto value = old.cbegin(); value != old.cend(); ++value) {
        if (!metadata.contains(value.key()))
            removeRemoteValue(value.key(), name);
    }
    for (auto value = metadata.cbegin(); value != metadata.cend(); ++value) {
        auto previous = old.constFind(value.key());
        if (previous == old.cend() || previous.value() != value.value())
            setRemoteValue(value.key(), name, value.value());
    }
}

void ClusterMetadata::add(const MemberRecord &record)
{
    add(record.name, record.metadata.value_or(Metadata {}));
}

void ClusterMetadata::discard(const QString &name)
{
    auto it = m_members.find(name);
    if (it == m_members.end())
        return;
    const Metadata old = it.value();
    m_members.erase(it);
    for (auto value = old.cbegin(); value != old.cend(); ++value)
        removeRemoteValue(value.key(), name);
    emit memberDiscarded(name);
}

std::optional<Metadata> ClusterMetadata::memberMetadata(const QString &name) const
{
    auto it = m_members.constFind(name);
    if (it == m_members.cend())
        return std::nullopt;
    return it.value();
}

void ClusterMetadata::setLocal(const QString &key, const QByteArray &value)
{
    auto it = m_local.find(key);
    if (it != m_local.end()) {
        if (it.value() == value)
            return;
        it.value() = value;
    } else {
        m_local.insert(key, value);
    }
    emit localKeyChanged(key);
    emit localChanged(m_local);
}

bool ClusterMetadata::removeLocal(const QString &key)
{
    if (m_local.remove(key) == 0)
        return false;
    emit localKeyChanged(key);
    emit localChanged(m_local);
    return true;
}

void ClusterMetadata::setLocalMetadata(const Metadata &metadata)
{
    if (m_local == metadata)
        return;
    QStringList changed;
    for (auto it = m_local.cbegin(); it != m_local.cend(); ++it) {
        auto other = metadata.constFind(it.key());
        if (other == metadata.cend() || other.value() != it.value())
            changed.append(it.key());
    }
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        if (!m_local.contains(it.key()))
            changed.append(it.key());
    }
    m_local = metadata;
    for (const QString &key : std::as_const(changed))
        emit localKeyChanged(key);
    emit localChanged(m_local);
}

QSet<QByteArray> ClusterMetadata::getAll(const QString &key) const
{
    QSet<QByteArray> values;
    auto remote = m_remote.constFind(key);
    if (remote != m_remote.cend()) {
        for (const QByteArray &value : remote.value())
            values.insert(value);
    }
    auto local = m_local.constFind(key);
    if (local != m_local.cend())
        values.insert(local.value());
    return values;
}

QStringList ClusterMetadata::allKeys() const
{
    QStringList keys = m_remote.keys();
    for (auto it = m_local.cbegin(); it != m_local.cend(); ++it) {
        if (!m_remote.contains(it.key()))
            keys.append(it.key());
    }
    keys.sort();
    return keys;
}

void ClusterMetadata::setRemoteValue(
    const QString &key, const QString &member, const QByteArray &value)
{
    m_remote[key].insert(member, value);
    emit remoteValueChanged(key, member, value);
}

void ClusterMetadata::removeRemoteValue(const QString &key, const QString &member)
{
    auto it = m_remote.find(key);
    if (it == m_remote.end() || it.value().remove(member) == 0)
        return;
    // Dropped rather than kept empty (pymap keeps it): see the class comment.
    if (it.value().isEmpty())
        m_remote.erase(it);
    emit remoteValueChanged(key, member, std::nullopt);
}

} // namespace shoal
