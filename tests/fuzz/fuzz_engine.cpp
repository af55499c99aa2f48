// libFuzzer target: random sequences of decoded packets, ticks and local edits
// fed to a SwimEngine, checking its invariants after every step: clocks only
// grow, next_clock is above every clock, gossip never changes the local member
// (only the refutation bumps its clock), the member count stays bounded, and an
// observer never sends a record version it authored about another member.
#include "net/swim/swimengine.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

using namespace shoal;
using namespace shoal::swim;

namespace {

class Input
{
public:
    Input(const uint8_t *data, size_t size)
        : m_data(data)
        , m_size(size)
    { }
    bool atEnd() const { return m_pos >= m_size; }
    uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    quint64 u64()
    {
        quint64 v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | byte();
        return v;
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

const QString localName = QStringLiteral("127.0.0.1:22001");

QString nameOf(uint8_t b)
{
    if (b % 8 == 0)
        return localName;
    return QStringLiteral("127.0.0.1:%1").arg(22001 + b % 24);
}

QByteArray validityOf(uint8_t b)
{
    return QByteArray(8, static_cast<char>('a' + b % 3));
}

Source sourceOf(Input &in)
{
    const uint8_t b = in.byte();
    return Source { nameOf(b), validityOf(static_cast<uint8_t>(b >> 5)) };
}

quint64 clockOf(Input &in)
{
    const uint8_t b = in.byte();
    if (b < 200)
        return b % 40;
    if (b < 250)
        return in.u64() % 100000;
    return in.u64(); // huge ones, beyond what may be accepted
}

WireStatus statusOf(uint8_t b)
{
    switch (b % 3) {
    case 0:
        return WireStatus::Online;
    case 1:
        return WireStatus::Suspect;
    default:
        return WireStatus::Offline;
    }
}

std::optional<WireMetadata> metadataOf(Input &in)
{
    const uint8_t b = in.byte();
    if (b % 4 == 0)
        return std::nullopt;
    WireMetadata m;
    for (int i = 0; i < b % 4 - 1; ++i)
        m.append({ QStringLiteral("k%1").arg(in.byte() % 3), QByteArray(1, char(in.byte() % 4)) });
    return m;
}

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    MemberConfig config;
    config.localName = localName;
    config.peers = { nameOf(1), nameOf(2) };
    config.localMetadata = { { QStringLiteral("role"), QByteArray("fuzz") } };
    const uint8_t setup = in.byte();
    config.role = setup & 1 ? Role::Participant : Role::Observer;
    config.timings.pingReqCount = setup >> 1 & 3;
    EngineOptions options;
    options.probeOrder = setup & 8 ? ProbeOrder::Random : ProbeOrder::ShuffledRoundRobin;
    options.maxMembers = 12;
    SwimEngine engine(config, QByteArrayLiteral("LLLLLLLL"), in.u64(), options);
    qint64 now = 1'700'000'000'000;
    engine.start(now);

    std::map<QString, quint64> clocks;
    std::set<std::pair<QString, quint64>> authored;
    Metadata localMetadata = metadataFromWire(config.localMetadata);
    quint64 localClock = engine.member(localName)->clock;

    for (int steps = 0; !in.atEnd() && steps < 2000; ++steps) {
        const uint8_t op = in.byte();
        bool local = false;
        const quint64 refutationsBefore = engine.counters().refutations;
        switch (op % 8) {
        case 0:
            engine.receive(Ping { sourceOf(in) }, now);
            break;
        case 1: {
            const Source s = sourceOf(in);
            engine.receive(PingReq { s, nameOf(in.byte()) }, now);
            break;
        }
        case 2:
            engine.receive(Ack { sourceOf(in) }, now);
            break;
        case 3:
        case 4: {
            const Source s = sourceOf(in);
            const QString name = nameOf(in.byte());
            const quint64 clock = clockOf(in);
            const WireStatus status = statusOf(in.byte());
            engine.receive(Gossip { s, name, clock, status, metadataOf(in) }, now);
            break;
        }
        case 5: {
            const Source s = sourceOf(in);
            engine.receive(GossipAck { s, nameOf(in.byte()), clockOf(in) }, now);
            break;
        }
        case 6:
            now += qint64(in.byte()) * 20;
            engine.tick(now);
            break;
        default: {
            const auto m = metadataOf(in);
            if (m) {
                engine.setLocalMetadata(*m, now);
                localMetadata = metadataFromWire(*m);
                local = true;
            }
            break;
        }
        }

        const quint64 next = engine.nextClock();
        const auto changes = engine.takeChanges();
        for (const auto &c : changes) {
            if (c.localVerdict && !c.member.local)
                authored.insert({ c.member.name, c.member.clock });
        }
        for (const auto &r : engine.members()) {
            if (r.clock >= next)
                fail("a clock is not below next_clock");
            auto &seen = clocks[r.name];
            if (r.clock < seen)
                fail("a clock went back");
            seen = r.clock;
            if (r.local) {
                if (r.status != MemberStatus::Online)
                    fail("the local member is not ONLINE");
                if (r.metadata != localMetadata)
                    fail("gossip changed the local metadata");
                if (r.clock != localClock && !local
                    && engine.counters().refutations == refutationsBefore)
                    fail("the local clock moved without an edit or a refutation");
                localClock = r.clock;
            }
        }
        if (engine.memberCount() > options.maxMembers + 3)
            fail("more members than the cap allows");
        for (const auto &o : engine.takeOutgoing()) {
            const auto *g = std::get_if<Gossip>(&o.packet);
            if (!g || config.role != Role::Observer || g->name == localName)
                continue;
            if (authored.count({ g->name, g->clock }))
                fail("an observer gossiped a version it authored");
            const auto r = engine.member(g->name);
            if (engine.isLocalVerdict(g->name) && r && r->clock == g->clock)
                fail("an observer gossiped its own verdict");
        }
        if (engine.nextDeadlineMs() < now - 1)
            fail("a deadline was left in the past");
    }
    return 0;
}
