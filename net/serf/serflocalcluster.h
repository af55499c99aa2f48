// Shoal's own Serf members in one process, on 127.0.0.1: `serve --protocol serf --nodes N` and
// `--demo --protocol serf`, so that a newcomer and the benchmarks need no Go. Member i joins a
// random earlier member by push/pull, as `serf agent -join` does. Members are spread over
// worker threads (`threads`): each memberlist member probes every second and gossips every
// 200 ms, and a thousand of them are more than one thread keeps up with.
#pragma once

#include "net/serf/serfservice.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace shoal::serf {

struct SerfLocalClusterConfig
{
    int nodes = 3;
    quint16 basePort = 0; // 0: ports the OS picks
    QList<QPair<QString, QByteArray>> extraTags; // on every member, beside `node`
    QStringList extraPeers; // joined by member 0
    Keyring keyring;
    EngineRole role = EngineRole::Member; // served members stand in for agents
    int tokenIntervalMs = 0; // change a random member's `token` tag; 0: never
    // Worker threads the members are spread over; 0: the members live in the calling thread.
    int threads = 0;
    // Start as if long converged (every member preloaded with all the others) instead of by
    // joins: 1000 members joining at once are a storm of push/pulls and rebroadcasts.
    bool preJoin = false;
};

// Threads for n served members: none for a handful (the demo), else one per core.
int defaultServeThreads(int nodes);

class SerfLocalCluster final : public QObject
{
    Q_OBJECT
public:
    explicit SerfLocalCluster(SerfLocalClusterConfig config, QObject *parent = nullptr);
    ~SerfLocalCluster() override;

    bool start(QString *error);
    // Stops every member at once (no leave: they simply vanish, as a killed agent would).
    void stop();
    // "127.0.0.1:PORT" of each member: its node name and its address.
    QStringList names() const;

private:
    // Runs f in the thread member i lives in and waits for it.
    void runIn(std::size_t thread, const std::function<void()> &f);
    void preloadAll();

    SerfLocalClusterConfig m_config;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<std::unique_ptr<QObject>> m_contexts; // one per thread, living there
    std::vector<std::unique_ptr<SerfService>> m_members; // member i lives in thread i % T
    QStringList m_names;
    QTimer m_token;
    quint64 m_tokens = 0;
};

} // namespace shoal::serf
