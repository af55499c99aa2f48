#include "net/swim/localcluster.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace shoal::swim {

LocalCluster::LocalCluster(LocalClusterConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_random(QRandomGenerator::securelySeeded())
{
    m_tokenTimer.setSingleShot(true);
    connect(&m_tokenTimer, &QTimer::timeout, this, &LocalCluster::changeToken);
}

LocalCluster::~LocalCluster()
{
    stop();
}

quint64 LocalCluster::filesNeeded(int nodes)
{
    // Per member: a UDP socket, a TCP listener and a few short TCP connections; plus the
    // process's own files.
    return static_cast<quint64>(nodes) * 4 + 64;
}

bool LocalCluster::ensureFileLimit(quint64 needed, QString *error)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        *error = QStringLiteral("cannot read the open-file limit: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed)
        return true;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
        *error = QStringLiteral("needs about %1 open files but the hard limit is %2 (raise it "
                                "with ulimit -Hn, or run fewer nodes)")
                     .arg(needed)
                     .arg(static_cast<quint64>(limit.rlim_max));
        return false;
    }
    limit.rlim_cur = needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        *error = QStringLiteral("cannot raise the open-file limit to %1: %2")
                     .arg(needed)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

bool LocalCluster::start(QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    stop();
    if (m_config.nodes < 1) {
        *error = QStringLiteral("the cluster needs at least one node");
        return false;
    }
    if (m_config.basePort != 0 && m_config.basePort + m_config.nodes - 1 > 65535) {
        *error = QStringLiteral("ports %1..%2 go beyond 65535")
                     .arg(m_config.basePort)
                     .arg(m_config.basePort + m_config.nodes - 1);
        return false;
    }
    if (!ensureFileLimit(filesNeeded(m_config.nodes), error))
        return false;
    QStringList started;
    for (int index = 0; index < m_config.nodes; ++index) {
        ServiceConfig config;
        config.engine = m_config.engine;
        const quint16 port
            = m_config.basePort == 0 ? quint16(0) : static_cast<quint16>(m_config.basePort + index);
        config.member.localName = net::HostPort { m_config.host, port }.toString();
        // Each new member knows the first and one random earlier member: the first learns
        // everyone from their probes, gossip spreads the rest.
        QStringList peers = m_config.extraPeers;
        if (!started.isEmpty()) {
            peers << started.first();
            peers << started.at(
                static_cast<qsizetype>(m_random.bounded(static_cast<quint32>(started.size()))));
        }
        peers.removeDuplicates();
        config.member.peers = peers;
        config.member.localMetadata
            = WireMetadata { { QStringLiteral("node"), QByteArray::number(index) } };
        for (const auto &entry : m_config.extraMetadata) {
            if (entry.first != QLatin1String("node"))
                config.member.localMetadata.append(entry);
        }
        config.member.timings = m_config.timings;
        config.member.role = m_config.role;
        config.secret = m_config.secret;
        config.protocolVersion = m_config.protocolVersion;
        config.limits.mtu = m_config.mtu;
        auto service = std::make_unique<SwimService>(config);
        if (!service->start(error)) {
            *error = QStringLiteral("node %1: %2").arg(index).arg(*error);
            stop();
            return false;
        }
        started << service->localName();
        m_members.push_back(std::move(service));
    }
    if (m_config.preJoin) {
        for (const auto &learner : m_members) {
            for (const auto &known : m_members)
                learner->learnFrom(*known);
        }
        for (const auto &member : m_members)
            member->assumeAllAcknowledged();
    }
    scheduleToken();
    return true;
}

void LocalCluster::stop()
{
    m_tokenTimer.stop();
    m_members.clear();
}

QStringList LocalCluster::names() const
{
    QStringList result;
    for (const auto &member : m_members)
        result << member->localName();
    return result;
}

bool LocalCluster::isConverged() const
{
    const QStringList all = names();
    for (const auto &member : m_members) {
        for (const QString &name : all) {
            if (name == member->localName())
                continue;
            const auto record = member->member(name);
            if (!record || record->status != MemberStatus::Online || !record->metadata)
                return false;
        }
    }
    return true;
}

void LocalCluster::scheduleToken()
{
    if (m_config.tokenIntervalMs <= 0 || m_members.empty())
        return;
    // Uniform in [interval/2, 3*interval/2): changes stay irregular, as in the reference demo.
    const auto half = static_cast<quint32>(std::max(1, m_config.tokenIntervalMs / 2));
    m_tokenTimer.start(static_cast<int>(half + m_random.bounded(2 * half)));
}

void LocalCluster::changeToken()
{
    if (m_members.empty())
        return;
    const auto index = m_random.bounded(static_cast<quint32>(m_members.size()));
    SwimService *service = m_members.at(index).get();
    QByteArray token(8, '\0');
    for (char &byte : token)
        byte = static_cast<char>(m_random.bounded(256));
    token = token.toHex();
    service->metadata()->setLocal(QStringLiteral("token"), token);
    emit tokenChanged(service->localName(), token);
    scheduleToken();
}

} // namespace shoal::swim
