// libFuzzer target: random sequences of datagrams (decoded by the real codec
// when they decode, else built from the input as messages about a few names),
// stream requests, ticks, tag edits and a leave fed to an observer and a
// member SerfEngine, checking invariants after every step: the local
// incarnation and the three Lamport clocks only grow, the member count stays
// within maxMembers, an observer never sends suspect/dead about another node
// and never originates a verdict, and every datagram an engine builds fits
// the 1400-byte budget and decodes.
#include "net/serf/memberlist.h"
#include "net/serf/serfengine.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace shoal;
using namespace shoal::serf;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

class Input
{
public:
    Input(const uint8_t *data, size_t size)
        : m_data(data)
        , m_size(size)
    { }
    bool atEnd() const { return m_pos >= m_size; }
    uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    QByteArray bytes(size_t n)
    {
        n = std::min(n, m_size - m_pos);
        QByteArray out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(n));
        m_pos += n;
        return out;
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

QString nameOf(uint8_t b)
{
    static const char *const names[] = { "a", "b", "c", "shoal", "m" };
    return QString::fromLatin1(names[b % 5]);
}

// A small message from a few input bytes, about a few names.
Message messageFrom(Input &in)
{
    const uint8_t kind = in.byte();
    const QString node = nameOf(in.byte());
    const QString from = nameOf(in.byte());
    const quint32 inc = in.byte() % 8;
    QByteArray addr = QByteArray::fromHex("0a000000");
    addr[3] = char(in.byte() % 4);
    switch (kind % 9) {
    case 0:
        return Ping { node, in.byte(), addr, from, 7946 };
    case 1:
        return IndirectPing { bool(in.byte() & 1), node, 7946, in.byte(), addr, from, 7946, addr };
    case 2:
        return Ack { std::nullopt, in.byte() };
    case 3:
        return Nack { in.byte() };
    case 4:
        return Suspect { from, inc, node };
    case 5:
        return Dead { from, inc, node };
    case 6: {
        Metadata tags;
        if (in.byte() & 1)
            tags.insert(QStringLiteral("k"), in.bytes(4));
        return Alive { addr, inc, encodeTags(tags), node, 7946, defaultVsn() };
    }
    case 7: {
        const uint8_t s = in.byte();
        if (s % 3 == 0)
            return UserMessage { encodeSerfMessage(LeaveIntent { in.byte(), node, false }) };
        if (s % 3 == 1)
            return UserMessage { encodeSerfMessage(JoinIntent { in.byte(), node }) };
        return UserMessage { encodeSerfMessage(
            UserEvent { true, in.byte(), QStringLiteral("e"), in.bytes(3) }) };
    }
    default:
        return UserMessage { in.bytes(in.byte() % 32) };
    }
}

struct Watched
{
    std::unique_ptr<SerfEngine> engine;
    quint32 incarnation = 0;
    quint64 clocks[3] = { 0, 0, 0 };
};

void drainAndCheck(Watched &w)
{
    SerfEngine &e = *w.engine;
    const bool observer = e.role() == EngineRole::Observer;
    for (const OutgoingPacket &p : e.takeOutgoing()) {
        const QByteArray bytes = encodePacket(p.messages, {});
        check(!bytes.isEmpty() && bytes.size() <= 1400);
        const PacketResult r = decodePacket(bytes);
        check(std::holds_alternative<DecodedPacket>(r));
        if (!observer)
            continue;
        for (const Message &m : std::get<DecodedPacket>(r).messages) {
            if (const auto *s = std::get_if<Suspect>(&m))
                check(s->node == e.localName());
            if (const auto *d = std::get_if<Dead>(&m))
                check(d->node == d->from);
        }
    }
    e.takeStreamRequests();
    e.takeChanges();
    e.takeEvents();
    check(e.incarnation() >= w.incarnation);
    w.incarnation = e.incarnation();
    const quint64 clocks[3] = { e.memberClock(), e.eventClock(), e.queryClock() };
    for (int i = 0; i < 3; ++i) {
        check(clocks[i] >= w.clocks[i]);
        w.clocks[i] = clocks[i];
    }
    check(e.members().size() <= 16);
    if (observer)
        check(e.counters().suspicionsOriginated == 0 && e.counters().probes == 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    Watched engines[2];
    for (int i = 0; i < 2; ++i) {
        SerfEngineConfig c;
        c.name = i == 0 ? QStringLiteral("shoal") : QStringLiteral("m");
        c.addr = QByteArray::fromHex("0a000009");
        c.role = i == 0 ? EngineRole::Observer : EngineRole::Member;
        c.maxMembers = 16;
        engines[i].engine = std::make_unique<SerfEngine>(c, 7);
        engines[i].engine->start(1000);
    }
    qint64 now = 1000;
    const Endpoint peer { QByteArray::fromHex("0a000001"), 7946 };
    while (!in.atEnd()) {
        const uint8_t op = in.byte();
        Watched &w = engines[op & 1];
        SerfEngine &e = *w.engine;
        switch ((op >> 1) % 8) {
        case 0:
        case 1: {
            QList<Message> messages;
            const int n = 1 + in.byte() % 4;
            for (int i = 0; i < n; ++i)
                messages.append(messageFrom(in));
            e.receive(messages, peer, now);
            break;
        }
        case 2: { // raw bytes through the codec
            const PacketResult r = decodePacket(in.bytes(in.byte()));
            if (const auto *p = std::get_if<DecodedPacket>(&r))
                e.receive(p->messages, peer, now);
            break;
        }
        case 3: {
            PushPull pp;
            pp.join = in.byte() & 1;
            const int n = in.byte() % 4;
            for (int i = 0; i < n; ++i) {
                QByteArray addr = QByteArray::fromHex("0a000000");
                addr[3] = char(in.byte() % 4);
                pp.nodes.append(
                    PushNodeState { addr, quint32(in.byte() % 8), encodeTags(Metadata {}),
                        nameOf(in.byte()), 7946, NodeState(in.byte() % 4), defaultVsn() });
            }
            pp.userState = in.bytes(in.byte() % 64);
            (void)e.handleStream(pp, now);
            break;
        }
        case 4:
        case 5:
            now += 1 + in.byte() * 40;
            e.tick(now);
            break;
        case 6:
            e.setTags({ { QStringLiteral("t"), in.bytes(in.byte() % 8) } }, now);
            break;
        case 7:
            if (in.byte() == 0x42)
                e.leave(now);
            break;
        }
        drainAndCheck(w);
    }
    return 0;
}
