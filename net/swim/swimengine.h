// The swim-protocol 0.6.3 member state machine (SWIM-PROTOCOL.md sections 5
// and 6) as a pure value: packets and time go in, packets to send and member
// changes come out. No sockets, no timers of its own, no QObject.
#pragma once

#include "model/member.h"
#include "net/swim/packet.h"
#include "net/swim/swimconfig.h"

#include <QFlags>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace shoal::swim {

// How the member probed every ping_interval is chosen.
enum class ProbeOrder : quint8 {
    // A fresh uniform pick among all non-local members each time (the reference).
    Random,
    // Every non-local member once per round in a random order, reshuffled each
    // round, new members inserted at a random place (the SWIM paper, 4.3):
    // same expected first detection, bounded worst case.
    ShuffledRoundRobin,
};

// Settings of the engine itself, beyond the protocol's MemberConfig.
struct EngineOptions
{
    ProbeOrder probeOrder = ProbeOrder::ShuffledRoundRobin;
    // Members that packets may create (sources, gossip names, ping-req targets,
    // acknowledged names); beyond it such packets are dropped and counted.
    // Configured peers and the local member do not count against it.
    qsizetype maxMembers = 100000;
    // Requesters remembered per ping-req target (the reference keeps all).
    qsizetype maxPingReqListeners = 16;
    // Gossip about our own member with a clock at or above next_clock moves
    // next_clock past it, so that a refutation (and any later edit) outranks
    // every version of us in circulation and spreads member to member. The
    // reference leaves next_clock alone: after a restart its refutation is
    // usually below the clock of the OFFLINE verdict about it, and reaches
    // the others only by its own syncs, one peer at a time. Gossip about us
    // that disagrees at our own clock (a collision) is refuted too.
    bool clockAboveGossipAboutUs = true;
    // Our own record goes straight to the members that have not acknowledged its
    // current clock, without waiting for them to be a sync target: to every configured
    // peer at start() (before the first Ping, so that no peer ever creates us OFFLINE
    // from a bare Ping), before a Ping or PingReq we send to such a member, and after
    // a packet from one (at most once per member and local clock per ping_interval or
    // sync_interval, the shorter: every probe of such a member carries it).
    // A member that made up a higher version of us (its probe verdict, metadata
    // unknown) takes our metadata then: gossip about its sender is always applied.
    // Off: exactly the reference's packets, for simulating pymap members.
    bool directAnnouncements = true;
    // Gossip bookkeeping (issue 14, finding 1): records one sync sends (and keeps awaiting
    // a GossipAck for) at most; the rest follow as soon as the target acknowledged nearly
    // all of that part (so a large cluster still reaches a new member in a few round
    // trips). A target that acknowledged nothing of its last sync forgets what it was sent
    // and gets only our own record until it answers.
    qsizetype maxGossipPerSync = 512;
    // A member we hear from for the first time (once its own record made it available)
    // gets a sync at once instead of waiting to be a random sync target: a new member of N
    // learns the cluster from its first contact within round trips, not after its record
    // spread to about all N and one of them picked it (about 1/N per member and sync).
    // At most one such sync per 100 ms. Needs directAnnouncements. Off by default in the
    // engine (the simulations and packet-level tests model periodic syncs only); the live
    // service turns it on (ServiceConfig::engine).
    bool syncToNewcomers = false;
    // Entries (awaiting + acknowledgements above, see acknowledgementEntries()) over all
    // peers; when full, the targets that acknowledged nothing of their last sync lose
    // theirs first, oldest first.
    qsizetype maxAcknowledgementEntries = 65536;
    // Packets may introduce only members whose name is the one canonical spelling of an
    // address and port (net::isCanonicalMemberName): `127.000.0.1:7`, `127.1:7`,
    // `[127.0.0.1]:7` or `Host:7` are refused and counted (refusedNames).
    bool canonicalNames = true;
    // A member's gossip about itself with a clock below one it sent us earlier (same
    // validity) is a replay: its own clock only grows. Refused and counted (replays).
    // The reference applies it (and rolls the metadata back).
    bool refuseReplays = true;
    // What the member table may hold, in bytes as estimated by the engine (names, metadata
    // keys and values, a fixed per-member bookkeeping cost; issue 14, finding 3). Over it, a
    // new member or a larger metadata first evicts OFFLINE members never heard from directly,
    // oldest first; a new member whose own packet reaches us may then evict OFFLINE members
    // heard directly, oldest first, then ones only gossiped about (any status), so that gossip
    // alone never pushes out a member heard directly. Configured peers and
    // the local member are never evicted. With nothing to evict, the new member or metadata
    // is refused and counted (refusedForMemory). A Ping is answered whatever the table holds.
    qint64 memoryBudgetBytes = qint64(256) << 20;
};

enum class MemberChangeFlag : quint16 {
    Added = 0x001, // first time this member is reported
    Status = 0x002,
    Metadata = 0x004, // includes unknown -> known
    Clock = 0x008,
    Incarnation = 0x010, // validity learnt or changed
    Restarted = 0x020, // validity changed from a known one: the process restarted
    Probe = 0x040, // probe, lastProbe or rttMicros changed (our own probe ended)
    Heard = 0x080, // only lastHeard moved (a packet came from it)
    LocalVerdict = 0x100, // whether the current version was authored here changed
    // Evicted to stay within EngineOptions::memoryBudgetBytes: the name is gone from the
    // table (only MemberRecord::name is meaningful; no other flag comes with it).
    Removed = 0x200,
};
Q_DECLARE_FLAGS(MemberChangeFlags, MemberChangeFlag)

// One member's state after a batch of events, with what moved since the last
// batch it was reported in (flags of several events are merged).
struct MemberChange
{
    MemberRecord member;
    MemberChangeFlags what;
    // The record's current version is this engine's own view of another member,
    // not a version heard from the cluster: its clock comes from our own decision
    // (probe verdict or suspect timeout), or, for an observer, the status or
    // metadata differs from every gossip heard at that clock (the transition rule
    // turned SUSPECT into OFFLINE, ONLINE into SUSPECT; a member's own record
    // applied under a clock it did not send). An observer never gossips such a version.
    bool localVerdict = false;
};

// Work to hand to the transport: one packet for one member.
struct Outgoing
{
    QString to; // member name, host:port
    Packet packet;
};

// Defensive counters: what untrusted input was refused and why.
struct EngineCounters
{
    quint64 refusedMembers = 0; // would have created a member beyond maxMembers
    quint64 refusedNames = 0; // would have created a member under a non-canonical name
    // A new member or new metadata over memoryBudgetBytes with nothing left to evict.
    quint64 refusedForMemory = 0;
    quint64 evictedMembers = 0; // removed to stay within memoryBudgetBytes
    quint64 replays = 0; // a member's own gossip below a clock it sent earlier: refused
    quint64 refusedClocks = 0; // gossip clock beyond 2^63 - 1 (could overflow next_clock)
    quint64 refusedAcks = 0; // GossipAck clock above next_clock: never sent by us
    quint64 refutations = 0; // gossip about us that we contradicted with a new clock
    // Our own clock reached 2^63 - 1 (next_clock never goes past it): gossip about us we
    // could not refute, local edits that could not take a newer clock.
    quint64 clockExhausted = 0;
    // Observer: records (metadata known) left out of a sync because they are our own
    // view (see MemberChange::localVerdict), once per record version and sync target.
    quint64 suppressedVerdicts = 0;
    // Syncs whose target acknowledged nothing: its bookkeeping was dropped (see
    // EngineOptions::maxGossipPerSync), or dropped to make room.
    quint64 unacknowledgedSyncs = 0;
    // Capped syncs whose next part went at once because the target acknowledged the last
    // (see EngineOptions::maxGossipPerSync).
    quint64 continuedSyncs = 0;
    quint64 newcomerSyncs = 0; // see EngineOptions::syncToNewcomers
    // A gauge, filled by SwimService::engineCounters(): see acknowledgementEntries().
    quint64 acknowledgementEntries = 0;
};

// Where it knowingly differs from the reference (swim-protocol 0.6.3) (nothing a peer can see
// on the wire as wrong): no suspect timer for our own member (the reference
// would time itself out to SUSPECT); a ping-req is never sent to the probed
// member itself (the reference's find() may pick it); a PingReq naming us is
// answered with our Ack directly (the reference pings itself); a ping-req
// relay is forgotten after ping_req_timeout; a GossipAck above next_clock is
// ignored (the reference asserts) and the highest acknowledged clock is kept
// (section 5); gossip clocks above 2^63 - 1 and members beyond maxMembers are
// refused and counted; gossip about us moves next_clock past its clock
// (EngineOptions::clockAboveGossipAboutUs), so a refutation outranks the
// suspicion everywhere, and gossip about us with unknown metadata at or above
// our clock is refuted like a disagreeing one; acknowledgements are remembered
// only for gossip in flight (see disseminate), not per pair of members; our own
// record is sent directly to members that have not acknowledged it
// (EngineOptions::directAnnouncements: at start() to the configured peers, with
// our Pings and PingReqs and in answer to their packets), which adds Gossip
// packets a reference member would not send but nothing it does not accept.
// Observer only: a member we hold at clock 0 (no version heard yet) takes a
// gossiped status as is (SUSPECT stays SUSPECT, with its suspect timer), where
// the reference keeps OFFLINE; and a version is gossiped only if some gossip
// heard carried exactly its clock and status (and its metadata, or none at
// all), never one we derived or decided (see MemberChange::localVerdict).
// Reference behaviours kept on purpose, with their consequences: OFFLINE gossip
// cancels a suspect timer while turning ONLINE into SUSPECT, so a member can
// stay SUSPECT until its own probe fails again. An observer's own verdict takes
// a clock that hides lower-clocked gossip about that member, as for a
// participant, until the member itself or a newer clock tells otherwise.
class SwimEngine final
{
public:
    // validity: this process's 8 random bytes (Source.validity); randomSeed
    // drives every random choice, so a run is repeatable. The configured peers
    // are added (OFFLINE, metadata unknown) right away; start() then makes the
    // local member ONLINE with the configured metadata (clock 1).
    SwimEngine(
        MemberConfig config, QByteArray validity, quint64 randomSeed, EngineOptions options = {});
    ~SwimEngine();
    SwimEngine(const SwimEngine &) = delete;
    SwimEngine &operator=(const SwimEngine &) = delete;

    // Time is milliseconds since the epoch: wall clock in real use (records'
    // timestamps come from it), virtual in tests. It should not go backwards;
    // if it does, timers fire late but nothing breaks.
    // monotonicMicros (optional, any origin, -1 = none) only refines the round
    // trip times of probes beyond the millisecond resolution of nowMs; give it
    // to start(), tick() and receive() alike or to none of them.

    // Makes the local member ONLINE, queues our record for every configured
    // peer (EngineOptions::directAnnouncements) and schedules the first probe
    // and sync now. receive()/tick() call it themselves if it was not called.
    void start(qint64 nowMs, qint64 monotonicMicros = -1);
    bool isStarted() const;

    // One decoded packet from the network (any source; nothing is trusted).
    void receive(const Packet &packet, qint64 nowMs, qint64 monotonicMicros = -1);
    // Runs every timer due at nowMs: probes, ping-req, suspect timeouts, sync.
    void tick(qint64 nowMs, qint64 monotonicMicros = -1);
    // When tick() must next be called (absolute ms); never earlier than needed.
    qint64 nextDeadlineMs() const;

    // Replaces the local metadata (new clock if it differs); gossiped from then on.
    void setLocalMetadata(const WireMetadata &metadata, qint64 nowMs);

    // Packets to send, in order; the queue is emptied.
    QList<Outgoing> takeOutgoing();
    bool hasOutgoing() const;
    // One entry per member that changed since the last call (the local member
    // included), in the order they first changed; the queue is emptied.
    QList<MemberChange> takeChanges();
    bool hasChanges() const;

    // Queries (O(1) except members()).
    QString localName() const;
    Source localSource() const;
    Role role() const;
    std::optional<MemberRecord> member(const QString &name) const; // nullopt if unknown
    QList<MemberRecord> members() const; // local first, then in order of discovery
    qsizetype memberCount() const;
    bool isLocalVerdict(const QString &name) const; // see MemberChange::localVerdict
    quint64 nextClock() const;
    // Highest clock of `member` that `peer` acknowledged (GossipAck) as far as
    // it still matters: equal to (or above) the member's current clock once
    // the peer has its current version, lower (0 if none) until then. Lets a
    // UI show how far a local edit has spread. Forgotten when the peer restarts.
    // A record this engine does not gossip (unknown metadata, an observer's own
    // view) counts as acknowledged once a dissemination to the peer passed it.
    quint64 acknowledgedClock(const QString &peer, const QString &member) const;
    const EngineCounters &counters() const;
    // Gossip bookkeeping held for all peers: records sent and not yet
    // acknowledged, plus acknowledgements of records changed since. It follows
    // the gossip in flight, not the number of member pairs.
    qsizetype acknowledgementEntries() const;
    // What the member table holds as counted against EngineOptions::memoryBudgetBytes.
    qint64 storedBytes() const;

    // Simulation support: learn a member's own record (gossip whose source is the member
    // it names) as if heard from it long ago, queueing nothing: no GossipAck, no
    // announcement of our record, no newcomer sync. LocalCluster preloads every member
    // with all the others this way; through receive() the 10^6 pairs of a 1,000-member
    // preload sent 2x10^6 datagrams that the one thread then read for seconds.
    void preload(const Gossip &ownRecord, qint64 nowMs);
    // Simulation support: treat `peer` as having acknowledged the current
    // version of every member, as after a long quiet period. Lets a benchmark
    // start a large cluster converged instead of paying the start-up gossip.
    void assumeAcknowledged(const QString &peer);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// WireStatus <-> MemberStatus (the wire never carries aggregates).
MemberStatus memberStatusFromWire(WireStatus status);
WireStatus wireStatusFromMember(MemberStatus status);
// Metadata in a canonical form (QMap) and back (key order).
Metadata metadataFromWire(const WireMetadata &metadata);
WireMetadata metadataToWire(const Metadata &metadata);

} // namespace shoal::swim

Q_DECLARE_OPERATORS_FOR_FLAGS(shoal::swim::MemberChangeFlags)
