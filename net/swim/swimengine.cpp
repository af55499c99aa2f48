#include "net/swim/swimengine.h"

#include "net/swim/randomset.h"
#include "net/transport.h"

#include <QDateTime>

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <vector>

namespace shoal::swim {

namespace {

// Gossip clocks above this are refused: next_clock = clock + 1 must stay representable.
constexpr quint64 maxClock = static_cast<quint64>(std::numeric_limits<qint64>::max());
constexpr qint64 never = std::numeric_limits<qint64>::max();

// SWIM-PROTOCOL.md 5.3: OFFLINE -> SUSPECT stays OFFLINE, ONLINE -> OFFLINE becomes SUSPECT.
MemberStatus transition(MemberStatus from, MemberStatus to)
{
    if (to == MemberStatus::Suspect && from == MemberStatus::Offline)
        return from;
    if (to == MemberStatus::Offline && from == MemberStatus::Online)
        return MemberStatus::Suspect;
    return to;
}

// Keys unique, as a Python dict built from these pairs: the last value wins, in
// the place the key first appeared.
WireMetadata uniqueKeys(const WireMetadata &metadata)
{
    WireMetadata result;
    QHash<QString, qsizetype> positions;
    for (const auto &[key, value] : metadata) {
        const auto it = positions.constFind(key);
        if (it != positions.cend()) {
            result[*it].second = value;
        } else {
            positions.insert(key, result.size());
            result.append({ key, value });
        }
    }
    return result;
}

QDateTime timeFromMs(qint64 ms)
{
    return ms < 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

MemberStatus memberStatusFromWire(WireStatus status)
{
    switch (status) {
    case WireStatus::Online:
        return MemberStatus::Online;
    case WireStatus::Suspect:
        return MemberStatus::Suspect;
    case WireStatus::Offline:
        return MemberStatus::Offline;
    }
    return MemberStatus::Offline;
}

WireStatus wireStatusFromMember(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return WireStatus::Online;
    case MemberStatus::Suspect:
        return WireStatus::Suspect;
    case MemberStatus::Offline:
    case MemberStatus::Unknown: // swim has no word for these; the engine never holds them
    case MemberStatus::Leaving:
    case MemberStatus::Left:
        return WireStatus::Offline;
    }
    return WireStatus::Offline;
}

Metadata metadataFromWire(const WireMetadata &metadata)
{
    Metadata result;
    for (const auto &[key, value] : metadata)
        result.insert(key, value);
    return result;
}

WireMetadata metadataToWire(const Metadata &metadata)
{
    WireMetadata result;
    result.reserve(metadata.size());
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        result.append({ it.key(), it.value() });
    return result;
}

struct SwimEngine::Private
{
    struct Listener
    {
        int requester = -1;
        qint64 expiresMs = 0;
    };

    struct Member
    {
        QString name;
        bool local = false;
        QByteArray validity; // empty until a packet from it told us
        quint64 clock = 0;
        MemberStatus status = MemberStatus::Offline;
        qint64 statusSinceMs = 0;
        std::optional<Metadata> metadata;
        qint64 lastHeardMs = -1;
        ProbeResult probe = ProbeResult::NotProbed;
        qint64 lastProbeMs = -1;
        qint64 rttMicros = -1;
        // The current clock came from a decision of ours about this (remote) member.
        bool authored = false;
        // The current version (clock, status and metadata) is exactly one a gossip
        // carried (or there is none yet: clock 0). An observer gossips no other.
        bool heard = true;
        // Our own record last sent straight to it (directAnnouncements, or a sync):
        // the local clock it carried and when, to send it at most once per sync_interval.
        quint64 announcedClock = 0;
        qint64 announcedMs = -1;
        // Position in the order of changes (bySeq): what a peer may need is found
        // by scanning from where its last dissemination stopped, not every member.
        quint64 seq = 0;
        // As a gossip target (the reference's known_clocks, compressed): every
        // member at or below scannedSeq had its current version acknowledged by
        // it or sent to it, and `awaiting` holds the ones sent and not yet
        // acknowledged (with the highest clock acknowledged); acksAbove holds
        // acknowledgements of members changed since. Both stay as small as the
        // gossip in flight: a cluster of steady edits keeps no per-pair table.
        quint64 scannedSeq = 0;
        std::map<int, quint64> awaiting;
        std::map<int, quint64> acksAbove;
        // The highest clock of our own record it acknowledged since the last sync to it
        // (our record also goes to it outside syncs, see announce): one number per member.
        quint64 ackedUs = 0;
        // The highest clock of its own record it sent us itself (this incarnation): its own
        // clock only grows, so a lower one is a replayed packet (issue 14, finding 8).
        quint64 ownClockSeen = 0;
        // A GossipAck came from it since the last sync to it: a target that acknowledged
        // nothing of a sync is not sent the rest again (see disseminate).
        bool ackedSinceSync = false;
        // The last sync to it stopped at the per-sync cap: records sent in it and
        // acknowledged so far. Once it acknowledged nearly all of them, the next part goes
        // at once (see continueSync), so that a cluster larger than the cap reaches a new
        // member in one sync's worth of round trips, not one random pick per part.
        // Unknown until a packet of its own introduced it: it gets one sync at once (see
        // syncNewcomer), it is new to the cluster. A member we knew of first from gossip
        // gets none: in a settled cluster that is every member, and N members syncing
        // everything to each other at first contact would be the N^3 cold start again.
        bool newcomer = false;
        bool syncCapped = false;
        qsizetype syncSent = 0;
        qsizetype syncAcked = 0;
        qint64 suspectDeadlineMs = -1; // running suspect timer, -1 if none
        bool suspectQueued = false; // one timer-heap entry at most per member
        std::vector<Listener> listeners; // who asked us (PingReq) to probe it
        bool listenQueued = false;
        MemberChangeFlags pending; // unreported changes
        // Memory budget (EngineOptions::memoryBudgetBytes): what it counts for, and the
        // eviction class it is filed under (-1: never evicted) with the key it was filed by.
        bool configured = false; // a configured peer
        bool dead = false; // evicted; the slot waits in freeSlots for the next member
        qint64 bytes = 0;
        int evictClass = -1;
        qint64 evictKey = 0;
    };

    // Eviction classes, tried in this order: OFFLINE and never heard from directly; OFFLINE,
    // heard; any other status, never heard directly. The last two only to admit a member
    // whose own packet reached us: gossip never pushes out a member heard directly.
    static constexpr int evictClasses = 3;
    // Per member: the Member itself, its entries in index and bySeq, the probe order.
    static constexpr qint64 memberOverhead = qint64(sizeof(Member)) + 160;
    static constexpr qint64 metadataEntryOverhead = 64;

    struct Probe
    {
        int target = -1;
        bool indirect = false; // ping-req phase
        qint64 deadlineMs = 0;
        qint64 sentMs = 0;
        qint64 sentMicros = -1;
    };

    enum class TimerKind : quint8 { Suspect, Listen };
    struct Timer
    {
        qint64 deadlineMs;
        int member;
        TimerKind kind;
        bool operator>(const Timer &o) const { return deadlineMs > o.deadlineMs; }
    };

    MemberConfig config;
    EngineOptions options;
    QByteArray validity;
    WireMetadata localWire;
    std::mt19937_64 random;

    std::vector<Member> members;
    QHash<QString, int> index;
    int localId = 0;
    quint64 nextClock = 1;
    quint64 seqCounter = 0;
    std::map<quint64, int> bySeq;
    RandomIndexSet available; // non-local ONLINE or SUSPECT
    std::vector<int> nonLocal;
    std::vector<int> roundRobin;
    size_t roundRobinCursor = 0;
    qsizetype createdByPackets = 0;
    // awaiting + acksAbove over all members, kept below options.maxAcknowledgementEntries;
    // unconfirmed: targets of a sync that have not acknowledged anything of it yet, oldest
    // first (stale ids are skipped), the first to lose their entries when the total is full.
    qsizetype ackEntries = 0;
    std::deque<int> unconfirmed;
    // Memory budget: bytes counted over all members, the eviction candidates per class
    // (by statusSinceMs, oldest first), evicted slots to reuse, and the names evicted
    // since the last takeChanges().
    qint64 storedBytes = 0;
    std::set<std::pair<qint64, int>> evictable[evictClasses];
    std::vector<int> freeSlots;
    QStringList removed;

    std::vector<Probe> probes;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers;
    bool started = false;
    qint64 now = 0;
    qint64 nowMicros = -1;
    qint64 nextProbeMs = 0;
    qint64 nextSyncMs = 0;

    QList<Outgoing> outgoing;
    QList<int> changed;
    EngineCounters counters;

    Private(MemberConfig c, QByteArray v, quint64 seed, EngineOptions o)
        : config(std::move(c))
        , options(o)
        , validity(std::move(v))
        , localWire(uniqueKeys(config.localMetadata))
        , random(seed)
    { }

    quint64 uniform(quint64 bound) // [0, bound)
    {
        std::uniform_int_distribution<quint64> pick(0, bound - 1);
        return pick(random);
    }

    Source localSource() const { return Source { config.localName, validity }; }

    int find(const QString &name) const { return index.value(name, -1); }

    void mark(int id, MemberChangeFlags flags)
    {
        Member &m = members[static_cast<size_t>(id)];
        if (!m.pending)
            changed.append(id);
        m.pending |= flags;
    }

    void bumpSeq(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        if (m.seq != 0)
            bySeq.erase(m.seq);
        m.seq = ++seqCounter;
        bySeq.emplace(m.seq, id);
    }

    static qint64 metadataBytes(const Metadata &metadata)
    {
        qint64 bytes = 0;
        for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
            bytes += metadataEntryOverhead + it.key().size() * 2 + it.value().size();
        return bytes;
    }

    static qint64 bytesOf(const Member &m)
    {
        qint64 bytes = memberOverhead + m.name.size() * 2 + m.validity.size();
        if (m.metadata)
            bytes += metadataBytes(*m.metadata);
        return bytes;
    }

    void recount(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        const qint64 bytes = bytesOf(m);
        storedBytes += bytes - m.bytes;
        m.bytes = bytes;
    }

    int evictClassOf(const Member &m) const
    {
        if (m.local || m.configured || m.dead)
            return -1;
        const bool heard = m.lastHeardMs >= 0;
        if (m.status == MemberStatus::Offline)
            return heard ? 1 : 0;
        return heard ? -1 : 2;
    }

    // A packet of its own reached us now. The first one refiles it: a member heard directly
    // is evicted later than one known from gossip only.
    void heardFrom(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        const bool first = m.lastHeardMs < 0;
        m.lastHeardMs = now;
        if (first)
            reclassify(id);
    }

    // Files the member under its eviction class after a status or lastHeard change.
    void reclassify(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        const int cls = evictClassOf(m);
        if (cls == m.evictClass && m.evictKey == m.statusSinceMs)
            return;
        if (m.evictClass >= 0)
            evictable[m.evictClass].erase({ m.evictKey, id });
        m.evictClass = cls;
        m.evictKey = m.statusSinceMs;
        if (cls >= 0)
            evictable[cls].insert({ m.evictKey, id });
    }

    // Nothing else refers to it: no timer, probe or ping-req relay (their ids would name
    // the member that reuses the slot).
    bool canEvict(int id, int keep) const
    {
        const Member &m = members[static_cast<size_t>(id)];
        if (id == keep || m.suspectQueued || m.listenQueued || !m.listeners.empty())
            return false;
        // A requester of a ping-req relay elsewhere is remembered until pingReqTimeout.
        if (m.lastHeardMs >= 0 && now - m.lastHeardMs <= config.timings.pingReqTimeoutMs)
            return false;
        return std::none_of(
            probes.begin(), probes.end(), [id](const Probe &probe) { return probe.target == id; });
    }

    int chooseVictim(int keep, bool direct) const
    {
        // A few candidates per class at most: one held by a timer is skipped, not waited on.
        constexpr int maxSkipped = 32;
        // Only what our own packets tell may push out a member heard directly.
        for (int cls = 0; cls < (direct ? evictClasses : 1); ++cls) {
            int skipped = 0;
            for (const auto &[since, id] : evictable[cls]) {
                if (canEvict(id, keep))
                    return id;
                if (++skipped >= maxSkipped)
                    break;
            }
        }
        return -1;
    }

    void evict(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        removed.append(m.name);
        index.remove(m.name);
        bySeq.erase(m.seq);
        available.erase(id);
        if (m.evictClass >= 0)
            evictable[m.evictClass].erase({ m.evictKey, id });
        forgetAcknowledgements(m, 0);
        storedBytes -= m.bytes;
        Member gone;
        gone.dead = true;
        m = std::move(gone);
        freeSlots.push_back(id);
        --createdByPackets;
        ++counters.evictedMembers;
    }

    // Evicts members until `bytes` more fit in the budget (and, for a new member, the table
    // has room under maxMembers); false if not enough could go. `keep` is never evicted;
    // `direct`: for a member whose own packet reached us (may evict gossiped-only ones).
    bool makeRoomFor(qint64 bytes, int keep, bool direct, bool newMember)
    {
        while ((newMember && createdByPackets >= options.maxMembers)
            || storedBytes + bytes > options.memoryBudgetBytes) {
            const int victim = chooseVictim(keep, direct);
            if (victim < 0)
                return false;
            evict(victim);
        }
        return true;
    }

    int addMember(const QString &name, bool local)
    {
        Member m;
        m.name = name;
        m.local = local;
        m.statusSinceMs = now;
        int id = 0;
        const bool reused = !local && !freeSlots.empty();
        if (reused) {
            // The slot is still in nonLocal and roundRobin.
            id = freeSlots.back();
            freeSlots.pop_back();
            members[static_cast<size_t>(id)] = std::move(m);
        } else {
            id = static_cast<int>(members.size());
            members.push_back(std::move(m));
        }
        index.insert(name, id);
        bumpSeq(id);
        recount(id);
        reclassify(id);
        if (!local && !reused) {
            nonLocal.push_back(id);
            // Into the rest of the current round at a random place (SWIM paper 4.3).
            roundRobin.push_back(id);
            const size_t remaining = roundRobin.size() - roundRobinCursor;
            const size_t place = roundRobinCursor + static_cast<size_t>(uniform(remaining));
            std::swap(roundRobin[place], roundRobin.back());
        }
        mark(id, MemberChangeFlag::Added);
        return id;
    }

    // The member of that name, created if new; -1 if packets may not create more. direct:
    // the name is the source of the packet (see EngineOptions::memoryBudgetBytes).
    int obtain(const QString &name, bool direct = false)
    {
        const int id = find(name);
        if (id >= 0)
            return id;
        // One spelling per address and port (issue 14, finding 2).
        if (options.canonicalNames && !net::isCanonicalMemberName(name)) {
            ++counters.refusedNames;
            return -1;
        }
        if (!makeRoomFor(memberOverhead + name.size() * 2, -1, direct, true)) {
            if (createdByPackets >= options.maxMembers)
                ++counters.refusedMembers;
            else
                ++counters.refusedForMemory;
            return -1;
        }
        ++createdByPackets;
        return addMember(name, false);
    }

    int learnSource(const Source &source)
    {
        const int id = obtain(source.name, true);
        if (id < 0)
            return id;
        Member &m = members[static_cast<size_t>(id)];
        if (!m.local && m.validity != source.validity) {
            storedBytes += source.validity.size() - m.validity.size();
            m.bytes += source.validity.size() - m.validity.size();
            const bool restarted = !m.validity.isEmpty();
            m.validity = source.validity;
            m.ownClockSeen = 0; // a new process counts its clock anew
            // It restarted: forget what it acknowledged so it gets full gossip. (The first
            // validity learnt forgets nothing: acknowledgements come with it, and what was
            // sent before still awaits them.)
            if (restarted)
                forgetAcknowledgements(m, 0);
            mark(id,
                restarted ? MemberChangeFlag::Incarnation | MemberChangeFlag::Restarted
                          : MemberChangeFlags(MemberChangeFlag::Incarnation));
        }
        return id;
    }

    void setStatus(int id, MemberStatus status)
    {
        Member &m = members[static_cast<size_t>(id)];
        m.status = status;
        m.statusSinceMs = now;
        if (!m.local) {
            if (status == MemberStatus::Offline) {
                available.erase(id);
                // No sync goes to it any more: what it has not acknowledged would wait for
                // its return (or restart), N records per member gone. If it comes back it
                // gets full gossip, as after a restart.
                forgetAcknowledgements(m, 0);
            } else {
                available.insert(id);
            }
            reclassify(id);
        }
    }

    // SWIM-PROTOCOL.md section 5: update (source < 0, a local decision) or
    // apply (gossip from member `source`).
    void update(int id, int source, quint64 clock, std::optional<MemberStatus> status,
        const Metadata *metadata)
    {
        Member &m = members[static_cast<size_t>(id)];
        if (id == source && !m.local && options.refuseReplays) {
            if (clock < m.ownClockSeen) {
                ++counters.replays; // never go back in our view of it
                return;
            }
            m.ownClockSeen = clock;
        }
        const bool clockPending = clock > m.clock;
        const bool observer = config.role == Role::Observer;
        // Observer: a member we hold no version of yet (clock 0) takes the status it is
        // gossiped with as is, so that it shows (and may relay) what the cluster holds;
        // the reference's OFFLINE -> SUSPECT rule would make up an OFFLINE version.
        const bool asHeard = observer && !m.local && source >= 0 && m.clock == 0;
        std::optional<MemberStatus> newStatus;
        if (status) {
            const MemberStatus to = asHeard ? *status : transition(m.status, *status);
            if (to != m.status)
                newStatus = to;
        }
        // Larger metadata for a remote member must fit in the memory budget (members it may
        // evict first: see EngineOptions::memoryBudgetBytes); else it is left out, counted.
        if (metadata && !m.local && (!m.metadata || *m.metadata != *metadata)) {
            const qint64 growth
                = metadataBytes(*metadata) - (m.metadata ? metadataBytes(*m.metadata) : 0);
            if (growth > 0 && !makeRoomFor(growth, id, false, false)) {
                ++counters.refusedForMemory;
                metadata = nullptr;
            }
        }
        const bool metadataPending = metadata && (!m.metadata || *m.metadata != *metadata);
        const bool aboutUs = m.local && source >= 0;
        // A version of us without our metadata (its author never heard our record) cannot
        // be replaced by our record at a lower clock: refuted like a disagreeing one.
        const bool disagreesAboutUs = aboutUs
            && (newStatus || metadataPending || (options.clockAboveGossipAboutUs && !metadata));
        // Another version of us with our own clock: its author chose the clock we chose (a
        // verdict from someone who saw what we refuted). Nobody would ever replace it, so we
        // refute it like a newer one.
        const bool collision
            = options.clockAboveGossipAboutUs && disagreesAboutUs && clock == m.clock;
        const bool ownViewBefore = ownView(m);
        const bool eligibleBefore = eligible(m);
        if (clockPending || id == source || collision) {
            const bool changes = newStatus || metadataPending;
            if (aboutUs) {
                if (options.clockAboveGossipAboutUs && clock >= nextClock)
                    nextClock = std::min(clock + 1, maxClock); // never past 2^63 - 1
                // Never believe others about ourselves: refute with a newer clock, unless
                // the clock is exhausted (a peer's version at 2^63 - 1): then say so.
                if (disagreesAboutUs && options.clockAboveGossipAboutUs && nextClock <= clock) {
                    ++counters.clockExhausted;
                } else if (disagreesAboutUs) {
                    m.clock = nextClock;
                    ++counters.refutations;
                    bumpSeq(id);
                    mark(id, MemberChangeFlag::Clock);
                }
            } else if (changes) {
                MemberChangeFlags what;
                if (newStatus) {
                    setStatus(id, *newStatus);
                    what |= MemberChangeFlag::Status;
                }
                Member &n = members[static_cast<size_t>(id)];
                if (metadataPending) {
                    n.metadata = *metadata;
                    recount(id);
                    what |= MemberChangeFlag::Metadata;
                }
                if (clockPending) {
                    n.clock = clock;
                    what |= MemberChangeFlag::Clock;
                    n.authored = source < 0 && !n.local;
                }
                // Exactly what a gossip said, or a view of our own: a decision, a status the
                // transition rule changed, a member's own record kept under another clock.
                // (Gossip without metadata says nothing of it: ours was heard before.)
                n.heard = source >= 0 && n.clock == clock && status && n.status == *status
                    && (!metadata || n.metadata == *metadata);
                // A new version, or newly eligible for gossip at an unchanged clock.
                if (clockPending || (!eligibleBefore && eligible(n)))
                    bumpSeq(id);
                mark(id, what);
            }
        } else if (observer && !m.local && !m.heard && source >= 0 && clock == m.clock && status
            && *status == m.status && metadata && m.metadata == *metadata) {
            // Observer: our own view turns out to be a version the cluster holds too (same
            // clock, status and metadata), so relaying it repeats what was heard.
            m.heard = true;
            if (!eligibleBefore && eligible(m))
                bumpSeq(id);
        } else if (metadataPending && !m.metadata && ownViewBefore && source >= 0 && observer) {
            // Observer only: our own verdict gave this member a clock that hides the older
            // gossip carrying its metadata, which only the member itself would then send us
            // (about once per N of its syncs). Nothing known is contradicted, and an observer
            // never gossips its own view, so the stale clock cannot spread it.
            m.metadata = *metadata;
            recount(id);
            mark(id, MemberChangeFlag::Metadata);
        }
        const Member &after = members[static_cast<size_t>(id)];
        if (ownView(after) != ownViewBefore)
            mark(id, MemberChangeFlag::LocalVerdict);
        if (after.clock >= nextClock)
            nextClock = std::min(after.clock + 1, maxClock);
    }

    void decide(int id, MemberStatus status) { update(id, -1, nextClock, status, nullptr); }

    void send(int id, Packet packet)
    {
        if (id == localId)
            return; // only a peer impersonating our name gets here
        outgoing.append(Outgoing { members[static_cast<size_t>(id)].name, std::move(packet) });
    }

    void pushTimer(qint64 deadline, int id, TimerKind kind) { timers.push({ deadline, id, kind }); }

    // Our own record straight to member `id` if it has not acknowledged our current clock
    // (EngineOptions::directAnnouncements), at most once per local clock per ping_interval or
    // sync_interval, whichever is shorter: so every probe of a member that has not acknowledged
    // it carries it (the announcement at start is lost when the peer is not up yet; waiting a
    // sync interval then left pymap peers holding us OFFLINE for up to 20 s in the field test).
    void announce(int id)
    {
        if (!options.directAnnouncements || id < 0 || id == localId)
            return;
        Member &m = members[static_cast<size_t>(id)];
        const quint64 clock = members[static_cast<size_t>(localId)].clock;
        if (acknowledged(m, localId) >= clock)
            return;
        if (m.announcedClock == clock && m.announcedMs >= 0
            && now - m.announcedMs
                < std::max(std::min(config.timings.syncIntervalMs, config.timings.pingIntervalMs),
                    qint64(1)))
            return;
        m.announcedClock = clock;
        m.announcedMs = now;
        outgoing.append(Outgoing { m.name, gossipOf(members[static_cast<size_t>(localId)]) });
    }

    // SUSPECT starts a suspect timer if none runs; any other status cancels it.
    void handleStatus(int id, MemberStatus status)
    {
        Member &m = members[static_cast<size_t>(id)];
        if (m.local)
            return; // we never time ourselves out (the reference would)
        if (status == MemberStatus::Suspect) {
            if (m.suspectDeadlineMs < 0) {
                m.suspectDeadlineMs = now + config.timings.suspectTimeoutMs;
                if (!m.suspectQueued) {
                    m.suspectQueued = true;
                    pushTimer(m.suspectDeadlineMs, id, TimerKind::Suspect);
                }
            }
        } else {
            m.suspectDeadlineMs = -1;
        }
    }

    void addListener(int target, int requester)
    {
        Member &m = members[static_cast<size_t>(target)];
        const qint64 expires = now + std::max(config.timings.pingReqTimeoutMs, qint64(1));
        auto it = std::find_if(m.listeners.begin(), m.listeners.end(),
            [requester](const Listener &l) { return l.requester == requester; });
        if (it != m.listeners.end()) {
            it->expiresMs = expires;
        } else {
            if (static_cast<qsizetype>(m.listeners.size()) >= options.maxPingReqListeners) {
                if (m.listeners.empty())
                    return;
                m.listeners.erase(m.listeners.begin()); // the oldest request
            }
            m.listeners.push_back({ requester, expires });
        }
        if (!m.listenQueued) {
            m.listenQueued = true;
            pushTimer(expires, target, TimerKind::Listen);
        }
    }

    void forwardAcks(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        if (m.listeners.empty())
            return;
        const std::vector<Listener> listeners = std::move(m.listeners);
        m.listeners.clear();
        const Source source { m.name, m.validity };
        for (const Listener &l : listeners) {
            if (l.expiresMs >= now)
                send(l.requester, Ack { source });
        }
    }

    void finishProbe(const Probe &probe, bool answered)
    {
        const int id = probe.target;
        const MemberStatus verdict = answered ? MemberStatus::Online : MemberStatus::Suspect;
        handleStatus(id, verdict);
        decide(id, verdict);
        Member &m = members[static_cast<size_t>(id)];
        m.probe = answered ? ProbeResult::Answered : ProbeResult::NoAnswer;
        m.lastProbeMs = now;
        if (answered && !probe.indirect) {
            m.rttMicros = (nowMicros >= 0 && probe.sentMicros >= 0)
                ? std::max<qint64>(0, nowMicros - probe.sentMicros)
                : std::max<qint64>(0, now - probe.sentMs) * 1000;
        }
        mark(id, MemberChangeFlag::Probe);
    }

    void answerProbes(int id)
    {
        for (size_t i = 0; i < probes.size();) {
            if (probes[i].target == id) {
                const Probe probe = probes[i];
                probes.erase(probes.begin() + static_cast<std::ptrdiff_t>(i));
                finishProbe(probe, true);
            } else {
                ++i;
            }
        }
    }

    int chooseProbeTarget()
    {
        // Evicted slots (waiting for reuse) are skipped.
        for (size_t tries = 0; tries < nonLocal.size(); ++tries) {
            const int id = chooseAnyProbeTarget();
            if (id >= 0 && !members[static_cast<size_t>(id)].dead)
                return id;
        }
        return -1;
    }

    int chooseAnyProbeTarget()
    {
        if (nonLocal.empty())
            return -1;
        if (options.probeOrder == ProbeOrder::Random)
            return nonLocal[static_cast<size_t>(uniform(nonLocal.size()))];
        if (roundRobinCursor >= roundRobin.size()) {
            std::shuffle(roundRobin.begin(), roundRobin.end(), random);
            roundRobinCursor = 0;
        }
        return roundRobin[roundRobinCursor++];
    }

    void startProbe()
    {
        const int target = chooseProbeTarget();
        if (target < 0)
            return;
        announce(target);
        send(target, Ping { localSource() });
        probes.push_back({ target, false, now + config.timings.pingTimeoutMs, now, nowMicros });
    }

    // Up to ping_req_count distinct AVAILABLE members other than the target.
    std::vector<int> chooseIndirects(int target)
    {
        std::vector<int> chosen;
        const qsizetype candidates = available.size() - (available.contains(target) ? 1 : 0);
        const qsizetype count = std::min<qsizetype>(config.timings.pingReqCount, candidates);
        if (count <= 0)
            return chosen;
        if (count == candidates) {
            for (qsizetype i = 0; i < available.size(); ++i) {
                if (available.at(i) != target)
                    chosen.push_back(available.at(i));
            }
            return chosen;
        }
        while (static_cast<qsizetype>(chosen.size()) < count) {
            const int id = available.choose(random);
            if (id != target && std::find(chosen.begin(), chosen.end(), id) == chosen.end())
                chosen.push_back(id);
        }
        return chosen;
    }

    void probeDeadline(size_t i)
    {
        Probe probe = probes[i];
        probes.erase(probes.begin() + static_cast<std::ptrdiff_t>(i));
        if (!probe.indirect) {
            const std::vector<int> indirects = chooseIndirects(probe.target);
            if (!indirects.empty()) {
                const PingReq request { localSource(),
                    members[static_cast<size_t>(probe.target)].name };
                for (int id : indirects) {
                    announce(id);
                    send(id, request);
                }
                probe.indirect = true;
                probe.deadlineMs = now + config.timings.pingReqTimeoutMs;
                probes.push_back(probe);
                return;
            }
        }
        finishProbe(probe, false);
    }

    // The current version is our own view of a remote member, not one heard (see
    // MemberChange::localVerdict): a participant's is only what it decided itself.
    bool ownView(const Member &m) const
    {
        return !m.local && (m.authored || (config.role == Role::Observer && !m.heard));
    }

    bool eligible(const Member &m) const
    {
        if (m.local)
            return true;
        if (!m.metadata)
            return false;
        return !(config.role == Role::Observer && ownView(m));
    }

    Gossip gossipOf(const Member &m) const
    {
        Gossip g;
        g.source = localSource();
        g.name = m.name;
        g.clock = m.clock;
        g.status = wireStatusFromMember(m.status);
        if (m.local)
            g.metadata = localWire;
        else if (m.metadata)
            g.metadata = metadataToWire(*m.metadata);
        return g;
    }

    static qsizetype entriesOf(const Member &target)
    {
        return static_cast<qsizetype>(target.awaiting.size() + target.acksAbove.size());
    }

    void forgetAcknowledgements(Member &target, quint64 scannedSeq)
    {
        ackEntries -= entriesOf(target);
        target.scannedSeq = scannedSeq;
        target.awaiting.clear();
        target.acksAbove.clear();
        target.ackedUs = 0;
    }

    // Highest clock of member `id` that `target` acknowledged, as far as it matters
    // (at least the current clock once acknowledged).
    quint64 acknowledged(const Member &target, int id) const
    {
        const Member &m = members[static_cast<size_t>(id)];
        const auto awaiting = target.awaiting.find(id);
        const quint64 sent = awaiting == target.awaiting.end() ? 0 : awaiting->second;
        if (m.seq <= target.scannedSeq)
            return awaiting == target.awaiting.end() ? m.clock : sent;
        const auto above = target.acksAbove.find(id);
        const quint64 acked
            = m.local ? target.ackedUs : (above == target.acksAbove.end() ? 0 : above->second);
        return std::max(sent, acked);
    }

    void sendGossip(Member &target, int id, quint64 known)
    {
        const Member &m = members[static_cast<size_t>(id)];
        outgoing.append(Outgoing { target.name, gossipOf(m) });
        target.awaiting[id] = known;
        if (m.local) {
            target.announcedClock = m.clock;
            target.announcedMs = now;
        }
    }

    // One sync: to a random available member, every record it has not acknowledged: our
    // own first (as the reference does: a receiver that does not know us yet learns us
    // from it, not OFFLINE from the packets that follow), then those sent before and
    // still unacknowledged, then those changed since.
    void disseminate()
    {
        if (available.isEmpty())
            return;
        syncTo(available.choose(random));
    }

    void syncTo(int targetId)
    {
        Member &target = members[static_cast<size_t>(targetId)];
        // It acknowledged nothing of our last sync (forged, gone, or every answer lost):
        // forget what it was sent, and send it only our own record until it answers. A
        // name nobody runs costs one entry, not one per member (issue 14, finding 1).
        const bool probation = !target.ackedSinceSync && !target.awaiting.empty();
        if (probation) {
            forgetAcknowledgements(target, 0);
            ++counters.unacknowledgedSyncs;
        }
        const qsizetype before = entriesOf(target);
        // What this sync may add to the bookkeeping: the per-sync cap, and what the total
        // leaves after dropping the entries of targets that acknowledged nothing.
        qsizetype budget = options.maxGossipPerSync;
        makeRoom(targetId, budget);
        budget = std::min(budget,
            std::max<qsizetype>(1, options.maxAcknowledgementEntries - ackEntries + before));
        qsizetype sent = 0;
        const quint64 knownOfUs = acknowledged(target, localId);
        if (members[static_cast<size_t>(localId)].clock > knownOfUs) {
            sendGossip(target, localId, knownOfUs);
            ++sent;
        } else {
            target.awaiting.erase(localId);
        }
        bool complete = !probation;
        for (auto it = target.awaiting.begin(); it != target.awaiting.end();) {
            const Member &m = members[static_cast<size_t>(it->first)];
            if (it->first == localId) {
                ++it; // sent above
            } else if (m.seq > target.scannedSeq) {
                ++it; // changed since: met again in the scan below
            } else if (!eligible(m)) {
                it = target.awaiting.erase(it);
            } else if (sent >= budget) {
                complete = false; // resent at the next sync
                ++it;
            } else {
                sendGossip(target, it->first, it->second);
                ++sent;
                ++it;
            }
        }
        quint64 scanned = target.scannedSeq;
        for (auto it = bySeq.upper_bound(target.scannedSeq); complete && it != bySeq.end(); ++it) {
            const int id = it->second;
            if (id != localId) {
                const Member &m = members[static_cast<size_t>(id)];
                const quint64 known = acknowledged(target, id);
                if (m.clock <= known) {
                    target.awaiting.erase(id);
                } else if (!eligible(m)) {
                    // Not gossiped now; eligibility comes back only with a change (a new seq).
                    target.awaiting.erase(id);
                    if (!m.local && m.metadata)
                        ++counters.suppressedVerdicts;
                } else if (sent >= budget) {
                    complete = false; // the rest at the next sync
                    break;
                } else {
                    sendGossip(target, id, known);
                    ++sent;
                }
            }
            scanned = it->first;
        }
        if (complete || scanned == seqCounter) {
            target.scannedSeq = seqCounter;
            target.acksAbove.clear();
            target.ackedUs = 0;
        } else if (scanned > target.scannedSeq) {
            target.scannedSeq = scanned;
            for (auto it = target.acksAbove.begin(); it != target.acksAbove.end();) {
                if (members[static_cast<size_t>(it->first)].seq <= scanned)
                    it = target.acksAbove.erase(it);
                else
                    ++it;
            }
        }
        ackEntries += entriesOf(target) - before;
        target.ackedSinceSync = false;
        target.syncCapped = !complete && !probation;
        target.syncSent = sent;
        target.syncAcked = 0;
        if (!target.awaiting.empty())
            unconfirmed.push_back(targetId);
    }

    // EngineOptions::syncToNewcomers: the first packet from a member (available once its
    // own record reached us) brings it a sync at once, at most one such sync per
    // kNewcomerSyncGapMs so that made-up newcomers cannot make us encode syncs without end.
    static constexpr qint64 kNewcomerSyncGapMs = 100;
    qint64 lastNewcomerSyncMs = -1;
    void syncNewcomer(int id)
    {
        if (!options.syncToNewcomers || !options.directAnnouncements || id == localId)
            return;
        Member &m = members[static_cast<size_t>(id)];
        if (!m.newcomer || !available.contains(id))
            return;
        if (lastNewcomerSyncMs >= 0 && now - lastNewcomerSyncMs < kNewcomerSyncGapMs)
            return;
        m.newcomer = false;
        lastNewcomerSyncMs = now;
        ++counters.newcomerSyncs;
        syncTo(id);
    }

    // A GossipAck for a record of a capped sync: when the target acknowledged all but an
    // eighth of it (some acknowledgements may be lost), the next part follows at once.
    // A target that never answers gets no more than one part (issue 14, finding 1).
    void continueSync(int targetId)
    {
        Member &target = members[static_cast<size_t>(targetId)];
        if (!target.syncCapped)
            return;
        ++target.syncAcked;
        if (target.syncAcked < target.syncSent - target.syncSent / 8)
            return;
        if (!available.contains(targetId)) {
            target.syncCapped = false;
            return;
        }
        ++counters.continuedSyncs;
        syncTo(targetId);
    }

    // Frees room for `wanted` more entries by dropping those of the oldest sync targets
    // that acknowledged nothing of their last sync (never `except`, the current target).
    void makeRoom(int except, qsizetype wanted)
    {
        while (ackEntries + wanted > options.maxAcknowledgementEntries && !unconfirmed.empty()) {
            const int id = unconfirmed.front();
            unconfirmed.pop_front();
            if (id == except)
                continue;
            Member &m = members[static_cast<size_t>(id)];
            if (m.ackedSinceSync || m.awaiting.empty())
                continue; // it answered since, or was forgotten already
            forgetAcknowledgements(m, 0);
            ++counters.unacknowledgedSyncs;
        }
        // Stale entries (answered since) must not pile up either.
        if (unconfirmed.size() > members.size() * 2) {
            std::deque<int> live;
            for (const int id : unconfirmed) {
                const Member &m = members[static_cast<size_t>(id)];
                if (!m.ackedSinceSync && !m.awaiting.empty())
                    live.push_back(id);
            }
            unconfirmed.swap(live);
        }
    }

    void recordAck(int peer, int id, quint64 clock)
    {
        Member &target = members[static_cast<size_t>(peer)];
        const Member &m = members[static_cast<size_t>(id)];
        // Only an acknowledgement of something we sent it counts as an answer.
        const bool answer = m.local || target.awaiting.count(id) > 0;
        if (answer)
            target.ackedSinceSync = true;
        const qsizetype before = entriesOf(target);
        recordAckEntry(target, m, id, clock);
        ackEntries += entriesOf(target) - before;
        if (answer)
            continueSync(peer);
    }

    void recordAckEntry(Member &target, const Member &m, int id, quint64 clock)
    {
        if (m.local && m.seq > target.scannedSeq) {
            target.ackedUs = std::max(target.ackedUs, clock);
            return;
        }
        if (m.seq <= target.scannedSeq) {
            const auto awaiting = target.awaiting.find(id);
            if (awaiting == target.awaiting.end())
                return; // implied already: the highest acknowledged clock is kept
            if (clock >= m.clock)
                target.awaiting.erase(awaiting);
            else
                awaiting->second = std::max(awaiting->second, clock);
            return;
        }
        // Changed since the last sync: acknowledged() takes the higher of this and `awaiting`.
        // Bounded per peer like a sync: an acknowledgement dropped only costs a resend.
        const auto above = target.acksAbove.find(id);
        if (above != target.acksAbove.end())
            above->second = std::max(above->second, clock);
        else if (static_cast<qsizetype>(target.acksAbove.size()) < options.maxGossipPerSync
            && ackEntries < options.maxAcknowledgementEntries)
            target.acksAbove.emplace(id, clock);
    }

    void expireListeners(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        m.listenQueued = false;
        qint64 latest = -1;
        auto end = std::remove_if(m.listeners.begin(), m.listeners.end(),
            [this](const Listener &l) { return l.expiresMs < now; });
        m.listeners.erase(end, m.listeners.end());
        for (const Listener &l : m.listeners)
            latest = std::max(latest, l.expiresMs);
        if (latest >= 0) {
            m.listenQueued = true;
            pushTimer(latest + 1, id, TimerKind::Listen);
        }
    }

    void suspectTimer(int id)
    {
        Member &m = members[static_cast<size_t>(id)];
        m.suspectQueued = false;
        if (m.suspectDeadlineMs < 0)
            return;
        if (m.suspectDeadlineMs > now) {
            m.suspectQueued = true;
            pushTimer(m.suspectDeadlineMs, id, TimerKind::Suspect);
            return;
        }
        m.suspectDeadlineMs = -1;
        decide(id, MemberStatus::Offline);
    }

    // What a packet from member `source` asks of us (SWIM-PROTOCOL.md section 6).
    void handle(const Packet &packet, int source)
    {
        if (std::holds_alternative<Ping>(packet)) {
            send(source, Ack { localSource() });
        } else if (const auto *request = std::get_if<PingReq>(&packet)) {
            if (request->target == config.localName) {
                send(source, Ack { localSource() }); // we are the target: answer directly
                return;
            }
            const int target = obtain(request->target);
            if (target < 0)
                return;
            announce(target);
            send(target, Ping { localSource() });
            addListener(target, source);
        } else if (const auto *gossip = std::get_if<Gossip>(&packet)) {
            if (gossip->clock > maxClock) {
                ++counters.refusedClocks;
                return;
            }
            const int id = obtain(gossip->name);
            if (id < 0)
                return;
            const MemberStatus status = memberStatusFromWire(gossip->status);
            handleStatus(id, status);
            std::optional<Metadata> metadata;
            if (gossip->metadata)
                metadata = metadataFromWire(*gossip->metadata);
            update(id, source, gossip->clock, status, metadata ? &*metadata : nullptr);
            send(source, GossipAck { localSource(), gossip->name, gossip->clock });
        } else if (const auto *ack = std::get_if<GossipAck>(&packet)) {
            const int id = obtain(ack->name);
            if (id < 0)
                return;
            if (ack->clock > nextClock) {
                ++counters.refusedAcks; // a clock we never had, let alone sent
                return;
            }
            recordAck(source, id, ack->clock);
        }
    }

    qint64 earliestProbe(size_t *which) const
    {
        qint64 best = never;
        for (size_t i = 0; i < probes.size(); ++i) {
            if (probes[i].deadlineMs < best) {
                best = probes[i].deadlineMs;
                *which = i;
            }
        }
        return best;
    }

    qint64 nextDeadline() const
    {
        size_t which = 0;
        qint64 best = std::min({ nextProbeMs, nextSyncMs, earliestProbe(&which) });
        if (!timers.empty())
            best = std::min(best, timers.top().deadlineMs);
        return best;
    }

    static qint64 advance(qint64 deadline, qint64 interval, qint64 current)
    {
        const qint64 step = std::max(interval, qint64(1));
        deadline += step;
        return deadline <= current ? current + step : deadline;
    }

    void runDue()
    {
        // Due events in time order, so a late tick replays them as they would have run.
        for (;;) {
            size_t which = 0;
            const qint64 probeAt = earliestProbe(&which);
            const qint64 timerAt = timers.empty() ? never : timers.top().deadlineMs;
            const qint64 at = std::min({ probeAt, timerAt, nextProbeMs, nextSyncMs });
            if (at > now)
                return;
            if (at == probeAt) {
                probeDeadline(which);
            } else if (at == timerAt) {
                const Timer timer = timers.top();
                timers.pop();
                if (timer.kind == TimerKind::Suspect)
                    suspectTimer(timer.member);
                else
                    expireListeners(timer.member);
            } else if (at == nextProbeMs) {
                nextProbeMs = advance(nextProbeMs, config.timings.pingIntervalMs, now);
                startProbe();
            } else {
                nextSyncMs = advance(nextSyncMs, config.timings.syncIntervalMs, now);
                disseminate();
            }
        }
    }

    MemberRecord record(const Member &m) const
    {
        MemberRecord r;
        r.name = m.name;
        r.local = m.local;
        // Clock 0: no gossip about it yet, only its name (a peer, a packet's source). swim keeps
        // such a member OFFLINE; above the engine that reads UNKNOWN, never "down".
        r.status = m.clock == 0 && !m.local ? MemberStatus::Unknown : m.status;
        r.clock = m.clock;
        r.instanceId = m.local ? validity : m.validity;
        r.metadata = m.local ? std::optional<Metadata>(metadataFromWire(localWire)) : m.metadata;
        r.statusSince = timeFromMs(m.statusSinceMs);
        r.lastHeard = timeFromMs(m.lastHeardMs);
        r.probe = m.probe;
        r.lastProbe = timeFromMs(m.lastProbeMs);
        r.rttMicros = m.rttMicros;
        return r;
    }

    void setNow(qint64 ms, qint64 micros)
    {
        now = ms;
        nowMicros = micros;
    }
};

SwimEngine::SwimEngine(
    MemberConfig config, QByteArray validity, quint64 randomSeed, EngineOptions options)
    : d(std::make_unique<Private>(std::move(config), std::move(validity), randomSeed, options))
{
    d->localId = d->addMember(d->config.localName, true);
    d->reclassify(d->localId);
    for (const QString &peer : std::as_const(d->config.peers)) {
        if (d->find(peer) < 0) {
            const int id = d->addMember(peer, false);
            d->members[static_cast<size_t>(id)].configured = true;
            d->reclassify(id);
        }
    }
}

SwimEngine::~SwimEngine() = default;

void SwimEngine::start(qint64 nowMs, qint64 monotonicMicros)
{
    if (d->started)
        return;
    d->started = true;
    d->setNow(nowMs, monotonicMicros);
    for (size_t id = 0; id < d->members.size(); ++id) {
        d->members[id].statusSinceMs = nowMs;
        d->reclassify(static_cast<int>(id));
    }
    const Metadata metadata = metadataFromWire(d->localWire);
    d->update(d->localId, -1, d->nextClock, MemberStatus::Online, &metadata);
    // Before the first Ping (the first tick): a peer that learnt us from a Ping would
    // hold us OFFLINE at clock 0 until our first sync reaches it, and pymap reports
    // itself unhealthy meanwhile.
    for (const QString &peer : std::as_const(d->config.peers))
        d->announce(d->find(peer));
    d->nextProbeMs = nowMs;
    d->nextSyncMs = nowMs;
}

bool SwimEngine::isStarted() const
{
    return d->started;
}

void SwimEngine::receive(const Packet &packet, qint64 nowMs, qint64 monotonicMicros)
{
    start(nowMs, monotonicMicros);
    d->setNow(nowMs, monotonicMicros);
    const bool known = d->find(packetSource(packet).name) >= 0;
    const int source = d->learnSource(packetSource(packet));
    if (source >= 0 && !known)
        d->members[static_cast<size_t>(source)].newcomer = true;
    if (source < 0) {
        // The member table is full (maxMembers): a Ping is still answered, so that a genuine
        // newcomer sees us alive while the table is under attack (issue 14, finding 3); it is
        // not remembered. A name in no canonical form gets nothing.
        const QString &name = packetSource(packet).name;
        if (std::holds_alternative<Ping>(packet) && name != d->config.localName
            && net::isCanonicalMemberName(name))
            d->outgoing.append(Outgoing { name, Ack { d->localSource() } });
        return;
    }
    if (source != d->localId) {
        d->heardFrom(source);
        d->mark(source, MemberChangeFlag::Heard);
    }
    // Any packet from it answers our probes and those we run for others.
    d->answerProbes(source);
    d->forwardAcks(source);
    d->handle(packet, source);
    // Then our own record, if it has not acknowledged it: a member that learnt us from
    // others' probes or relays may hold a version of us that only we can replace.
    d->announce(source);
    d->syncNewcomer(source);
}

void SwimEngine::tick(qint64 nowMs, qint64 monotonicMicros)
{
    start(nowMs, monotonicMicros);
    d->setNow(nowMs, monotonicMicros);
    d->runDue();
}

qint64 SwimEngine::nextDeadlineMs() const
{
    return d->started ? d->nextDeadline() : 0;
}

void SwimEngine::setLocalMetadata(const WireMetadata &metadata, qint64 nowMs)
{
    start(nowMs);
    d->setNow(nowMs, -1);
    d->localWire = uniqueKeys(metadata);
    const Metadata map = metadataFromWire(metadata);
    const auto &local = d->members[static_cast<size_t>(d->localId)];
    if (d->nextClock <= local.clock && local.metadata != map)
        ++d->counters.clockExhausted; // no newer clock left: the edit cannot spread
    d->update(d->localId, -1, d->nextClock, std::nullopt, &map);
}

QList<Outgoing> SwimEngine::takeOutgoing()
{
    return std::exchange(d->outgoing, {});
}

bool SwimEngine::hasOutgoing() const
{
    return !d->outgoing.isEmpty();
}

QList<MemberChange> SwimEngine::takeChanges()
{
    QList<MemberChange> result;
    result.reserve(d->removed.size() + d->changed.size());
    // Evictions first: a slot may already hold another member, reported below.
    for (const QString &name : std::as_const(d->removed)) {
        MemberRecord gone;
        gone.name = name;
        result.append(MemberChange { gone, MemberChangeFlag::Removed, false });
    }
    d->removed.clear();
    for (int id : std::as_const(d->changed)) {
        auto &m = d->members[static_cast<size_t>(id)];
        if (m.dead || !m.pending)
            continue; // evicted, or listed again after its slot was reused
        result.append(MemberChange { d->record(m), m.pending, d->ownView(m) });
        m.pending = {};
    }
    d->changed.clear();
    return result;
}

bool SwimEngine::hasChanges() const
{
    return !d->changed.isEmpty() || !d->removed.isEmpty();
}

QString SwimEngine::localName() const
{
    return d->config.localName;
}

Source SwimEngine::localSource() const
{
    return d->localSource();
}

Role SwimEngine::role() const
{
    return d->config.role;
}

std::optional<MemberRecord> SwimEngine::member(const QString &name) const
{
    const int id = d->find(name);
    if (id < 0)
        return std::nullopt;
    return d->record(d->members[static_cast<size_t>(id)]);
}

QList<MemberRecord> SwimEngine::members() const
{
    QList<MemberRecord> result;
    result.reserve(static_cast<qsizetype>(d->members.size()));
    for (const auto &m : d->members) {
        if (!m.dead)
            result.append(d->record(m));
    }
    return result;
}

qsizetype SwimEngine::memberCount() const
{
    return static_cast<qsizetype>(d->members.size() - d->freeSlots.size());
}

qint64 SwimEngine::storedBytes() const
{
    return d->storedBytes;
}

bool SwimEngine::isLocalVerdict(const QString &name) const
{
    const int id = d->find(name);
    return id >= 0 && d->ownView(d->members[static_cast<size_t>(id)]);
}

quint64 SwimEngine::nextClock() const
{
    return d->nextClock;
}

quint64 SwimEngine::acknowledgedClock(const QString &peer, const QString &member) const
{
    const int peerId = d->find(peer);
    const int id = d->find(member);
    if (peerId < 0 || id < 0)
        return 0;
    return d->acknowledged(d->members[static_cast<size_t>(peerId)], id);
}

const EngineCounters &SwimEngine::counters() const
{
    return d->counters;
}

qsizetype SwimEngine::acknowledgementEntries() const
{
    size_t entries = 0;
    for (const auto &m : d->members)
        entries += m.awaiting.size() + m.acksAbove.size();
    return static_cast<qsizetype>(entries);
}

void SwimEngine::preload(const Gossip &ownRecord, qint64 nowMs)
{
    start(nowMs);
    d->setNow(nowMs, -1);
    if (ownRecord.source.name != ownRecord.name || ownRecord.name == d->config.localName
        || ownRecord.clock > maxClock)
        return;
    const int id = d->learnSource(ownRecord.source);
    if (id < 0)
        return;
    d->heardFrom(id);
    const MemberStatus status = memberStatusFromWire(ownRecord.status);
    d->handleStatus(id, status);
    std::optional<Metadata> metadata;
    if (ownRecord.metadata)
        metadata = metadataFromWire(*ownRecord.metadata);
    d->update(id, id, ownRecord.clock, status, metadata ? &*metadata : nullptr);
}

void SwimEngine::assumeAcknowledged(const QString &peer)
{
    const int id = d->find(peer);
    if (id < 0)
        return;
    d->forgetAcknowledgements(d->members[static_cast<size_t>(id)], d->seqCounter);
}

} // namespace shoal::swim
