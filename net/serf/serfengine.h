// A Serf 0.9.4 / memberlist 0.2.2 member as a pure state machine, modelled on
// swim::SwimEngine: decoded messages, stream answers and time go in; messages
// to send, stream requests, member changes and Serf events come out. No
// sockets, no timers of its own, no QObject; time and randomness are injected.
// The codec (memberlist.h) turns its messages into datagrams and streams.
#pragma once

#include "model/member.h"
#include "net/serf/crypto.h"
#include "net/serf/memberlist.h"
#include "net/serf/serfmessages.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace shoal::serf {

enum class EngineRole : quint8 {
    // Answers everything, relays alive and Serf messages, never probes, never
    // originates or relays suspect/dead, pushes only itself (MEMBERLIST-SERF.md 8.2).
    Observer,
    // Probes, suspects, confirms and declares dead like a Serf agent (8.3).
    Member,
};

// Serf's member status (serf.go:127-181); None is never listed.
enum class SerfStatus : quint8 { None = 0, Alive = 1, Leaving = 2, Left = 3, Failed = 4 };
QString serfStatusName(SerfStatus status); // "alive", "leaving", "left", "failed", "none"

// memberlist LAN defaults and Serf agent defaults (6.7, 7.10).
struct SerfEngineConfig
{
    QString name;
    QByteArray addr; // 4 (IPv4) or 16 (IPv6) bytes: what we advertise
    quint16 port = 7946;
    Metadata tags;
    EngineRole role = EngineRole::Observer;
    bool encrypted = false; // only for the UDP budget (29 bytes of overhead)
    QByteArray vsn = defaultVsn();

    qint64 probeIntervalMs = 1000;
    qint64 probeTimeoutMs = 500;
    int indirectChecks = 3;
    int suspicionMult = 4;
    int suspicionMaxTimeoutMult = 6;
    int retransmitMult = 4;
    qint64 gossipIntervalMs = 200;
    int gossipNodes = 3;
    qint64 gossipToTheDeadMs = 30000;
    qint64 pushPullIntervalMs = 30000;
    // Observer only: its own pull of the whole state (scaled above 32 nodes like push/pull);
    // it relays no verdict, so it cannot count on gossip alone. 0: never.
    qint64 observerPullIntervalMs = 1000;
    int awarenessMaxMultiplier = 8;
    qsizetype udpBufferSize = 1400;
    qint64 tcpTimeoutMs = 10000;
    qint64 broadcastTimeoutMs = 5000; // leave waits
    qint64 leavePropagateDelayMs = 1000;
    qint64 reapIntervalMs = 15000;
    qint64 reconnectTimeoutMs = 24LL * 3600 * 1000;
    qint64 tombstoneTimeoutMs = 24LL * 3600 * 1000;
    qint64 recentIntentTimeoutMs = 5 * 60 * 1000;
    qsizetype maxMembers = 100000; // nodes untrusted input may create
};

// Where a message goes: an address and port, and the node name when known.
struct Endpoint
{
    QByteArray addr;
    quint16 port = 0;
    bool operator==(const Endpoint &o) const { return addr == o.addr && port == o.port; }
};

// One datagram to build: the messages (each type byte + body) go alone or as
// a compound; crc says whether to add the hasCrc wrapper (target pMax >= 5).
struct OutgoingPacket
{
    Endpoint to;
    QString node; // empty when sent to an address only
    QList<QByteArray> messages;
    bool crc = false;
};

// A TCP exchange the host must run: connect, send `message`, read one answer,
// and report it with streamAnswered() or streamFailed() by `deadlineMs`.
struct StreamRequest
{
    enum class Kind : quint8 { PushPull, Ping };
    quint64 id = 0;
    Kind kind = Kind::PushPull;
    Endpoint to;
    QString node;
    StreamMessage message;
    qint64 deadlineMs = 0;
};

// One member as this engine knows it: memberlist's view and Serf's.
struct SerfMember
{
    QString name;
    bool local = false;
    QByteArray addr;
    quint16 port = 0;
    std::optional<QByteArray> meta;
    Metadata tags;
    QByteArray vsn;
    quint32 incarnation = 0;
    NodeState state = NodeState::Dead; // memberlist's
    SerfStatus status = SerfStatus::None; // Serf's
    quint64 statusLTime = 0;
    qint64 stateSinceMs = 0;
    // What `serf members` would show, plus memberlist's suspect (invisible in Serf).
    QString protocolStatus() const;
    // The protocol-neutral record: alive -> Online, suspect -> Suspect,
    // failed/dead -> Offline, leaving -> Leaving, left -> Left; protocolStatus()
    // as the record's protocolStatus.
    MemberRecord record() const;
};

struct SerfMemberChange
{
    SerfMember member;
    bool added = false; // first report of this member
};

// What Serf delivers to its application: user events, queries, and the
// member events it derives (join, leave, failed, update, reap).
struct SerfEvent
{
    enum class Kind : quint8 {
        User,
        Query,
        MemberJoin,
        MemberLeave,
        MemberFailed,
        MemberUpdate,
        MemberReap
    };
    Kind kind = Kind::User;
    QString name; // event/query name, or the member's name
    std::optional<QByteArray> payload;
    quint64 ltime = 0;
    bool coalesce = false;
    // Queries: what respondToQuery() needs.
    quint32 queryId = 0;
    QString sourceNode;
    qint64 deadlineMs = 0;
};

struct SerfEngineCounters
{
    quint64 refusedMessages = 0; // undecodable Serf messages, bad Vsn, unknown types
    quint64 refusedMembers = 0; // beyond maxMembers
    quint64 refutations = 0;
    quint64 probes = 0;
    quint64 suspicionsOriginated = 0; // by our own probes or timers (observer: always 0)
    quint64 pingsAnswered = 0;
    quint64 indirectPingsRelayed = 0;
    quint64 droppedBroadcasts = 0; // observer: suspect/dead not relayed
};

class SerfEngine final
{
public:
    // randomSeed drives every random choice (targets, stagger, query ids), so
    // a run is repeatable; the keyring is the one key queries act on.
    SerfEngine(SerfEngineConfig config, quint64 randomSeed, Keyring keyring = {});
    ~SerfEngine();
    SerfEngine(const SerfEngine &) = delete;
    SerfEngine &operator=(const SerfEngine &) = delete;

    // Time is milliseconds (wall clock in real use, virtual in tests).
    void start(qint64 nowMs);
    // Push/pull with Join = true to a seed (8.1 step 2); the answer arrives
    // through streamAnswered(), and a join intent is queued once it merged.
    void join(const Endpoint &seed, qint64 nowMs);
    // Starts as if long converged (serve's large clusters, as swim's LocalCluster preJoin):
    // merges `state` as a join answer, then drops the broadcasts a join would spread, so that
    // a thousand members in one process begin settled instead of in a join storm.
    void preload(const PushPull &state, qint64 nowMs);

    // One decoded datagram (all its messages) from `from`.
    void receive(const QList<Message> &messages, const Endpoint &from, qint64 nowMs);
    // An incoming stream's request; returns the answer to write back, if any.
    std::optional<StreamMessage> handleStream(const StreamMessage &request, qint64 nowMs);
    void streamAnswered(quint64 id, const StreamMessage &answer, qint64 nowMs);
    void streamFailed(quint64 id, qint64 nowMs);

    void tick(qint64 nowMs);
    qint64 nextDeadlineMs() const;

    // New tags: alive with incarnation + 1 (7.3). False if Meta would exceed 512 bytes.
    bool setTags(const Metadata &tags, qint64 nowMs);
    // A user event of ours (7.5), broadcast.
    void sendUserEvent(const QString &name, const QByteArray &payload, bool coalesce, qint64 nowMs);
    // The response to a query delivered as a SerfEvent (one per query, before
    // its deadline, payload <= 1024 bytes as Serf's QueryResponseSizeLimit).
    bool respondToQuery(quint32 queryId, quint64 ltime, const QByteArray &payload, qint64 nowMs);
    // Graceful leave (8.4): leave intent, dead-from-self, 1 s of answers, then hasLeft().
    void leave(qint64 nowMs);
    bool isLeaving() const;
    bool hasLeft() const;
    // The join answer listed our name at another address: the name belongs to
    // another member (its agents refuse our alive); the host should stop and say so.
    bool nameInUse() const;

    QList<OutgoingPacket> takeOutgoing();
    QList<StreamRequest> takeStreamRequests();
    QList<SerfMemberChange> takeChanges();
    QList<SerfEvent> takeEvents();

    QString localName() const;
    EngineRole role() const;
    std::optional<SerfMember> member(const QString &name) const;
    QList<SerfMember> members() const; // local first, then by name
    const Keyring &keyring() const; // after key queries, what the codec must use
    quint32 incarnation() const;
    quint64 memberClock() const;
    quint64 eventClock() const;
    quint64 queryClock() const;
    int healthScore() const; // Lifeguard awareness, 0..awarenessMaxMultiplier-1
    const SerfEngineCounters &counters() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace shoal::serf
