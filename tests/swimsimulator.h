// A simulated network of SwimEngines in one process on a virtual clock, with
// a seeded RNG, loss, delay with jitter, blocked links, drop rules, crashes and
// restarts: repeatable runs for tests and benchmarks (header only).
#pragma once

#include "net/swim/swimengine.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <vector>

namespace shoal::swim::sim {

struct NetworkOptions
{
    double loss = 0.0; // probability that a datagram is lost
    qint64 minDelayMs = 1; // one-way delay, uniform in [min, max]
    qint64 maxDelayMs = 5;
};

class SwimSimulator final
{
public:
    // Return true to drop that packet (from, to are node indexes).
    using DropRule = std::function<bool(int from, int to, const Packet &packet)>;
    // Every packet an engine sends (before loss), and every packet delivered.
    using PacketHook = std::function<void(int from, int to, const Packet &packet, qint64 now)>;
    using ChangeHook = std::function<void(int node, const MemberChange &change, qint64 now)>;

    explicit SwimSimulator(quint64 seed, qint64 startMs = 1'700'000'000'000)
        : m_random(seed)
        , m_now(startMs)
    { }

    static QString nodeName(int index)
    {
        return QStringLiteral("10.%1.%2.1:7946").arg(index / 250).arg(index % 250);
    }

    NetworkOptions &network() { return m_network; }
    void setDropRule(DropRule rule) { m_dropRule = std::move(rule); }
    void setSentHook(PacketHook hook) { m_sentHook = std::move(hook); }
    void setDeliveredHook(PacketHook hook) { m_deliveredHook = std::move(hook); }
    void setChangeHook(ChangeHook hook) { m_changeHook = std::move(hook); }

    // Adds and starts a node; config.localName is filled in when empty.
    int addNode(MemberConfig config, EngineOptions options = {})
    {
        const int index = static_cast<int>(m_nodes.size());
        if (config.localName.isEmpty())
            config.localName = nodeName(index);
        m_index.insert(config.localName, index);
        m_nodes.emplace_back();
        m_nodes.back().config = std::move(config);
        m_nodes.back().options = options;
        boot(index);
        return index;
    }

    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    int indexOf(const QString &name) const { return m_index.value(name, -1); }
    QString name(int node) const { return m_nodes[slot(node)].config.localName; }
    SwimEngine &engine(int node) { return *m_nodes[slot(node)].engine; }
    const SwimEngine &engine(int node) const { return *m_nodes[slot(node)].engine; }
    bool isUp(int node) const { return m_nodes[slot(node)].up; }
    qint64 now() const { return m_now; }

    // The process stops: nothing in, nothing out, no timers. resume() continues
    // the same engine (a pause); restart() boots a new one with a new validity.
    void crash(int node)
    {
        Node &n = m_nodes[slot(node)];
        n.up = false;
        ++n.epoch; // its queued timers are void
        n.queued = -1;
    }
    void resume(int node)
    {
        m_nodes[slot(node)].up = true;
        schedule(node);
    }
    void restart(int node, std::optional<WireMetadata> metadata = std::nullopt)
    {
        if (metadata)
            m_nodes[slot(node)].config.localMetadata = *metadata;
        boot(node);
    }

    // Directed link from -> to.
    void setBlocked(int from, int to, bool blocked)
    {
        const quint64 key = linkKey(from, to);
        if (blocked)
            m_blocked.insert(key);
        else
            m_blocked.remove(key);
    }

    void setMetadata(int node, const WireMetadata &metadata)
    {
        engine(node).setLocalMetadata(metadata, m_now);
        flush(node);
    }

    // Every node learns every other ONLINE with its metadata and every peer
    // counts as having acknowledged it all: a cluster after long quiet,
    // without paying the start-up gossip (O(N^2) work, no packets).
    void converge()
    {
        const int count = nodeCount();
        for (int i = 0; i < count; ++i) {
            if (!isUp(i))
                continue;
            SwimEngine &receiver = engine(i);
            for (int j = 0; j < count; ++j) {
                if (i == j || !isUp(j))
                    continue;
                const auto self = engine(j).member(name(j));
                Gossip g { engine(j).localSource(), name(j), self->clock, WireStatus::Online,
                    metadataToWire(*self->metadata) };
                receiver.receive(g, m_now);
            }
            receiver.takeOutgoing();
            for (int j = 0; j < count; ++j) {
                if (i != j)
                    receiver.assumeAcknowledged(name(j));
            }
            receiver.takeChanges();
            schedule(i);
        }
    }

    void runUntil(qint64 endMs)
    {
        while (step(endMs)) { }
        m_now = std::max(m_now, endMs);
    }
    void runFor(qint64 ms) { runUntil(m_now + ms); }

    // Runs until done() holds (checked every checkMs) or maxMs passed; true if it held.
    bool runUntil(const std::function<bool()> &done, qint64 maxMs, qint64 checkMs = 100)
    {
        const qint64 end = m_now + maxMs;
        while (m_now < end) {
            if (done())
                return true;
            runUntil(std::min(end, m_now + checkMs));
        }
        return done();
    }

    quint64 packetsSent() const { return m_sent; }
    quint64 packetsDelivered() const { return m_delivered; }

private:
    struct Node
    {
        MemberConfig config;
        EngineOptions options;
        std::unique_ptr<SwimEngine> engine;
        bool up = true;
        quint64 epoch = 0;
        qint64 queued = -1; // the deadline a live timer entry holds, -1 if none
    };

    struct Timer
    {
        qint64 at;
        quint64 order;
        int node;
        quint64 epoch;
        bool operator>(const Timer &o) const { return at != o.at ? at > o.at : order > o.order; }
    };

    struct Delivery
    {
        qint64 at;
        quint64 order;
        size_t packet;
        bool operator>(const Delivery &o) const { return at != o.at ? at > o.at : order > o.order; }
    };

    struct InFlight
    {
        int from;
        int to;
        Packet packet;
    };

    static size_t slot(int node) { return static_cast<size_t>(node); }
    static quint64 linkKey(int from, int to)
    {
        return (quint64(quint32(from)) << 32) | quint64(quint32(to));
    }

    void boot(int node)
    {
        Node &n = m_nodes[slot(node)];
        QByteArray validity(8, '\0');
        for (auto &byte : validity)
            byte = static_cast<char>(m_random() & 0xff);
        n.engine = std::make_unique<SwimEngine>(n.config, validity, m_random(), n.options);
        n.up = true;
        ++n.epoch;
        n.queued = -1;
        n.engine->start(m_now);
        flush(node);
    }

    void schedule(int node)
    {
        Node &n = m_nodes[slot(node)];
        if (!n.up)
            return;
        const qint64 deadline = n.engine->nextDeadlineMs();
        if (deadline == n.queued)
            return;
        n.queued = deadline;
        m_timers.push({ deadline, m_order++, node, n.epoch });
    }

    void flush(int node)
    {
        Node &n = m_nodes[slot(node)];
        const QList<Outgoing> outgoing = n.engine->takeOutgoing();
        for (const Outgoing &o : outgoing) {
            ++m_sent;
            const int to = indexOf(o.to);
            if (m_sentHook)
                m_sentHook(node, to, o.packet, m_now);
            if (to < 0 || m_blocked.contains(linkKey(node, to)))
                continue;
            if (m_dropRule && m_dropRule(node, to, o.packet))
                continue;
            if (m_network.loss > 0.0
                && std::uniform_real_distribution<double>(0, 1)(m_random) < m_network.loss)
                continue;
            const qint64 delay = std::uniform_int_distribution<qint64>(m_network.minDelayMs,
                std::max(m_network.minDelayMs, m_network.maxDelayMs))(m_random);
            size_t index;
            if (!m_free.empty()) {
                index = m_free.back();
                m_free.pop_back();
                m_inFlight[index] = InFlight { node, to, o.packet };
            } else {
                index = m_inFlight.size();
                m_inFlight.push_back(InFlight { node, to, o.packet });
            }
            m_deliveries.push({ m_now + delay, m_order++, index });
        }
        if (n.engine->hasChanges()) {
            const QList<MemberChange> changes = n.engine->takeChanges();
            if (m_changeHook) {
                for (const MemberChange &c : changes)
                    m_changeHook(node, c, m_now);
            }
        }
        schedule(node);
    }

    // One event at or before endMs; false when none is left.
    bool step(qint64 endMs)
    {
        const qint64 deliveryAt = m_deliveries.empty() ? endMs + 1 : m_deliveries.top().at;
        const qint64 timerAt = m_timers.empty() ? endMs + 1 : m_timers.top().at;
        if (std::min(deliveryAt, timerAt) > endMs)
            return false;
        if (deliveryAt <= timerAt) {
            const Delivery d = m_deliveries.top();
            m_deliveries.pop();
            m_now = std::max(m_now, d.at);
            InFlight f = std::move(m_inFlight[d.packet]);
            m_free.push_back(d.packet);
            if (!isUp(f.to))
                return true;
            ++m_delivered;
            if (m_deliveredHook)
                m_deliveredHook(f.from, f.to, f.packet, m_now);
            engine(f.to).receive(f.packet, m_now);
            flush(f.to);
        } else {
            const Timer t = m_timers.top();
            m_timers.pop();
            Node &n = m_nodes[slot(t.node)];
            if (!n.up || t.epoch != n.epoch || t.at != n.queued)
                return true;
            m_now = std::max(m_now, t.at);
            n.queued = -1;
            n.engine->tick(m_now);
            flush(t.node);
        }
        return true;
    }

    std::mt19937_64 m_random;
    qint64 m_now;
    NetworkOptions m_network;
    DropRule m_dropRule;
    PacketHook m_sentHook;
    PacketHook m_deliveredHook;
    ChangeHook m_changeHook;
    std::vector<Node> m_nodes;
    QHash<QString, int> m_index;
    QSet<quint64> m_blocked;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> m_timers;
    std::priority_queue<Delivery, std::vector<Delivery>, std::greater<Delivery>> m_deliveries;
    std::vector<InFlight> m_inFlight;
    std::vector<size_t> m_free;
    quint64 m_order = 0;
    quint64 m_sent = 0;
    quint64 m_delivered = 0;
};

} // namespace shoal::swim::sim
