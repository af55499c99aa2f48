#include "net/serf/serfengine.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace shoal::serf {

namespace {

constexpr qsizetype CompoundOverhead = 2; // per part, and for the header
constexpr quint64 RingSize = 512; // Serf's event and query dedup rings
// Bounds on what untrusted messages may make us remember (Go has none).
constexpr qsizetype MaxPerRingSlot = 256; // distinct events/queries with one LTime
constexpr qsizetype MaxPending = 1024; // relayed pings, queries awaiting a response
constexpr qsizetype QueryResponseSizeLimit = 1024; // Serf agent default (7.5)

enum class LeavePhase : quint8 { None, Intent, Dead, Propagate, Done };

// Broadcast classes in the order Serf hands them out (6.6).
enum class BroadcastClass : quint8 { Memberlist, Intent, Query, Event };

struct Broadcast
{
    QByteArray message; // type byte + body
    QString name; // memberlist: the node it is about (newer replaces older)
    BroadcastClass klass = BroadcastClass::Memberlist;
    int transmits = 0;
    quint64 id = 0; // newer = larger
};

struct Suspicion
{
    qint64 startMs = 0;
    qint64 deadlineMs = 0;
    qint64 minMs = 0;
    qint64 maxMs = 0;
    int k = 0; // confirmations expected
    int confirmations = 0;
    QSet<QString> confirmers; // the accuser included, not counted
};

struct Entry
{
    // memberlist
    QString name;
    QByteArray addr;
    quint16 port = 0;
    std::optional<QByteArray> meta;
    QByteArray vsn;
    quint32 incarnation = 0;
    NodeState state = NodeState::Dead;
    qint64 stateChangeMs = 0;
    bool inMemberlist = true; // forgotten by memberlist (dead > 30 s), still a Serf member
    std::optional<Suspicion> suspicion;
    // Serf
    SerfStatus status = SerfStatus::None;
    quint64 statusLTime = 0;
    qint64 leaveTimeMs = 0;
    Metadata tags;
    bool reported = false;

    int pMax() const { return vsn.size() >= 2 ? quint8(vsn[1]) : 0; }
};

struct Intent
{
    bool leave = false;
    quint64 ltime = 0;
    qint64 atMs = 0;
};

struct Probe
{
    quint32 seq = 0;
    QString target;
    quint32 incarnation = 0; // the target's when the probe began: a failure accuses that one
    qint64 sentMs = 0;
    qint64 endMs = 0;
    bool acked = false;
    bool indirectSent = false;
    int expectedNacks = 0;
    int nacks = 0;
    quint64 streamId = 0;
    bool streamOk = false;
};

struct IndirectRelay
{
    Endpoint requester;
    QString requesterNode;
    quint32 requesterSeq = 0;
    bool nack = false;
    qint64 deadlineMs = 0;
};

struct PendingStream
{
    StreamRequest::Kind kind = StreamRequest::Kind::PushPull;
    bool join = false;
    qint64 deadlineMs = 0;
};

struct PendingQuery
{
    quint64 ltime = 0;
    Endpoint to;
    qint64 deadlineMs = 0;
};

} // namespace

QString serfStatusName(SerfStatus status)
{
    switch (status) {
    case SerfStatus::Alive:
        return QStringLiteral("alive");
    case SerfStatus::Leaving:
        return QStringLiteral("leaving");
    case SerfStatus::Left:
        return QStringLiteral("left");
    case SerfStatus::Failed:
        return QStringLiteral("failed");
    case SerfStatus::None:
        break;
    }
    return QStringLiteral("none");
}

QString SerfMember::protocolStatus() const
{
    if (status == SerfStatus::Alive && state == NodeState::Suspect)
        return QStringLiteral("suspect");
    return serfStatusName(status);
}

MemberRecord SerfMember::record() const
{
    MemberRecord r;
    r.name = name;
    r.local = local;
    switch (status) {
    case SerfStatus::Alive:
        r.status = state == NodeState::Suspect ? MemberStatus::Suspect : MemberStatus::Online;
        break;
    case SerfStatus::Leaving:
        r.status = MemberStatus::Leaving;
        break;
    case SerfStatus::Left:
        r.status = MemberStatus::Left;
        break;
    case SerfStatus::Failed:
    case SerfStatus::None:
        r.status = MemberStatus::Offline;
        break;
    }
    r.clock = incarnation;
    r.metadata = tags;
    r.protocolStatus = protocolStatus();
    r.statusSince = QDateTime::fromMSecsSinceEpoch(stateSinceMs, Qt::UTC);
    return r;
}

struct SerfEngine::Private
{
    SerfEngineConfig config;
    std::mt19937_64 random;
    Keyring keyring;
    bool started = false;
    qint64 now = 0;

    QHash<QString, Entry> entries;
    QSet<QString> suspected; // entries with a suspicion timer: what the timers scan
    QStringList probeList; // every entry once, in a random order (also for pickNodes)
    qsizetype probeIndex = 0;
    quint32 nextSeq = 1;
    quint64 nextBroadcastId = 1;
    quint64 nextStreamId = 1;
    QList<Broadcast> broadcasts;
    bool preloading = false; // preload(): nothing merged is rebroadcast

    std::optional<Probe> probe;
    qint64 nextProbeMs = 0;
    qint64 nextGossipMs = 0;
    qint64 nextPushPullMs = 0;
    qint64 nextHousekeepingMs = 0;
    qint64 nextObserverPullMs = 0;
    qint64 nextReapMs = 0;
    int awareness = 0;
    QHash<quint32, IndirectRelay> relays;
    QHash<quint64, PendingStream> streams;

    quint64 memberClock = 1;
    quint64 eventClock = 1;
    quint64 queryClock = 1;
    quint64 eventMinTime = 0;
    QHash<QString, Intent> intents;
    QHash<quint64, QList<QPair<QString, std::optional<QByteArray>>>> eventRing; // ltime % 512
    QHash<quint64, quint64> eventRingTime;
    QHash<quint64, QList<quint32>> queryRing;
    QHash<quint64, quint64> queryRingTime;
    QHash<quint32, PendingQuery> pendingQueries;

    LeavePhase leavePhase = LeavePhase::None;
    bool nameInUse = false;
    qint64 leaveDeadlineMs = 0;
    quint64 leaveBroadcastId = 0;

    QList<OutgoingPacket> outgoing;
    QList<StreamRequest> streamRequests;
    QStringList changedOrder;
    QSet<QString> changed;
    QList<SerfEvent> events;
    SerfEngineCounters counters;

    Private(SerfEngineConfig c, quint64 seed, Keyring k)
        : config(std::move(c))
        , random(seed)
        , keyring(std::move(k))
    { }

    bool observer() const { return config.role == EngineRole::Observer; }
    Entry &self() { return entries[config.name]; }
    const Entry *find(const QString &name) const
    {
        const auto it = entries.constFind(name);
        return it == entries.constEnd() ? nullptr : &*it;
    }
    Endpoint selfEndpoint() const { return { config.addr, config.port }; }

    qint64 randomBelow(qint64 bound)
    {
        if (bound <= 0)
            return 0;
        return qint64(random() % quint64(bound));
    }

    void markChanged(const QString &name)
    {
        if (!changed.contains(name)) {
            changed.insert(name);
            changedOrder.append(name);
        }
    }

    // The member counts scale retransmit limits and suspicion timeouts only
    // logarithmically, so counting once a second (or when an entry is added)
    // is exact enough and keeps every sent packet from walking all members.
    mutable qint64 countedAtMs = -1;
    mutable qsizetype countedEntries = -1;
    mutable int memberlistCountCache = 0;
    mutable int serfCountCache = 0;
    void recount() const
    {
        if (countedAtMs >= 0 && now - countedAtMs < 1000 && countedEntries == entries.size())
            return;
        countedAtMs = now;
        countedEntries = entries.size();
        memberlistCountCache = 0;
        serfCountCache = 0;
        for (const Entry &e : entries) {
            memberlistCountCache += e.inMemberlist;
            serfCountCache += e.status != SerfStatus::None;
        }
    }
    int memberlistCount() const
    {
        recount();
        return memberlistCountCache;
    }
    int serfCount() const
    {
        recount();
        return serfCountCache;
    }
    void clearSuspicion(Entry &e)
    {
        e.suspicion.reset();
        suspected.remove(e.name);
    }
    int retransmitLimit(int n) const
    {
        return config.retransmitMult * int(std::ceil(std::log10(double(n) + 1.0)));
    }

    // ---- broadcasts ----------------------------------------------------------

    quint64 queue(QByteArray message, BroadcastClass klass, const QString &name = {})
    {
        if (preloading)
            return 0;
        if (klass == BroadcastClass::Memberlist && !name.isEmpty())
            broadcasts.removeIf([&](const Broadcast &b) {
                return b.klass == BroadcastClass::Memberlist && b.name == name;
            });
        const quint64 id = nextBroadcastId++;
        broadcasts.append(Broadcast { std::move(message), name, klass, 0, id });
        return id;
    }
    bool isQueued(quint64 id) const
    {
        return std::any_of(
            broadcasts.begin(), broadcasts.end(), [id](const Broadcast &b) { return b.id == id; });
    }
    QByteArray serfUser(const SerfMessage &m) const
    {
        QByteArray out(1, char(MessageType::User));
        out.append(encodeSerfMessage(m));
        return out;
    }

    // Takes what fits `budget` bytes (each part costs its size + 2), memberlist
    // first, then Serf's intents, queries, events; fewest transmits, then the
    // largest, then the newest first (queue.go:288-373).
    QList<QByteArray> takeBroadcasts(qsizetype budget)
    {
        QList<QByteArray> out;
        if (broadcasts.isEmpty())
            return out;
        const int memberlistLimit = retransmitLimit(memberlistCount());
        const int serfLimit = retransmitLimit(serfCount());
        // A heap per class rather than a sort: a packet takes a dozen of a
        // queue that holds a thousand alives while a large cluster joins.
        const auto later = [this](qsizetype a, qsizetype b) {
            const Broadcast &x = broadcasts[a];
            const Broadcast &y = broadcasts[b];
            if (x.transmits != y.transmits)
                return x.transmits > y.transmits;
            if (x.message.size() != y.message.size())
                return x.message.size() < y.message.size();
            return x.id < y.id;
        };
        std::vector<qsizetype> order;
        for (const BroadcastClass klass : { BroadcastClass::Memberlist, BroadcastClass::Intent,
                 BroadcastClass::Query, BroadcastClass::Event }) {
            order.clear();
            for (qsizetype i = 0; i < broadcasts.size(); ++i)
                if (broadcasts[i].klass == klass)
                    order.push_back(i);
            std::make_heap(order.begin(), order.end(), later);
            while (!order.empty() && budget > CompoundOverhead && out.size() < 127) {
                std::pop_heap(order.begin(), order.end(), later);
                Broadcast &b = broadcasts[order.back()];
                order.pop_back();
                const qsizetype cost = b.message.size() + CompoundOverhead;
                if (cost > budget)
                    continue;
                budget -= cost;
                out.append(b.message);
                ++b.transmits;
            }
        }
        const int limitFor[] = { memberlistLimit, serfLimit, serfLimit, serfLimit };
        broadcasts.removeIf(
            [&](const Broadcast &b) { return b.transmits >= limitFor[int(b.klass)]; });
        return out;
    }

    // A direct memberlist message with as many broadcasts as fit.
    void send(const Endpoint &to, const QString &node, QList<QByteArray> messages, bool piggyback)
    {
        if (piggyback) {
            qsizetype used = 0;
            for (const QByteArray &m : messages)
                used += m.size();
            const qsizetype budget = config.udpBufferSize - used - CompoundOverhead
                - (config.encrypted ? encryptOverhead(1) : 0);
            messages.append(takeBroadcasts(budget));
        }
        const Entry *e = node.isEmpty() ? nullptr : find(node);
        outgoing.append(OutgoingPacket { to, node, std::move(messages), e && e->pMax() >= 5 });
    }
    void sendToNode(const Entry &e, QList<QByteArray> messages, bool piggyback)
    {
        send({ e.addr, e.port }, e.name, std::move(messages), piggyback);
    }

    // ---- memberlist state (6.2) --------------------------------------------

    Alive selfAlive() const
    {
        const Entry &s = entries[config.name];
        return Alive { config.addr, s.incarnation, s.meta, config.name, config.port, config.vsn };
    }

    void refute(quint32 accused)
    {
        Entry &s = self();
        quint32 inc = s.incarnation + 1;
        if (accused >= inc)
            inc = accused + 1;
        s.incarnation = inc;
        awareness = std::min(awareness + 1, config.awarenessMaxMultiplier - 1);
        ++counters.refutations;
        queue(encodeMessage(selfAlive()), BroadcastClass::Memberlist, config.name);
        markChanged(config.name);
    }

    void aliveNode(const Alive &a, bool bootstrap)
    {
        const bool local = a.node == config.name;
        if (local && leavePhase >= LeavePhase::Dead)
            return;
        if (a.node.isEmpty() || a.vsn.size() < 6) {
            ++counters.refusedMessages; // Go would panic indexing a short Vsn
            return;
        }
        const int pMin = quint8(a.vsn[0]);
        const int pMax = quint8(a.vsn[1]);
        if (pMin == 0 || pMax == 0 || pMin > pMax) {
            ++counters.refusedMessages;
            return;
        }
        auto it = entries.find(a.node);
        if (it == entries.end() || !it->inMemberlist) {
            if (a.incarnation == 0 && !local)
                return;
            if (it == entries.end()) {
                if (entries.size() >= config.maxMembers) {
                    ++counters.refusedMembers;
                    return;
                }
                it = entries.insert(a.node, Entry {});
                it->name = a.node;
                probeList.insert(randomBelow(probeList.size() + 1), a.node);
            }
            it->inMemberlist = true;
            it->state = NodeState::Dead;
            it->incarnation = 0;
            it->addr = a.addr;
            it->port = a.port;
        }
        Entry &e = *it;
        bool addressUpdate = false;
        if (e.addr != a.addr || e.port != a.port) {
            if (e.state != NodeState::Left && !(e.state == NodeState::Dead && e.incarnation == 0)) {
                ++counters.refusedMessages; // conflicting address (7.8)
                return;
            }
            addressUpdate = true;
        }
        if (!local && a.incarnation <= e.incarnation && !addressUpdate)
            return;
        if (local && a.incarnation < e.incarnation)
            return;
        clearSuspicion(e);
        const NodeState oldState = e.state;
        const std::optional<QByteArray> oldMeta = e.meta;
        if (!bootstrap && local) {
            if (a.incarnation == e.incarnation && a.meta == e.meta && a.vsn == config.vsn)
                return;
            refute(a.incarnation);
            return;
        }
        queue(encodeMessage(a), BroadcastClass::Memberlist, a.node);
        e.vsn = a.vsn;
        e.incarnation = a.incarnation;
        e.meta = a.meta;
        e.addr = a.addr;
        e.port = a.port;
        if (e.state != NodeState::Alive) {
            e.state = NodeState::Alive;
            e.stateChangeMs = now;
        }
        markChanged(e.name);
        if (oldState == NodeState::Dead || oldState == NodeState::Left)
            serfNodeJoin(e);
        else if (oldMeta != e.meta)
            serfNodeUpdate(e);
    }

    // Lifeguard (6.5): the timeout after c confirmations.
    void startSuspicion(Entry &e, const QString &from)
    {
        const int n = memberlistCount();
        const double scale = std::max(1.0, std::log10(std::max(1.0, double(n))));
        Suspicion s;
        s.minMs = qint64(double(config.suspicionMult) * std::floor(scale * 1000.0) / 1000.0
            * double(config.probeIntervalMs));
        s.maxMs = qint64(config.suspicionMaxTimeoutMult) * s.minMs;
        s.k = config.suspicionMult - 2;
        if (n - 2 < s.k)
            s.k = 0;
        s.startMs = now;
        s.deadlineMs = now + (s.k >= 1 ? s.maxMs : s.minMs);
        s.confirmers.insert(from);
        e.suspicion = s;
        suspected.insert(e.name);
    }

    bool confirm(Suspicion &s, const QString &from)
    {
        if (s.confirmations >= s.k || s.confirmers.contains(from))
            return false;
        s.confirmers.insert(from);
        ++s.confirmations;
        const double frac = std::log(double(s.confirmations) + 1.0) / std::log(double(s.k) + 1.0);
        const qint64 timeout
            = std::max(s.minMs, qint64(double(s.maxMs) - frac * double(s.maxMs - s.minMs)));
        s.deadlineMs = s.startMs + timeout;
        return true;
    }

    void suspectNode(const Suspect &s)
    {
        auto it = entries.find(s.node);
        if (it == entries.end() || !it->inMemberlist || s.incarnation < it->incarnation)
            return;
        Entry &e = *it;
        if (e.suspicion) {
            if (confirm(*e.suspicion, s.from))
                queue(encodeMessage(s), BroadcastClass::Memberlist, s.node);
            return;
        }
        if (e.state != NodeState::Alive)
            return;
        if (s.node == config.name) {
            if (leavePhase < LeavePhase::Dead)
                refute(s.incarnation);
            return;
        }
        if (observer())
            ++counters.droppedBroadcasts; // never relays a verdict (8.2)
        else
            queue(encodeMessage(s), BroadcastClass::Memberlist, s.node);
        e.incarnation = s.incarnation;
        e.state = NodeState::Suspect;
        e.stateChangeMs = now;
        if (!observer())
            startSuspicion(e, s.from);
        markChanged(e.name);
    }

    void deadNode(const Dead &dead)
    {
        auto it = entries.find(dead.node);
        if (it == entries.end() || !it->inMemberlist || dead.incarnation < it->incarnation)
            return;
        Entry &e = *it;
        clearSuspicion(e);
        if (e.state == NodeState::Dead || e.state == NodeState::Left)
            return;
        if (dead.node == config.name) {
            if (leavePhase < LeavePhase::Dead) {
                refute(dead.incarnation);
                return;
            }
        }
        const bool left = dead.from == dead.node;
        if (observer() && !left)
            ++counters.droppedBroadcasts;
        else
            queue(encodeMessage(dead), BroadcastClass::Memberlist, dead.node);
        e.incarnation = dead.incarnation;
        e.state = left ? NodeState::Left : NodeState::Dead;
        e.stateChangeMs = now;
        markChanged(e.name);
        serfNodeLeave(e);
    }

    // ---- Serf members (7.4) ---------------------------------------------------

    static quint64 witness(quint64 &clock, quint64 v)
    {
        if (v >= clock)
            clock = v + 1;
        return clock;
    }

    void event(SerfEvent::Kind kind, const QString &name)
    {
        SerfEvent ev;
        ev.kind = kind;
        ev.name = name;
        events.append(ev);
    }

    void serfNodeJoin(Entry &e)
    {
        const bool known = e.status != SerfStatus::None;
        e.status = SerfStatus::Alive;
        e.leaveTimeMs = 0;
        e.tags = tagsToMetadata(decodeTags(e.meta).value_or(TagList {}));
        const auto intent = intents.constFind(e.name);
        if (intent != intents.constEnd() && intent->ltime > e.statusLTime) {
            e.statusLTime = intent->ltime;
            if (intent->leave)
                e.status = SerfStatus::Leaving;
            intents.remove(e.name);
        }
        Q_UNUSED(known);
        e.stateChangeMs = now;
        event(SerfEvent::Kind::MemberJoin, e.name);
        markChanged(e.name);
    }

    void serfNodeUpdate(Entry &e)
    {
        e.tags = tagsToMetadata(decodeTags(e.meta).value_or(TagList {}));
        event(SerfEvent::Kind::MemberUpdate, e.name);
        markChanged(e.name);
    }

    void serfNodeLeave(Entry &e)
    {
        if (e.status == SerfStatus::Leaving) {
            e.status = SerfStatus::Left;
            event(SerfEvent::Kind::MemberLeave, e.name);
        } else if (e.status == SerfStatus::Alive) {
            e.status = SerfStatus::Failed;
            event(SerfEvent::Kind::MemberFailed, e.name);
        } else {
            return;
        }
        e.leaveTimeMs = now;
        markChanged(e.name);
    }

    // Unknown member: remember the newest intent (upsertIntent); true if new.
    bool bufferIntent(const QString &node, quint64 ltime, bool leave)
    {
        const auto it = intents.constFind(node);
        if (it != intents.constEnd() && it->ltime >= ltime)
            return false;
        if (it == intents.constEnd() && intents.size() >= config.maxMembers)
            return false;
        intents.insert(node, Intent { leave, ltime, now });
        return true;
    }

    bool leaveIntent(const LeaveIntent &m)
    {
        witness(memberClock, m.ltime);
        auto it = entries.find(m.node);
        if (it == entries.end() || it->status == SerfStatus::None)
            return bufferIntent(m.node, m.ltime, true);
        Entry &e = *it;
        if (m.ltime <= e.statusLTime)
            return false;
        if (m.node == config.name && leavePhase == LeavePhase::None) {
            // About us while we stay: refute with a fresh join intent (7.4).
            broadcastJoinIntent();
            return false;
        }
        e.statusLTime = m.ltime;
        switch (e.status) {
        case SerfStatus::Alive:
            e.status = SerfStatus::Leaving;
            break;
        case SerfStatus::Failed:
            e.status = SerfStatus::Left;
            event(SerfEvent::Kind::MemberLeave, e.name);
            break;
        default:
            break;
        }
        markChanged(e.name);
        return true;
    }

    bool joinIntent(const JoinIntent &m)
    {
        witness(memberClock, m.ltime);
        auto it = entries.find(m.node);
        if (it == entries.end() || it->status == SerfStatus::None)
            return bufferIntent(m.node, m.ltime, false);
        Entry &e = *it;
        if (m.ltime <= e.statusLTime)
            return false;
        e.statusLTime = m.ltime;
        if (e.status == SerfStatus::Leaving)
            e.status = SerfStatus::Alive;
        markChanged(e.name);
        return true;
    }

    void broadcastJoinIntent()
    {
        const JoinIntent j { memberClock, config.name };
        witness(memberClock, j.ltime);
        joinIntent(j);
        queue(serfUser(j), BroadcastClass::Intent);
    }

    bool userEvent(const UserEvent &m)
    {
        witness(eventClock, m.ltime);
        if (m.ltime < eventMinTime)
            return false;
        if (eventClock > RingSize && m.ltime < eventClock - RingSize)
            return false;
        const quint64 slot = m.ltime % RingSize;
        auto &bucket = eventRing[slot];
        if (eventRingTime.value(slot, ~0ull) != m.ltime) {
            bucket.clear();
            eventRingTime.insert(slot, m.ltime);
        }
        const QPair<QString, std::optional<QByteArray>> key { m.name, m.payload };
        if (bucket.contains(key) || bucket.size() >= MaxPerRingSlot)
            return false;
        bucket.append(key);
        SerfEvent ev;
        ev.kind = SerfEvent::Kind::User;
        ev.name = m.name;
        ev.payload = m.payload;
        ev.ltime = m.ltime;
        ev.coalesce = m.cc;
        events.append(ev);
        return true;
    }

    bool passesFilters(const Query &q) const
    {
        if (!q.filters)
            return true;
        for (const QByteArray &raw : *q.filters) {
            const std::optional<QueryFilter> f = decodeFilter(raw);
            if (!f)
                return false;
            if (const auto *nodes = std::get_if<NodeFilter>(&*f)) {
                if (!nodes->nodes.contains(config.name))
                    return false;
            } else {
                const auto &tag = std::get<TagFilter>(*f);
                const QRegularExpression re(tag.expr);
                if (!re.isValid())
                    return false;
                const QString value = QString::fromUtf8(config.tags.value(tag.tag));
                if (!re.match(value).hasMatch())
                    return false;
            }
        }
        return true;
    }

    void sendQueryResponse(const Query &q, quint32 flags, std::optional<QByteArray> payload)
    {
        const QueryResponse r { flags, config.name, q.id, q.ltime, std::move(payload) };
        // Direct, alone, without CRC (SendToAddress, 2.4).
        outgoing.append(OutgoingPacket { { q.addr, q.port }, {}, { serfUser(r) }, false });
    }

    QByteArray keyQueryAnswer(const QString &name, const std::optional<QByteArray> &payload)
    {
        KeyResponse r;
        const bool list = name == QLatin1String("_serf_list-keys");
        if (keyring.isEmpty()) {
            r.message = list ? QStringLiteral("Keyring is empty (encryption not enabled)")
                             : QStringLiteral("No keyring to modify (encryption not enabled)");
        } else if (list) {
            QStringList keys;
            for (const QByteArray &k : keyring.keys())
                keys.append(QString::fromLatin1(k.toBase64()));
            r.keys = keys;
            r.primaryKey = QString::fromLatin1(keyring.primary().toBase64());
            r.result = true;
        } else {
            QString why;
            const std::optional<QByteArray> key
                = decodeKeyRequest(payload.value_or(QByteArray()), &why);
            bool ok = false;
            if (key) {
                if (name == QLatin1String("_serf_install-key"))
                    ok = keyring.install(*key, &why);
                else if (name == QLatin1String("_serf_use-key"))
                    ok = keyring.use(*key, &why);
                else
                    ok = keyring.remove(*key, &why);
            }
            r.result = ok;
            if (!ok)
                r.message = why;
        }
        return encodeKeyResponse(r);
    }

    bool query(const Query &q)
    {
        witness(queryClock, q.ltime);
        if (queryClock > RingSize && q.ltime < queryClock - RingSize)
            return false;
        const quint64 slot = q.ltime % RingSize;
        auto &bucket = queryRing[slot];
        if (queryRingTime.value(slot, ~0ull) != q.ltime) {
            bucket.clear();
            queryRingTime.insert(slot, q.ltime);
        }
        if (bucket.contains(q.id) || bucket.size() >= MaxPerRingSlot)
            return false;
        bucket.append(q.id);
        const bool rebroadcast = !(q.flags & QueryFlagNoBroadcast);
        if (!passesFilters(q))
            return rebroadcast;
        if (q.flags & QueryFlagAck)
            sendQueryResponse(q, QueryFlagAck, std::nullopt);
        if (q.name.startsWith(QLatin1String("_serf_"))) {
            if (q.name == QLatin1String("_serf_conflict")) {
                const QString who = QString::fromUtf8(q.payload.value_or(QByteArray()));
                if (who != config.name) {
                    QByteArray answer(1, char(SerfType::ConflictResponse));
                    if (const Entry *e = find(who); e && e->status != SerfStatus::None) {
                        ConflictMember m;
                        m.addr = e->addr;
                        m.port = e->port;
                        m.name = e->name;
                        if (e->vsn.size() >= 6) {
                            m.protocolMin = quint8(e->vsn[0]);
                            m.protocolMax = quint8(e->vsn[1]);
                            m.protocolCur = quint8(e->vsn[2]);
                            m.delegateMin = quint8(e->vsn[3]);
                            m.delegateMax = quint8(e->vsn[4]);
                            m.delegateCur = quint8(e->vsn[5]);
                        }
                        m.status = quint64(e->status);
                        for (auto t = e->tags.begin(); t != e->tags.end(); ++t)
                            m.tags.append({ t.key(), t.value() });
                        answer = encodeConflictResponse(m);
                    } else {
                        answer.append(char(0xc0));
                    }
                    sendQueryResponse(q, 0, answer);
                }
            } else if (q.name.endsWith(QLatin1String("-key"))
                || q.name == QLatin1String("_serf_list-keys")) {
                sendQueryResponse(q, 0, keyQueryAnswer(q.name, q.payload));
            }
            return rebroadcast;
        }
        SerfEvent ev;
        ev.kind = SerfEvent::Kind::Query;
        ev.name = q.name;
        ev.payload = q.payload;
        ev.ltime = q.ltime;
        ev.queryId = q.id;
        ev.sourceNode = q.sourceNode;
        ev.deadlineMs = now + q.timeoutNs / 1000000;
        events.append(ev);
        if (pendingQueries.size() < MaxPending)
            pendingQueries.insert(
                q.id, PendingQuery { q.ltime, { q.addr, q.port }, ev.deadlineMs });
        return rebroadcast;
    }

    void serfMessage(const QByteArray &bytes, const Endpoint &from)
    {
        Q_UNUSED(from);
        if (bytes.isEmpty())
            return;
        const SerfResult r = decodeSerfMessage(bytes);
        const auto *m = std::get_if<SerfMessage>(&r);
        if (!m) {
            ++counters.refusedMessages;
            return;
        }
        if (const auto *l = std::get_if<LeaveIntent>(m)) {
            if (leaveIntent(*l))
                queue(serfUser(*l), BroadcastClass::Intent);
        } else if (const auto *j = std::get_if<JoinIntent>(m)) {
            if (joinIntent(*j))
                queue(serfUser(*j), BroadcastClass::Intent);
        } else if (const auto *e = std::get_if<UserEvent>(m)) {
            if (userEvent(*e))
                queue(serfUser(*e), BroadcastClass::Event);
        } else if (const auto *q = std::get_if<Query>(m)) {
            if (query(*q))
                queue(serfUser(*q), BroadcastClass::Query);
        } else if (const auto *relay = std::get_if<Relay>(m)) {
            // Forward the inner message unchanged as a user message (7.5);
            // never more than a datagram we would build ourselves.
            if (relay->inner.size() + 1 > config.udpBufferSize) {
                ++counters.refusedMessages;
                return;
            }
            QByteArray out(1, char(MessageType::User));
            out.append(relay->inner);
            outgoing.append(
                OutgoingPacket { { relay->destIp, relay->destPort }, {}, { out }, false });
        }
        // Query responses are for the query's originator; we send none.
    }

    // ---- push/pull (3.2, 7.6) --------------------------------------------------

    PushPull localState(bool join) const
    {
        PushPull pp;
        pp.join = join;
        SerfPushPull s;
        s.eventLTime = eventClock;
        s.ltime = memberClock;
        s.queryLTime = queryClock;
        QStringList names = entries.keys();
        std::sort(names.begin(), names.end());
        for (const QString &name : names) {
            const Entry &e = entries[name];
            const bool local = name == config.name;
            if (observer() && !local)
                continue; // 8.2: the observer pushes only itself
            if (e.inMemberlist)
                pp.nodes.append(PushNodeState {
                    e.addr, e.incarnation, e.meta, e.name, e.port, e.state, e.vsn });
            if (e.status != SerfStatus::None) {
                s.statusLTimes.append({ name, e.statusLTime });
                if (e.status == SerfStatus::Left && !observer())
                    s.leftMembers.append(name);
            }
        }
        pp.userState = encodeSerfPushPull(s);
        return pp;
    }

    void mergeRemote(const PushPull &pp, bool join)
    {
        for (const PushNodeState &n : pp.nodes) {
            const Alive a { n.addr, n.incarnation, n.meta, n.name, n.port, n.vsn };
            switch (n.state) {
            case NodeState::Alive:
                aliveNode(a, false);
                break;
            case NodeState::Left:
                deadNode(Dead { n.name, n.incarnation, n.name });
                break;
            case NodeState::Dead:
            case NodeState::Suspect:
                if (observer() && n.state == NodeState::Dead && n.name != config.name)
                    deadNode(Dead { QString(), n.incarnation, n.name }); // shown as reported
                else
                    suspectNode(Suspect { config.name, n.incarnation, n.name });
                break;
            }
        }
        const SerfPushPullResult r = decodeSerfPushPull(pp.userState);
        const auto *s = std::get_if<SerfPushPull>(&r);
        if (!s) {
            if (!pp.userState.isEmpty())
                ++counters.refusedMessages;
            return;
        }
        if (s->ltime > 0)
            witness(memberClock, s->ltime - 1);
        if (s->eventLTime > 0)
            witness(eventClock, s->eventLTime - 1);
        if (s->queryLTime > 0)
            witness(queryClock, s->queryLTime - 1);
        QHash<QString, quint64> statusLTimes;
        for (const auto &[name, ltime] : s->statusLTimes)
            statusLTimes.insert(name, ltime);
        for (const QString &name : s->leftMembers)
            leaveIntent(LeaveIntent { statusLTimes.value(name) + 1, name, false });
        for (const auto &[name, ltime] : s->statusLTimes)
            if (!s->leftMembers.contains(name))
                joinIntent(JoinIntent { ltime, name });
        if (join)
            eventMinTime = std::max(eventMinTime, s->eventLTime); // no replay of old events
        for (const std::optional<EventBucket> &bucket : s->events)
            if (bucket)
                for (const EventEntry &ev : bucket->events)
                    userEvent(UserEvent { false, bucket->ltime, ev.name, ev.payload });
    }

    StreamRequest &newStream(StreamRequest::Kind kind, const Endpoint &to, const QString &node,
        StreamMessage message, qint64 deadlineMs, bool join)
    {
        const quint64 id = nextStreamId++;
        streams.insert(id, PendingStream { kind, join, deadlineMs });
        streamRequests.append(StreamRequest { id, kind, to, node, std::move(message), deadlineMs });
        return streamRequests.last();
    }

    // ---- timers --------------------------------------------------------------

    // memberlist's kRandomNodes (util.go): random draws from the node list, at
    // most 3n of them, so that gossiping 5 times a second does not walk and sort
    // every member; a scan from a random start finds the rest when acceptable
    // nodes are few. probeList's order comes from the seed: runs repeat.
    QList<const Entry *> pickNodes(int count, const std::function<bool(const Entry &)> &accept)
    {
        QList<const Entry *> out;
        const qsizetype n = probeList.size();
        if (n == 0 || count <= 0)
            return out;
        const auto consider = [&](const QString &name) {
            const Entry *e = find(name);
            if (e && e->name != config.name && e->inMemberlist && !out.contains(e) && accept(*e))
                out.append(e);
        };
        for (qsizetype tries = 0; tries < 3 * n && out.size() < count; ++tries)
            consider(probeList[randomBelow(n)]);
        if (out.size() < count) {
            const qsizetype start = randomBelow(n);
            for (qsizetype i = 0; i < n && out.size() < count; ++i)
                consider(probeList[(start + i) % n]);
        }
        return out;
    }

    void gossip()
    {
        const qsizetype budget
            = config.udpBufferSize - CompoundOverhead - (config.encrypted ? encryptOverhead(1) : 0);
        const QList<const Entry *> targets = pickNodes(config.gossipNodes, [this](const Entry &e) {
            return e.state == NodeState::Alive || e.state == NodeState::Suspect
                || (e.state == NodeState::Dead
                    && now - e.stateChangeMs <= config.gossipToTheDeadMs);
        });
        for (const Entry *t : targets) {
            QList<QByteArray> messages = takeBroadcasts(budget);
            if (messages.isEmpty())
                return;
            sendToNode(*t, std::move(messages), false);
        }
    }

    // When a push/pull that no one answers is given up. One pull waits for its answer before
    // the next starts, so for a pulling observer a member that accepts the connection and never
    // answers (an agent shutting down after `serf leave`, a killed one not yet found dead) must
    // not blind it for the whole TCP timeout: two pull intervals, at least 2 s.
    qint64 pushPullDeadline() const
    {
        if (!observer() || config.observerPullIntervalMs <= 0)
            return now + config.tcpTimeoutMs;
        const qint64 interval = scaledPushPullInterval(config.observerPullIntervalMs);
        return now + std::min(config.tcpTimeoutMs, std::max<qint64>(2 * interval, 2000));
    }

    // memberlist's pushPullScale: the interval grows with log2(n) above 32 nodes.
    qint64 scaledPushPullInterval(qint64 base) const
    {
        const int n = memberlistCount();
        const qint64 scale = n <= 32 ? 1 : qint64(std::ceil(std::log2(double(n)) - 5.0)) + 1;
        return base * scale;
    }

    qint64 scaledProbeInterval() const { return config.probeIntervalMs * (awareness + 1); }

    void startProbe()
    {
        const Entry *target = nullptr;
        for (qsizetype tries = 0; tries <= probeList.size() && !target; ++tries) {
            if (probeIndex >= probeList.size()) {
                probeIndex = 0;
                std::shuffle(probeList.begin(), probeList.end(), random);
            }
            if (probeList.isEmpty())
                break;
            const Entry *e = find(probeList[probeIndex++]);
            if (e && e->name != config.name && e->inMemberlist
                && (e->state == NodeState::Alive || e->state == NodeState::Suspect))
                target = e;
        }
        if (!target)
            return;
        Probe p;
        p.seq = nextSeq++;
        p.target = target->name;
        p.incarnation = target->incarnation;
        p.sentMs = now;
        p.endMs = now + scaledProbeInterval();
        QList<QByteArray> messages { encodeMessage(
            Ping { target->name, p.seq, config.addr, config.name, config.port }) };
        if (target->state == NodeState::Suspect)
            messages.append(
                encodeMessage(Suspect { config.name, target->incarnation, target->name }));
        ++counters.probes;
        sendToNode(*target, std::move(messages), true);
        probe = p;
    }

    void probeStep()
    {
        Probe &p = *probe;
        const Entry *target = find(p.target);
        if (!target || p.acked) {
            endProbe(true);
            return;
        }
        if (!p.indirectSent && now >= p.sentMs + config.probeTimeoutMs) {
            p.indirectSent = true;
            const QList<const Entry *> helpers = pickNodes(config.indirectChecks,
                [&](const Entry &e) { return e.state == NodeState::Alive && e.name != p.target; });
            for (const Entry *h : helpers) {
                const bool nack = h->pMax() >= 4;
                p.expectedNacks += nack;
                sendToNode(*h,
                    { encodeMessage(IndirectPing { nack, target->name, target->port, p.seq,
                        config.addr, config.name, config.port, target->addr }) },
                    false);
            }
            if (target->pMax() >= 3)
                p.streamId = newStream(StreamRequest::Kind::Ping, { target->addr, target->port },
                    target->name,
                    Ping { target->name, p.seq, config.addr, config.name, config.port }, p.endMs,
                    false)
                                 .id;
        }
        if (now >= p.endMs)
            endProbe(p.streamOk);
    }

    void endProbe(bool success)
    {
        Probe p = *probe;
        probe.reset();
        if (p.acked || success) {
            awareness = std::max(0, awareness - 1);
            return;
        }
        const int delta = p.expectedNacks > 0 ? p.expectedNacks - p.nacks : 1;
        awareness = std::clamp(awareness + delta, 0, config.awarenessMaxMultiplier - 1);
        const Entry *target = find(p.target);
        if (!target || (target->state != NodeState::Alive && target->state != NodeState::Suspect))
            return;
        // Also when already suspect: our failed probe is a confirmation (Lifeguard). The
        // incarnation probed, as memberlist's probeNode (a copy of the node state): a refutation
        // that arrived meanwhile is not suspected again.
        ++counters.suspicionsOriginated;
        suspectNode(Suspect { config.name, p.incarnation, target->name });
    }

    void housekeeping()
    {
        // memberlist forgets dead/left nodes after GossipToTheDeadTime (6.8).
        // Cheap tests first: this walks every member once a second.
        for (Entry &e : entries) {
            if ((e.state == NodeState::Dead || e.state == NodeState::Left) && e.inMemberlist
                && now - e.stateChangeMs > config.gossipToTheDeadMs && e.name != config.name)
                e.inMemberlist = false;
        }
        // An observer relays no verdict, and memberlist spreads a message with only a few
        // transmissions each: it may miss a dead message or a tag change and learn of it only
        // at the next push/pull, up to 30 s later. It pulls the whole state (pushing only
        // itself) every observerPullIntervalMs instead, scaled like push/pull above 32 nodes,
        // so that what the members know reaches it within about a second.
        if (observer() && config.observerPullIntervalMs > 0 && leavePhase == LeavePhase::None
            && now >= nextObserverPullMs) {
            nextObserverPullMs = now + scaledPushPullInterval(config.observerPullIntervalMs);
            const bool pulling = std::any_of(streams.cbegin(), streams.cend(),
                [](const PendingStream &p) { return p.kind == StreamRequest::Kind::PushPull; });
            const QList<const Entry *> peer = pulling
                ? QList<const Entry *> {}
                : pickNodes(1, [](const Entry &e) { return e.state == NodeState::Alive; });
            if (!peer.isEmpty())
                newStream(StreamRequest::Kind::PushPull, { peer[0]->addr, peer[0]->port },
                    peer[0]->name, localState(false), pushPullDeadline(), false);
        }
    }

    void reap()
    {
        QStringList gone;
        for (const Entry &e : entries) {
            if (e.name == config.name)
                continue;
            const bool failedOld
                = e.status == SerfStatus::Failed && now - e.leaveTimeMs > config.reconnectTimeoutMs;
            const bool leftOld
                = e.status == SerfStatus::Left && now - e.leaveTimeMs > config.tombstoneTimeoutMs;
            if ((failedOld || leftOld) && !e.inMemberlist)
                gone.append(e.name);
        }
        std::sort(gone.begin(), gone.end());
        for (const QString &name : gone) {
            Entry &e = entries[name];
            e.status = SerfStatus::None;
            markChanged(name);
            event(SerfEvent::Kind::MemberReap, name);
        }
        for (auto it = intents.begin(); it != intents.end();)
            it = now - it->atMs > config.recentIntentTimeoutMs ? intents.erase(it) : std::next(it);
        for (auto it = pendingQueries.begin(); it != pendingQueries.end();)
            it = now > it->deadlineMs ? pendingQueries.erase(it) : std::next(it);
    }

    bool othersAlive() const
    {
        for (const Entry &e : entries)
            if (e.name != config.name && e.inMemberlist && e.state == NodeState::Alive)
                return true;
        return false;
    }

    void leaveStep()
    {
        const bool sent = !isQueued(leaveBroadcastId) || !othersAlive();
        if (leavePhase == LeavePhase::Intent && (sent || now >= leaveDeadlineMs)) {
            leavePhase = LeavePhase::Dead;
            const Entry &s = self();
            deadNode(Dead { config.name, s.incarnation, config.name });
            leaveBroadcastId = nextBroadcastId - 1;
            leaveDeadlineMs = now + config.broadcastTimeoutMs;
            return leaveStep();
        }
        if (leavePhase == LeavePhase::Dead && (sent || now >= leaveDeadlineMs)) {
            leavePhase = LeavePhase::Propagate;
            leaveDeadlineMs = now + config.leavePropagateDelayMs;
        }
        if (leavePhase == LeavePhase::Propagate && now >= leaveDeadlineMs)
            leavePhase = LeavePhase::Done;
    }

    void runTimers()
    {
        if (leavePhase == LeavePhase::Done)
            return;
        if (now >= nextGossipMs) {
            gossip();
            nextGossipMs = now + config.gossipIntervalMs;
        }
        if (!observer() && leavePhase == LeavePhase::None) {
            if (probe)
                probeStep();
            if (!probe && now >= nextProbeMs) {
                startProbe();
                nextProbeMs = now + scaledProbeInterval();
            }
        }
        // Hash order is random per process: sort, so that a seeded run repeats.
        QList<quint32> due;
        for (auto it = relays.cbegin(); it != relays.cend(); ++it)
            if (now >= it->deadlineMs)
                due.append(it.key());
        std::sort(due.begin(), due.end());
        for (const quint32 seq : due) {
            const IndirectRelay r = relays.take(seq);
            if (r.nack)
                send(r.requester, r.requesterNode, { encodeMessage(Nack { r.requesterSeq }) },
                    false);
        }
        QStringList expired;
        for (const QString &name : std::as_const(suspected)) {
            const Entry *e = find(name);
            if (e && e->suspicion && now >= e->suspicion->deadlineMs)
                expired.append(name);
        }
        std::sort(expired.begin(), expired.end());
        for (const QString &name : expired) {
            Entry &e = entries[name];
            clearSuspicion(e);
            if (e.state == NodeState::Suspect) {
                ++counters.suspicionsOriginated;
                deadNode(Dead { config.name, e.incarnation, e.name });
            }
        }
        for (auto it = streams.begin(); it != streams.end();) {
            if (now <= it->deadlineMs) {
                ++it;
                continue;
            }
            it = streams.erase(it); // the host never answered: failed
        }
        if (now >= nextPushPullMs) {
            const QList<const Entry *> peer
                = pickNodes(1, [](const Entry &e) { return e.state == NodeState::Alive; });
            if (!peer.isEmpty() && leavePhase == LeavePhase::None)
                newStream(StreamRequest::Kind::PushPull, { peer[0]->addr, peer[0]->port },
                    peer[0]->name, localState(false), pushPullDeadline(), false);
            nextPushPullMs = now + scaledPushPullInterval(config.pushPullIntervalMs);
        }
        if (now >= nextHousekeepingMs) {
            housekeeping();
            nextHousekeepingMs = now + 1000;
        }
        if (now >= nextReapMs) {
            reap();
            nextReapMs = now + config.reapIntervalMs;
        }
        if (leavePhase != LeavePhase::None)
            leaveStep();
    }
};

SerfEngine::SerfEngine(SerfEngineConfig config, quint64 randomSeed, Keyring keyring)
    : d(std::make_unique<Private>(std::move(config), randomSeed, std::move(keyring)))
{ }

SerfEngine::~SerfEngine() = default;

void SerfEngine::start(qint64 nowMs)
{
    if (d->started)
        return;
    d->started = true;
    d->now = nowMs;
    Entry &s = d->entries[d->config.name];
    s.name = d->config.name;
    s.meta = encodeTags(d->config.tags);
    // Our own alive at incarnation 1, queued like Go's setAlive (bootstrap).
    d->aliveNode(
        Alive { d->config.addr, 1, s.meta, d->config.name, d->config.port, d->config.vsn }, true);
    // Every ticker starts after a random stagger (state.go:146-162).
    d->nextGossipMs = nowMs + d->randomBelow(d->config.gossipIntervalMs);
    d->nextProbeMs = nowMs + d->randomBelow(d->config.probeIntervalMs);
    d->nextPushPullMs = nowMs + d->randomBelow(d->config.pushPullIntervalMs);
    d->nextHousekeepingMs = nowMs + 1000;
    d->nextReapMs = nowMs + d->config.reapIntervalMs;
}

void SerfEngine::join(const Endpoint &seed, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    d->newStream(StreamRequest::Kind::PushPull, seed, {}, d->localState(true),
        nowMs + d->config.tcpTimeoutMs, true);
}

void SerfEngine::preload(const PushPull &state, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    d->preloading = true;
    d->mergeRemote(state, true);
    d->preloading = false;
    d->broadcasts.clear();
    // Long converged: the first push/pull's stagger is long past; the next falls anywhere
    // in the interval scaled to the cluster's size, as memberlist's ticker keeps it.
    d->nextPushPullMs
        = nowMs + d->randomBelow(d->scaledPushPullInterval(d->config.pushPullIntervalMs));
}

void SerfEngine::receive(const QList<Message> &messages, const Endpoint &from, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    if (d->leavePhase == LeavePhase::Done)
        return;
    for (const Message &m : messages) {
        if (const auto *ping = std::get_if<Ping>(&m)) {
            if (!ping->node.isEmpty() && ping->node != d->config.name)
                continue; // a renamed node must not answer for the old name
            const Endpoint to = !ping->sourceAddr.isEmpty() && ping->sourcePort
                ? Endpoint { ping->sourceAddr, ping->sourcePort }
                : from;
            ++d->counters.pingsAnswered;
            d->send(
                to, ping->sourceNode, { encodeMessage(Ack { std::nullopt, ping->seqNo }) }, true);
        } else if (const auto *ind = std::get_if<IndirectPing>(&m)) {
            if (d->relays.size() >= MaxPending)
                continue;
            const quint32 seq = d->nextSeq++;
            const Endpoint requester = !ind->sourceAddr.isEmpty() && ind->sourcePort
                ? Endpoint { ind->sourceAddr, ind->sourcePort }
                : from;
            d->relays.insert(seq,
                IndirectRelay { requester, ind->sourceNode, ind->seqNo, ind->nack,
                    nowMs + d->config.probeTimeoutMs });
            ++d->counters.indirectPingsRelayed;
            d->send({ ind->target, ind->port ? ind->port : d->config.port }, ind->node,
                { encodeMessage(
                    Ping { ind->node, seq, d->config.addr, d->config.name, d->config.port }) },
                false);
        } else if (const auto *ack = std::get_if<Ack>(&m)) {
            if (d->probe && d->probe->seq == ack->seqNo) {
                d->probe->acked = true;
                d->endProbe(true);
            } else if (const auto relay = d->relays.constFind(ack->seqNo);
                       relay != d->relays.constEnd()) {
                d->send(relay->requester, relay->requesterNode,
                    { encodeMessage(Ack { std::nullopt, relay->requesterSeq }) }, false);
                d->relays.erase(relay);
            }
        } else if (const auto *nack = std::get_if<Nack>(&m)) {
            if (d->probe && d->probe->seq == nack->seqNo)
                ++d->probe->nacks;
        } else if (const auto *alive = std::get_if<Alive>(&m)) {
            d->aliveNode(*alive, false);
        } else if (const auto *suspect = std::get_if<Suspect>(&m)) {
            d->suspectNode(*suspect);
        } else if (const auto *dead = std::get_if<Dead>(&m)) {
            d->deadNode(*dead);
        } else if (const auto *user = std::get_if<UserMessage>(&m)) {
            d->serfMessage(user->payload, from);
        }
    }
}

std::optional<StreamMessage> SerfEngine::handleStream(const StreamMessage &request, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    if (d->leavePhase == LeavePhase::Done)
        return std::nullopt;
    if (const auto *pp = std::get_if<PushPull>(&request)) {
        // Answer first, then merge (net.go:266-280).
        StreamMessage answer = d->localState(pp->join);
        d->mergeRemote(*pp, false);
        return answer;
    }
    if (const auto *ping = std::get_if<Ping>(&request)) {
        if (!ping->node.isEmpty() && ping->node != d->config.name)
            return std::nullopt;
        ++d->counters.pingsAnswered;
        return StreamMessage(Ack { std::nullopt, ping->seqNo });
    }
    if (const auto *user = std::get_if<UserMessage>(&request))
        d->serfMessage(user->payload, {});
    return std::nullopt;
}

void SerfEngine::streamAnswered(quint64 id, const StreamMessage &answer, qint64 nowMs)
{
    d->now = nowMs;
    const auto it = d->streams.constFind(id);
    if (it == d->streams.constEnd())
        return;
    const PendingStream pending = *it;
    d->streams.erase(it);
    if (pending.kind == StreamRequest::Kind::Ping) {
        if (d->probe && d->probe->streamId == id && std::holds_alternative<Ack>(answer))
            d->probe->streamOk = true;
        return;
    }
    const auto *pp = std::get_if<PushPull>(&answer);
    if (!pp)
        return;
    if (pending.join) {
        // Our name at another address: another member owns it (7.8, 8.5).
        for (const PushNodeState &n : pp->nodes)
            if (n.name == d->config.name && n.state != NodeState::Left
                && (n.addr != d->config.addr || n.port != d->config.port))
                d->nameInUse = true;
    }
    d->mergeRemote(*pp, pending.join);
    if (pending.join && d->leavePhase == LeavePhase::None)
        d->broadcastJoinIntent();
}

void SerfEngine::streamFailed(quint64 id, qint64 nowMs)
{
    d->now = nowMs;
    d->streams.remove(id);
}

void SerfEngine::tick(qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    d->runTimers();
}

qint64 SerfEngine::nextDeadlineMs() const
{
    if (d->leavePhase == LeavePhase::Done)
        return std::numeric_limits<qint64>::max();
    qint64 next
        = std::min({ d->nextGossipMs, d->nextPushPullMs, d->nextHousekeepingMs, d->nextReapMs });
    if (d->config.role == EngineRole::Member && d->leavePhase == LeavePhase::None) {
        if (d->probe) {
            const qint64 step = d->probe->indirectSent
                ? d->probe->endMs
                : d->probe->sentMs + d->config.probeTimeoutMs;
            next = std::min(next, step);
        } else {
            next = std::min(next, d->nextProbeMs);
        }
    }
    for (const IndirectRelay &r : d->relays)
        next = std::min(next, r.deadlineMs);
    for (const QString &name : std::as_const(d->suspected))
        if (const Entry *e = d->find(name); e && e->suspicion)
            next = std::min(next, e->suspicion->deadlineMs);
    if (d->leavePhase != LeavePhase::None)
        next = std::min(next, std::min(d->leaveDeadlineMs, d->nextGossipMs));
    return next;
}

bool SerfEngine::setTags(const Metadata &tags, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    const QByteArray meta = encodeTags(tags);
    if (meta.size() > MetaMaxSize)
        return false;
    d->config.tags = tags;
    Entry &s = d->self();
    s.incarnation += 1;
    s.meta = meta;
    s.tags = tags;
    d->queue(encodeMessage(d->selfAlive()), BroadcastClass::Memberlist, d->config.name);
    d->markChanged(d->config.name);
    return true;
}

void SerfEngine::sendUserEvent(
    const QString &name, const QByteArray &payload, bool coalesce, qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    const UserEvent e { coalesce, d->eventClock, name, payload };
    d->eventClock += 1;
    d->userEvent(e);
    d->queue(d->serfUser(e), BroadcastClass::Event);
}

bool SerfEngine::respondToQuery(
    quint32 queryId, quint64 ltime, const QByteArray &payload, qint64 nowMs)
{
    d->now = nowMs;
    const auto it = d->pendingQueries.constFind(queryId);
    if (it == d->pendingQueries.constEnd() || it->ltime != ltime || nowMs > it->deadlineMs)
        return false;
    if (payload.size() > QueryResponseSizeLimit)
        return false; // Serf's QueryResponseSizeLimit
    Query q;
    q.addr = it->to.addr;
    q.port = it->to.port;
    q.id = queryId;
    q.ltime = ltime;
    d->pendingQueries.erase(it);
    d->sendQueryResponse(q, 0, payload);
    return true;
}

void SerfEngine::leave(qint64 nowMs)
{
    start(nowMs);
    d->now = nowMs;
    if (d->leavePhase != LeavePhase::None)
        return;
    // 1. Serf's leave intent, clock incremented after (serf.go:697-705).
    const LeaveIntent intent { d->memberClock, d->config.name, false };
    d->memberClock += 1;
    d->leavePhase = LeavePhase::Intent;
    d->leaveIntent(intent);
    d->leaveBroadcastId = d->queue(d->serfUser(intent), BroadcastClass::Intent);
    d->leaveDeadlineMs = nowMs + d->config.broadcastTimeoutMs;
    d->leaveStep();
}

bool SerfEngine::isLeaving() const
{
    return d->leavePhase != LeavePhase::None && d->leavePhase != LeavePhase::Done;
}

bool SerfEngine::nameInUse() const
{
    return d->nameInUse;
}

bool SerfEngine::hasLeft() const
{
    return d->leavePhase == LeavePhase::Done;
}

QList<OutgoingPacket> SerfEngine::takeOutgoing()
{
    return std::exchange(d->outgoing, {});
}

QList<StreamRequest> SerfEngine::takeStreamRequests()
{
    return std::exchange(d->streamRequests, {});
}

QList<SerfMemberChange> SerfEngine::takeChanges()
{
    QList<SerfMemberChange> out;
    for (const QString &name : std::as_const(d->changedOrder)) {
        const auto it = d->entries.find(name);
        if (it == d->entries.end())
            continue;
        SerfMemberChange c { *member(name), !it->reported };
        it->reported = true;
        out.append(std::move(c));
    }
    d->changedOrder.clear();
    d->changed.clear();
    return out;
}

QList<SerfEvent> SerfEngine::takeEvents()
{
    return std::exchange(d->events, {});
}

QString SerfEngine::localName() const
{
    return d->config.name;
}

EngineRole SerfEngine::role() const
{
    return d->config.role;
}

std::optional<SerfMember> SerfEngine::member(const QString &name) const
{
    const Entry *e = d->find(name);
    if (!e)
        return std::nullopt;
    SerfMember m;
    m.name = e->name;
    m.local = e->name == d->config.name;
    m.addr = e->addr;
    m.port = e->port;
    m.meta = e->meta;
    m.tags = e->tags;
    m.vsn = e->vsn;
    m.incarnation = e->incarnation;
    m.state = e->state;
    m.status = e->status;
    m.statusLTime = e->statusLTime;
    m.stateSinceMs = e->stateChangeMs;
    return m;
}

QList<SerfMember> SerfEngine::members() const
{
    QStringList names = d->entries.keys();
    std::sort(names.begin(), names.end());
    QList<SerfMember> out;
    if (d->entries.contains(d->config.name))
        out.append(*member(d->config.name));
    for (const QString &name : names)
        if (name != d->config.name)
            out.append(*member(name));
    return out;
}

const Keyring &SerfEngine::keyring() const
{
    return d->keyring;
}

quint32 SerfEngine::incarnation() const
{
    const Entry *s = d->find(d->config.name);
    return s ? s->incarnation : 0;
}

quint64 SerfEngine::memberClock() const
{
    return d->memberClock;
}

quint64 SerfEngine::eventClock() const
{
    return d->eventClock;
}

quint64 SerfEngine::queryClock() const
{
    return d->queryClock;
}

int SerfEngine::healthScore() const
{
    return d->awareness;
}

const SerfEngineCounters &SerfEngine::counters() const
{
    return d->counters;
}

} // namespace shoal::serf
