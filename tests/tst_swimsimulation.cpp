// Many SWIM engines on a simulated network (virtual time, seeded): cluster-level
// behaviour of SWIM-PROTOCOL.md section 6 and of the observer role.
#include "swimsimulator.h"

#include <QTest>

#include <random>
#include <set>

using namespace shoal;
using namespace shoal::swim;
using namespace shoal::swim::sim;

namespace {

WireMetadata meta(int node, int version)
{
    return { { QStringLiteral("node"), QByteArray::number(node) },
        { QStringLiteral("v"), QByteArray::number(version) } };
}

// Node 0 is the seed every other node is configured with.
std::unique_ptr<SwimSimulator> cluster(
    int count, quint64 seed, bool converged, Role role = Role::Participant)
{
    auto sim = std::make_unique<SwimSimulator>(seed);
    for (int i = 0; i < count; ++i) {
        MemberConfig c;
        if (i > 0)
            c.peers = QStringList { SwimSimulator::nodeName(0) };
        c.localMetadata = meta(i, 0);
        c.role = role;
        sim->addNode(c);
        sim->runFor(37 + (i * 211) % 400); // starts spread out, as real processes are
    }
    if (converged)
        sim->converge();
    return sim;
}

// Every live node other than `member` sees it in that state.
bool allSee(SwimSimulator &sim, int member, MemberStatus status,
    std::optional<WireMetadata> metadata = std::nullopt)
{
    for (int i = 0; i < sim.nodeCount(); ++i) {
        if (i == member || !sim.isUp(i))
            continue;
        const auto r = sim.engine(i).member(sim.name(member));
        if (!r || r->status != status)
            return false;
        if (metadata && r->metadata != metadataFromWire(*metadata))
            return false;
    }
    return true;
}

// A swim-protocol 0.6.3 member as pymap runs it: the reference's rules and packets (no
// direct announcements, its refutation rule, random probe order) at pymap's timings.
EngineOptions referenceOptions()
{
    EngineOptions options;
    options.probeOrder = ProbeOrder::Random;
    options.clockAboveGossipAboutUs = false;
    options.directAnnouncements = false;
    return options;
}

// `count` pymap members after a long quiet period, node 0 the seed every other names.
std::unique_ptr<SwimSimulator> pymapCluster(int count, quint64 seed)
{
    auto sim = std::make_unique<SwimSimulator>(seed);
    for (int i = 0; i < count; ++i) {
        MemberConfig c;
        if (i > 0)
            c.peers = QStringList { SwimSimulator::nodeName(0) };
        c.localMetadata = meta(i, 0);
        c.role = Role::Participant;
        c.timings = Timings::pymap();
        sim->addNode(c, referenceOptions());
    }
    sim->converge();
    return sim;
}

// Shoal as `shoal members --profile pymap` runs it: an observer with one peer, node 0.
MemberConfig shoalConfig()
{
    MemberConfig c;
    c.peers = QStringList { SwimSimulator::nodeName(0) };
    c.localMetadata = { { QStringLiteral("shoal"), QByteArray("monitor") } };
    c.role = Role::Observer;
    c.timings = Timings::pymap();
    return c;
}

bool clocksConsistent(SwimSimulator &sim)
{
    for (int i = 0; i < sim.nodeCount(); ++i) {
        for (const auto &r : sim.engine(i).members()) {
            if (r.clock >= sim.engine(i).nextClock())
                return false;
        }
    }
    return true;
}

} // namespace

class TestSwimSimulation : public QObject
{
    Q_OBJECT

private slots:
    void metadataConverges();
    void failureDetectedThenOffline();
    void offlineMemberComesBack();
    void restartWithNewValidity();
    void refutation();
    void gossipAckBookkeeping();
    void acknowledgementsFollowGossipInFlight();
    void acknowledgementsStayBoundedThroughChurn();
    void observerNeverOriginatesSuspicion_data();
    void observerNeverOriginatesSuspicion();
    void observerOnFlakyLinkAddsNoSuspicion_data();
    void observerOnFlakyLinkAddsNoSuspicion();
    void observerRelaysOnlyWhatTheClusterHolds_data();
    void observerRelaysOnlyWhatTheClusterHolds();
    void observerJoinNeverMakesAMemberHoldItOffline_data();
    void observerJoinNeverMakesAMemberHoldItOffline();
    void observerRecordWinsOverAMemberOwnVersionOfIt_data();
    void observerRecordWinsOverAMemberOwnVersionOfIt();
};

void TestSwimSimulation::metadataConverges()
{
    auto sim = cluster(20, 1, false);
    sim->network() = NetworkOptions { 0.05, 1, 20 };
    const auto converged = [&] {
        for (int j = 0; j < sim->nodeCount(); ++j) {
            if (!allSee(*sim, j, MemberStatus::Online, meta(j, 0)))
                return false;
        }
        return true;
    };
    QVERIFY(sim->runUntil(converged, 120'000));
    QVERIFY(clocksConsistent(*sim));
    sim->setMetadata(5, meta(5, 1));
    QVERIFY(
        sim->runUntil([&] { return allSee(*sim, 5, MemberStatus::Online, meta(5, 1)); }, 60'000));
    // An empty mapping is metadata too (known, not unknown).
    sim->setMetadata(6, {});
    QVERIFY(sim->runUntil(
        [&] { return allSee(*sim, 6, MemberStatus::Online, WireMetadata {}); }, 60'000));
    QVERIFY(clocksConsistent(*sim));
}

void TestSwimSimulation::failureDetectedThenOffline()
{
    auto sim = cluster(20, 2, true);
    const Timings timings;
    qint64 firstSuspect = -1;
    bool falseVerdict = false;
    sim->setChangeHook([&](int node, const MemberChange &c, qint64 now) {
        if (c.member.local || !c.what.testFlag(MemberChangeFlag::Status))
            return;
        if (c.member.name != sim->name(7)) {
            falseVerdict |= c.member.status != MemberStatus::Online;
        } else if (c.member.status == MemberStatus::Suspect && firstSuspect < 0) {
            firstSuspect = now;
        }
        Q_UNUSED(node);
    });
    sim->runFor(10'000);
    const qint64 crashedAt = sim->now();
    sim->crash(7);
    QVERIFY(sim->runUntil([&] { return allSee(*sim, 7, MemberStatus::Offline); }, 60'000));
    QVERIFY(firstSuspect >= crashedAt + timings.pingTimeoutMs);
    QVERIFY(sim->now() >= firstSuspect + timings.suspectTimeoutMs);
    QVERIFY(!falseVerdict);
    QVERIFY(clocksConsistent(*sim));
}

void TestSwimSimulation::offlineMemberComesBack()
{
    auto sim = cluster(15, 3, true);
    sim->network() = NetworkOptions { 0.01, 1, 10 };
    sim->crash(4); // paused, not restarted: same validity, stale state
    QVERIFY(sim->runUntil([&] { return allSee(*sim, 4, MemberStatus::Offline); }, 60'000));
    sim->runFor(20'000);
    sim->resume(4);
    QVERIFY(sim->runUntil(
        [&] {
            if (!allSee(*sim, 4, MemberStatus::Online))
                return false;
            for (int j = 0; j < sim->nodeCount(); ++j) {
                const auto r = sim->engine(4).member(sim->name(j));
                if (r->status != MemberStatus::Online)
                    return false;
            }
            return true;
        },
        60'000));
    QVERIFY(clocksConsistent(*sim));
}

void TestSwimSimulation::restartWithNewValidity()
{
    auto sim = cluster(15, 4, true);
    const QByteArray oldValidity = sim->engine(9).localSource().validity;
    // Restarted before anyone noticed: new validity, new metadata, clock back to 1.
    sim->restart(9, meta(9, 1));
    const QByteArray newValidity = sim->engine(9).localSource().validity;
    QVERIFY(newValidity != oldValidity);
    const auto restarted = [&](int member, const WireMetadata &metadata) {
        if (!allSee(*sim, member, MemberStatus::Online, metadata))
            return false;
        for (int i = 0; i < sim->nodeCount(); ++i) {
            if (i != member
                && sim->engine(i).member(sim->name(member))->instanceId
                    != sim->engine(member).localSource().validity)
                return false;
        }
        return true;
    };
    QVERIFY(sim->runUntil([&] { return restarted(9, meta(9, 1)); }, 60'000));
    // The restarted member relearns the whole cluster.
    QVERIFY(sim->runUntil(
        [&] {
            for (int j = 0; j < sim->nodeCount(); ++j) {
                if (j == 9)
                    continue;
                const auto r = sim->engine(9).member(sim->name(j));
                if (!r || r->status != MemberStatus::Online
                    || r->metadata != metadataFromWire(meta(j, 0)))
                    return false;
            }
            return true;
        },
        60'000));
    // Restarted after being declared OFFLINE everywhere.
    sim->crash(11);
    QVERIFY(sim->runUntil([&] { return allSee(*sim, 11, MemberStatus::Offline); }, 60'000));
    sim->restart(11, meta(11, 2));
    QVERIFY(sim->runUntil([&] { return restarted(11, meta(11, 2)); }, 60'000));
    QVERIFY(clocksConsistent(*sim));
}

void TestSwimSimulation::refutation()
{
    auto sim = cluster(10, 5, true);
    const QString victim = sim->name(3);
    bool cut = true;
    // Node 0 alone cannot hear node 3, not even through ping-req.
    sim->setDropRule([&](int from, int to, const Packet &p) {
        if (!cut)
            return false;
        return (from == 0 && to == 3) || (from == 3 && to == 0)
            || (to == 0 && packetSource(p).name == victim);
    });
    bool victimToldSuspect = false;
    sim->setDeliveredHook([&](int, int to, const Packet &p, qint64) {
        if (const auto *g = std::get_if<Gossip>(&p))
            victimToldSuspect |= to == 3 && g->name == victim && g->status != WireStatus::Online;
    });
    QVERIFY(sim->runUntil(
        [&] { return sim->engine(0).member(victim)->status != MemberStatus::Online; }, 60'000));
    // The others relay node 0's suspicion (and later its OFFLINE verdict) to the victim. (Cut
    // only until node 0 suspects, the others' probes may correct it before any relay reaches
    // the victim: a race this seed lost once the packets, hence the random draws, changed.)
    QVERIFY(sim->runUntil([&] { return victimToldSuspect; }, 60'000));
    cut = false;
    QVERIFY(sim->runUntil([&] { return allSee(*sim, 3, MemberStatus::Online); }, 60'000));
    QVERIFY(sim->engine(3).counters().refutations > 0);
    QCOMPARE(sim->engine(3).member(victim)->status, MemberStatus::Online);
    QVERIFY(clocksConsistent(*sim));
}

// Under steady edits every peer keeps seeing changes it has not acknowledged yet. What an
// engine remembers of its peers' acknowledgements must follow the gossip in flight, not grow
// towards one entry per (peer, member) pair (N^2 per engine, N^3 for `serve --nodes N`).
void TestSwimSimulation::acknowledgementsFollowGossipInFlight()
{
    const int n = 30;
    auto sim = cluster(n, 9, true);
    std::mt19937 random(9);
    int version = 0;
    qsizetype largest = 0;
    for (int step = 0; step < 600; ++step) { // 60 s, an edit every 100 ms
        const int node = static_cast<int>(random() % n);
        sim->setMetadata(node, meta(node, ++version));
        sim->runFor(100);
        for (int i = 0; i < n; ++i)
            largest = std::max(largest, sim->engine(i).acknowledgementEntries());
    }
    // In flight: what one sync sends (the records changed since the last one to that peer)
    // while its acknowledgements travel, a few per peer at most.
    QVERIFY2(largest <= 2 * n, qPrintable(QStringLiteral("largest %1").arg(largest)));
    // Nothing was lost to the compaction: every edit reaches everyone.
    QVERIFY(sim->runUntil(
        [&] {
            for (int m = 0; m < n; ++m) {
                const auto expected = sim->engine(m).member(sim->name(m))->metadata;
                for (int i = 0; i < n; ++i) {
                    if (sim->engine(i).member(sim->name(m))->metadata != expected)
                        return false;
                }
            }
            return true;
        },
        120'000));
    // Quiet again: once everything is acknowledged nothing is held. An entry waits for the
    // next sync to its peer, one of 29 picked at random every 500 ms: a pair is left out of
    // 60 s of syncs with probability (28/29)^120 = 1.5% (one pair's entries were left with
    // this seed once the packets changed), of 300 s with 7e-10, as in the churn test below.
    sim->runFor(300'000);
    for (int i = 0; i < n; ++i)
        QCOMPARE(sim->engine(i).acknowledgementEntries(), 0);
}

// The same with heavy churn, as in the soak: every 2 s a member stops, and comes back 15 s later
// with a new validity (about a quarter of the cluster down at any time), edits meanwhile. What
// an engine holds for stopped and restarted peers is bounded by them, not by the run's length.
void TestSwimSimulation::acknowledgementsStayBoundedThroughChurn()
{
    const int n = 30;
    auto sim = cluster(n, 11, true);
    std::mt19937 random(11);
    int version = 0;
    std::vector<qint64> downUntil(n, -1);
    qsizetype largest = 0;
    for (int step = 0; step < 1800; ++step) { // 180 s
        const int node = static_cast<int>(random() % n);
        if (downUntil[static_cast<size_t>(node)] < 0)
            sim->setMetadata(node, meta(node, ++version));
        if (step % 20 == 0) {
            const int victim = 1 + static_cast<int>(random() % (n - 1));
            if (downUntil[static_cast<size_t>(victim)] < 0) {
                sim->crash(victim);
                downUntil[static_cast<size_t>(victim)] = sim->now() + 15'000;
            }
        }
        for (int i = 0; i < n; ++i) {
            qint64 &until = downUntil[static_cast<size_t>(i)];
            if (until >= 0 && until <= sim->now()) {
                until = -1;
                sim->restart(i, meta(i, ++version));
            }
        }
        sim->runFor(100);
        for (int i = 0; i < n; ++i) {
            if (sim->isUp(i))
                largest = std::max(largest, sim->engine(i).acknowledgementEntries());
        }
    }
    // Each peer stopped (up to 8) or restarted within the last suspect timeout (up to 3) may be
    // owed every record, plus one sync in flight: 12n. One entry per (peer, member) pair, as
    // the engine kept before, is n^2 = 900.
    QVERIFY2(largest <= 12 * n, qPrintable(QStringLiteral("largest %1").arg(largest)));
    for (int i = 0; i < n; ++i) {
        if (!sim->isUp(i))
            sim->restart(i, meta(i, ++version));
    }
    // Every member's last version reaches everyone, and the bookkeeping drains.
    QVERIFY(sim->runUntil(
        [&] {
            for (int m = 0; m < n; ++m) {
                if (!allSee(*sim, m, MemberStatus::Online,
                        metadataToWire(*sim->engine(m).member(sim->name(m))->metadata)))
                    return false;
            }
            return true;
        },
        120'000));
    sim->runFor(300'000); // every peer is a sync target of every member many times over
    for (int i = 0; i < n; ++i)
        QCOMPARE(sim->engine(i).acknowledgementEntries(), 0);
}

void TestSwimSimulation::gossipAckBookkeeping()
{
    auto sim = cluster(10, 6, true);
    const QString origin = sim->name(0);
    for (int p = 1; p < sim->nodeCount(); ++p)
        QCOMPARE(sim->engine(0).acknowledgedClock(sim->name(p), origin), quint64(1));
    sim->setMetadata(0, meta(0, 1));
    const quint64 clock = sim->engine(0).member(origin)->clock;
    QVERIFY(clock > 1);
    for (int p = 1; p < sim->nodeCount(); ++p)
        QVERIFY(sim->engine(0).acknowledgedClock(sim->name(p), origin) < clock);
    // Every peer acknowledges the edit to its author eventually (the author
    // gossips to one random peer per sync_interval).
    QVERIFY(sim->runUntil(
        [&] {
            for (int p = 1; p < sim->nodeCount(); ++p) {
                if (sim->engine(0).acknowledgedClock(sim->name(p), origin) != clock)
                    return false;
            }
            return true;
        },
        120'000));
    QVERIFY(allSee(*sim, 0, MemberStatus::Online, meta(0, 1)));
    // Quiet afterwards: the author sends no more gossip about itself.
    quint64 gossips = 0;
    sim->setSentHook([&](int from, int, const Packet &p, qint64) {
        if (const auto *g = std::get_if<Gossip>(&p))
            gossips += from == 0 && g->name == origin;
    });
    sim->runFor(20'000);
    QCOMPARE(gossips, quint64(0));
}

void TestSwimSimulation::observerNeverOriginatesSuspicion_data()
{
    QTest::addColumn<Role>("role");
    QTest::newRow("observer") << Role::Observer;
    QTest::newRow("participant") << Role::Participant; // the contrast: the test can fail
}

void TestSwimSimulation::observerNeverOriginatesSuspicion()
{
    QFETCH(Role, role);
    auto sim = cluster(10, 7, false);
    MemberConfig c;
    c.peers = QStringList { SwimSimulator::nodeName(0) };
    c.localMetadata = { { QStringLiteral("role"), QByteArray("observer") } };
    c.role = role;
    const int watcher = sim->addNode(c);
    sim->converge();
    const int victim = 4;
    const QString victimName = sim->name(victim);
    const QString watcherName = sim->name(watcher);
    // Only the watcher's link to the victim is broken, forwarded acks included.
    sim->setDropRule([&](int from, int to, const Packet &p) {
        return (from == watcher && to == victim) || (from == victim && to == watcher)
            || (to == watcher && packetSource(p).name == victimName);
    });
    bool watcherSuspected = false;
    bool othersSuspected = false;
    bool suspicionHeard = false;
    bool verdictLeaked = false;
    std::set<std::pair<QString, quint64>> authored;
    sim->setChangeHook([&](int node, const MemberChange &change, qint64) {
        if (node == watcher && change.localVerdict && !change.member.local)
            authored.insert({ change.member.name, change.member.clock });
        if (change.member.name != victimName || change.member.status == MemberStatus::Online)
            return;
        (node == watcher ? watcherSuspected : othersSuspected) = true;
    });
    sim->setSentHook([&](int from, int, const Packet &p, qint64) {
        const auto *g = std::get_if<Gossip>(&p);
        if (from != watcher || !g || g->name == watcherName)
            return;
        const auto r = sim->engine(watcher).member(g->name);
        verdictLeaked |= authored.count({ g->name, g->clock }) > 0
            || (sim->engine(watcher).isLocalVerdict(g->name) && r->clock == g->clock);
    });
    sim->setDeliveredHook([&](int, int, const Packet &p, qint64) {
        if (const auto *g = std::get_if<Gossip>(&p))
            suspicionHeard |= g->name == victimName && g->status != WireStatus::Online;
    });
    sim->runFor(90'000);
    QVERIFY(watcherSuspected); // the scenario did make the watcher suspect the victim
    if (role == Role::Observer) {
        QVERIFY(!othersSuspected);
        QVERIFY(!suspicionHeard);
        QVERIFY(!verdictLeaked);
        QVERIFY(!authored.empty());
        QVERIFY(sim->engine(watcher).counters().suppressedVerdicts > 0);
    } else {
        QVERIFY(suspicionHeard);
        QVERIFY(othersSuspected);
        QVERIFY(verdictLeaked);
    }
    // The watcher is itself seen ONLINE with its metadata by everyone.
    QVERIFY(allSee(*sim, watcher, MemberStatus::Online, c.localMetadata));
}

void TestSwimSimulation::observerOnFlakyLinkAddsNoSuspicion_data()
{
    observerNeverOriginatesSuspicion_data();
}

// The watcher's every link loses 40% of the datagrams both ways; the rest of
// the network is perfect. Others may suspect the watcher itself, but an
// observer must not make anyone hear SUSPECT or OFFLINE about anyone else.
void TestSwimSimulation::observerOnFlakyLinkAddsNoSuspicion()
{
    QFETCH(Role, role);
    auto sim = cluster(12, 8, true);
    MemberConfig c;
    c.peers = QStringList { SwimSimulator::nodeName(0) };
    c.role = role;
    const int watcher = sim->addNode(c);
    sim->converge();
    const QString watcherName = sim->name(watcher);
    std::mt19937 flaky(99);
    sim->setDropRule([&](int from, int to, const Packet &) {
        return (from == watcher || to == watcher)
            && std::uniform_int_distribution<int>(0, 99)(flaky) < 40;
    });
    bool watcherSuspects = false;
    bool othersSuspect = false;
    bool suspicionHeard = false;
    sim->setChangeHook([&](int node, const MemberChange &change, qint64) {
        if (change.member.local || change.member.name == watcherName
            || change.member.status == MemberStatus::Online)
            return;
        (node == watcher ? watcherSuspects : othersSuspect) = true;
    });
    sim->setDeliveredHook([&](int from, int to, const Packet &p, qint64) {
        const auto *g = std::get_if<Gossip>(&p);
        if (g && to != watcher && from != watcher && g->name != watcherName)
            suspicionHeard |= g->status != WireStatus::Online;
        if (g && from == watcher && g->name != watcherName)
            suspicionHeard |= g->status != WireStatus::Online;
    });
    sim->runFor(120'000);
    QVERIFY(watcherSuspects);
    if (role == Role::Observer) {
        QVERIFY(!othersSuspect);
        QVERIFY(!suspicionHeard);
    } else {
        QVERIFY(othersSuspect);
        QVERIFY(suspicionHeard);
    }
}

void TestSwimSimulation::observerRelaysOnlyWhatTheClusterHolds_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("first heard SUSPECT") << QStringLiteral("suspect");
    QTest::newRow("first heard OFFLINE") << QStringLiteral("offline");
    QTest::newRow("restart in between") << QStringLiteral("restart");
}

// Issue 12, defect 1, as in the field: a pymap member is killed, the others hold it SUSPECT
// (or already OFFLINE), then Shoal starts. Shoal must show what the cluster holds and relay
// only versions the cluster itself holds or sent: never a status its own rules derived (the
// OFFLINE that OFFLINE -> SUSPECT makes of a member first heard of as SUSPECT), which made a
// pymap member go OFFLINE 120 s after the kill instead of 300 s, and left another SUSPECT for
// good by cancelling its suspect timer.
void TestSwimSimulation::observerRelaysOnlyWhatTheClusterHolds()
{
    QFETCH(QString, scenario);
    const int n = 8;
    auto sim = pymapCluster(n, 21);
    const int victim = 5;
    const QString victimName = sim->name(victim);
    sim->runFor(30'000);
    sim->crash(victim);
    const auto othersHold = [&](MemberStatus status) {
        for (int i = 0; i < n; ++i) {
            if (i != victim && sim->engine(i).member(victimName)->status != status)
                return false;
        }
        return true;
    };
    QVERIFY(sim->runUntil([&] { return othersHold(MemberStatus::Suspect); }, 600'000, 1000));
    if (scenario == u"offline")
        QVERIFY(sim->runUntil([&] { return othersHold(MemberStatus::Offline); }, 900'000, 1000));

    // Every version (status, clock) of the victim that a pymap member held or sent.
    using Version = std::pair<MemberStatus, quint64>;
    std::set<Version> cluster;
    for (int i = 0; i < n; ++i) {
        const auto r = sim->engine(i).member(victimName);
        cluster.insert({ r->status, r->clock });
    }
    const int shoal = sim->nodeCount();
    std::optional<Version> firstShown;
    sim->setChangeHook([&](int node, const MemberChange &c, qint64) {
        if (c.member.name != victimName)
            return;
        if (node != shoal)
            cluster.insert({ c.member.status, c.member.clock });
        else if (!firstShown && c.member.clock > 0)
            firstShown = Version { c.member.status, c.member.clock };
    });
    sim->setSentHook([&](int from, int, const Packet &p, qint64) {
        const auto *g = std::get_if<Gossip>(&p);
        if (g && from != shoal && g->name == victimName)
            cluster.insert({ memberStatusFromWire(g->status), g->clock });
    });
    int relayed = 0;
    QStringList madeUp;
    QStringList timersCancelled;
    sim->setDeliveredHook([&](int from, int to, const Packet &p, qint64 now) {
        const auto *g = std::get_if<Gossip>(&p);
        if (!g || from != shoal || g->name != victimName)
            return;
        ++relayed;
        const MemberStatus status = memberStatusFromWire(g->status);
        const QString what = QStringLiteral("%1 clock %2 to node %3 at %4 ms")
                                 .arg(memberStatusName(status))
                                 .arg(g->clock)
                                 .arg(to)
                                 .arg(now);
        if (!cluster.count({ status, g->clock }))
            madeUp.append(what);
        // Any status but SUSPECT cancels the receiver's suspect timer; unless the gossip also
        // replaces its record (a newer clock), it stays SUSPECT with no timer left.
        const auto r = sim->engine(to).member(victimName);
        if (!sim->isUp(victim) && r && r->status == MemberStatus::Suspect
            && status != MemberStatus::Suspect && g->clock <= r->clock)
            timersCancelled.append(what);
    });
    QCOMPARE(sim->addNode(shoalConfig()), shoal);
    if (scenario == u"restart") {
        QVERIFY(sim->runUntil([&] { return firstShown.has_value(); }, 600'000));
        sim->restart(victim); // a new process: new validity, clock 1
        QVERIFY(sim->runUntil(
            [&] {
                return allSee(*sim, victim, MemberStatus::Online)
                    && sim->engine(shoal).member(victimName)->instanceId
                    == sim->engine(victim).localSource().validity;
            },
            1'200'000, 1000));
        sim->runFor(600'000);
    } else {
        sim->runFor(1'200'000);
    }
    QVERIFY(relayed > 0);
    QVERIFY2(madeUp.isEmpty(), qPrintable(madeUp.join(u", ")));
    QVERIFY2(timersCancelled.isEmpty(), qPrintable(timersCancelled.join(u", ")));
    // It showed what the cluster held: SUSPECT, not the OFFLINE its rules would make of it.
    QVERIFY(firstShown);
    QCOMPARE(
        firstShown->first, scenario == u"offline" ? MemberStatus::Offline : MemberStatus::Suspect);
    QVERIFY(cluster.count(*firstShown));
    if (scenario == u"restart")
        QCOMPARE(sim->engine(shoal).member(victimName)->status, MemberStatus::Online);
}

void TestSwimSimulation::observerJoinNeverMakesAMemberHoldItOffline_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 31; seed <= 34; ++seed)
        QTest::addRow("seed %llu", seed) << seed;
}

// Issue 12, defect 2: Shoal joins a pymap cluster through one peer. No member may ever hold
// Shoal OFFLINE because of the join (pymap reports itself unhealthy meanwhile; it was for
// about 21 s on every join), and every member learns Shoal's metadata within a bound.
void TestSwimSimulation::observerJoinNeverMakesAMemberHoldItOffline()
{
    QFETCH(quint64, seed);
    const int n = 8;
    auto sim = pymapCluster(n, seed);
    // One fixed delay: the network keeps the order of the packets one member sends another.
    sim->network() = NetworkOptions { 0.0, 2, 2 };
    sim->runFor(45'000);
    const int shoal = sim->nodeCount();
    const QString shoalName = SwimSimulator::nodeName(shoal);
    QStringList heldOffline;
    // Called after every step that changed a member's record anywhere.
    sim->setChangeHook([&](int node, const MemberChange &c, qint64 now) {
        if (node != shoal && c.member.name == shoalName && c.member.status == MemberStatus::Offline)
            heldOffline.append(QStringLiteral("node %1 at %2 ms").arg(node).arg(now));
    });
    const qint64 start = sim->now();
    const MemberConfig config = shoalConfig();
    QCOMPARE(sim->addNode(config), shoal);
    QVERIFY(sim->runUntil(
        [&] { return allSee(*sim, shoal, MemberStatus::Online, config.localMetadata); }, 3'600'000,
        100));
    const qint64 took = sim->now() - start;
    qInfo("every member has Shoal's metadata %lld s after its start", took / 1000);
    // Shoal learns the members from their syncs (30 s apart, to a random member each), and
    // they learn its record from each other's syncs or from Shoal's own probes (one member per
    // 10 s, its record ahead of each Ping). Measured over 100 seeds: median 110 s, 90% within
    // 150 s, at most 180 s; bound 8 sync intervals.
    QVERIFY2(took <= 240'000, qPrintable(QString::number(took)));
    sim->runFor(600'000);
    QVERIFY2(heldOffline.isEmpty(), qPrintable(heldOffline.join(u", ")));
    QVERIFY(allSee(*sim, shoal, MemberStatus::Online, config.localMetadata));
}

void TestSwimSimulation::observerRecordWinsOverAMemberOwnVersionOfIt_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 41; seed <= 50; ++seed)
        QTest::addRow("seed %llu", seed) << seed;
}

// Issue 12, defect 3: a pymap member probed Shoal before it heard Shoal's record, so it holds
// its own version of Shoal (ONLINE, a clock above Shoal's, metadata unknown), which the record
// others relay (Shoal's lower clock) never replaces; only Shoal's own gossip to it does, which
// reached it by Shoal's syncs alone (one random member per 30 s): over 5 minutes in the field.
void TestSwimSimulation::observerRecordWinsOverAMemberOwnVersionOfIt()
{
    QFETCH(quint64, seed);
    const int n = 8;
    auto sim = pymapCluster(n, seed);
    sim->runFor(45'000);
    const int member = 3;
    const int shoal = sim->nodeCount();
    const QString shoalName = SwimSimulator::nodeName(shoal);
    bool hidden = true;
    // Until then the member hears nothing of Shoal's record, from anyone.
    sim->setDropRule([&](int, int to, const Packet &p) {
        const auto *g = std::get_if<Gossip>(&p);
        return hidden && to == member && g && g->name == shoalName;
    });
    const MemberConfig config = shoalConfig();
    QCOMPARE(sim->addNode(config), shoal);
    const auto ownVersion = [&] {
        const auto r = sim->engine(member).member(shoalName);
        return r && r->status == MemberStatus::Online && !r->metadata
            && sim->engine(member).isLocalVerdict(shoalName);
    };
    QVERIFY(sim->runUntil(ownVersion, 3'600'000, 100));
    QVERIFY(
        sim->engine(member).member(shoalName)->clock > sim->engine(shoal).member(shoalName)->clock);
    // The others all have Shoal's record by now or soon: it never wins over that version.
    hidden = false;
    const qint64 from = sim->now();
    QVERIFY(sim->runUntil(
        [&] {
            return sim->engine(member).member(shoalName)->metadata
                == metadataFromWire(config.localMetadata);
        },
        3'600'000, 100));
    const qint64 took = sim->now() - from;
    qInfo("member %d took Shoal's metadata %lld s later", member, took / 1000);
    // The next packet between them carries Shoal's record: a probe either way (Shoal probes
    // each member once per round of n pings 10 s apart) or the member's sync to Shoal (at most
    // once per 30 s, as the record itself). Measured over 100 seeds: median 40 s, 90% within
    // 75 s, at most 125 s. Before, only Shoal's sync to it did (1 in 8 syncs, 30 s apart).
    QVERIFY2(took <= 150'000, qPrintable(QString::number(took)));
    QCOMPARE(sim->engine(member).member(shoalName)->status, MemberStatus::Online);
}

QTEST_GUILESS_MAIN(TestSwimSimulation)
#include "tst_swimsimulation.moc"
