// One live Serf 0.9.4 / memberlist 0.2.2 member, the second ClusterBackend: SerfEngine driven by
// real time (a timer re-armed at the engine's next deadline), a UDP socket and a TCP server on
// one port, the TCP exchanges the engine asks for (push/pull, fallback pings), the keyring, and
// Serf's user events and queries handed upward. Only net/serf/ knows the wire.
#pragma once

#include "cluster/clusterbackend.h"
#include "net/enginetimer.h"
#include "net/serf/crypto.h"
#include "net/serf/serfengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class QTcpServer;
class QTcpSocket;
class QUdpSocket;

namespace shoal::serf {

// Serf's default port (bind and peers without one).
constexpr quint16 kDefaultSerfPort = 7946;

struct SerfServiceConfig
{
    // The node name; empty: "HOST:PORT" as bound. "%port" in it is replaced by the bound port.
    QString name;
    QString bindHost = QStringLiteral("127.0.0.1");
    quint16 bindPort = kDefaultSerfPort; // 0: the OS picks (UDP and TCP share it)
    QStringList peers; // HOST[:PORT] (default port 7946), joined at start
    Metadata tags;
    EngineRole role = EngineRole::Observer;
    Keyring keyring; // empty: plaintext cluster
    // Queries we answer: name -> response (at most 1024 bytes); "*" answers every query.
    // Serf's internal queries (_serf_*) are the engine's and never reach this.
    QHash<QString, QByteArray> queryAnswers;
    SerfEngineConfig engine; // timings; name, address, port, tags and role are set from above
    int maxIncomingStreams = 128; // open at once
    int maxOutgoingStreams = 128;
    qint64 streamDeadlineMs = 10000; // an incoming connection's whole life
    qint64 leaveTimeoutMs = 15000; // leave(): how long the graceful leave may take at most
    int rejectReportIntervalMs = 1000;
    // False for serve's members, which nobody reads: no records kept, no membersUpdated.
    bool reportMembers = true;
};

// What `shoal --version` names for this backend.
QString serfProtocolDescription();

// The editor's size indicator: the bytes of our alive message with these tags (Serf caps the
// tags at 512 bytes of Meta).
cluster::SizeEstimator serfSizeEstimator(const QString &localName);

// Parses HOST[:PORT] (IPv6 as [ADDR]:PORT), the port defaulting to 7946; false with why.
bool parseSerfAddress(const QString &text, QString *host, quint16 *port, QString *error);

class SerfService final : public cluster::ClusterBackend
{
    Q_OBJECT
public:
    explicit SerfService(SerfServiceConfig config, QObject *parent = nullptr);
    ~SerfService() override;

    bool start(QString *error) override;
    void stop() override;
    // Serf's graceful leave: leave intent, dead-from-self, then stop (at most leaveTimeoutMs).
    void leave() override;
    bool isRunning() const override { return m_engine != nullptr; }

    QString localName() const override { return m_localName; }
    QList<MemberRecord> members() const override;
    Metadata localMetadata() const override { return m_tags; }
    void setLocalMetadata(const Metadata &local) override;
    cluster::TrafficCounters trafficCounters() const override { return m_counters; }
    // lupdate misreads tr() after a qualified return type: the context is named instead.
    cluster::Capabilities capabilities() const override
    {
        return { false, true, true,
            QCoreApplication::translate("shoal::serf::SerfService",
                "Serf announces the leave: the other members list this member as \u201cleft\u201d "
                "until they reap it (after 24 hours by default).") };
    }
    cluster::SizeEstimator sizeEstimator() const override;
    QStringList companionNames() const override { return m_companionNames; }
    void setCompanionNames(const QStringList &names) { m_companionNames = names; }

    bool heardFromPeers() const override { return !m_heardFrom.isEmpty(); }
    bool initialStateComplete() const override { return m_joined; }
    QHash<QString, QHash<QString, quint64>> rejectTotals() const override
    {
        return m_rejects.totals();
    }
    QString rejectCause(const QString &reason) const override;
    QString noAnswerHint() const override;

    // A user event of ours, broadcast to the cluster.
    void sendUserEvent(const QString &name, const QByteArray &payload, bool coalesce = false);
    // SerfEngine::preload, once started: the cluster's state as if long converged.
    void preload(const PushPull &state);
    quint16 boundPort() const { return m_port; }
    const SerfEngine *engine() const { return m_engine.get(); }
    // The engine's join answers merged so far (a push/pull with a peer succeeded).
    bool joined() const { return m_joined; }

private:
    struct Incoming;
    struct Outgoing;

    void readUdp();
    void receiveDatagram(const QByteArray &bytes, const QHostAddress &from, quint16 fromPort);
    void acceptTcp();
    void readIncoming(QTcpSocket *socket);
    void closeIncoming(QTcpSocket *socket);
    void startStream(const StreamRequest &request);
    void readOutgoing(quint64 id);
    void finishOutgoing(quint64 id, const std::optional<StreamMessage> &answer, const QString &why);
    void noteReject(const QString &from, const QString &reason);
    void flushRejects();
    void onTimer();
    void pump();
    static qint64 nowMs();

    SerfServiceConfig m_config;
    std::unique_ptr<SerfEngine> m_engine;
    QUdpSocket *m_udp = nullptr;
    QByteArray m_readBuffer; // every UDP read, reused
    QTcpServer *m_tcp = nullptr;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_localName;
    Metadata m_tags;
    QStringList m_companionNames;
    net::EngineTimer m_timer { this, &SerfService::onTimer };
    QTimer m_rejectTimer;
    cluster::TrafficCounters m_counters;
    QHash<QTcpSocket *, std::shared_ptr<Incoming>> m_incoming;
    QHash<quint64, std::shared_ptr<Outgoing>> m_outgoing;
    QHash<QString, MemberRecord> m_records;
    QSet<QString> m_heardFrom; // "host:port" of valid datagrams and streams
    cluster::RejectTally m_rejects;
    bool m_joined = false;
    bool m_pumping = false;
};

} // namespace shoal::serf
