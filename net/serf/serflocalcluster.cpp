#include "net/serf/serflocalcluster.h"

#include <QRandomGenerator>

#include <algorithm>

namespace shoal::serf {

SerfLocalCluster::SerfLocalCluster(SerfLocalClusterConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    connect(&m_token, &QTimer::timeout, this, [this] {
        if (m_members.empty())
            return;
        const auto index = QRandomGenerator::global()->bounded(quint32(m_members.size()));
        SerfService *member = m_members[index].get();
        const QByteArray token = QByteArray::number(++m_tokens);
        const auto change = [member, token] {
            Metadata tags = member->localMetadata();
            tags.insert(QStringLiteral("token"), token);
            member->setLocalMetadata(tags);
        };
        if (m_threads.empty())
            change();
        else // queued: the member lives in its thread; stop() waits for what is queued
            QMetaObject::invokeMethod(m_contexts[index % m_threads.size()].get(), change);
    });
}

int defaultServeThreads(int nodes)
{
    if (nodes <= 50)
        return 0;
    return std::clamp(QThread::idealThreadCount(), 1, 8);
}

void SerfLocalCluster::runIn(std::size_t index, const std::function<void()> &f)
{
    if (m_threads.empty()) {
        f();
        return;
    }
    QMetaObject::invokeMethod(
        m_contexts[index % m_threads.size()].get(), f, Qt::BlockingQueuedConnection);
}

SerfLocalCluster::~SerfLocalCluster()
{
    stop();
}

bool SerfLocalCluster::start(QString *error)
{
    stop();
    for (int t = 0; t < m_config.threads; ++t) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("shoal-serve-%1").arg(t));
        auto context = std::make_unique<QObject>();
        context->moveToThread(thread.get());
        thread->start();
        m_threads.push_back(std::move(thread));
        m_contexts.push_back(std::move(context));
    }
    for (int i = 0; i < m_config.nodes; ++i) {
        SerfServiceConfig config;
        config.bindHost = QStringLiteral("127.0.0.1");
        config.bindPort = m_config.basePort == 0 ? 0 : quint16(m_config.basePort + i);
        config.role = m_config.role;
        config.keyring = m_config.keyring;
        config.tags.insert(QStringLiteral("node"), QByteArray::number(i));
        for (const auto &tag : m_config.extraTags)
            config.tags.insert(tag.first, tag.second);
        config.reportMembers = false; // nobody reads a served member's list
        if (i == 0)
            config.peers = m_config.extraPeers;
        else if (m_config.preJoin)
            config.peers.clear(); // preloaded below
        else // a random earlier member: no one member answers every join push/pull at once
            config.peers = { m_names[int(QRandomGenerator::global()->bounded(quint32(i)))] };
        std::unique_ptr<SerfService> member;
        QString why;
        bool started = false;
        runIn(std::size_t(i), [&] { // made, started and later destroyed in its thread
            member = std::make_unique<SerfService>(config);
            started = member->start(&why);
            if (!started)
                member.reset();
        });
        if (!started) {
            *error = QStringLiteral("member %1 of %2: %3").arg(i + 1).arg(m_config.nodes).arg(why);
            stop();
            return false;
        }
        m_names << member->localName();
        m_members.push_back(std::move(member));
    }
    if (m_config.preJoin)
        preloadAll();
    if (m_config.tokenIntervalMs > 0)
        m_token.start(m_config.tokenIntervalMs);
    return true;
}

void SerfLocalCluster::preloadAll()
{
    PushPull state;
    state.join = true;
    SerfPushPull serfState;
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        std::optional<SerfMember> self;
        runIn(i, [&] { self = m_members[i]->engine()->member(m_members[i]->localName()); });
        if (!self)
            continue;
        state.nodes.append(PushNodeState { self->addr, self->incarnation, self->meta, self->name,
            self->port, NodeState::Alive, self->vsn });
        serfState.statusLTimes.append({ self->name, self->statusLTime });
        serfState.ltime = std::max(serfState.ltime, self->statusLTime + 1);
    }
    serfState.eventLTime = 1;
    serfState.queryLTime = 1;
    serfState.eventsNil = true;
    state.userState = encodeSerfPushPull(serfState);
    // Queued to every thread at once, then one blocking call per thread waits for the lot:
    // the threads merge in parallel instead of taking turns with this one.
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        SerfService *member = m_members[i].get();
        if (m_threads.empty())
            member->preload(state);
        else
            QMetaObject::invokeMethod(m_contexts[i % m_threads.size()].get(),
                [member, state] { member->preload(state); });
    }
    for (std::size_t t = 0; t < m_threads.size(); ++t)
        runIn(t, [] {});
}

void SerfLocalCluster::stop()
{
    m_token.stop();
    // Each member is destroyed in its thread; queued to all threads at once, then waited for.
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        SerfService *member = m_members[i].release();
        const auto destroy = [member] {
            member->stop();
            delete member;
        };
        if (m_threads.empty())
            destroy();
        else
            QMetaObject::invokeMethod(m_contexts[i % m_threads.size()].get(), destroy);
    }
    for (std::size_t t = 0; t < m_threads.size(); ++t)
        runIn(t, [] {});
    m_members.clear();
    m_names.clear();
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_contexts.clear(); // their threads have finished: safe from here
    m_threads.clear();
}

QStringList SerfLocalCluster::names() const
{
    return m_names;
}

} // namespace shoal::serf
