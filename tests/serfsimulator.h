// A simulated network of SerfEngines in one process on a virtual clock, with
// a seeded RNG, UDP loss and delay, blocked links, a drop rule, crashes, pauses,
// restarts, and hooks on every datagram sent and every member change. Datagrams and streams go
// through the real codec (encodePacket/decodePacket, encodeStream/StreamReader), so what an engine
// says is what a Go agent would read. Header only, for tests.
#pragma once

#include "net/serf/memberlist.h"
#include "net/serf/serfengine.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <tuple>
#include <vector>

namespace shoal::serf::sim {

class SerfSimulator final
{
public:
    // Every datagram an engine sends (decoded again), before loss.
    using SentHook = std::function<void(int from, int to, const QList<Message> &messages)>;
    // Return true to drop that datagram or stream (from, to are node indexes). A stream
    // fails when either direction is dropped (a one-way fault breaks TCP); random loss
    // should spare streams, which TCP retransmits, as `loss` does.
    using DropRule = std::function<bool(int from, int to, bool stream)>;
    // Every member change an engine reports, as it reports it.
    using ChangeHook = std::function<void(int node, const SerfMemberChange &change, qint64 now)>;

    explicit SerfSimulator(quint64 seed, qint64 startMs = 1'700'000'000'000)
        : m_random(seed)
        , m_now(startMs)
    { }

    double loss = 0.0; // UDP datagrams lost
    qint64 minDelayMs = 1;
    qint64 maxDelayMs = 5;
    void setSentHook(SentHook hook) { m_sent = std::move(hook); }
    void setDropRule(DropRule rule) { m_dropRule = std::move(rule); }
    void setChangeHook(ChangeHook hook) { m_changeHook = std::move(hook); }

    int addNode(SerfEngineConfig config, Keyring keyring = {})
    {
        const int index = int(m_nodes.size());
        if (config.name.isEmpty())
            config.name = QStringLiteral("node%1").arg(index);
        config.addr = QByteArray::fromHex("0a000000");
        config.addr[2] = char(index / 250);
        config.addr[3] = char(1 + index % 250);
        config.port = 7946;
        config.encrypted = !keyring.isEmpty();
        Node n;
        n.endpoint = Endpoint { config.addr, config.port };
        n.keyring = keyring;
        n.config = config;
        n.engine = std::make_unique<SerfEngine>(config, m_random(), keyring);
        n.engine->start(m_now);
        m_nodes.push_back(std::move(n));
        return index;
    }

    SerfEngine &engine(int node) { return *m_nodes[size_t(node)].engine; }
    Endpoint endpoint(int node) const { return m_nodes[size_t(node)].endpoint; }
    int nodeCount() const { return int(m_nodes.size()); }
    qint64 now() const { return m_now; }
    // The process stops: nothing in, nothing out, no timers. resume() continues the same
    // engine (a pause); restart() starts a new one (incarnation 0) that joins `seed`.
    void crash(int node) { m_nodes[size_t(node)].up = false; }
    void resume(int node) { m_nodes[size_t(node)].up = true; }
    void restart(int node, int seed, const Metadata &tags)
    {
        Node &n = m_nodes[size_t(node)];
        n.config.tags = tags;
        n.engine = std::make_unique<SerfEngine>(n.config, m_random(), n.keyring);
        n.engine->start(m_now);
        n.up = true;
        join(node, seed);
    }
    bool isUp(int node) const { return m_nodes[size_t(node)].up; }
    // Both directions of UDP and TCP between a and b.
    void block(int a, int b) { m_blocked.insert(key(a, b)); }
    void unblock(int a, int b) { m_blocked.remove(key(a, b)); }

    void join(int node, int seed)
    {
        engine(node).join(endpoint(seed), m_now);
        flush(node);
    }

    // Runs every event and timer up to `untilMs` (absolute).
    void runUntil(qint64 untilMs)
    {
        for (;;) {
            qint64 next = std::numeric_limits<qint64>::max();
            if (!m_queue.empty())
                next = std::min(next, m_queue.begin()->first.first);
            for (const Node &n : m_nodes)
                if (n.up)
                    next = std::min(next, n.engine->nextDeadlineMs());
            if (next > untilMs)
                break;
            if (next <= m_now) {
                if (++m_stuck > 100000) {
                    for (int i = 0; i < nodeCount(); ++i)
                        qWarning("node %d deadline %lld now %lld queue %d", i,
                            m_nodes[size_t(i)].engine->nextDeadlineMs(), m_now,
                            int(m_queue.size()));
                    qFatal("simulation stuck");
                }
            } else {
                m_stuck = 0;
            }
            m_now = std::max(m_now, next);
            if (!m_queue.empty() && m_queue.begin()->first.first <= m_now) {
                auto event = std::move(m_queue.begin()->second);
                m_queue.erase(m_queue.begin());
                event();
                continue;
            }
            for (int i = 0; i < nodeCount(); ++i) {
                if (m_nodes[size_t(i)].up && m_nodes[size_t(i)].engine->nextDeadlineMs() <= m_now) {
                    m_nodes[size_t(i)].engine->tick(m_now);
                    flush(i);
                }
            }
        }
        m_now = untilMs;
    }
    void runFor(qint64 ms) { runUntil(m_now + ms); }

    // Flushes what an engine produced into the network (call after driving it).
    void flush(int from)
    {
        Node &n = m_nodes[size_t(from)];
        for (OutgoingPacket &p : n.engine->takeOutgoing())
            sendDatagram(from, p);
        for (StreamRequest &s : n.engine->takeStreamRequests())
            sendStream(from, s);
        const QList<SerfMemberChange> changes = n.engine->takeChanges();
        if (m_changeHook)
            for (const SerfMemberChange &c : changes)
                m_changeHook(from, c, m_now);
        for (SerfEvent &e : n.engine->takeEvents())
            n.events.append(e);
    }

    QList<SerfEvent> &events(int node) { return m_nodes[size_t(node)].events; }
    int indexOf(const Endpoint &e) const
    {
        for (int i = 0; i < nodeCount(); ++i)
            if (m_nodes[size_t(i)].endpoint == e)
                return i;
        return -1;
    }

private:
    struct Node
    {
        std::unique_ptr<SerfEngine> engine;
        SerfEngineConfig config;
        Endpoint endpoint;
        Keyring keyring;
        bool up = true;
        QList<SerfEvent> events;
    };

    static quint64 key(int a, int b)
    {
        return (quint64(std::min(a, b)) << 32) | quint64(std::max(a, b));
    }
    bool dropped(int from, int to, bool stream) const
    {
        return m_blocked.contains(key(from, to)) || (m_dropRule && m_dropRule(from, to, stream));
    }
    qint64 delay()
    {
        return minDelayMs + qint64(m_random() % quint64(maxDelayMs - minDelayMs + 1));
    }
    void schedule(qint64 at, std::function<void()> event)
    {
        m_queue.emplace(std::make_pair(at, m_seq++), std::move(event));
    }

    void sendDatagram(int from, const OutgoingPacket &p)
    {
        const int to = indexOf(p.to);
        const Keyring &ring = m_nodes[size_t(from)].keyring;
        PacketOptions options;
        options.crc = p.crc;
        const QByteArray bytes = encodePacket(p.messages, options, ring);
        if (bytes.isEmpty() || bytes.size() > 1400 + 64)
            qFatal("engine built an unusable datagram");
        if (m_sent) {
            const PacketResult again = decodePacket(bytes, ring);
            if (!std::holds_alternative<DecodedPacket>(again))
                qFatal("engine datagram does not decode");
            m_sent(from, to, std::get<DecodedPacket>(again).messages);
        }
        if (to < 0 || dropped(from, to, false))
            return;
        if (std::uniform_real_distribution<double>(0, 1)(m_random) < loss)
            return;
        const Endpoint source = m_nodes[size_t(from)].endpoint;
        schedule(m_now + delay(), [this, to, bytes, source] {
            Node &target = m_nodes[size_t(to)];
            if (!target.up)
                return;
            const PacketResult r = decodePacket(bytes, target.keyring);
            if (const auto *decoded = std::get_if<DecodedPacket>(&r))
                target.engine->receive(decoded->messages, source, m_now);
            flush(to);
        });
    }

    void sendStream(int from, const StreamRequest &s)
    {
        const int to = indexOf(s.to);
        const quint64 id = s.id;
        auto fail = [this, from, id] {
            if (!m_nodes[size_t(from)].up)
                return;
            m_nodes[size_t(from)].engine->streamFailed(id, m_now);
            flush(from);
        };
        if (to < 0 || dropped(from, to, true) || dropped(to, from, true)
            || !m_nodes[size_t(to)].up) {
            schedule(m_now + delay(), fail);
            return;
        }
        const QByteArray request = encodeStream(s.message, {}, m_nodes[size_t(from)].keyring);
        schedule(m_now + delay(), [this, from, to, id, request, fail] {
            Node &target = m_nodes[size_t(to)];
            if (!target.up)
                return fail();
            StreamReader reader(target.keyring);
            if (reader.feed(request) != StreamReader::State::Done)
                return fail(); // e.g. another key: the receiver drops the connection
            const std::optional<StreamMessage> answer
                = target.engine->handleStream(*reader.message(), m_now);
            flush(to);
            if (!answer)
                return fail();
            const QByteArray bytes = encodeStream(*answer, {}, target.keyring);
            schedule(m_now + delay(), [this, from, id, bytes] {
                Node &source = m_nodes[size_t(from)];
                if (!source.up)
                    return;
                StreamReader back(source.keyring);
                if (back.feed(bytes) != StreamReader::State::Done)
                    source.engine->streamFailed(id, m_now);
                else
                    source.engine->streamAnswered(id, *back.message(), m_now);
                flush(from);
            });
        });
    }

    std::mt19937_64 m_random;
    qint64 m_now;
    quint64 m_seq = 0;
    int m_stuck = 0;
    std::vector<Node> m_nodes;
    QSet<quint64> m_blocked;
    std::multimap<std::pair<qint64, quint64>, std::function<void()>> m_queue;
    SentHook m_sent;
    DropRule m_dropRule;
    ChangeHook m_changeHook;
};

} // namespace shoal::serf::sim
