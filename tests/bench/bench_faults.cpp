// Fault matrix of an engine on its simulated network (virtual time, seeded, repeatable):
// loss, delay with jitter, a one-way partition, a paused member, a restarted member, and a
// Shoal member on a lossy link as observer vs participant. Per cell: false OFFLINE/dead (and
// SUSPECT) verdicts per member-hour, crash detection time and metadata (tag) convergence time
// in protocol periods (swim ping_interval, memberlist probe interval).
//
// --protocol swim (default): SwimEngine on tests/swimsimulator.h.
// --protocol serf: SerfEngine (memberlist 0.2.2 / Serf 0.9.4 rules) on tests/serfsimulator.h,
// same cells; its default run is shorter (20 members, 0.2 h) to stay under a minute.
//
// bench_faults [--protocol swim|serf] [--members N] [--hours H] [--seed 1]
//              [--cells loss0,loss5,...] [--verbose 1]
#include "../serfsimulator.h"
#include "../swimsimulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <vector>

using namespace shoal;
using namespace shoal::swim;
using namespace shoal::swim::sim;

namespace {

const QString kKey = QStringLiteral("edit");
bool s_verbose = false; // --verbose: every false SUSPECT on stderr

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const auto index = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, index > 0 ? index - 1 : 0)];
}

enum class Trial : quint8 {
    Crash, // crash a member, wait until every live member has it OFFLINE, restart it
    Pause, // pause a member past the suspect timeout, resume it
    Restart, // restart a member with a new validity before anyone could suspect it
    None, // no member goes down: every verdict is false
};

struct Cell
{
    QString id;
    QString label;
    double loss = 0;
    qint64 minDelayMs = 1;
    qint64 maxDelayMs = 5;
    bool oneWay = false; // member 1 cannot send to the upper half of the cluster
    Trial trial = Trial::Crash;
    qint64 pauseMs = 0;
    // A Shoal member (the last node) whose every datagram in or out is lost with this
    // probability; role as given. 0: no Shoal member.
    double shoalLoss = 0;
    Role shoalRole = Role::Observer;
};

struct Result
{
    quint64 falseOfflineViews = 0; // a viewer's record of an up member went OFFLINE
    quint64 falseOfflineAuthored = 0; // ...by this viewer's own verdict
    quint64 falseSuspectViews = 0;
    std::vector<double> detectFirst; // periods: crash -> first OFFLINE anywhere
    std::vector<double> detectAll; // crash -> every live member has it OFFLINE
    std::vector<double> recovery; // resume/restart -> every member has it ONLINE (new validity)
    std::vector<double> metaAll; // edit -> every live member has it
    quint64 trials = 0;
    quint64 trialsUndetected = 0;
    quint64 editsUnconverged = 0;
    quint64 packets = 0;
    quint64 shoalSuspicionsOriginated = 0; // serf: the Shoal member's own probes' suspicions
    double memberHours = 0;
    double wallSeconds = 0;
};

// The metadata edits still spreading, shared by both runners: each edit is pending until every
// member that was up when it was made has seen it, then its spread time (in periods) is a
// metaAll figure. Older than two minutes, it counts as unconverged.
class EditLedger
{
public:
    EditLedger(Result &result, qint64 periodMs)
        : m_result(result)
        , m_periodMs(periodMs)
    { }

    static constexpr qint64 kGiveUpMs = 120000;

    // Drops and counts the edits that never converged.
    void expire(qint64 now)
    {
        for (auto it = m_edits.begin(); it != m_edits.end();) {
            if (now - it->at > kGiveUpMs) {
                ++m_result.editsUnconverged;
                it = m_edits.erase(it);
            } else {
                ++it;
            }
        }
    }

    void add(int subject, qint64 seq, qint64 now, std::set<int> viewers)
    {
        m_edits.push_back(PendingEdit { subject, seq, now, std::move(viewers) });
    }

    // viewer now holds subject's edit number seq (and so every earlier one).
    void seen(int viewer, int subject, qint64 seq, qint64 now)
    {
        settle(now, [&](PendingEdit &edit) {
            if (edit.subject == subject && seq >= edit.seq)
                edit.missing.erase(viewer);
            return false;
        });
    }

    // viewer went down: it no longer holds anything up; its own edits may be lost with it,
    // which is not a dissemination figure.
    void forgetViewer(int viewer, qint64 now)
    {
        settle(now, [&](PendingEdit &edit) {
            edit.missing.erase(viewer);
            return edit.subject == viewer;
        });
    }

    // At the end: edits still spreading are not failures; older than two minutes are.
    void finish(qint64 now) const
    {
        for (const PendingEdit &edit : m_edits) {
            if (now - edit.at > kGiveUpMs)
                ++m_result.editsUnconverged;
        }
    }

private:
    struct PendingEdit
    {
        int subject;
        qint64 seq;
        qint64 at;
        std::set<int> missing;
    };

    // Applies update to each edit (true: drop it uncounted), then records the complete ones.
    template<typename Update> void settle(qint64 now, Update update)
    {
        for (auto it = m_edits.begin(); it != m_edits.end();) {
            if (update(*it)) {
                it = m_edits.erase(it);
            } else if (it->missing.empty()) {
                m_result.metaAll.push_back(
                    static_cast<double>(now - it->at) / static_cast<double>(m_periodMs));
                it = m_edits.erase(it);
            } else {
                ++it;
            }
        }
    }

    Result &m_result;
    qint64 m_periodMs;
    std::vector<PendingEdit> m_edits;
};

// What a cell loses besides the cluster's own loss, the same for both engines: everything
// member 1 sends to the upper half (one-way partition), and each datagram to or from the Shoal
// member with the cell's shoalLoss probability.
class CellLoss
{
public:
    CellLoss(const Cell &cell, int total, int shoal, quint64 seed)
        : m_cell(cell)
        , m_half(total / 2)
        , m_shoal(shoal)
        , m_random(seed)
    { }

    bool drops(int from, int to)
    {
        if (m_cell.oneWay && from == 1 && to >= m_half)
            return true;
        if (m_shoal >= 0 && (from == m_shoal || to == m_shoal))
            return std::uniform_real_distribution<double>(0, 1)(m_random) < m_cell.shoalLoss;
        return false;
    }

private:
    const Cell &m_cell;
    int m_half;
    int m_shoal;
    std::mt19937_64 m_random;
};

// The members of sim but one that are up: who must see an edit.
template<typename Simulator> std::set<int> upViewers(const Simulator &sim, int except)
{
    std::set<int> viewers;
    for (int i = 0; i < sim.nodeCount(); ++i) {
        if (i != except && sim.isUp(i))
            viewers.insert(i);
    }
    return viewers;
}

// One of the first `members` members (never the Shoal member) that is up.
template<typename Simulator>
int randomUpMember(const Simulator &sim, std::mt19937_64 &random, int members)
{
    for (;;) {
        const int node = static_cast<int>(random() % static_cast<quint64>(members));
        if (sim.isUp(node))
            return node;
    }
}

// The run's schedule, the same for both engines: an edit every 10 s from 5 s, a trial every
// 20-40 s from 20 s (unless the cell has none), until `hours` of virtual time have passed.
template<typename Simulator, typename Edit, typename RunTrial>
void runSchedule(
    Simulator &sim, double hours, bool trials, std::mt19937_64 &random, Edit edit, RunTrial trial)
{
    const qint64 start = sim.now();
    const qint64 end = start + static_cast<qint64>(hours * 3600.0 * 1000.0);
    qint64 nextEdit = start + 5000;
    qint64 nextTrial = start + 20000;
    while (sim.now() < end) {
        const qint64 step = std::min({ nextEdit, nextTrial, end }) - sim.now();
        sim.runFor(std::max<qint64>(step, 1));
        if (sim.now() >= nextEdit) {
            edit();
            nextEdit = sim.now() + 10000;
        }
        if (sim.now() >= nextTrial && sim.now() < end && trials) {
            trial();
            nextTrial = sim.now() + 20000 + static_cast<qint64>(random() % 20000);
        }
    }
}

class Runner
{
public:
    Runner(const Cell &cell, int members, double hours, quint64 seed)
        : m_cell(cell)
        , m_members(members)
        , m_hours(hours)
        , m_sim(seed)
        , m_random(seed ^ 0x5eed)
    { }

    Result run()
    {
        QElapsedTimer wall;
        wall.start();
        m_sim.network().loss = m_cell.loss;
        m_sim.network().minDelayMs = m_cell.minDelayMs;
        m_sim.network().maxDelayMs = m_cell.maxDelayMs;
        const int total = m_members + (m_cell.shoalLoss > 0 ? 1 : 0);
        for (int i = 0; i < total; ++i) {
            MemberConfig config;
            config.localName = SwimSimulator::nodeName(i);
            config.role = Role::Participant;
            if (i == m_members)
                config.role = m_cell.shoalRole;
            config.localMetadata = { { kKey, QByteArray("0") } };
            if (i > 0)
                config.peers = { SwimSimulator::nodeName(0) };
            m_sim.addNode(config);
        }
        m_shoal = m_cell.shoalLoss > 0 ? m_members : -1;
        m_sim.converge();
        m_status.assign(static_cast<size_t>(total * total), MemberStatus::Online);
        m_view.assign(static_cast<size_t>(total * total), 0);
        m_sim.setChangeHook([this](int node, const MemberChange &change, qint64 now) {
            onChange(node, change, now);
        });
        CellLoss loss(m_cell, total, m_shoal, m_random());
        m_sim.setDropRule(
            [&loss](int from, int to, const Packet &) { return loss.drops(from, to); });

        runSchedule(
            m_sim, m_hours, m_cell.trial != Trial::None, m_random, [this] { edit(); },
            [this] { trial(period()); });
        m_edits.finish(m_sim.now());
        m_result.memberHours = static_cast<double>(total) * m_hours;
        m_result.packets = m_sim.packetsSent();
        m_result.wallSeconds = static_cast<double>(wall.elapsed()) / 1000.0;
        return m_result;
    }

private:
    size_t cellIndex(int viewer, int subject) const
    {
        return static_cast<size_t>(viewer * m_sim.nodeCount() + subject);
    }

    void onChange(int node, const MemberChange &change, qint64 now)
    {
        const int subject = m_sim.indexOf(change.member.name);
        if (subject < 0 || subject == node)
            return;
        MemberStatus &before = m_status[cellIndex(node, subject)];
        const MemberStatus after = change.member.status;
        // Verdicts about the lossy Shoal member itself are deserved; the question is what it
        // does to the others.
        const bool subjectUp = m_sim.isUp(subject) && subject != m_shoal && node != m_shoal;
        // A (re)started member first lists its peers OFFLINE with clock 0: no verdict.
        const bool learnt = change.what.testFlag(MemberChangeFlag::Added);
        if (subject == m_crashed && after == MemberStatus::Offline && before != after
            && m_firstDetect < 0)
            m_firstDetect = now;
        if (after != before && subjectUp && !learnt) {
            if (after == MemberStatus::Offline) {
                ++m_result.falseOfflineViews;
                if (change.localVerdict)
                    ++m_result.falseOfflineAuthored;
            } else if (after == MemberStatus::Suspect) {
                ++m_result.falseSuspectViews;
                if (s_verbose)
                    std::fprintf(stderr, "t=%lld viewer %d: %d SUSPECT clock %llu %s\n",
                        static_cast<long long>(now), node, subject,
                        static_cast<unsigned long long>(change.member.clock),
                        change.localVerdict ? "(own verdict)" : "(gossip)");
            }
        }
        before = after;
        if (change.member.metadata) {
            const qint64 seq = change.member.metadata->value(kKey).toLongLong();
            m_view[cellIndex(node, subject)] = seq;
            m_edits.seen(node, subject, seq, now);
        }
    }

    static qint64 period() { return Timings {}.pingIntervalMs; }

    int randomUpMember() { return ::randomUpMember(m_sim, m_random, m_members); }

    void edit()
    {
        m_edits.expire(m_sim.now());
        const int subject = randomUpMember();
        const qint64 seq = ++m_seq;
        m_metadata[subject] = seq;
        m_edits.add(subject, seq, m_sim.now(), upViewers(m_sim, subject));
        m_sim.setMetadata(subject, { { kKey, QByteArray::number(seq) } });
    }

    WireMetadata metadataOf(int node) const
    {
        const auto it = m_metadata.find(node);
        return { { kKey, QByteArray::number(it == m_metadata.end() ? 0 : it->second) } };
    }

    bool everyoneSees(int subject, MemberStatus status) const
    {
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            if (i == subject || !m_sim.isUp(i))
                continue;
            if (m_status[cellIndex(i, subject)] != status)
                return false;
        }
        return true;
    }

    bool everyoneHasIncarnation(int subject, const QByteArray &incarnation) const
    {
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            if (i == subject || !m_sim.isUp(i))
                continue;
            const auto record = m_sim.engine(i).member(m_sim.name(subject));
            if (!record || record->instanceId != incarnation
                || record->status != MemberStatus::Online)
                return false;
        }
        return true;
    }

    void trial(qint64 periodMs)
    {
        const double p = static_cast<double>(periodMs);
        // Never the seed member 0 (every member's configured peer) nor the one-way member.
        int subject = 0;
        while (subject == 0 || subject == 1)
            subject = randomUpMember();
        ++m_result.trials;
        const qint64 t0 = m_sim.now();
        if (s_verbose)
            std::fprintf(stderr, "t=%lld trial: %d down\n", static_cast<long long>(t0), subject);
        m_sim.crash(subject);
        m_crashed = subject;
        m_firstDetect = -1;
        m_edits.forgetViewer(subject, m_sim.now());
        if (m_cell.trial == Trial::Crash || m_cell.trial == Trial::Pause) {
            const bool all = m_sim.runUntil(
                [&] { return everyoneSees(subject, MemberStatus::Offline); }, 120 * periodMs, 50);
            if (m_firstDetect >= 0)
                m_result.detectFirst.push_back(static_cast<double>(m_firstDetect - t0) / p);
            if (all)
                m_result.detectAll.push_back(static_cast<double>(m_sim.now() - t0) / p);
            else
                ++m_result.trialsUndetected;
        }
        m_crashed = -1;
        if (m_cell.trial == Trial::Pause) {
            m_sim.runUntil(t0 + m_cell.pauseMs);
            const qint64 t1 = m_sim.now();
            m_sim.resume(subject);
            if (m_sim.runUntil([&] { return everyoneSees(subject, MemberStatus::Online); },
                    120 * periodMs, 50))
                m_result.recovery.push_back(static_cast<double>(m_sim.now() - t1) / p);
            return;
        }
        if (m_cell.trial == Trial::Restart)
            m_sim.runFor(2000); // well below the suspect timeout
        const qint64 t1 = m_sim.now();
        m_sim.restart(subject, metadataOf(subject));
        const QByteArray incarnation = m_sim.engine(subject).localSource().validity;
        if (m_sim.runUntil(
                [&] { return everyoneHasIncarnation(subject, incarnation); }, 120 * periodMs, 50)) {
            if (m_cell.trial == Trial::Restart)
                m_result.recovery.push_back(static_cast<double>(m_sim.now() - t1) / p);
        }
        // Make status views follow the engines (the restarted node reports nothing about
        // itself to the hook).
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            if (i == subject)
                continue;
            const auto record = m_sim.engine(subject).member(m_sim.name(i));
            if (record)
                m_status[cellIndex(subject, i)] = record->status;
        }
    }

    Cell m_cell;
    int m_members;
    double m_hours;
    SwimSimulator m_sim;
    std::mt19937_64 m_random;
    int m_shoal = -1;
    int m_crashed = -1; // the member of the current trial while it is down
    qint64 m_firstDetect = -1;
    std::vector<MemberStatus> m_status; // [viewer][subject]
    std::vector<qint64> m_view;
    std::map<int, qint64> m_metadata;
    qint64 m_seq = 0;
    Result m_result;
    EditLedger m_edits { m_result, period() };
};

// The same cells on the Serf engine. memberlist's states map onto the swim columns: dead ->
// OFFLINE, suspect -> SUSPECT. A change does not say who accused, so there is no "authored"
// column; instead the Shoal member's own accusations (its suspicionsOriginated counter).
class SerfRunner
{
public:
    SerfRunner(const Cell &cell, int members, double hours, quint64 seed)
        : m_cell(cell)
        , m_members(members)
        , m_hours(hours)
        , m_sim(seed)
        , m_random(seed ^ 0x5eed)
    { }

    Result run()
    {
        QElapsedTimer wall;
        wall.start();
        m_sim.loss = m_cell.loss;
        m_sim.minDelayMs = m_cell.minDelayMs;
        m_sim.maxDelayMs = m_cell.maxDelayMs;
        const int total = m_members + (m_cell.shoalLoss > 0 ? 1 : 0);
        m_shoal = m_cell.shoalLoss > 0 ? m_members : -1;
        for (int i = 0; i < total; ++i) {
            serf::SerfEngineConfig config;
            config.name = QStringLiteral("node%1").arg(i);
            config.role = serf::EngineRole::Member;
            if (i == m_shoal && m_cell.shoalRole == Role::Observer)
                config.role = serf::EngineRole::Observer;
            config.tags = { { kKey, QByteArray("0") } };
            m_index.insert(config.name, m_sim.addNode(config));
        }
        for (int i = 1; i < total; ++i)
            m_sim.join(i, 0);
        runUntil([&] { return settled(); }, 120000);
        m_state.assign(static_cast<size_t>(total * total), serf::NodeState::Alive);
        if (s_verbose) // who accuses whom, as sent
            m_sim.setSentHook([this](int from, int to, const QList<serf::Message> &messages) {
                for (const serf::Message &m : messages)
                    if (const auto *s = std::get_if<serf::Suspect>(&m))
                        std::fprintf(stderr, "t=%lld %d->%d suspect %s by %s inc %u\n",
                            static_cast<long long>(m_sim.now()), from, to, qPrintable(s->node),
                            qPrintable(s->from), s->incarnation);
            });
        m_sim.setChangeHook([this](int node, const serf::SerfMemberChange &change, qint64 now) {
            onChange(node, change, now);
        });
        CellLoss loss(m_cell, total, m_shoal, m_random());
        // Streams too: at 40 % loss a TCP exchange (SYN, answer) rarely beats the probe's
        // deadline, retransmission timeouts being 200 ms to 1 s; the cluster's own `loss`
        // spares streams.
        m_sim.setDropRule(
            [&loss](int from, int to, bool /*stream*/) { return loss.drops(from, to); });

        runSchedule(
            m_sim, m_hours, m_cell.trial != Trial::None, m_random, [this] { edit(); },
            [this] { trial(); });
        m_edits.finish(m_sim.now());
        if (m_shoal >= 0)
            m_result.shoalSuspicionsOriginated
                = m_sim.engine(m_shoal).counters().suspicionsOriginated;
        m_result.memberHours = static_cast<double>(total) * m_hours;
        m_result.wallSeconds = static_cast<double>(wall.elapsed()) / 1000.0;
        return m_result;
    }

    static qint64 period() { return serf::SerfEngineConfig {}.probeIntervalMs; }

private:
    size_t cellIndex(int viewer, int subject) const
    {
        return static_cast<size_t>(viewer * m_sim.nodeCount() + subject);
    }

    template<typename Predicate> bool runUntil(Predicate done, qint64 timeoutMs)
    {
        const qint64 deadline = m_sim.now() + timeoutMs;
        while (!done()) {
            if (m_sim.now() >= deadline)
                return false;
            m_sim.runFor(50);
        }
        return true;
    }

    bool settled()
    {
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            int alive = 0;
            for (const serf::SerfMember &m : m_sim.engine(i).members())
                alive += m.state == serf::NodeState::Alive ? 1 : 0;
            if (alive != m_sim.nodeCount())
                return false;
        }
        return true;
    }

    void onChange(int node, const serf::SerfMemberChange &change, qint64 now)
    {
        const int subject = m_index.value(change.member.name, -1);
        if (subject < 0 || subject == node)
            return;
        serf::NodeState &before = m_state[cellIndex(node, subject)];
        const serf::NodeState after = change.member.state;
        const bool subjectUp = m_sim.isUp(subject) && subject != m_shoal && node != m_shoal;
        if (subject == m_crashed && after == serf::NodeState::Dead && before != after
            && m_firstDetect < 0)
            m_firstDetect = now;
        if (after != before && subjectUp && !change.added) {
            if (after == serf::NodeState::Dead) {
                ++m_result.falseOfflineViews;
            } else if (after == serf::NodeState::Suspect) {
                ++m_result.falseSuspectViews;
                if (s_verbose)
                    std::fprintf(stderr, "t=%lld viewer %d: %d suspect inc %u\n",
                        static_cast<long long>(now), node, subject, change.member.incarnation);
            }
        }
        before = after;
        m_edits.seen(node, subject, change.member.tags.value(kKey).toLongLong(), now);
    }

    int randomUpMember() { return ::randomUpMember(m_sim, m_random, m_members); }

    Metadata tagsOf(int node) const
    {
        const auto it = m_tags.find(node);
        return { { kKey, QByteArray::number(it == m_tags.end() ? 0 : it->second) } };
    }

    void edit()
    {
        m_edits.expire(m_sim.now());
        const int subject = randomUpMember();
        const qint64 seq = ++m_seq;
        m_tags[subject] = seq;
        m_edits.add(subject, seq, m_sim.now(), upViewers(m_sim, subject));
        m_sim.engine(subject).setTags(tagsOf(subject), m_sim.now());
        m_sim.flush(subject);
    }

    bool everyoneSees(int subject, serf::NodeState state) const
    {
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            if (i != subject && m_sim.isUp(i) && m_state[cellIndex(i, subject)] != state)
                return false;
        }
        return true;
    }

    // Every live member holds the subject alive at the incarnation it now has, and that
    // incarnation is above `before`: the restarted member has refuted its old record.
    bool everyoneHasRefutation(int subject, quint32 before)
    {
        const quint32 incarnation = m_sim.engine(subject).incarnation();
        if (incarnation <= before)
            return false;
        const QString name = m_sim.engine(subject).localName();
        for (int i = 0; i < m_sim.nodeCount(); ++i) {
            if (i == subject || !m_sim.isUp(i))
                continue;
            const auto record = m_sim.engine(i).member(name);
            if (!record || record->incarnation < incarnation
                || record->state != serf::NodeState::Alive)
                return false;
        }
        return true;
    }

    void trial()
    {
        const qint64 periodMs = period();
        const double p = static_cast<double>(periodMs);
        int subject = 0; // never the seed member 0 nor the one-way member 1
        while (subject == 0 || subject == 1)
            subject = randomUpMember();
        ++m_result.trials;
        const qint64 t0 = m_sim.now();
        const quint32 incarnation = m_sim.engine(subject).incarnation();
        if (s_verbose)
            std::fprintf(stderr, "t=%lld trial: %d down\n", static_cast<long long>(t0), subject);
        m_sim.crash(subject);
        m_crashed = subject;
        m_firstDetect = -1;
        m_edits.forgetViewer(subject, m_sim.now());
        if (m_cell.trial == Trial::Crash || m_cell.trial == Trial::Pause) {
            const bool all = runUntil(
                [&] { return everyoneSees(subject, serf::NodeState::Dead); }, 120 * periodMs);
            if (m_firstDetect >= 0)
                m_result.detectFirst.push_back(static_cast<double>(m_firstDetect - t0) / p);
            if (all)
                m_result.detectAll.push_back(static_cast<double>(m_sim.now() - t0) / p);
            else
                ++m_result.trialsUndetected;
        }
        m_crashed = -1;
        if (m_cell.trial == Trial::Pause) {
            m_sim.runUntil(t0 + m_cell.pauseMs);
            const qint64 t1 = m_sim.now();
            m_sim.resume(subject);
            if (runUntil(
                    [&] { return everyoneSees(subject, serf::NodeState::Alive); }, 120 * periodMs))
                m_result.recovery.push_back(static_cast<double>(m_sim.now() - t1) / p);
            return;
        }
        if (m_cell.trial == Trial::Restart)
            m_sim.runFor(2000); // well below the suspicion timeout
        // The new engine reports every member as added: its row starts over.
        for (int i = 0; i < m_sim.nodeCount(); ++i)
            m_state[cellIndex(subject, i)] = serf::NodeState::Dead;
        const qint64 t1 = m_sim.now();
        if (s_verbose)
            std::fprintf(stderr, "t=%lld restart %d\n", static_cast<long long>(t1), subject);
        m_sim.restart(subject, 0, tagsOf(subject));
        if (runUntil([&] { return everyoneHasRefutation(subject, incarnation); }, 120 * periodMs)
            && m_cell.trial == Trial::Restart)
            m_result.recovery.push_back(static_cast<double>(m_sim.now() - t1) / p);
    }

    Cell m_cell;
    int m_members;
    double m_hours;
    serf::sim::SerfSimulator m_sim;
    std::mt19937_64 m_random;
    QHash<QString, int> m_index;
    int m_shoal = -1;
    int m_crashed = -1;
    qint64 m_firstDetect = -1;
    std::vector<serf::NodeState> m_state; // [viewer][subject], memberlist's state
    std::map<int, qint64> m_tags;
    qint64 m_seq = 0;
    Result m_result;
    EditLedger m_edits { m_result, period() };
};

QString figure(double value)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', 1);
}

QString pair(const std::vector<double> &values)
{
    if (values.empty())
        return QStringLiteral("-");
    return figure(quantile(values, 0.5)) + QLatin1Char('/') + figure(quantile(values, 0.99));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int members = 0; // 0: the protocol's default
    double hours = 0;
    quint64 seed = 1;
    QString protocol = QStringLiteral("swim");
    QStringList only;
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--protocol"))
            protocol = args.at(i + 1);
        else if (args.at(i) == QLatin1String("--members"))
            members = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--hours"))
            hours = args.at(i + 1).toDouble();
        else if (args.at(i) == QLatin1String("--seed"))
            seed = args.at(i + 1).toULongLong();
        else if (args.at(i) == QLatin1String("--verbose"))
            s_verbose = args.at(i + 1) != QLatin1String("0");
        else if (args.at(i) == QLatin1String("--cells"))
            only = args.at(i + 1).split(QLatin1Char(','));
    }
    const bool serfMode = protocol == QLatin1String("serf");
    if (members == 0)
        members = serfMode ? 20 : 50;
    if (hours == 0)
        hours = serfMode ? 0.2 : 1;
    if (members < 4 || hours <= 0 || (!serfMode && protocol != QLatin1String("swim"))) {
        std::fprintf(stderr,
            "usage: bench_faults [--protocol swim|serf] [--members N>=4] [--hours H] [--seed S] "
            "[--cells id,...]\n");
        return 2;
    }

    std::vector<Cell> cells;
    auto add = [&cells](Cell cell) { cells.push_back(std::move(cell)); };
    add({ QStringLiteral("loss0"), QStringLiteral("loss 0 %") });
    add({ QStringLiteral("loss5"), QStringLiteral("loss 5 %"), 0.05 });
    add({ QStringLiteral("loss20"), QStringLiteral("loss 20 %"), 0.20 });
    add({ QStringLiteral("loss40"), QStringLiteral("loss 40 %"), 0.40 });
    add({ QStringLiteral("jitter"), QStringLiteral("delay 10-200 ms"), 0, 10, 200 });
    add({ QStringLiteral("jitter2"), QStringLiteral("delay 50-450 ms"), 0, 50, 450 });
    add({ QStringLiteral("oneway"), QStringLiteral("one-way partition"), 0, 1, 5, true });
    {
        Cell pause { QStringLiteral("pause"), QStringLiteral("paused 15 s, resumed") };
        pause.trial = Trial::Pause;
        pause.pauseMs = 15000;
        add(pause);
    }
    {
        Cell restart { QStringLiteral("restart"), QStringLiteral("restarted, new validity") };
        restart.trial = Trial::Restart;
        add(restart);
    }
    {
        // No crashes here: a late-relayed record of a crashed incarnation would count as false.
        Cell clean { QStringLiteral("clean"), QStringLiteral("no Shoal, no crashes") };
        clean.trial = Trial::None;
        add(clean);
        Cell observer { QStringLiteral("observer"), QStringLiteral("+Shoal observer, 40 % loss") };
        observer.trial = Trial::None;
        observer.shoalLoss = 0.4;
        observer.shoalRole = Role::Observer;
        add(observer);
        Cell participant { QStringLiteral("participant"),
            QStringLiteral("+Shoal participant, 40 % loss") };
        participant.trial = Trial::None;
        participant.shoalLoss = 0.4;
        participant.shoalRole = Role::Participant;
        add(participant);
    }

    if (serfMode) {
        const serf::SerfEngineConfig defaults;
        std::printf("# bench_faults --protocol serf members=%d hours=%.2f seed=%llu (periods of "
                    "%lld ms; suspicion mult %d, max mult %d)\n",
            members, hours, static_cast<unsigned long long>(seed),
            static_cast<long long>(defaults.probeIntervalMs), defaults.suspicionMult,
            defaults.suspicionMaxTimeoutMult);
    } else {
        std::printf("# bench_faults members=%d hours=%.2f seed=%llu (periods of %lld ms; "
                    "suspect timeout %lld ms)\n",
            members, hours, static_cast<unsigned long long>(seed),
            static_cast<long long>(Timings {}.pingIntervalMs),
            static_cast<long long>(Timings {}.suspectTimeoutMs));
    }
    // Serf: OFFLINE = memberlist dead, SUSPECT = suspect, metadata = tags; instead of authored
    // (a change does not say who accused), the Shoal member's own accusations in the run.
    std::printf("| cell | false %s views /member-h | %s | false SUSPECT /member-h | detect first "
                "p50/p99 | detect all p50/p99 | recovery p50/p99 | %s all p50/p99 | trials "
                "(undetected) | edits unconverged | wall s |\n",
        serfMode ? "dead" : "OFFLINE",
        serfMode ? "Shoal's suspicions originated" : "authored /member-h",
        serfMode ? "tags" : "metadata");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    for (const Cell &cell : cells) {
        if (!only.isEmpty() && !only.contains(cell.id))
            continue;
        const Result r = serfMode ? SerfRunner(cell, members, hours, seed).run()
                                  : Runner(cell, members, hours, seed).run();
        QString second
            = QString::number(static_cast<double>(r.falseOfflineAuthored) / r.memberHours, 'f', 3);
        if (serfMode)
            second = cell.shoalLoss > 0 ? QString::number(r.shoalSuspicionsOriginated)
                                        : QStringLiteral("-");
        std::printf("| %s | %.3f | %s | %.3f | %s | %s | %s | %s | %llu (%llu) | %llu | %.0f |\n",
            qPrintable(cell.label), static_cast<double>(r.falseOfflineViews) / r.memberHours,
            qPrintable(second), static_cast<double>(r.falseSuspectViews) / r.memberHours,
            qPrintable(pair(r.detectFirst)), qPrintable(pair(r.detectAll)),
            qPrintable(pair(r.recovery)), qPrintable(pair(r.metaAll)),
            static_cast<unsigned long long>(r.trials),
            static_cast<unsigned long long>(r.trialsUndetected),
            static_cast<unsigned long long>(r.editsUnconverged), r.wallSeconds);
        std::fflush(stdout);
    }
    return 0;
}
