// Failure detection and dissemination of the SWIM engine, in protocol periods,
// measured on the simulated network (virtual time, seeded, so exact and
// repeatable), random vs shuffled round-robin probing, beside the SWIM paper.
//
// bench_swimsim [--sizes 10,100,1000] [--trials N] [--seed S] [--loss P] [--cap periods] [--cold]
#include "../swimsimulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

using namespace shoal;
using namespace shoal::swim;
using namespace shoal::swim::sim;

namespace {

struct Stats
{
    std::vector<double> values;
    void add(double v) { values.push_back(v); }
    double mean() const
    {
        return values.empty() ? std::nan("")
                              : std::accumulate(values.begin(), values.end(), 0.0)
                / static_cast<double>(values.size());
    }
    double quantile(double q) const
    {
        if (values.empty())
            return std::nan("");
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        const auto index = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return sorted[std::min(sorted.size() - 1, index > 0 ? index - 1 : 0)];
    }
    double max() const { return quantile(1.0); }
};

struct Result
{
    int members = 0;
    ProbeOrder order = ProbeOrder::Random;
    Stats firstProbe; // crash -> first Ping sent to it by anyone
    Stats firstSuspect; // crash -> first SUSPECT verdict anywhere
    Stats firstOffline;
    Stats halfOffline; // crash -> half the live members have it OFFLINE
    Stats mostOffline; // crash -> 99% of them
    Stats allOffline; // crash -> every live member has it OFFLINE
    int allOfflineMissed = 0; // trials where some member stayed SUSPECT past the cap
    Stats notOfflineAtCap; // in those trials, how many members still did not say OFFLINE
    Stats editFirst; // edit -> first other member has it
    Stats editAll; // edit -> every other member has it
    Stats editPackets; // gossip packets sent during one edit's spread
    double wallSeconds = 0;
};

WireMetadata meta(int node, int version)
{
    return { { QStringLiteral("node"), QByteArray::number(node) },
        { QStringLiteral("v"), QByteArray::number(version) } };
}

Result run(int members, ProbeOrder order, int trials, quint64 seed, double loss, int capPeriods)
{
    QElapsedTimer wall;
    wall.start();
    Result result;
    result.members = members;
    result.order = order;
    const Timings timings;
    const double period = static_cast<double>(timings.pingIntervalMs);

    SwimSimulator sim(seed);
    EngineOptions options;
    options.probeOrder = order;
    for (int i = 0; i < members; ++i) {
        MemberConfig c;
        c.localMetadata = meta(i, 0);
        c.role = Role::Participant;
        sim.addNode(c, options);
    }
    sim.converge();
    sim.network() = NetworkOptions { loss, 1, 10 };
    std::mt19937_64 random(seed ^ 0x5eed);

    // What every node currently believes about the node under test, by hook.
    int victim = -1;
    int lastVictim = -1;
    QString victimName;
    std::vector<MemberStatus> believed(static_cast<size_t>(members), MemberStatus::Online);
    int offlineCount = 0;
    int onlineCount = members - 1;
    qint64 firstProbe = -1, firstSuspect = -1, firstOffline = -1;
    int editNode = -1;
    QByteArray editVersion;
    std::vector<char> hasEdit(static_cast<size_t>(members), 0);
    int editCount = 0;
    qint64 editFirst = -1;
    quint64 gossipSent = 0;

    sim.setSentHook([&](int, int to, const Packet &p, qint64 now) {
        if (std::holds_alternative<Gossip>(p))
            ++gossipSent;
        if (to == victim && victim >= 0 && firstProbe < 0 && std::holds_alternative<Ping>(p))
            firstProbe = now;
    });
    sim.setChangeHook([&](int node, const MemberChange &c, qint64 now) {
        if (victim >= 0 && node != victim && c.member.name == victimName
            && c.what.testFlag(MemberChangeFlag::Status)) {
            const auto before = believed[static_cast<size_t>(node)];
            const auto after = c.member.status;
            believed[static_cast<size_t>(node)] = after;
            offlineCount += (after == MemberStatus::Offline) - (before == MemberStatus::Offline);
            onlineCount += (after == MemberStatus::Online) - (before == MemberStatus::Online);
            if (after == MemberStatus::Suspect && firstSuspect < 0)
                firstSuspect = now;
            if (after == MemberStatus::Offline && firstOffline < 0)
                firstOffline = now;
        }
        if (editNode >= 0 && node != editNode && c.member.name == sim.name(editNode)
            && c.member.metadata && c.member.metadata->value(QStringLiteral("v")) == editVersion
            && !hasEdit[static_cast<size_t>(node)]) {
            hasEdit[static_cast<size_t>(node)] = 1;
            ++editCount;
            if (editFirst < 0)
                editFirst = now;
        }
    });

    sim.runFor(5000);
    const auto phase
        = [&] { return static_cast<qint64>(std::uniform_int_distribution<int>(0, 999)(random)); };
    for (int t = 0; t < trials; ++t) {
        // Failure detection: crash at a random phase of the period.
        sim.runFor(phase());
        victim = std::uniform_int_distribution<int>(0, members - 1)(random);
        victimName = sim.name(victim);
        std::fill(believed.begin(), believed.end(), MemberStatus::Online);
        offlineCount = 0;
        onlineCount = members - 1;
        firstProbe = firstSuspect = firstOffline = -1;
        const qint64 crashedAt = sim.now();
        sim.crash(victim);
        qint64 half = -1, most = -1;
        const int live = members - 1;
        const qint64 cap
            = qint64(capPeriods > 0 ? capPeriods : 3 * members + 60) * timings.pingIntervalMs;
        const bool all = sim.runUntil(
            [&] {
                if (half < 0 && 2 * offlineCount >= live)
                    half = sim.now();
                if (most < 0 && 100 * offlineCount >= 99 * live)
                    most = sim.now();
                return offlineCount == live;
            },
            cap, 10);
        if (half >= 0)
            result.halfOffline.add(static_cast<double>(half - crashedAt) / period);
        if (most >= 0)
            result.mostOffline.add(static_cast<double>(most - crashedAt) / period);
        result.allOfflineMissed += all ? 0 : 1;
        if (!all)
            result.notOfflineAtCap.add(live - offlineCount);
        if (firstProbe >= 0)
            result.firstProbe.add(static_cast<double>(firstProbe - crashedAt) / period);
        if (firstSuspect >= 0)
            result.firstSuspect.add(static_cast<double>(firstSuspect - crashedAt) / period);
        if (firstOffline >= 0)
            result.firstOffline.add(static_cast<double>(firstOffline - crashedAt) / period);
        if (all)
            result.allOffline.add(static_cast<double>(sim.now() - crashedAt) / period);
        // Back, and quiet again before the next trial.
        sim.resume(victim);
        sim.runUntil([&] { return onlineCount == members - 1; }, 600'000, 100);
        lastVictim = victim;
        victim = -1;
        sim.runFor(3000);

        // Dissemination: one member edits its metadata at a random phase.
        sim.runFor(phase());
        // Not the member just brought back: others still hold versions of its
        // record with higher clocks than its own next_clock, so its edit spreads
        // only by its own gossip (a reference behaviour, measured apart).
        do {
            editNode = std::uniform_int_distribution<int>(0, members - 1)(random);
        } while (editNode == lastVictim && members > 1);
        editVersion = QByteArray::number(t + 1);
        std::fill(hasEdit.begin(), hasEdit.end(), 0);
        editCount = 0;
        editFirst = -1;
        const quint64 gossipBefore = gossipSent;
        const qint64 editedAt = sim.now();
        sim.setMetadata(editNode, meta(editNode, t + 1));
        if (sim.runUntil([&] { return editCount == members - 1; }, 600'000, 10)) {
            result.editAll.add(static_cast<double>(sim.now() - editedAt) / period);
            result.editFirst.add(static_cast<double>(editFirst - editedAt) / period);
        }
        sim.runFor(5000); // let the last redundant gossip and acks settle
        result.editPackets.add(static_cast<double>(gossipSent - gossipBefore));
        editNode = -1;
    }
    result.wallSeconds = static_cast<double>(wall.elapsed()) / 1000.0;
    return result;
}

// Start-up from nothing (every node knows only node 0): time and packets
// until every node sees every other ONLINE with its metadata.
void coldStart(int members, quint64 seed)
{
    SwimSimulator sim(seed);
    for (int i = 0; i < members; ++i) {
        MemberConfig c;
        if (i > 0)
            c.peers = QStringList { SwimSimulator::nodeName(0) };
        c.localMetadata = meta(i, 0);
        c.role = Role::Participant;
        sim.addNode(c);
    }
    long known = 0;
    const long wanted = long(members) * (members - 1);
    std::vector<char> seen(static_cast<size_t>(members) * static_cast<size_t>(members), 0);
    sim.setChangeHook([&](int node, const MemberChange &c, qint64) {
        if (c.member.local || c.member.status != MemberStatus::Online || !c.member.metadata)
            return;
        const int j = sim.indexOf(c.member.name);
        auto &flag = seen[static_cast<size_t>(node) * static_cast<size_t>(members)
            + static_cast<size_t>(j)];
        if (!flag) {
            flag = 1;
            ++known;
        }
    });
    const qint64 start = sim.now();
    const bool done = sim.runUntil([&] { return known >= wanted; }, 3'600'000, 100);
    const qint64 convergedAt = sim.now();
    const quint64 packetsAtConvergence = sim.packetsSent();
    // Packets until quiet: run until a whole minute passes with only probe traffic.
    quint64 gossip = 0;
    sim.setSentHook([&](int, int, const Packet &p, qint64) {
        gossip += std::holds_alternative<Gossip>(p) || std::holds_alternative<GossipAck>(p);
    });
    qint64 quietAt = sim.now();
    for (int minute = 0; minute < 120; ++minute) {
        const quint64 before = gossip;
        sim.runFor(60'000);
        if (gossip == before)
            break;
        quietAt = sim.now();
    }
    std::printf("cold start %5d members: all see all after %s s, %llu packets; gossip+acks "
                "after convergence until quiet: %llu (quiet after %.0f s)\n",
        members,
        done ? QByteArray::number(double(convergedAt - start) / 1000.0, 'f', 1).constData()
             : "(not within 1 h)",
        static_cast<unsigned long long>(packetsAtConvergence),
        static_cast<unsigned long long>(gossip), double(quietAt - start) / 1000.0);
    std::fflush(stdout);
}

void print(const Result &r)
{
    std::printf("%6d  %-9s %5zu %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %5.2f %5.2f %6.2f "
                "| %6.1f %6.1f %2d | %5.2f %5.2f %5.2f %6.0f | %4.2f %5.2f  (%.0f s)\n",
        r.members, r.order == ProbeOrder::Random ? "random" : "shuffled",
        r.firstProbe.values.size(), r.firstProbe.mean(), r.firstProbe.quantile(0.99),
        r.firstProbe.max(), r.firstSuspect.mean(), r.firstSuspect.quantile(0.99),
        r.firstSuspect.max(), r.firstOffline.mean(), r.halfOffline.mean(), r.mostOffline.mean(),
        r.allOffline.mean(), r.allOffline.max(), r.allOfflineMissed, r.editFirst.mean(),
        r.editAll.mean(), r.editAll.max(), r.editPackets.mean(),
        std::exp(1.0) / (std::exp(1.0) - 1.0), std::log2(double(r.members)), r.wallSeconds);
    if (r.allOfflineMissed > 0)
        std::printf("        %d trial(s) not all OFFLINE within the cap: %.1f members (mean) still "
                    "SUSPECT there\n",
            r.allOfflineMissed, r.notOfflineAtCap.mean());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> sizes { 10, 100, 1000 };
    int trials = 0; // 0: per size default
    quint64 seed = 1;
    double loss = 0.0;
    bool cold = false;
    int cap = 0; // periods to wait for OFFLINE everywhere; 0: 3 N + 60
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == u"--sizes") {
            sizes.clear();
            for (const QString &s : next.split(u','))
                sizes.append(s.toInt());
            ++i;
        } else if (a == u"--trials") {
            trials = next.toInt();
            ++i;
        } else if (a == u"--seed") {
            seed = next.toULongLong();
            ++i;
        } else if (a == u"--loss") {
            loss = next.toDouble();
            ++i;
        } else if (a == u"--cap") {
            cap = next.toInt();
            ++i;
        } else if (a == u"--cold") {
            cold = true;
        } else {
            std::fprintf(stderr,
                "usage: bench_swimsim [--sizes 10,100,1000] [--trials N] [--seed S] "
                "[--loss P] [--cap periods] [--cold]\n");
            return 2;
        }
    }
    const Timings t;
    std::printf("SWIM engine simulation: swim timings (ping %lld ms, ping timeout %lld ms, "
                "ping-req timeout %lld ms, suspect %lld ms, sync %lld ms), delay 1-10 ms, "
                "loss %.0f%%, seed %llu\n",
        static_cast<long long>(t.pingIntervalMs), static_cast<long long>(t.pingTimeoutMs),
        static_cast<long long>(t.pingReqTimeoutMs), static_cast<long long>(t.suspectTimeoutMs),
        static_cast<long long>(t.syncIntervalMs), loss * 100,
        static_cast<unsigned long long>(seed));
    std::printf("All times in protocol periods (ping_interval), from the crash or the edit.\n\n");
    std::printf("                       first probe of it | first SUSPECT     | OFFLINE at        "
                "| OFFLINE at all   | edit reaches   all  gossip | paper\n");
    std::printf(
        "     N  order    trials mean   p99   max |  mean   p99   max | first  50%%    99%% "
        "|   mean    max mis| first  mean   max packets | e/e-1 log2N\n");
    for (int n : std::as_const(sizes)) {
        const int count = trials > 0 ? trials : (n <= 10 ? 300 : n <= 100 ? 100 : 10);
        for (ProbeOrder order : { ProbeOrder::Random, ProbeOrder::ShuffledRoundRobin })
            print(run(n, order, count, seed + quint64(n), loss, cap));
    }
    if (cold) {
        std::printf("\n");
        for (int n : std::as_const(sizes)) {
            if (n <= 200)
                coldStart(n, seed);
        }
    }
    return 0;
}
