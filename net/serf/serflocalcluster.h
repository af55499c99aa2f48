// Shoal's own Serf members in one process, on 127.0.0.1: `serve --protocol serf --nodes N` and
// `--demo --protocol serf`, so that a newcomer and the benchmarks need no Go. Member i joins
// member 0 by push/pull, as `serf agent -join` does.
#pragma once

#include "net/serf/serfservice.h"

#include <QList>
#include <QObject>
#include <QTimer>

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
};

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
    SerfLocalClusterConfig m_config;
    std::vector<std::unique_ptr<SerfService>> m_members;
    QTimer m_token;
    quint64 m_tokens = 0;
};

} // namespace shoal::serf
