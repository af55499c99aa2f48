// The cluster's metadata as pymap's ClusterMetadata keeps it: remote members, the local mapping,
// and every real change announced as a signal.
#pragma once

#include "model/member.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace shoal {

// member name -> value, for one key
using MemberValues = QMap<QString, QByteArray>;
// key -> member name -> value
using RemoteMetadata = QMap<QString, MemberValues>;

// Semantics follow pymap.cluster.ClusterMetadata (pymap/cluster/__init__.py); tests replay
// operations recorded from pymap itself. Three deliberate differences:
//  - remote() drops a key as soon as no member holds it (pymap keeps an empty dict forever), so
//    churned keys from untrusted peers do not pile up as empty rows in a long-lived monitor;
//    remote().contains(key) means "some member holds it".
//  - getAll() of a key nobody remote holds returns the local value alone, or an empty set (pymap
//    raises KeyError when the key was never seen remotely).
//  - add() of a known member replaces its values: a key the member no longer has disappears.
//    pymap's add() only overwrites, so a dropped key keeps its stale value in remote until the
//    member is discarded (seen with pymap's own class); that is a pymap bug, not a contract.
// Members are identified by name (pymap hashes member objects, and its service hashes by name).
// Every mutator is idempotent: a call that changes nothing emits nothing.
class ClusterMetadata final : public QObject
{
    Q_OBJECT
public:
    explicit ClusterMetadata(QObject *parent = nullptr);
    ~ClusterMetadata() override;

    // --- the set of remote members ---
    // Adds the member, or replaces its metadata: values that appear, change or disappear are
    // signalled one by one; an identical replacement says nothing.
    void add(const QString &name, const Metadata &metadata);
    void add(const MemberRecord &record); // uses record.metadata, or empty when unknown
    // Removes the member and its values; does nothing when absent.
    void discard(const QString &name);
    bool contains(const QString &name) const { return m_members.contains(name); }
    qsizetype size() const { return m_members.size(); }
    bool isEmpty() const { return m_members.isEmpty(); }
    QStringList memberNames() const { return m_members.keys(); } // sorted
    std::optional<Metadata> memberMetadata(const QString &name) const;
    // Iteration: name -> metadata, sorted by name.
    const QMap<QString, Metadata> &members() const { return m_members; }
    // Iterates the members in name order: it.key() is the name, it.value() the metadata.
    QMap<QString, Metadata>::const_iterator begin() const { return m_members.cbegin(); }
    QMap<QString, Metadata>::const_iterator end() const { return m_members.cend(); }

    // --- the local mapping ---
    const Metadata &local() const { return m_local; }
    // Sets one key; the value it already has changes nothing and emits nothing.
    void setLocal(const QString &key, const QByteArray &value);
    // Removes one key; false (and no signal) when it was absent.
    bool removeLocal(const QString &key);
    // pymap's listen(): calls callback with the current mapping at once, then after every real
    // change, until context is destroyed (pymap holds its arg weakly to the same effect).
    template<typename Callback>
    QMetaObject::Connection listen(const QObject *context, Callback callback)
    {
        callback(m_local);
        return connect(this, &ClusterMetadata::localChanged, context, std::move(callback));
    }
    // Replaces the whole mapping: one localKeyChanged per key that really changed, then one
    // localChanged (so a consumer gossips once per edit, not once per key).
    void setLocalMetadata(const Metadata &metadata);

    // --- views across the cluster ---
    // key -> member -> value, remote members only; a key with no member is absent.
    const RemoteMetadata &remote() const { return m_remote; }
    MemberValues remote(const QString &key) const { return m_remote.value(key); }
    // Every known value for key, local and remote.
    QSet<QByteArray> getAll(const QString &key) const;
    // Every key known anywhere (local or remote), sorted.
    QStringList allKeys() const;

signals:
    // The whole updated local mapping, after every real change (pymap's listen() callbacks).
    // A consumer that connects later reads local() at once, as pymap calls a new listener.
    void localChanged(const shoal::Metadata &local);
    // Which local key changed (set, changed or removed); emitted before localChanged.
    void localKeyChanged(const QString &key);
    // A remote member's value for key appeared or changed (value set) or disappeared (nullopt).
    void remoteValueChanged(
        const QString &key, const QString &member, const std::optional<QByteArray> &value);
    // Emitted before the new member's values are signalled.
    void memberAdded(const QString &name);
    // Emitted after the member's values were signalled as gone.
    void memberDiscarded(const QString &name);

private:
    void setRemoteValue(const QString &key, const QString &member, const QByteArray &value);
    void removeRemoteValue(const QString &key, const QString &member);

    QMap<QString, Metadata> m_members;
    Metadata m_local;
    RemoteMetadata m_remote;
};

} // namespace shoal
