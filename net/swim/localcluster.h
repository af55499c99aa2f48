// N swim-protocol members in one process on 127.0.0.1, for `shoal serve`, the window's --demo
// and tests: each has metadata {"node": "<index>"} plus extra keys, and may change a `token`
// key now and then as the reference demo does.
#pragma once

#include "net/swim/swimservice.h"

#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>

namespace shoal::swim {

struct LocalClusterConfig
{
    int nodes = 5;
    quint16 basePort = 0; // 0: OS-chosen ports; else base..base+nodes-1
    QString host = QStringLiteral("127.0.0.1");
    WireMetadata extraMetadata; // added to every member after "node"
    QStringList extraPeers; // outside members every node knows (join an existing cluster)
    QByteArray secret;
    QByteArray protocolVersion = Codec::defaultVersion();
    Timings timings;
    Role role = Role::Participant;
    qsizetype mtu = 1500;
    // Members learn each other in-process at start, as if long converged (see
    // SwimService::learnFrom), instead of paying swim-protocol's N^3 cold start on one thread.
    bool preJoin = false;
    // The engines' own settings (e.g. directAnnouncements off: members that behave exactly as
    // the reference's, as pymap's do).
    EngineOptions engine = ServiceConfig::liveEngineOptions();
    // Mean interval between two `token` changes (one random member each); 0: never.
    int tokenIntervalMs = 0;
};

class LocalCluster final : public QObject
{
    Q_OBJECT
public:
    explicit LocalCluster(LocalClusterConfig config, QObject *parent = nullptr);
    ~LocalCluster() override;

    // Raises the open-file limit if needed, then starts every member. False with one line
    // (the port in use, or the file limit) when it cannot; nothing is left running then.
    bool start(QString *error);
    void stop();

    qsizetype size() const { return static_cast<qsizetype>(m_members.size()); }
    SwimService *member(qsizetype index) const
    {
        return m_members.at(static_cast<std::size_t>(index)).get();
    }
    QStringList names() const;
    // Every member's view holds every other member ONLINE with known metadata.
    bool isConverged() const;

    // Open files needed by n members, and raising the soft limit to it (false + why if the
    // hard limit is lower).
    static quint64 filesNeeded(int nodes);
    static bool ensureFileLimit(quint64 needed, QString *error);

signals:
    void tokenChanged(const QString &member, const QByteArray &token);

private:
    void changeToken();
    void scheduleToken();

    LocalClusterConfig m_config;
    std::vector<std::unique_ptr<SwimService>> m_members;
    QTimer m_tokenTimer;
    QRandomGenerator m_random;
};

} // namespace shoal::swim
