// Rule-by-rule tests of the SWIM member engine (SWIM-PROTOCOL.md sections 5 and 6).
#include "net/swim/swimengine.h"

#include <QTest>

using namespace shoal;
using namespace shoal::swim;

namespace {

const QString localName = QStringLiteral("127.0.0.1:22001");
const QString nameA = QStringLiteral("127.0.0.1:22002");
const QString nameB = QStringLiteral("127.0.0.1:22003");
const QString nameC = QStringLiteral("127.0.0.1:22004");
const QByteArray localValidity = QByteArrayLiteral("LLLLLLLL");
const QByteArray validityA = QByteArrayLiteral("AAAAAAAA");
const QByteArray validityB = QByteArrayLiteral("BBBBBBBB");
const QByteArray validityC = QByteArrayLiteral("CCCCCCCC");
constexpr qint64 t0 = 1'700'000'000'000;

Source sourceA()
{
    return { nameA, validityA };
}
Source sourceB()
{
    return { nameB, validityB };
}

WireMetadata wire(std::initializer_list<std::pair<const char *, const char *>> items)
{
    WireMetadata result;
    for (const auto &[k, v] : items)
        result.append({ QString::fromUtf8(k), QByteArray(v) });
    return result;
}

MemberConfig config(QStringList peers, Role role = Role::Participant)
{
    MemberConfig c;
    c.localName = localName;
    c.peers = std::move(peers);
    c.localMetadata = wire({ { "role", "test" } });
    c.role = role;
    return c;
}

Gossip gossip(const Source &from, const QString &name, quint64 clock, WireStatus status,
    std::optional<WireMetadata> metadata = std::nullopt)
{
    return Gossip { from, name, clock, status, std::move(metadata) };
}

template<class T> QList<std::pair<QString, T>> sent(const QList<Outgoing> &outgoing)
{
    QList<std::pair<QString, T>> result;
    for (const auto &o : outgoing) {
        if (const auto *p = std::get_if<T>(&o.packet))
            result.append({ o.to, *p });
    }
    return result;
}

// Makes `name` ONLINE with known metadata, as its own gossip does.
void introduce(SwimEngine &engine, const Source &source, qint64 now, quint64 clock = 1)
{
    engine.receive(
        gossip(source, source.name, clock, WireStatus::Online, wire({ { "k", "v" } })), now);
}

} // namespace

class TestSwimEngine : public QObject
{
    Q_OBJECT

private slots:
    void startUp();
    void pingIsAcked();
    void gossipIsAppliedAndAcked();
    void oldClockIgnoredUnlessAboutSender();
    void statusTransitions();
    void metadataUnknownDiffersFromEmpty();
    void refutation();
    void refutationOutranksTheSuspicion();
    void restartForgetsAcknowledgements();
    void gossipAckBookkeeping();
    void disseminationSendsOnlyWhatIsNeeded();
    void probeTimeoutPingReqThenSuspectThenOffline();
    void probeAnsweredRecordsFacts();
    void pingReqForwardsAckWithTargetSource();
    void suspectGossipStartsAndOnlineCancelsTimer();
    void observerNeverGossipsItsOwnVerdict();
    void observerRelaysWhatItLearnt();
    void observerTakesMetadataHiddenByItsOwnVerdict();
    void observerRelaysOnlyVersionsItHeard();
    void observerTakesTheStatusOfAMemberItHadNoVersionOf();
    void ownRecordAnnouncedToPeersBeforeTheFirstPing();
    void ownRecordAnnouncedToMembersThatLackIt();
    void ownRecordResentWithEveryProbeUntilAcknowledged();
    void ownRecordWinsOverAHigherVersionOfUs();
    void versionOfUsWithoutMetadataIsRefuted();
    void memberCap();
    void gossipBookkeepingIsBounded();
    void cappedSyncContinuesOnceAcknowledged();
    void newcomerSyncedAtOnce();
    void preloadQueuesNothing();
    void aliasNamesRefused();
    void memoryBudgetEvictsOfflineFirst();
    void memoryBudgetAdmitsAMemberHeardDirectly();
    void memoryBudgetAdmitsAMemberHeardDirectly_data();
    void hostileClocksRefused();
    void shuffledRoundRobinProbesEveryMember();
    void changesAreCoalesced();
    void localMetadataKeysAreUnique();
};

void TestSwimEngine::startUp()
{
    SwimEngine engine(config({ nameA, nameB }), localValidity, 1);
    QCOMPARE(engine.memberCount(), 3);
    engine.start(t0);
    const auto local = engine.member(localName);
    QVERIFY(local);
    QVERIFY(local->local);
    QCOMPARE(local->status, MemberStatus::Online);
    QCOMPARE(local->clock, quint64(1));
    QCOMPARE(local->metadata, Metadata({ { QStringLiteral("role"), QByteArray("test") } }));
    QCOMPARE(local->instanceId, localValidity);
    QCOMPARE(engine.nextClock(), quint64(2));
    const auto a = engine.member(nameA);
    QVERIFY(a);
    QCOMPARE(a->status, MemberStatus::Unknown); // clock 0: never given a status
    QVERIFY(!a->metadata.has_value());
    QCOMPARE(a->clock, quint64(0));
    const auto changes = engine.takeChanges();
    QCOMPARE(changes.size(), 3);
    for (const auto &c : changes)
        QVERIFY(c.what.testFlag(MemberChangeFlag::Added));
    QVERIFY(!engine.member(nameC));
    QCOMPARE(engine.nextDeadlineMs(), t0);
}

void TestSwimEngine::pingIsAcked()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.receive(Ping { sourceA() }, t0 + 5);
    const auto acks = sent<Ack>(engine.takeOutgoing());
    QCOMPARE(acks.size(), 1);
    QCOMPARE(acks[0].first, nameA);
    QCOMPARE(acks[0].second.source, engine.localSource());
    const auto a = engine.member(nameA);
    QVERIFY(a);
    QCOMPARE(a->instanceId, validityA);
    QCOMPARE(a->lastHeard.toMSecsSinceEpoch(), t0 + 5);
    QCOMPARE(a->status, MemberStatus::Unknown); // a ping alone is no status
}

void TestSwimEngine::gossipIsAppliedAndAcked()
{
    SwimEngine engine(config({ nameA }), localValidity, 1);
    engine.start(t0);
    engine.takeChanges();
    engine.receive(gossip(sourceA(), nameB, 5, WireStatus::Online, wire({ { "x", "1" } })), t0);
    const auto b = engine.member(nameB);
    QVERIFY(b);
    QCOMPARE(b->status, MemberStatus::Online);
    QCOMPARE(b->clock, quint64(5));
    QCOMPARE(b->metadata, Metadata({ { QStringLiteral("x"), QByteArray("1") } }));
    QCOMPARE(engine.nextClock(), quint64(6));
    const auto acks = sent<GossipAck>(engine.takeOutgoing());
    QCOMPARE(acks.size(), 1);
    QCOMPARE(acks[0].first, nameA);
    QCOMPARE(acks[0].second, (GossipAck { engine.localSource(), nameB, 5 }));
    bool sawB = false;
    for (const auto &c : engine.takeChanges()) {
        if (c.member.name == nameB) {
            sawB = true;
            QVERIFY(c.what.testFlag(MemberChangeFlag::Status));
            QVERIFY(c.what.testFlag(MemberChangeFlag::Metadata));
            QVERIFY(c.what.testFlag(MemberChangeFlag::Clock));
            QVERIFY(!c.localVerdict);
        }
    }
    QVERIFY(sawB);
    // A local decision now uses next_clock (6), above every clock.
    engine.setLocalMetadata(wire({ { "role", "edited" } }), t0 + 1);
    QCOMPARE(engine.member(localName)->clock, quint64(6));
    QCOMPARE(engine.nextClock(), quint64(7));
    // An identical edit is no change.
    engine.setLocalMetadata(wire({ { "role", "edited" } }), t0 + 2);
    QCOMPARE(engine.member(localName)->clock, quint64(6));
}

void TestSwimEngine::oldClockIgnoredUnlessAboutSender()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.receive(gossip(sourceA(), nameB, 10, WireStatus::Online, wire({ { "x", "1" } })), t0);
    // From A about B, older clock: nothing changes (but it is acknowledged).
    engine.takeOutgoing();
    engine.receive(gossip(sourceA(), nameB, 9, WireStatus::Suspect, wire({ { "x", "2" } })), t0);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Online);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("1"));
    QCOMPARE(sent<GossipAck>(engine.takeOutgoing()).size(), 1);
    // From B about itself with an older clock: applied, the clock stays.
    engine.receive(gossip(sourceB(), nameB, 3, WireStatus::Online, wire({ { "x", "3" } })), t0);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("3"));
    QCOMPARE(engine.member(nameB)->clock, quint64(10));
    // Same clock from a third party: nothing.
    engine.receive(gossip(sourceA(), nameB, 10, WireStatus::Online, wire({ { "x", "4" } })), t0);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("3"));
    // Issue 14, finding 8: B's own older packet replayed (same validity) never rolls back.
    engine.receive(gossip(sourceB(), nameB, 5, WireStatus::Online, wire({ { "x", "5" } })), t0);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("5"));
    engine.receive(gossip(sourceB(), nameB, 3, WireStatus::Online, wire({ { "x", "3" } })), t0);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("5"));
    QCOMPARE(engine.counters().replays, quint64(1));
    // A restarted B (new validity) starts its clock anew: applied.
    engine.receive(gossip(Source { nameB, QByteArrayLiteral("b-again!") }, nameB, 2,
                       WireStatus::Online, wire({ { "x", "6" } })),
        t0);
    QCOMPARE(engine.member(nameB)->metadata->value(QStringLiteral("x")), QByteArray("6"));
}

void TestSwimEngine::statusTransitions()
{
    SwimEngine engine(config({ nameB }), localValidity, 1);
    engine.start(t0);
    // OFFLINE -> SUSPECT stays OFFLINE (and nothing changed, so the clock stays 0).
    engine.receive(gossip(sourceA(), nameB, 4, WireStatus::Suspect), t0);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Unknown); // exported so at clock 0
    QCOMPARE(engine.member(nameB)->clock, quint64(0));
    engine.receive(gossip(sourceA(), nameB, 5, WireStatus::Online), t0);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Online);
    QCOMPARE(engine.member(nameB)->clock, quint64(5));
    // ONLINE -> OFFLINE becomes SUSPECT.
    engine.receive(gossip(sourceA(), nameB, 6, WireStatus::Offline), t0 + 10);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
    QCOMPARE(engine.member(nameB)->statusSince.toMSecsSinceEpoch(), t0 + 10);
    engine.receive(gossip(sourceA(), nameB, 7, WireStatus::Offline), t0);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Offline);
    QCOMPARE(engine.member(nameB)->clock, quint64(7));
}

void TestSwimEngine::metadataUnknownDiffersFromEmpty()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.receive(gossip(sourceA(), nameB, 2, WireStatus::Online), t0);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Online);
    QVERIFY(!engine.member(nameB)->metadata.has_value());
    engine.takeChanges();
    // Empty metadata is known, and a change even at the same clock from the member itself.
    engine.receive(gossip(sourceB(), nameB, 2, WireStatus::Online, WireMetadata {}), t0);
    QVERIFY(engine.member(nameB)->metadata.has_value());
    QVERIFY(engine.member(nameB)->metadata->isEmpty());
    const auto changes = engine.takeChanges();
    bool metadataChanged = false;
    for (const auto &c : changes)
        metadataChanged |= c.member.name == nameB && c.what.testFlag(MemberChangeFlag::Metadata);
    QVERIFY(metadataChanged);
    // Unknown in gossip (None) never erases known metadata.
    engine.receive(gossip(sourceA(), nameB, 9, WireStatus::Online), t0);
    QVERIFY(engine.member(nameB)->metadata.has_value());
}

// The reference's rule (EngineOptions::clockAboveGossipAboutUs off).
void TestSwimEngine::refutation()
{
    EngineOptions reference;
    reference.clockAboveGossipAboutUs = false;
    SwimEngine engine(config({}), localValidity, 1, reference);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    const quint64 before = engine.member(localName)->clock;
    QCOMPARE(before, quint64(1));
    // Old news about us: ignored.
    engine.receive(gossip(sourceA(), localName, 1, WireStatus::Suspect), t0);
    QCOMPARE(engine.member(localName)->clock, before);
    QCOMPARE(engine.counters().refutations, quint64(0));
    // Agreeing news with a newer clock: nothing to refute.
    engine.receive(
        gossip(sourceA(), localName, 3, WireStatus::Online, wire({ { "role", "test" } })), t0);
    QCOMPARE(engine.member(localName)->clock, before);
    // A newer suspicion: status untouched, our clock jumps to next_clock (2),
    // which need not exceed the suspicion's: receivers apply our own gossip
    // about ourselves whatever its clock.
    engine.receive(gossip(sourceA(), localName, 7, WireStatus::Suspect), t0);
    const auto local = engine.member(localName);
    QCOMPARE(local->status, MemberStatus::Online);
    QCOMPARE(local->clock, quint64(2));
    QCOMPARE(engine.nextClock(), quint64(3));
    QCOMPARE(engine.counters().refutations, quint64(1));
    // Other metadata about us: same, metadata untouched.
    engine.receive(
        gossip(sourceA(), localName, 12, WireStatus::Online, wire({ { "role", "x" } })), t0);
    QCOMPARE(engine.member(localName)->metadata->value(QStringLiteral("role")), QByteArray("test"));
    QCOMPARE(engine.member(localName)->clock, quint64(3));
    QCOMPARE(engine.counters().refutations, quint64(2));
    // No suspect timer runs for ourselves.
    engine.takeOutgoing();
    engine.tick(t0 + 60'000);
    QCOMPARE(engine.member(localName)->status, MemberStatus::Online);
    // The refuting version goes out to A.
    bool refuted = false;
    for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing()))
        refuted |= to == nameA && g.name == localName && g.clock == 3
            && g.status == WireStatus::Online && g.metadata == wire({ { "role", "test" } });
    QVERIFY(refuted);
}

// Shoal's default: gossip about us moves next_clock past its clock, so the refutation and any
// later edit carry a clock every member applies, whoever relays it.
void TestSwimEngine::refutationOutranksTheSuspicion()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(1));
    // Agreeing news with a newer clock: nothing to refute, but our next version must outrank it.
    engine.receive(
        gossip(sourceA(), localName, 3, WireStatus::Online, wire({ { "role", "test" } })), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(1));
    QCOMPARE(engine.nextClock(), quint64(4));
    // A newer suspicion (as after a restart: OFFLINE with a fresh clock): refuted above it.
    engine.receive(gossip(sourceA(), localName, 7, WireStatus::Offline), t0);
    QCOMPARE(engine.member(localName)->status, MemberStatus::Online);
    QCOMPARE(engine.member(localName)->clock, quint64(8));
    QCOMPARE(engine.counters().refutations, quint64(1));
    // An edit afterwards outranks it too.
    engine.setLocalMetadata(wire({ { "role", "v2" } }), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(9));
    // Another author's version of us at our own clock (a verdict that collided with it):
    // nobody would replace it, so it is refuted; an agreeing one at our clock is not.
    engine.receive(
        gossip(sourceA(), localName, 9, WireStatus::Online, wire({ { "role", "v2" } })), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(9));
    engine.receive(
        gossip(sourceA(), localName, 9, WireStatus::Online, wire({ { "role", "v1" } })), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(10));
    QCOMPARE(engine.counters().refutations, quint64(2));
    // Old news stays ignored, and never lowers anything.
    engine.receive(gossip(sourceA(), localName, 2, WireStatus::Suspect), t0);
    QCOMPARE(engine.member(localName)->clock, quint64(10));
    QCOMPARE(engine.nextClock(), quint64(11));
}

void TestSwimEngine::restartForgetsAcknowledgements()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    engine.receive(GossipAck { sourceA(), localName, 1 }, t0);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(1));
    engine.takeChanges();
    engine.receive(Ping { Source { nameA, QByteArrayLiteral("restart!") } }, t0 + 1);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(0));
    QCOMPARE(engine.member(nameA)->instanceId, QByteArrayLiteral("restart!"));
    const auto changes = engine.takeChanges();
    QCOMPARE(changes.size(), 1);
    QVERIFY(changes[0].what.testFlag(MemberChangeFlag::Restarted));
    QVERIFY(changes[0].what.testFlag(MemberChangeFlag::Incarnation));
    // The first validity learnt is not a restart.
    engine.receive(Ping { sourceB() }, t0 + 2);
    for (const auto &c : engine.takeChanges()) {
        QVERIFY(c.what.testFlag(MemberChangeFlag::Incarnation));
        QVERIFY(!c.what.testFlag(MemberChangeFlag::Restarted));
    }
}

void TestSwimEngine::gossipAckBookkeeping()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(0));
    engine.receive(GossipAck { sourceA(), localName, 1 }, t0);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(1));
    // The highest acknowledged clock is kept; one we never had is refused.
    engine.receive(GossipAck { sourceA(), localName, 0 }, t0);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(1));
    engine.receive(GossipAck { sourceA(), localName, 1000 }, t0);
    QCOMPARE(engine.counters().refusedAcks, quint64(1));
    QCOMPARE(engine.acknowledgedClock(nameA, localName), quint64(1));
    // An edit: A has not acknowledged the new clock.
    engine.setLocalMetadata(wire({ { "role", "v2" } }), t0);
    const quint64 clock = engine.member(localName)->clock;
    QVERIFY(engine.acknowledgedClock(nameA, localName) < clock);
    engine.receive(GossipAck { sourceA(), localName, clock }, t0);
    QCOMPARE(engine.acknowledgedClock(nameA, localName), clock);
}

void TestSwimEngine::disseminationSendsOnlyWhatIsNeeded()
{
    MemberConfig c = config({});
    c.timings.pingIntervalMs = 10'000'000; // no probe verdict within the test
    c.timings.pingTimeoutMs = 10'000'000;
    SwimEngine engine(c, localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    // B and C OFFLINE, so that A is the only gossip target; C's metadata unknown.
    engine.receive(gossip(sourceA(), nameB, 3, WireStatus::Offline, wire({ { "b", "1" } })), t0);
    engine.receive(gossip(sourceA(), nameC, 4, WireStatus::Offline), t0);
    engine.takeOutgoing();
    // A is the only AVAILABLE member: it gets our member, itself and B, not C. (The probe
    // that runs first sends our own record to its target ahead of the Ping: see
    // directAnnouncements.)
    engine.tick(t0 + 500);
    auto gossips = sent<Gossip>(engine.takeOutgoing());
    QStringList names;
    for (const auto &[to, g] : gossips) {
        if (to != nameA) {
            QCOMPARE(g.name, localName);
            continue;
        }
        QCOMPARE(g.source, engine.localSource());
        names.append(g.name);
        if (g.name == localName) {
            QCOMPARE(g.clock, quint64(1));
            QCOMPARE(g.metadata, wire({ { "role", "test" } }));
        }
    }
    names.sort();
    QCOMPARE(names, QStringList({ localName, nameA, nameB }));
    // Once acknowledged, nothing more is sent.
    for (const auto &[to, g] : gossips)
        engine.receive(GossipAck { sourceA(), g.name, g.clock }, t0 + 501);
    engine.tick(t0 + 1000);
    QVERIFY(sent<Gossip>(engine.takeOutgoing()).isEmpty());
    engine.tick(t0 + 1500);
    QVERIFY(sent<Gossip>(engine.takeOutgoing()).isEmpty());
    // B changes: only B is sent again.
    engine.receive(
        gossip(sourceA(), nameB, 9, WireStatus::Online, wire({ { "b", "2" } })), t0 + 1600);
    engine.takeOutgoing();
    engine.tick(t0 + 2000);
    gossips = sent<Gossip>(engine.takeOutgoing());
    QCOMPARE(gossips.size(), 1);
    QCOMPARE(gossips[0].second.name, nameB);
    QCOMPARE(gossips[0].second.clock, quint64(9));
    // C's metadata becomes known at the same clock: now it is sent.
    engine.receive(
        gossip(Source { nameC, validityC }, nameC, 4, WireStatus::Online, WireMetadata {}),
        t0 + 2100);
    engine.receive(GossipAck { sourceA(), nameB, 9 }, t0 + 2100);
    engine.takeOutgoing();
    engine.tick(t0 + 2500);
    gossips = sent<Gossip>(engine.takeOutgoing());
    QCOMPARE(gossips.size(), 1);
    QCOMPARE(gossips[0].first, nameA);
    QCOMPARE(gossips[0].second.name, nameC);
    QCOMPARE(gossips[0].second.metadata, WireMetadata {});
}

void TestSwimEngine::probeTimeoutPingReqThenSuspectThenOffline()
{
    MemberConfig c = config({});
    SwimEngine engine(c, localValidity, 7);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    engine.receive(gossip(sourceA(), nameB, 2, WireStatus::Online, wire({})), t0);
    engine.takeOutgoing();
    // Probe at start: one of A, B. Find which.
    engine.tick(t0);
    auto pings = sent<Ping>(engine.takeOutgoing());
    QCOMPARE(pings.size(), 1);
    const QString target = pings[0].first;
    const QString other = target == nameA ? nameB : nameA;
    QCOMPARE(engine.nextDeadlineMs(), t0 + c.timings.pingTimeoutMs);
    engine.tick(t0 + c.timings.pingTimeoutMs);
    const auto requests = sent<PingReq>(engine.takeOutgoing());
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].first, other);
    QCOMPARE(requests[0].second.target, target);
    QCOMPARE(requests[0].second.source, engine.localSource());
    QCOMPARE(engine.member(target)->status, MemberStatus::Online);
    const qint64 verdictAt = t0 + c.timings.pingTimeoutMs + c.timings.pingReqTimeoutMs;
    engine.tick(verdictAt - 1);
    QCOMPARE(engine.member(target)->status, MemberStatus::Online);
    engine.tick(verdictAt);
    auto record = engine.member(target);
    QCOMPARE(record->status, MemberStatus::Suspect);
    QCOMPARE(record->probe, ProbeResult::NoAnswer);
    QCOMPARE(record->lastProbe.toMSecsSinceEpoch(), verdictAt);
    QVERIFY(engine.isLocalVerdict(target));
    engine.tick(verdictAt + c.timings.suspectTimeoutMs - 1);
    QCOMPARE(engine.member(target)->status, MemberStatus::Suspect);
    engine.tick(verdictAt + c.timings.suspectTimeoutMs);
    QCOMPARE(engine.member(target)->status, MemberStatus::Offline);
}

void TestSwimEngine::probeAnsweredRecordsFacts()
{
    SwimEngine engine(config({ nameA }), localValidity, 1);
    engine.start(t0, 5'000'000);
    engine.tick(t0, 5'000'000);
    const auto pings = sent<Ping>(engine.takeOutgoing());
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings[0].first, nameA);
    engine.takeChanges();
    // An OFFLINE member that answers comes back ONLINE.
    engine.receive(Ack { sourceA() }, t0 + 2, 5'001'234);
    const auto a = engine.member(nameA);
    QCOMPARE(a->status, MemberStatus::Online);
    QCOMPARE(a->probe, ProbeResult::Answered);
    QCOMPARE(a->rttMicros, qint64(1234));
    QCOMPARE(a->lastProbe.toMSecsSinceEpoch(), t0 + 2);
    QVERIFY(engine.isLocalVerdict(nameA));
    const auto changes = engine.takeChanges();
    QCOMPARE(changes.size(), 1);
    QVERIFY(changes[0].what.testFlag(MemberChangeFlag::Probe));
    QVERIFY(changes[0].what.testFlag(MemberChangeFlag::Status));
    QVERIFY(changes[0].localVerdict);
    // Without microseconds, the round trip comes from the milliseconds.
    engine.tick(t0 + 1000);
    engine.receive(Ack { sourceA() }, t0 + 1003);
    QCOMPARE(engine.member(nameA)->rttMicros, qint64(3000));
    // No timer is left for that probe.
    QVERIFY(engine.nextDeadlineMs() >= t0 + 1500);
}

void TestSwimEngine::pingReqForwardsAckWithTargetSource()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.receive(PingReq { sourceA(), nameB }, t0);
    const auto pings = sent<Ping>(engine.takeOutgoing());
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings[0].first, nameB);
    QCOMPARE(pings[0].second.source, engine.localSource());
    engine.receive(Ack { sourceB() }, t0 + 10);
    const auto acks = sent<Ack>(engine.takeOutgoing());
    QCOMPARE(acks.size(), 1);
    QCOMPARE(acks[0].first, nameA);
    QCOMPARE(acks[0].second.source, sourceB());
    // Forwarded once only.
    engine.receive(Ack { sourceB() }, t0 + 20);
    QVERIFY(sent<Ack>(engine.takeOutgoing()).isEmpty());
    // A ping-req about ourselves is answered directly.
    engine.receive(PingReq { sourceA(), localName }, t0 + 30);
    const auto direct = sent<Ack>(engine.takeOutgoing());
    QCOMPARE(direct.size(), 1);
    QCOMPARE(direct[0].first, nameA);
    QCOMPARE(direct[0].second.source, engine.localSource());
    // A request that expired is not answered.
    engine.receive(PingReq { sourceA(), nameB }, t0 + 100);
    engine.takeOutgoing();
    engine.tick(t0 + 100 + 10'000);
    engine.receive(Ack { sourceB() }, t0 + 100 + 10'000);
    QVERIFY(sent<Ack>(engine.takeOutgoing()).isEmpty());
}

void TestSwimEngine::suspectGossipStartsAndOnlineCancelsTimer()
{
    MemberConfig c = config({});
    c.timings.pingIntervalMs = 1'000'000; // one probe at start only: timers come from gossip
    SwimEngine engine(c, localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    engine.receive(gossip(sourceA(), nameB, 2, WireStatus::Online, wire({})), t0);
    engine.receive(gossip(sourceA(), nameB, 3, WireStatus::Suspect), t0 + 100);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
    QVERIFY(!engine.isLocalVerdict(nameB));
    engine.tick(t0 + 100 + c.timings.suspectTimeoutMs - 1);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
    engine.tick(t0 + 100 + c.timings.suspectTimeoutMs);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Offline);
    QVERIFY(engine.isLocalVerdict(nameB));
    // Back: ONLINE gossip from B itself, then a suspicion cancelled by ONLINE gossip.
    const qint64 t1 = t0 + 100'000;
    engine.receive(gossip(sourceB(), nameB, 20, WireStatus::Online, wire({})), t1);
    QCOMPARE(engine.member(nameB)->status, MemberStatus::Online);
    engine.receive(gossip(sourceA(), nameB, 21, WireStatus::Suspect), t1);
    engine.receive(gossip(sourceA(), nameB, 21, WireStatus::Online), t1 + 1000); // old clock
    engine.receive(gossip(sourceB(), nameB, 22, WireStatus::Online), t1 + 1000);
    engine.tick(t1 + 2 * c.timings.suspectTimeoutMs);
    QVERIFY(engine.member(nameB)->status != MemberStatus::Offline);
}

void TestSwimEngine::observerNeverGossipsItsOwnVerdict()
{
    for (const Role role : { Role::Observer, Role::Participant }) {
        MemberConfig c = config({}, role);
        c.timings.pingReqCount = 0;
        SwimEngine engine(c, localValidity, 3);
        engine.start(t0);
        introduce(engine, sourceA(), t0);
        // B is probed first (A would answer): make B the only probe target by having
        // A answer everything. Run until B has been found SUSPECT by our probe.
        engine.receive(gossip(sourceA(), nameB, 2, WireStatus::Online, wire({})), t0);
        engine.takeOutgoing();
        qint64 now = t0;
        while (engine.member(nameB)->status == MemberStatus::Online && now < t0 + 60'000) {
            now += 100;
            engine.tick(now);
            for (const auto &o : engine.takeOutgoing()) {
                if (o.to == nameA && std::holds_alternative<Ping>(o.packet))
                    engine.receive(Ack { sourceA() }, now);
            }
        }
        QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
        QVERIFY(engine.isLocalVerdict(nameB));
        const quint64 verdictClock = engine.member(nameB)->clock;
        engine.takeOutgoing();
        bool gossipedVerdict = false;
        for (int i = 0; i < 10; ++i) {
            now += 500;
            engine.tick(now);
            for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
                if (g.name == nameB && g.clock >= verdictClock)
                    gossipedVerdict = true;
                engine.receive(GossipAck { sourceA(), g.name, g.clock }, now);
            }
            engine.takeOutgoing();
        }
        QCOMPARE(gossipedVerdict, role == Role::Participant);
        if (role == Role::Observer)
            QVERIFY(engine.counters().suppressedVerdicts > 0);
    }
}

void TestSwimEngine::observerRelaysWhatItLearnt()
{
    SwimEngine engine(config({}, Role::Observer), localValidity, 1);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    engine.receive(gossip(sourceA(), nameB, 5, WireStatus::Suspect, wire({})), t0);
    engine.receive(gossip(sourceA(), nameC, 6, WireStatus::Online, wire({})), t0);
    engine.receive(gossip(sourceA(), nameC, 7, WireStatus::Suspect), t0);
    engine.takeOutgoing();
    engine.tick(t0 + 500);
    QStringList names;
    for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
        names.append(g.name);
        if (g.name == nameC)
            QCOMPARE(g.status, WireStatus::Suspect); // learnt, so relayed
    }
    QVERIFY(names.contains(localName));
    QVERIFY(names.contains(nameC));
}

void TestSwimEngine::observerTakesMetadataHiddenByItsOwnVerdict()
{
    for (const Role role : { Role::Observer, Role::Participant }) {
        SwimEngine engine(config({ nameA }, role), localValidity, 1);
        engine.start(t0);
        engine.tick(t0);
        QCOMPARE(sent<Ping>(engine.takeOutgoing()).size(), 1);
        // Our configured peer answers: ONLINE by our own verdict, metadata still unknown, at a
        // clock above the one the rest of the cluster knows it by.
        engine.receive(Ack { sourceA() }, t0 + 2);
        QVERIFY(engine.isLocalVerdict(nameA));
        const quint64 verdictClock = engine.member(nameA)->clock;
        QVERIFY(verdictClock > 1);
        QVERIFY(!engine.member(nameA)->metadata);
        engine.takeChanges();
        // Another member relays A's record at A's own (older) clock, with its metadata.
        engine.receive(
            gossip(sourceB(), nameA, 1, WireStatus::Online, wire({ { "role", "imap" } })), t0 + 3);
        const auto a = engine.member(nameA);
        if (role == Role::Participant) {
            // Exactly the reference: an older clock changes nothing.
            QVERIFY(!a->metadata);
            continue;
        }
        QVERIFY(a->metadata);
        QCOMPARE(a->metadata->value(QStringLiteral("role")), QByteArrayLiteral("imap"));
        QCOMPARE(a->clock, verdictClock); // the version is still ours...
        QVERIFY(engine.isLocalVerdict(nameA)); // ...so it is still never gossiped
        const auto changes = engine.takeChanges();
        QVERIFY(std::any_of(changes.cbegin(), changes.cend(), [](const MemberChange &c) {
            return c.member.name == nameA && c.what.testFlag(MemberChangeFlag::Metadata);
        }));
        // Known metadata is never replaced by older gossip.
        engine.receive(
            gossip(sourceB(), nameA, 1, WireStatus::Online, wire({ { "role", "old" } })), t0 + 4);
        QCOMPARE(engine.member(nameA)->metadata->value(QStringLiteral("role")),
            QByteArrayLiteral("imap"));
        engine.takeOutgoing();
        engine.tick(t0 + 1000);
        for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing()))
            QVERIFY(g.name != nameA);
    }
}

// Issue 12, defect 1: what an observer gossips about another member is a version it heard,
// exactly (clock, status, metadata), never one its update rules derived from what it heard.
void TestSwimEngine::observerRelaysOnlyVersionsItHeard()
{
    for (const Role role : { Role::Observer, Role::Participant }) {
        MemberConfig c = config({}, role);
        c.timings.pingIntervalMs = 10'000'000; // no probe verdict within the test
        c.timings.pingTimeoutMs = 10'000'000;
        SwimEngine engine(c, localValidity, 1);
        engine.start(t0);
        introduce(engine, sourceA(), t0);
        const Source sourceC { nameC, validityC };
        // B: ONLINE at 3, then OFFLINE at 7, which the transition rule turns into SUSPECT at 7.
        engine.receive(gossip(sourceA(), nameB, 3, WireStatus::Online, wire({ { "b", "1" } })), t0);
        engine.receive(
            gossip(sourceA(), nameB, 7, WireStatus::Offline, wire({ { "b", "1" } })), t0);
        QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
        QCOMPARE(engine.member(nameB)->clock, quint64(7));
        QCOMPARE(engine.isLocalVerdict(nameB), role == Role::Observer);
        // C: ONLINE at 4, then its own record at an older clock: new metadata under clock 4,
        // a version C never sent.
        engine.receive(gossip(sourceA(), nameC, 4, WireStatus::Online, wire({ { "c", "1" } })), t0);
        engine.receive(gossip(sourceC, nameC, 2, WireStatus::Online, wire({ { "c", "2" } })), t0);
        QCOMPARE(engine.member(nameC)->clock, quint64(4));
        QCOMPARE(engine.member(nameC)->metadata->value(QStringLiteral("c")), QByteArray("2"));
        QCOMPARE(engine.isLocalVerdict(nameC), role == Role::Observer);
        engine.takeOutgoing();
        engine.takeChanges();
        engine.tick(t0 + 500); // A is the only AVAILABLE member: the sync goes to it
        QStringList names;
        for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
            if (to == nameA)
                names.append(g.name);
        }
        if (role == Role::Participant) {
            // The reference relays what its rules made of it.
            QVERIFY(names.contains(nameB));
            QVERIFY(names.contains(nameC));
            QCOMPARE(engine.counters().suppressedVerdicts, quint64(0));
            continue;
        }
        QVERIFY(!names.contains(nameB));
        QVERIFY(!names.contains(nameC));
        QVERIFY(names.contains(nameA));
        QCOMPARE(engine.counters().suppressedVerdicts, quint64(2));
        // Not gossiped, so acknowledged as far as the bookkeeping goes (nothing waits).
        QCOMPARE(engine.acknowledgedClock(nameA, nameB), quint64(7));
        // Someone else holds and gossips exactly B's version: now it is one heard.
        engine.receive(
            gossip(sourceC, nameB, 7, WireStatus::Suspect, wire({ { "b", "1" } })), t0 + 600);
        QVERIFY(!engine.isLocalVerdict(nameB));
        bool verdictFlag = false;
        for (const auto &change : engine.takeChanges())
            verdictFlag |= change.member.name == nameB
                && change.what.testFlag(MemberChangeFlag::LocalVerdict) && !change.localVerdict;
        QVERIFY(verdictFlag);
        engine.takeOutgoing();
        engine.tick(t0 + 1000);
        bool relayed = false;
        for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
            QVERIFY(g.name != nameC);
            relayed |= g.name == nameB && g.clock == 7 && g.status == WireStatus::Suspect;
        }
        QVERIFY(relayed);
    }
}

// Issue 12, defect 1: a member an observer holds no version of (clock 0) takes the status it
// is gossiped with as is: SUSPECT stays SUSPECT, with its suspect timer, and is relayed as
// heard; the reference keeps OFFLINE and gossips that OFFLINE with the suspicion's clock.
void TestSwimEngine::observerTakesTheStatusOfAMemberItHadNoVersionOf()
{
    for (const Role role : { Role::Observer, Role::Participant }) {
        MemberConfig c = config({ nameB }, role);
        c.timings.pingIntervalMs = 10'000'000; // the probe at start only, of B
        c.timings.pingTimeoutMs = 10'000'000;
        SwimEngine engine(c, localValidity, 1);
        engine.start(t0);
        introduce(engine, sourceA(), t0);
        const qint64 heardAt = t0 + 100;
        engine.receive(
            gossip(sourceA(), nameB, 5, WireStatus::Suspect, wire({ { "b", "1" } })), heardAt);
        auto b = engine.member(nameB);
        QCOMPARE(b->clock, quint64(5));
        QCOMPARE(b->metadata, Metadata({ { QStringLiteral("b"), QByteArray("1") } }));
        QVERIFY(!engine.isLocalVerdict(nameB));
        engine.takeOutgoing();
        engine.tick(t0 + 500);
        bool relayed = false;
        for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
            if (g.name == nameB) {
                relayed = true;
                QCOMPARE(g.clock, quint64(5));
                QCOMPARE(
                    g.status, role == Role::Observer ? WireStatus::Suspect : WireStatus::Offline);
            }
        }
        QVERIFY(relayed);
        if (role == Role::Participant) {
            QCOMPARE(b->status, MemberStatus::Offline); // the reference's rule
            continue;
        }
        QCOMPARE(b->status, MemberStatus::Suspect);
        // The suspect timer runs from the gossip; its verdict is shown, never gossiped.
        engine.tick(heardAt + c.timings.suspectTimeoutMs - 1);
        QCOMPARE(engine.member(nameB)->status, MemberStatus::Suspect);
        engine.tick(heardAt + c.timings.suspectTimeoutMs);
        b = engine.member(nameB);
        QCOMPARE(b->status, MemberStatus::Offline);
        QVERIFY(engine.isLocalVerdict(nameB));
        engine.takeOutgoing();
        for (int i = 1; i <= 4; ++i) {
            engine.tick(heardAt + c.timings.suspectTimeoutMs + i * 500);
            for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing()))
                QVERIFY(g.name != nameB);
        }
    }
}

// Issue 12, defect 2: the peers get our record before our first Ping, so that none of them
// creates us OFFLINE (pymap reports itself unhealthy while any member is OFFLINE).
void TestSwimEngine::ownRecordAnnouncedToPeersBeforeTheFirstPing()
{
    SwimEngine engine(config({ nameA, nameB }), localValidity, 1);
    engine.start(t0);
    engine.tick(t0);
    const QList<Outgoing> outgoing = engine.takeOutgoing();
    QSet<QString> announced;
    bool pinged = false;
    for (const Outgoing &o : outgoing) {
        if (const auto *g = std::get_if<Gossip>(&o.packet)) {
            QVERIFY(!pinged);
            QCOMPARE(*g,
                gossip(engine.localSource(), localName, 1, WireStatus::Online,
                    wire({ { "role", "test" } })));
            announced.insert(o.to);
        } else if (std::holds_alternative<Ping>(o.packet)) {
            pinged = true;
            QVERIFY(announced.contains(o.to));
        }
    }
    QVERIFY(pinged);
    QCOMPARE(announced, QSet<QString>({ nameA, nameB }));
    // Off: the reference's packets.
    EngineOptions reference;
    reference.directAnnouncements = false;
    SwimEngine quiet(config({ nameA, nameB }), localValidity, 1, reference);
    quiet.start(t0);
    quiet.tick(t0);
    QVERIFY(sent<Gossip>(quiet.takeOutgoing()).isEmpty());
}

// Field test of issue 12: a peer that starts after Shoal misses the announcement at start; the
// next probe (10 s later at pymap's timings, not a 30 s sync interval) must carry our record,
// or the peer creates us OFFLINE from the bare Ping. Once acknowledged, probes go alone.
void TestSwimEngine::ownRecordResentWithEveryProbeUntilAcknowledged()
{
    MemberConfig c = config({ nameA });
    c.timings = Timings::pymap();
    SwimEngine engine(c, localValidity, 1);
    engine.start(t0);
    engine.tick(t0);
    QCOMPARE(sent<Gossip>(engine.takeOutgoing()).size(), 1); // lost: A is not up yet
    const qint64 next = t0 + c.timings.pingIntervalMs;
    engine.tick(next - 1);
    engine.takeOutgoing();
    engine.tick(next);
    QList<Outgoing> outgoing = engine.takeOutgoing();
    QVERIFY(!sent<Ping>(outgoing).isEmpty());
    QCOMPARE(sent<Gossip>(outgoing).size(), 1);
    QVERIFY(std::holds_alternative<Gossip>(outgoing.constFirst().packet));
    // A acknowledges our record: the next probe goes without it.
    engine.receive(GossipAck { sourceA(), localName, 1 }, next + 5);
    engine.takeOutgoing();
    engine.tick(next + c.timings.pingIntervalMs);
    outgoing = engine.takeOutgoing();
    QVERIFY(!sent<Ping>(outgoing).isEmpty());
    QVERIFY(sent<Gossip>(outgoing).isEmpty());
}

// Issue 12, defects 2 and 3: a member that has not acknowledged our current record gets it
// before our Ping or PingReq and after a packet of its own, at most once per sync_interval
// and local clock; a member that has acknowledged it gets nothing more.
void TestSwimEngine::ownRecordAnnouncedToMembersThatLackIt()
{
    for (const Role role : { Role::Observer, Role::Participant }) {
        MemberConfig c = config({}, role);
        SwimEngine engine(c, localValidity, 1);
        engine.start(t0);
        engine.tick(t0);
        engine.takeOutgoing();
        const auto ourRecords = [&](const QList<Outgoing> &outgoing, const QString &to) {
            int count = 0;
            for (const auto &[target, g] : sent<Gossip>(outgoing))
                count += target == to && g.name == localName;
            return count;
        };
        // A pings us (it learnt us from someone else): Ack, then our record.
        engine.receive(Ping { sourceA() }, t0 + 10);
        QList<Outgoing> out = engine.takeOutgoing();
        QCOMPARE(out.size(), 2);
        QVERIFY(std::holds_alternative<Ack>(out[0].packet));
        QCOMPARE(ourRecords(out, nameA), 1);
        QCOMPARE(std::get<Gossip>(out[1].packet).metadata, wire({ { "role", "test" } }));
        // Again within sync_interval: the Ack only.
        engine.receive(Ping { sourceA() }, t0 + 20);
        QCOMPARE(ourRecords(engine.takeOutgoing(), nameA), 0);
        // After sync_interval, while A still has not acknowledged it: once more.
        engine.receive(Ping { sourceA() }, t0 + 10 + c.timings.syncIntervalMs);
        QCOMPARE(ourRecords(engine.takeOutgoing(), nameA), 1);
        // Acknowledged: never again, until our record changes.
        engine.receive(GossipAck { sourceA(), localName, 1 }, t0 + 600);
        engine.receive(Ping { sourceA() }, t0 + 5000);
        QCOMPARE(ourRecords(engine.takeOutgoing(), nameA), 0);
        engine.setLocalMetadata(wire({ { "role", "v2" } }), t0 + 5001);
        engine.receive(Ping { sourceA() }, t0 + 5002);
        QCOMPARE(ourRecords(engine.takeOutgoing(), nameA), 1);
        // Before a Ping of ours: B (named by A, never heard from) gets our record first.
        MemberConfig only = config({ nameB }, role);
        SwimEngine prober(only, localValidity, 1);
        prober.start(t0);
        QCOMPARE(ourRecords(prober.takeOutgoing(), nameB), 1); // at start (a configured peer)
        const qint64 later = t0 + c.timings.syncIntervalMs;
        prober.tick(later); // the probe of B is due since t0
        out = prober.takeOutgoing();
        QVERIFY(out.size() >= 2);
        QCOMPARE(out[0].to, nameB);
        QCOMPARE(std::get<Gossip>(out[0].packet).name, localName);
        QCOMPARE(out[1].to, nameB);
        QVERIFY(std::holds_alternative<Ping>(out[1].packet));
    }
}

// Issue 12, defect 3: a member that probed us before it heard our record holds its own
// version of us, at a clock above ours with metadata unknown; what others relay of our
// record (a lower clock) never replaces it. Our record sent straight to it does.
void TestSwimEngine::ownRecordWinsOverAHigherVersionOfUs()
{
    // The pymap member: reference rules, our configured peer.
    MemberConfig pc;
    pc.localName = nameA;
    pc.localMetadata = wire({ { "pymap", "1" } });
    pc.role = Role::Participant;
    EngineOptions reference;
    reference.clockAboveGossipAboutUs = false;
    reference.directAnnouncements = false;
    SwimEngine pymap(pc, validityA, 5, reference);
    pymap.start(t0);
    // It knows B and C at clocks up to 4 (its next_clock is 5 then).
    pymap.receive(gossip(sourceB(), nameB, 4, WireStatus::Online, wire({ { "b", "1" } })), t0);
    // It learns our name from a packet of ours and probes us: its own version of us.
    SwimEngine shoal(config({}, Role::Observer), localValidity, 1);
    shoal.start(t0);
    shoal.takeOutgoing();
    pymap.receive(Ack { shoal.localSource() }, t0 + 1); // e.g. a forwarded Ack
    pymap.takeOutgoing();
    QCOMPARE(pymap.member(localName)->status, MemberStatus::Unknown);
    qint64 now = t0 + 2;
    for (; now < t0 + 60'000 && !pymap.isLocalVerdict(localName); now += 100) {
        pymap.tick(now);
        for (const Outgoing &o : pymap.takeOutgoing()) {
            if (o.to == localName && std::holds_alternative<Ping>(o.packet))
                pymap.receive(Ack { shoal.localSource() }, now); // the answer only
        }
    }
    auto us = pymap.member(localName);
    QCOMPARE(us->status, MemberStatus::Online);
    QVERIFY(us->clock > 1);
    QVERIFY(!us->metadata);
    // Others relay our record (clock 1): it loses.
    pymap.receive(
        gossip(sourceB(), localName, 1, WireStatus::Online, wire({ { "role", "test" } })), now);
    QVERIFY(!pymap.member(localName)->metadata);
    pymap.takeOutgoing();
    // Its next Ping reaches us: our answer carries our record, which it applies (gossip about
    // its sender), whatever the clock.
    shoal.receive(Ping { pymap.localSource() }, now + 10);
    for (const Outgoing &o : shoal.takeOutgoing()) {
        QCOMPARE(o.to, nameA);
        pymap.receive(o.packet, now + 11);
    }
    us = pymap.member(localName);
    QVERIFY(us->metadata);
    QCOMPARE(us->metadata, Metadata({ { QStringLiteral("role"), QByteArray("test") } }));
    QCOMPARE(us->status, MemberStatus::Online);
    // Its acknowledgement ends it: no more of our record for it.
    for (const Outgoing &o : pymap.takeOutgoing())
        shoal.receive(o.packet, now + 12);
    shoal.receive(Ping { pymap.localSource() }, now + 100'000);
    QVERIFY(sent<Gossip>(shoal.takeOutgoing()).isEmpty());
}

// A version of us with unknown metadata at or above our clock is one our record can never
// replace where it is held: refuted with a newer clock (not under the reference's rule).
void TestSwimEngine::versionOfUsWithoutMetadataIsRefuted()
{
    for (const bool above : { true, false }) {
        EngineOptions options;
        options.clockAboveGossipAboutUs = above;
        SwimEngine engine(config({}), localValidity, 1, options);
        engine.start(t0);
        introduce(engine, sourceA(), t0);
        engine.receive(gossip(sourceA(), localName, 6, WireStatus::Online), t0);
        const auto local = engine.member(localName);
        QCOMPARE(local->status, MemberStatus::Online);
        QCOMPARE(local->metadata, Metadata({ { QStringLiteral("role"), QByteArray("test") } }));
        QCOMPARE(local->clock, above ? quint64(7) : quint64(1));
        QCOMPARE(engine.counters().refutations, above ? quint64(1) : quint64(0));
    }
}

void TestSwimEngine::memberCap()
{
    EngineOptions options;
    options.maxMembers = 2;
    SwimEngine engine(config({ nameA }), localValidity, 1, options); // peers do not count
    engine.start(t0);
    for (int i = 0; i < 10; ++i) {
        const QString name = QStringLiteral("10.0.0.%1:1").arg(i);
        engine.receive(Ping { Source { name, QByteArrayLiteral("xxxxxxxx") } }, t0);
    }
    QCOMPARE(engine.memberCount(), 4);
    QCOMPARE(engine.counters().refusedMembers, quint64(8));
    // A Ping from a member that does not fit is still answered (issue 14, finding 3).
    const auto acks = sent<Ack>(engine.takeOutgoing());
    QVERIFY2(std::any_of(acks.cbegin(), acks.cend(),
                 [](const auto &a) { return a.first == QStringLiteral("10.0.0.9:1"); }),
        "the last Ping, refused a member, is answered");
    QCOMPARE(engine.memberCount(), 4);
    // Gossip naming new members from a known source is refused too, and not acknowledged.
    engine.takeOutgoing();
    engine.receive(gossip(sourceA(), QStringLiteral("10.9.9.9:1"), 3, WireStatus::Online), t0);
    QCOMPARE(engine.memberCount(), 4);
    QVERIFY(engine.takeOutgoing().isEmpty());
    QCOMPARE(engine.counters().refusedMembers, quint64(9));
}

// Issue 14, finding 2: aliases of one address never make more members.
void TestSwimEngine::aliasNamesRefused()
{
    SwimEngine engine(config({ nameA }), localValidity, 1);
    engine.start(t0);
    const qsizetype before = engine.memberCount();
    for (const char *alias : { "127.000.0.1:22002", "127.1:22002", "2130706433:22002",
             "[127.0.0.1]:22002", "127.0.0.1:022002", "0x7f.0.0.1:22002" }) {
        engine.receive(Ping { Source { QLatin1String(alias), validityB } }, t0);
        engine.receive(
            gossip(sourceA(), QLatin1String(alias), 3, WireStatus::Online, wire({})), t0);
    }
    QCOMPARE(engine.memberCount(), before);
    QCOMPARE(engine.counters().refusedNames, quint64(12));
    // The canonical name of a new member is taken.
    engine.receive(Ping { Source { QStringLiteral("127.0.0.1:22009"), validityB } }, t0);
    QCOMPARE(engine.memberCount(), before + 1);
}

namespace {
// Gossip from A about a new member with a 1 KiB value, at `now`.
void gossipBig(SwimEngine &engine, const QString &name, WireStatus status, qint64 now)
{
    WireMetadata metadata;
    metadata.append({ QStringLiteral("blob"), QByteArray(1024, 'x') });
    engine.receive(gossip(sourceA(), name, 5, status, metadata), now);
}

QStringList removedNames(const QList<MemberChange> &changes)
{
    QStringList names;
    for (const MemberChange &change : changes) {
        if (change.what.testFlag(MemberChangeFlag::Removed))
            names << change.member.name;
    }
    return names;
}
} // namespace

// Issue 14, finding 3: the member table stays within its memory budget. OFFLINE members go
// first, oldest first; with none left, a gossiped member that does not fit is refused.
void TestSwimEngine::memoryBudgetEvictsOfflineFirst()
{
    EngineOptions options;
    options.memoryBudgetBytes = 64 * 1024;
    SwimEngine engine(config({ nameA }), localValidity, 3, options);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    const qsizetype base = engine.memberCount();
    QStringList offline, online;
    for (int i = 0; i < 20; ++i) {
        offline << QStringLiteral("10.2.0.%1:1").arg(i);
        gossipBig(engine, offline.last(), WireStatus::Offline, t0 + i);
        QVERIFY(engine.storedBytes() <= options.memoryBudgetBytes);
    }
    QCOMPARE(engine.counters().evictedMembers, quint64(0));
    engine.takeChanges();
    for (int i = 0; i < 20; ++i) {
        online << QStringLiteral("10.3.0.%1:1").arg(i);
        gossipBig(engine, online.last(), WireStatus::Online, t0 + 100 + i);
        QVERIFY(engine.storedBytes() <= options.memoryBudgetBytes);
    }
    // Every ONLINE member is in; the OFFLINE ones made room, the oldest first.
    for (const QString &name : std::as_const(online))
        QVERIFY2(engine.member(name), qPrintable(name));
    const quint64 evicted = engine.counters().evictedMembers;
    QVERIFY(evicted > 0 && evicted < 20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(bool(engine.member(offline[i])), quint64(i) >= evicted);
    QCOMPARE(engine.memberCount(), base + 40 - qsizetype(evicted));
    QCOMPARE(removedNames(engine.takeChanges()), offline.mid(0, qsizetype(evicted)));
    QVERIFY(!engine.members().isEmpty());
    QCOMPARE(engine.members().size(), engine.memberCount());
    // Fill up to the budget with ONLINE members: the OFFLINE ones all go, then the
    // gossiped newcomers are refused and counted; the configured peer and we stay.
    for (int i = 0; i < 40; ++i)
        gossipBig(engine, QStringLiteral("10.4.0.%1:1").arg(i), WireStatus::Online, t0 + 200);
    QVERIFY(engine.storedBytes() <= options.memoryBudgetBytes);
    QCOMPARE(engine.counters().evictedMembers, quint64(20));
    QVERIFY(engine.counters().refusedForMemory > 0);
    QVERIFY(engine.member(nameA));
    QVERIFY(engine.member(localName));
    // Larger metadata for a member that is in is refused too when nothing can go.
    const quint64 refused = engine.counters().refusedForMemory;
    WireMetadata huge;
    huge.append({ QStringLiteral("blob"), QByteArray(32 * 1024, 'y') });
    engine.receive(gossip(sourceA(), online.first(), 9, WireStatus::Online, huge), t0 + 300);
    QCOMPARE(engine.counters().refusedForMemory, refused + 1);
    QCOMPARE(engine.member(online.first())->metadata->value(QStringLiteral("blob")).size(), 1024);
    QVERIFY(engine.storedBytes() <= options.memoryBudgetBytes);
    // Evicted slots are reused: probing goes on over what is there.
    for (int i = 0; i < 100; ++i)
        engine.tick(t0 + 300 + i * 1000);
    for (const auto &[to, ping] : sent<Ping>(engine.takeOutgoing()))
        QVERIFY2(!to.isEmpty(), "a Ping to an evicted slot");
}

// Issue 14, finding 3: after a flood of gossiped names (table and budget full), a genuine
// member that pings us is answered and shown: a member heard directly outranks one only
// gossiped about. A member the flood can no longer push out once it is heard.
void TestSwimEngine::memoryBudgetAdmitsAMemberHeardDirectly()
{
    QFETCH(bool, byCount);
    EngineOptions options;
    if (byCount)
        options.maxMembers = 100;
    else
        options.memoryBudgetBytes = 64 * 1024;
    SwimEngine engine(config({ nameA }), localValidity, 5, options);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    for (int i = 0; i < 300; ++i)
        gossipBig(engine, QStringLiteral("10.5.%1.%2:1").arg(i / 200).arg(i % 200),
            WireStatus::Online, t0 + i);
    QVERIFY(engine.counters().refusedMembers + engine.counters().refusedForMemory > 0);
    const qsizetype full = engine.memberCount();
    engine.takeOutgoing();
    engine.takeChanges();
    const QString genuine = QStringLiteral("127.0.0.1:22009");
    engine.receive(Ping { Source { genuine, validityB } }, t0 + 1000);
    QVERIFY(engine.member(genuine));
    QCOMPARE(engine.memberCount(), full);
    const auto acks = sent<Ack>(engine.takeOutgoing());
    QVERIFY(
        std::any_of(acks.cbegin(), acks.cend(), [&](const auto &a) { return a.first == genuine; }));
    const QList<MemberChange> changes = engine.takeChanges();
    QCOMPARE(removedNames(changes).size(), 1);
    QVERIFY(removedNames(changes).first().startsWith(QStringLiteral("10.5.")));
    // More flood: gossip-only newcomers never evict the member heard directly.
    for (int i = 0; i < 300; ++i)
        gossipBig(engine, QStringLiteral("10.6.%1.%2:1").arg(i / 200).arg(i % 200),
            WireStatus::Online, t0 + 2000 + i);
    QVERIFY(engine.member(genuine));
    QVERIFY(engine.member(nameA));
    if (!byCount)
        QVERIFY(engine.storedBytes() <= options.memoryBudgetBytes);
}

void TestSwimEngine::memoryBudgetAdmitsAMemberHeardDirectly_data()
{
    QTest::addColumn<bool>("byCount");
    QTest::newRow("table full (maxMembers)") << true;
    QTest::newRow("budget full (bytes)") << false;
}

// Issue 14, finding 1: forged ONLINE members never acknowledge. What a sync leaves awaiting
// an acknowledgement is capped per sync and in total, a target that acknowledged nothing
// of its last sync keeps one entry, and a real peer that acknowledges still gets every record.
void TestSwimEngine::gossipBookkeepingIsBounded()
{
    EngineOptions options;
    options.maxGossipPerSync = 64;
    options.maxAcknowledgementEntries = 1000;
    SwimEngine engine(config({ nameA }), localValidity, 7, options);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    constexpr int forged = 600;
    QStringList names;
    for (int i = 0; i < forged; ++i) {
        names << QStringLiteral("10.1.%1.%2:7000").arg(i / 200).arg(i % 200);
        engine.receive(
            gossip(sourceA(), names.last(), 5, WireStatus::Online, wire({ { "k", "v" } })), t0);
    }
    QCOMPARE(engine.memberCount(), forged + 2);
    qint64 now = t0;
    qsizetype most = 0;
    qsizetype atTwoMinutes = -1;
    // Until every forged member was probed (one a second) and found dead, and after.
    while (now < t0 + 1'500'000) {
        now = std::max(now + 1, engine.nextDeadlineMs());
        engine.tick(now);
        // Peer A answers everything; the forged members nothing.
        for (const Outgoing &o : engine.takeOutgoing()) {
            if (o.to != nameA)
                continue;
            if (const auto *g = std::get_if<Gossip>(&o.packet))
                engine.receive(GossipAck { sourceA(), g->name, g->clock }, now);
            else if (std::holds_alternative<Ping>(o.packet))
                engine.receive(Ack { sourceA() }, now);
        }
        most = std::max(most, engine.acknowledgementEntries());
        if (atTwoMinutes < 0 && now >= t0 + 120'000)
            atTwoMinutes = engine.acknowledgementEntries();
    }
    // Without the bounds: up to 600 x 600 entries.
    QVERIFY2(most <= options.maxAcknowledgementEntries + options.maxGossipPerSync,
        qPrintable(QString::number(most)));
    QVERIFY(engine.counters().unacknowledgedSyncs > 0);
    // Once every forged member was probed and found dead, nothing is left awaiting: memory
    // is flat once the attack stops.
    QVERIFY2(engine.acknowledgementEntries() <= atTwoMinutes,
        qPrintable(
            QStringLiteral("%1 then %2").arg(atTwoMinutes).arg(engine.acknowledgementEntries())));
    QCOMPARE(engine.member(nameA)->status, MemberStatus::Online);
    // The honest peer acknowledged every record it was sent: it was sent all of them.
    for (const QString &name : std::as_const(names))
        QVERIFY2(engine.acknowledgedClock(nameA, name) >= 5, qPrintable(name));
}

// The per-sync cap must not starve a new member of a cluster larger than the cap: every
// sender's first part holds the same records (the order of changes), and a sender picks the
// same target again only after about N syncs. The next part follows the acknowledgements.
void TestSwimEngine::cappedSyncContinuesOnceAcknowledged()
{
    EngineOptions options;
    options.maxGossipPerSync = 64;
    SwimEngine engine(config({ nameA }), localValidity, 3, options);
    engine.start(t0);
    introduce(engine, sourceA(), t0);
    QStringList names;
    for (int i = 0; i < 600; ++i) {
        names << QStringLiteral("10.2.%1.%2:7000").arg(i / 200).arg(i % 200);
        engine.receive(
            gossip(sourceA(), names.last(), 5, WireStatus::Online, wire({ { "k", "v" } })), t0);
    }
    introduce(engine, sourceB(), t0);
    qint64 now = t0;
    qsizetype partsToB = 0;
    while (partsToB == 0 && now < t0 + 3'600'000) {
        now = std::max(now + 1, engine.nextDeadlineMs());
        engine.tick(now);
        // B answers every record at once, A and the others nothing; no time passes while
        // B's acknowledgements bring the next parts.
        QList<Outgoing> out = engine.takeOutgoing();
        while (!out.isEmpty()) {
            bool toB = false;
            for (const Outgoing &o : std::as_const(out)) {
                if (o.to != nameB)
                    continue;
                if (const auto *g = std::get_if<Gossip>(&o.packet)) {
                    toB = toB || g->name != localName;
                    engine.receive(GossipAck { sourceB(), g->name, g->clock }, now);
                } else if (std::holds_alternative<Ping>(o.packet)) {
                    engine.receive(Ack { sourceB() }, now);
                }
            }
            partsToB += toB ? 1 : 0;
            out = toB ? engine.takeOutgoing() : QList<Outgoing> {};
        }
    }
    QVERIFY2(partsToB >= 600 / 64, qPrintable(QString::number(partsToB)));
    QVERIFY(engine.counters().continuedSyncs >= 600 / 64 - 1);
    // One random pick of B delivered every record.
    for (const QString &name : std::as_const(names))
        QVERIFY2(engine.acknowledgedClock(nameB, name) >= 5, qPrintable(name));
}

// A member heard from for the first time gets a sync at once (the live service's option):
// a new member learns the cluster from its first contact, not when a random sync picks it.
// At most one such sync per 100 ms, so that made-up newcomers cost a bounded rate of syncs.
void TestSwimEngine::newcomerSyncedAtOnce()
{
    const QString nameC = QStringLiteral("127.0.0.1:22004");
    const Source sourceC { nameC, QByteArrayLiteral("CCCCCCCC") };
    for (const bool on : { false, true }) {
        EngineOptions options;
        options.syncToNewcomers = on;
        SwimEngine engine(config({ nameA }), localValidity, 5, options);
        engine.start(t0);
        introduce(engine, sourceA(), t0);
        for (int i = 0; i < 50; ++i)
            engine.receive(gossip(sourceA(), QStringLiteral("10.3.0.%1:7000").arg(i), 5,
                               WireStatus::Online, wire({ { "k", "v" } })),
                t0);
        engine.takeOutgoing();
        auto recordsTo = [&](const QString &to) {
            int records = 0;
            for (const Outgoing &o : engine.takeOutgoing()) {
                const auto *g = std::get_if<Gossip>(&o.packet);
                records += o.to == to && g && g->name != localName && g->name != to ? 1 : 0;
            }
            return records;
        };
        introduce(engine, sourceB(), t0 + 200);
        QCOMPARE(recordsTo(nameB), on ? 51 : 0); // A and the 50 it told us of
        introduce(engine, sourceC, t0 + 250); // within 100 ms of the last: waits
        QCOMPARE(recordsTo(nameC), 0);
        engine.receive(Ping { sourceC }, t0 + 301);
        QCOMPARE(recordsTo(nameC), on ? 52 : 0);
        // A member we knew of from gossip is not new to the cluster: no sync at first contact.
        const Source known { QStringLiteral("10.3.0.7:7000"), QByteArrayLiteral("KKKKKKKK") };
        introduce(engine, known, t0 + 500, 6);
        QCOMPARE(recordsTo(known.name), 0);
        QCOMPARE(engine.counters().newcomerSyncs, quint64(on ? 2 : 0)); // B, C (A: a peer)
    }
}

void TestSwimEngine::preloadQueuesNothing()
{
    EngineOptions options;
    options.syncToNewcomers = true;
    SwimEngine engine(config({}), localValidity, 5, options);
    engine.start(t0);
    engine.takeOutgoing();
    const Source sourceC { nameC, validityC };
    for (const Source &source : { sourceA(), sourceB(), sourceC })
        engine.preload(
            gossip(source, source.name, 3, WireStatus::Online, wire({ { "k", "v" } })), t0);
    // Learnt as from their own gossip: ONLINE with metadata and validity, heard directly...
    const auto a = engine.member(nameA);
    QVERIFY(a);
    QCOMPARE(a->status, MemberStatus::Online);
    QCOMPARE(a->clock, quint64(3));
    QCOMPARE(a->instanceId, validityA);
    QCOMPARE(a->metadata->value(QStringLiteral("k")), QByteArrayLiteral("v"));
    QVERIFY(a->lastHeard.isValid());
    // ...and nothing to send: no GossipAck, no announcement of our record, no sync.
    QVERIFY(!engine.hasOutgoing());
    // Gossip about a third member is no member's own record: ignored.
    engine.preload(gossip(sourceA(), QStringLiteral("127.0.0.1:22009"), 3, WireStatus::Online,
                       wire({ { "k", "v" } })),
        t0);
    QVERIFY(!engine.member(QStringLiteral("127.0.0.1:22009")));
    // A preloaded member is no newcomer: its first packet brings no sync of the others (with
    // 1,000 members in one process that was a sync per member pair at start).
    engine.receive(Ping { sourceA() }, t0 + 1000);
    for (const auto &[to, record] : sent<Gossip>(engine.takeOutgoing()))
        QCOMPARE(record.name, localName); // our own record only (it never acknowledged it)
    QCOMPARE(engine.counters().newcomerSyncs, quint64(0));
}

void TestSwimEngine::hostileClocksRefused()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.receive(gossip(sourceA(), nameB, ~quint64(0), WireStatus::Online, wire({})), t0);
    QCOMPARE(engine.counters().refusedClocks, quint64(1));
    QVERIFY(engine.nextClock() > engine.member(localName)->clock);
    const quint64 big = quint64(std::numeric_limits<qint64>::max());
    engine.receive(gossip(sourceA(), nameB, big, WireStatus::Online, wire({})), t0);
    QCOMPARE(engine.member(nameB)->clock, big);
    // Our own clock never goes past 2^63 - 1 (a qint64, as JSON prints it); an edit at
    // the maximum is counted, not wrapped.
    QCOMPARE(engine.nextClock(), big);
    engine.setLocalMetadata(wire({ { "a", "b" } }), t0);
    QCOMPARE(engine.member(localName)->clock, big);
    engine.setLocalMetadata(wire({ { "a", "c" } }), t0);
    QCOMPARE(engine.member(localName)->clock, big);
    QCOMPARE(engine.counters().clockExhausted, quint64(1));
    // Gossip about us at the maximum cannot be refuted: counted, our clock stays.
    SwimEngine other(config({}), localValidity, 1);
    other.start(t0);
    other.receive(gossip(sourceA(), localName, big, WireStatus::Offline, wire({})), t0);
    QVERIFY(other.member(localName)->clock <= big);
    QCOMPARE(other.nextClock(), big);
    QCOMPARE(other.counters().clockExhausted, quint64(1));
    QCOMPARE(other.counters().refutations, quint64(0));
}

void TestSwimEngine::shuffledRoundRobinProbesEveryMember()
{
    QStringList peers;
    for (int i = 0; i < 20; ++i)
        peers.append(QStringLiteral("10.0.1.%1:7000").arg(i));
    MemberConfig c = config(peers);
    SwimEngine engine(c, localValidity, 42);
    engine.start(t0);
    for (int round = 0; round < 3; ++round) {
        QSet<QString> probed;
        for (int i = 0; i < peers.size(); ++i) {
            const qint64 now = t0 + (round * peers.size() + i) * c.timings.pingIntervalMs;
            engine.tick(now);
            for (const auto &[to, p] : sent<Ping>(engine.takeOutgoing()))
                probed.insert(to);
            engine.tick(now + c.timings.pingTimeoutMs); // no AVAILABLE member: SUSPECT at once
            engine.takeOutgoing();
        }
        QCOMPARE(probed.size(), peers.size());
    }
}

void TestSwimEngine::changesAreCoalesced()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.takeChanges();
    for (int i = 1; i <= 5; ++i)
        engine.receive(gossip(sourceA(), nameB, quint64(i), WireStatus::Online,
                           wire({ { "n", QByteArray::number(i).constData() } })),
            t0 + i);
    const auto changes = engine.takeChanges();
    QCOMPARE(changes.size(), 2); // A (added, heard) and B
    const auto &b = changes[1];
    QCOMPARE(b.member.name, nameB);
    QCOMPARE(b.member.clock, quint64(5));
    QVERIFY(b.what.testFlag(MemberChangeFlag::Added));
    QVERIFY(b.what.testFlag(MemberChangeFlag::Metadata));
    QVERIFY(!engine.hasChanges());
}

void TestSwimEngine::localMetadataKeysAreUnique()
{
    SwimEngine engine(config({}), localValidity, 1);
    engine.start(t0);
    engine.setLocalMetadata(wire({ { "a", "1" }, { "b", "2" }, { "a", "3" } }), t0);
    introduce(engine, sourceA(), t0);
    engine.takeOutgoing();
    engine.tick(t0 + 500);
    bool sent_ = false;
    for (const auto &[to, g] : sent<Gossip>(engine.takeOutgoing())) {
        if (g.name == localName) {
            QCOMPARE(g.metadata, wire({ { "a", "3" }, { "b", "2" } }));
            sent_ = true;
        }
    }
    QVERIFY(sent_);
    QCOMPARE(engine.member(localName)->metadata,
        Metadata({ { QStringLiteral("a"), QByteArray("3") },
            { QStringLiteral("b"), QByteArray("2") } }));
}

QTEST_GUILESS_MAIN(TestSwimEngine)
#include "tst_swimengine.moc"
