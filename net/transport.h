// The gossip transport (SWIM-PROTOCOL.md section 4; memberlist does the same): one UDP socket,
// oversized datagrams over short-lived TCP connections to and from the same port, with every limit
// and counter.
#pragma once

#include "cluster/clustertypes.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

class QHostInfo;
class QTcpServer;
class QTcpSocket;
class QUdpSocket;

namespace shoal::net {

// A member name split as the reference splits it (rpartition(':')); "[::1]:7" is accepted too.
struct HostPort
{
    QString host;
    quint16 port = 0;
    QString toString() const;
};

// Parses "host:port". allowPortZero admits port 0 (a local name: the OS picks). On failure returns
// nullopt and a one-line reason in *error.
std::optional<HostPort> parseHostPort(const QString &text, bool allowPortZero, QString *error);

// A member name as packets may introduce it (issue 14, finding 2): exactly one spelling per
// address and port, so that aliases cannot make one address many members. The port is decimal
// 1-65535 without leading zeros; the host is a dotted-quad IPv4 address as it prints
// (127.0.0.1, not 127.000.0.1, 127.1, 2130706433 or 0x7f.0.0.1), a bracketed IPv6 address as
// it prints (lowercase, compressed, not IPv4-mapped), or a lowercase host name (letters,
// digits, '-', '_' and '.', labels of 1-63 characters, at most 253 in all, the last label not all
// digits). A host name can still resolve to an address another member has.
bool isCanonicalMemberName(const QString &name);

// Counters of one transport: the neutral snapshot every backend reports.
using TransportCounters = cluster::TrafficCounters;

struct IncomingTcp;
struct UdpBatch;

class Transport final : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qsizetype mtu = 1500; // larger datagrams go over TCP
        qsizetype maxTcpBytes = 1024 * 1024; // one incoming TCP datagram
        int maxTcpConnections = 64; // incoming, open at once
        int maxTcpPerSource = 16; // incoming, open at once from one address
        int maxOutgoingTcp = 256; // outgoing, open at once
        int tcpDeadlineMs = 10000; // an incoming or outgoing connection's whole life
        // An incoming connection must keep up this pace, after a first second of grace: its
        // deadline is tcpStartMs + bytes received / tcpMinBytesPerSecond (at most
        // tcpDeadlineMs), so an idle or trickling one ends in about a second (issue 14,
        // finding 9), while 1 MiB has tcpDeadlineMs at any rate of 100 KiB/s or more.
        int tcpStartMs = 1000;
        qint64 tcpMinBytesPerSecond = 16 * 1024;
        // At maxTcpConnections (or maxTcpPerSource), a new connection evicts the open one
        // (of that source) furthest behind that pace, if it is at least this old: slow
        // connections cannot make a legitimate one wait (reason tcp-evicted).
        int tcpEvictAfterMs = 100;
        int maxRejectSources = 1024; // entries of rejectedBySource
        int maxUdpPerWakeup = 512; // datagrams read before yielding to the event loop
        int maxQueuedPerHost = 64; // datagrams waiting for a name to resolve
        int resolveCacheMs = 60000; // how long a resolved (or failed) host name is trusted
    };

    explicit Transport(QObject *parent = nullptr);
    ~Transport() override;

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }

    // Binds UDP and TCP on one port of address; port 0 lets the OS pick one free for both.
    // False with a one-line error naming the address and the protocol when it cannot.
    bool bind(const QHostAddress &address, quint16 port, QString *error);
    bool isBound() const;
    QHostAddress boundAddress() const;
    quint16 boundPort() const;
    void close();

    // Sends one datagram to a member name: UDP up to the MTU, else a fresh TCP connection.
    void send(const QString &name, const QByteArray &datagram);

    const TransportCounters &counters() const { return m_counters; }
    // The decoder reports what it made of each received datagram.
    void countPacketIn(const QString &type) { ++m_counters.packetsIn[type]; }
    void countPacketOut(const QString &type) { ++m_counters.packetsOut[type]; }
    void countRejected(const QHostAddress &from, const QString &reason);

signals:
    // One whole datagram, from UDP or from a TCP connection that closed cleanly.
    void datagramReceived(
        const QByteArray &datagram, const QHostAddress &from, quint16 fromPort, bool viaTcp);
    // An incoming TCP connection was closed by a limit (reason as in rejectedByReason).
    void rejected(const QHostAddress &from, quint16 fromPort, const QString &reason);

private:
    struct Resolved
    {
        QList<QHostAddress> addresses;
        qint64 expiresMs = 0;
    };
    struct PendingLookup
    {
        int lookupId = -1;
        QList<QPair<quint16, QByteArray>> queued; // port, datagram
    };

    void readUdp();
    void readUdpPortable(int budget);
    void readUdpBatched(int budget);
    // Hands one UDP datagram to the receivers (counters, datagramReceived); false when a
    // receiver closed the transport, so the read must stop.
    bool deliverUdp(const char *data, qsizetype size, const QHostAddress &from, quint16 port);
    void scheduleRead();
    // Linux: queues a UDP datagram for the next sendmmsg (at once outside a read wake-up);
    // false when this destination needs QUdpSocket's own path.
    bool queueUdp(const QHostAddress &address, quint16 port, const QByteArray &datagram);
    void flushUdp();
    void acceptTcp();
    void sendTo(const QHostAddress &address, quint16 port, const QByteArray &datagram);
    void sendTcp(const QHostAddress &address, quint16 port, const QByteArray &datagram);
    void lookedUp(const QString &host, const QHostInfo &info);
    QHostAddress pickAddress(const QList<QHostAddress> &addresses) const;
    // The open incoming connection (from `source`, or any if empty) to evict for a new one.
    std::shared_ptr<IncomingTcp> evictionCandidate(const QString &source) const;
    void finishIncoming(const std::shared_ptr<IncomingTcp> &open, const QString &refusal);

    Limits m_limits;
    QUdpSocket *m_udp = nullptr;
    QTcpServer *m_tcp = nullptr;
    int m_openIncoming = 0;
    QHash<QString, int> m_openBySource; // address -> incoming connections open (bounded by them)
    QList<std::shared_ptr<IncomingTcp>> m_incoming; // open incoming connections
    int m_openOutgoing = 0;
    bool m_readScheduled = false;
    bool m_reading = false; // in readUdp: a nested event loop must not reuse its buffers
    quint64 m_generation = 0; // bumped by close(): a read in progress stops
    QByteArray m_readBuffer; // portable path: reused by every read
    QByteArray m_datagram; // what datagramReceived carries: reused while no receiver keeps it
    std::unique_ptr<UdpBatch> m_batch; // Linux: recvmmsg/sendmmsg state (null elsewhere)
    // Member names that are address literals, parsed once (bounded; cleared when full).
    QHash<QString, QPair<QHostAddress, quint16>> m_literalTargets;
    TransportCounters m_counters;
    QHash<QString, Resolved> m_resolved;
    QHash<QString, PendingLookup> m_lookups;
    QElapsedTimer m_clock;
};

} // namespace shoal::net
