#include "net/serf/serflocalcluster.h"

#include <QRandomGenerator>

namespace shoal::serf {

SerfLocalCluster::SerfLocalCluster(SerfLocalClusterConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    connect(&m_token, &QTimer::timeout, this, [this] {
        if (m_members.empty())
            return;
        const auto index = QRandomGenerator::global()->bounded(quint32(m_members.size()));
        SerfService &member = *m_members[index];
        Metadata tags = member.localMetadata();
        tags.insert(QStringLiteral("token"), QByteArray::number(++m_tokens));
        member.setLocalMetadata(tags);
    });
}

SerfLocalCluster::~SerfLocalCluster()
{
    stop();
}

bool SerfLocalCluster::start(QString *error)
{
    stop();
    for (int i = 0; i < m_config.nodes; ++i) {
        SerfServiceConfig config;
        config.bindHost = QStringLiteral("127.0.0.1");
        config.bindPort = m_config.basePort == 0 ? 0 : quint16(m_config.basePort + i);
        config.role = m_config.role;
        config.keyring = m_config.keyring;
        config.tags.insert(QStringLiteral("node"), QByteArray::number(i));
        for (const auto &tag : m_config.extraTags)
            config.tags.insert(tag.first, tag.second);
        if (i == 0)
            config.peers = m_config.extraPeers;
        else // a random earlier member: no one member answers every join push/pull at once
            config.peers
                = { m_members[QRandomGenerator::global()->bounded(quint32(i))]->localName() };
        auto member = std::make_unique<SerfService>(config);
        QString why;
        if (!member->start(&why)) {
            *error = QStringLiteral("member %1 of %2: %3").arg(i + 1).arg(m_config.nodes).arg(why);
            stop();
            return false;
        }
        m_members.push_back(std::move(member));
    }
    if (m_config.tokenIntervalMs > 0)
        m_token.start(m_config.tokenIntervalMs);
    return true;
}

void SerfLocalCluster::stop()
{
    m_token.stop();
    for (auto &member : m_members)
        member->stop();
    m_members.clear();
}

QStringList SerfLocalCluster::names() const
{
    QStringList names;
    for (const auto &member : m_members)
        names << member->localName();
    return names;
}

} // namespace shoal::serf
