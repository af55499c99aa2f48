// Cost of the SWIM engine per packet and per tick, by member count: it must
// not grow with the cluster beyond hash lookups (wall time, one core).
//
// bench_swimengine [--sizes 100,10000,100000] [--packets N]
#include "net/swim/swimengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <cstdio>

using namespace shoal;
using namespace shoal::swim;

namespace {

QString nameOf(int i)
{
    return QStringLiteral("10.%1.%2.%3:7946").arg(i >> 16 & 255).arg(i >> 8 & 255).arg(i & 255);
}

void measure(int members, int packets)
{
    MemberConfig c;
    c.localName = QStringLiteral("127.0.0.1:22001");
    c.localMetadata = { { QStringLiteral("role"), QByteArray("bench") } };
    c.role = Role::Participant;
    EngineOptions options;
    options.maxMembers = members + 10;
    SwimEngine engine(c, QByteArrayLiteral("LLLLLLLL"), 1, options);
    qint64 now = 1'700'000'000'000;
    engine.start(now);
    std::vector<Source> sources;
    sources.reserve(static_cast<size_t>(members));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < members; ++i) {
        sources.push_back(Source { nameOf(i), QByteArrayLiteral("vvvvvvvv") });
        engine.receive(Gossip { sources.back(), sources.back().name, 1, WireStatus::Online,
                           WireMetadata { { QStringLiteral("k"), QByteArray("v") } } },
            now);
    }
    for (int i = 0; i < members; ++i)
        engine.assumeAcknowledged(sources[static_cast<size_t>(i)].name);
    engine.takeOutgoing();
    engine.takeChanges();
    const double setupMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    // Ticks: one probe per ping_interval, a sync per sync_interval, verdicts.
    // Probed members answer and gossip is acknowledged, as in a healthy,
    // settled cluster (measured before the packets below change every member).
    quint64 sent = 0;
    const auto runTicks = [&](int count) {
        for (int i = 0; i < count; ++i) {
            now += 50;
            engine.tick(now);
            const auto out = engine.takeOutgoing();
            sent += static_cast<quint64>(out.size());
            for (const auto &o : out) {
                const Source from { o.to, QByteArrayLiteral("vvvvvvvv") };
                if (std::holds_alternative<Ping>(o.packet))
                    engine.receive(Ack { from }, now);
                else if (const auto *g = std::get_if<Gossip>(&o.packet))
                    engine.receive(GossipAck { from, g->name, g->clock }, now);
            }
            engine.takeOutgoing();
            engine.takeChanges();
        }
    };
    runTicks(2000);
    sent = 0;
    QElapsedTimer tickTimer;
    tickTimer.start();
    const int ticks = 20000;
    runTicks(ticks);
    const double tick = static_cast<double>(tickTimer.nsecsElapsed()) / ticks;

    const auto perPacket = [&](auto &&make) {
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < packets; ++i) {
            engine.receive(make(i), now);
            if ((i & 255) == 255) {
                engine.takeOutgoing();
                engine.takeChanges();
            }
        }
        engine.takeOutgoing();
        engine.takeChanges();
        return static_cast<double>(t.nsecsElapsed()) / packets;
    };
    const auto source = [&](int i) { return sources[static_cast<size_t>(i % members)]; };
    const double ping = perPacket([&](int i) { return Packet(Ping { source(i) }); });
    const double stale = perPacket([&](int i) {
        const Source s = source(i);
        return Packet(Gossip { source(i + 1), s.name, 1, WireStatus::Online,
            WireMetadata { { QStringLiteral("k"), QByteArray("v") } } });
    });
    quint64 clock = 2;
    const double fresh = perPacket([&](int i) {
        const Source s = source(i);
        return Packet(Gossip { source(i + 1), s.name, clock++, WireStatus::Online,
            WireMetadata { { QStringLiteral("k"), QByteArray::number(i) } } });
    });
    const double ack = perPacket([&](int i) {
        return Packet(GossipAck { source(i), source(i + 7).name, 1 });
    });
    std::printf("%8d members: setup %8.0f ms | ns per packet: Ping %6.0f, stale Gossip %6.0f, "
                "new Gossip %6.0f, GossipAck %6.0f | ns per 50 ms tick %6.0f (%.2f packets out "
                "per tick)\n",
        members, setupMs, ping, stale, fresh, ack, tick, static_cast<double>(sent) / ticks);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> sizes { 100, 10000, 100000 };
    int packets = 500000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--sizes") {
            sizes.clear();
            for (const QString &s : args[i + 1].split(u','))
                sizes.append(s.toInt());
        } else if (args[i] == u"--packets") {
            packets = args[i + 1].toInt();
        }
    }
    for (int n : std::as_const(sizes))
        measure(n, packets);
    return 0;
}
