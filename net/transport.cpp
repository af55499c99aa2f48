#include "net/transport.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

#include <memory>

namespace shoal::net {

namespace {

QString addressText(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

} // namespace

// State of one incoming TCP connection, shared by its socket's handlers and m_incoming.
struct IncomingTcp
{
    QByteArray buffer;
    bool done = false; // counted down and either delivered or refused
    QString source; // address
    qint64 acceptedMs = 0; // Transport::m_clock
    QTcpSocket *socket = nullptr; // owns the handlers that hold this state
    // When it must have ended at its pace so far (see Limits::tcpStartMs).
    qint64 deadlineMs(const Transport::Limits &limits) const
    {
        const qint64 pace = limits.tcpMinBytesPerSecond > 0
            ? buffer.size() * 1000 / limits.tcpMinBytesPerSecond
            : qint64(limits.tcpDeadlineMs);
        return acceptedMs + std::min<qint64>(limits.tcpStartMs + pace, limits.tcpDeadlineMs);
    }
};

QString HostPort::toString() const
{
    const bool v6 = host.contains(QLatin1Char(':'));
    return (v6 ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':')
        + QString::number(port);
}

namespace {

bool isCanonicalHostName(QStringView host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    bool lastAllDigits = true;
    qsizetype label = 0;
    for (qsizetype i = 0; i <= host.size(); ++i) {
        const QChar c = i < host.size() ? host[i] : QChar(u'.');
        if (c == u'.') {
            if (label == 0 || label > 63 || host[i - 1] == u'-')
                return false;
            label = 0;
            continue;
        }
        const bool digit = c >= u'0' && c <= u'9';
        if (label == 0) {
            if (c == u'-')
                return false;
            lastAllDigits = true;
        }
        // '_' is no host name character, but Docker Compose v1 names containers so.
        if (!digit && !(c >= u'a' && c <= u'z') && c != u'-' && c != u'_')
            return false;
        lastAllDigits = lastAllDigits && digit;
        ++label;
    }
    return !lastAllDigits;
}

} // namespace

bool isCanonicalMemberName(const QString &name)
{
    const qsizetype colon = name.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || name.size() > 262)
        return false;
    const QStringView port = QStringView(name).mid(colon + 1);
    if (port.isEmpty() || port.size() > 5 || port.front() == u'0')
        return false;
    for (const QChar c : port) {
        if (c < u'0' || c > u'9')
            return false;
    }
    if (port.toInt() > 65535)
        return false;
    const QString host = name.left(colon);
    if (host.startsWith(QLatin1Char('['))) {
        if (!host.endsWith(QLatin1Char(']')) || host.size() < 4)
            return false;
        const QString inner = host.mid(1, host.size() - 2);
        QHostAddress address;
        if (inner.contains(QLatin1Char('%')) || !address.setAddress(inner)
            || address.protocol() != QAbstractSocket::IPv6Protocol || address.toString() != inner)
            return false;
        bool mapped = false;
        address.toIPv4Address(&mapped);
        return !mapped;
    }
    bool dotsAndDigits = true;
    for (const QChar c : host)
        dotsAndDigits = dotsAndDigits && (c == u'.' || (c >= u'0' && c <= u'9'));
    if (dotsAndDigits) {
        QHostAddress address;
        return host.count(QLatin1Char('.')) == 3 && address.setAddress(host)
            && address.protocol() == QAbstractSocket::IPv4Protocol && address.toString() == host;
    }
    return isCanonicalHostName(host);
}

std::optional<HostPort> parseHostPort(const QString &text, bool allowPortZero, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<HostPort> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (text.trimmed().isEmpty())
        return fail(QStringLiteral("empty, expected HOST:PORT"));
    if (colon < 0)
        return fail(QStringLiteral("\"%1\" has no port, expected HOST:PORT").arg(text));
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        return fail(QStringLiteral("\"%1\" has no host, expected HOST:PORT").arg(text));
    if (host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char('/')))
        return fail(QStringLiteral("\"%1\" is not a valid host name").arg(host));
    bool digits = !portText.isEmpty() && portText.size() <= 5;
    for (QChar c : portText)
        digits = digits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    const uint port = digits ? portText.toUInt() : 0;
    if (!digits || port > 65535 || (port == 0 && !allowPortZero))
        return fail(
            QStringLiteral("\"%1\" has an invalid port \"%2\" (expected %3..65535)")
                .arg(text, portText, allowPortZero ? QStringLiteral("0") : QStringLiteral("1")));
    return HostPort { host, static_cast<quint16>(port) };
}

Transport::Transport(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
}

Transport::~Transport()
{
    close();
}

bool Transport::bind(const QHostAddress &address, quint16 port, QString *error)
{
    close();
    // Port 0: the OS picks a free UDP port, which may be taken on TCP; try a few.
    const int attempts = port == 0 ? 16 : 1;
    QString why;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        auto *udp = new QUdpSocket(this);
        // Exclusive: a second Shoal or a Python member on this port must be an error, not a
        // silent share of the traffic.
        if (!udp->bind(address, port, QAbstractSocket::DontShareAddress)) {
            why = QStringLiteral("cannot bind UDP %1: %2")
                      .arg(addressText(address, port), udp->errorString());
            delete udp;
            if (port != 0)
                break;
            continue;
        }
        // Room for bursts (a sync round of a large cluster, a flood) while the event loop is
        // busy; the kernel caps it at net.core.rmem_max.
        udp->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4 * 1024 * 1024);
        const quint16 chosen = udp->localPort();
        auto *tcp = new QTcpServer(this);
        if (!tcp->listen(address, chosen)) {
            why = QStringLiteral("cannot listen on TCP %1: %2")
                      .arg(addressText(address, chosen), tcp->errorString());
            delete tcp;
            delete udp;
            continue;
        }
        tcp->setMaxPendingConnections(m_limits.maxTcpConnections);
        m_udp = udp;
        m_tcp = tcp;
        connect(m_udp, &QUdpSocket::readyRead, this, &Transport::readUdp);
        connect(m_tcp, &QTcpServer::newConnection, this, &Transport::acceptTcp);
        return true;
    }
    if (error)
        *error = why;
    return false;
}

bool Transport::isBound() const
{
    return m_udp != nullptr;
}

QHostAddress Transport::boundAddress() const
{
    return m_udp ? m_udp->localAddress() : QHostAddress();
}

quint16 Transport::boundPort() const
{
    return m_udp ? m_udp->localPort() : quint16(0);
}

void Transport::close()
{
    delete m_udp;
    m_udp = nullptr;
    delete m_tcp;
    m_tcp = nullptr;
    // Open TCP connections (ours, see acceptTcp and sendTcp) are dropped silently: their
    // handlers refer to this transport, which may be on its way out.
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets) {
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    }
    m_openIncoming = 0;
    m_incoming.clear();
    m_openBySource.clear();
    m_openOutgoing = 0;
    for (auto it = m_lookups.cbegin(); it != m_lookups.cend(); ++it)
        QHostInfo::abortHostLookup(it->lookupId);
    m_lookups.clear();
}

void Transport::readUdp()
{
    m_readScheduled = false;
    if (!m_udp)
        return;
    int budget = m_limits.maxUdpPerWakeup;
    // QUdpSocket expects every readyRead to be answered by a read: after a wake-up that
    // finds nothing pending (seen under floods) and does not read, it ignores the socket.
    // So the loop always reads, even when nothing is pending (EAGAIN, which also re-enables
    // the notifier), and reads with one recvmsg per datagram into a reused buffer
    // (receiveDatagram peeks the size first and hasPendingDatagrams peeks again).
    if (m_readBuffer.size() < kMaxDatagram)
        m_readBuffer.resize(kMaxDatagram);
    QHostAddress sender;
    quint16 senderPort = 0;
    for (;;) {
        if (budget-- <= 0) {
            // A flood must not starve timers and the GUI: come back after other events.
            if (!m_readScheduled) {
                m_readScheduled = true;
                QTimer::singleShot(0, this, &Transport::readUdp);
            }
            return;
        }
        const qint64 size
            = m_udp->readDatagram(m_readBuffer.data(), kMaxDatagram, &sender, &senderPort);
        if (size < 0) {
            // Drained (EAGAIN), or an ICMP error surfaced as a failed read: only a peek tells
            // them apart (Qt 6.4 reports both as -1 with no distinct error).
            if (!m_udp->hasPendingDatagrams())
                return;
            continue;
        }
        const QByteArray data(m_readBuffer.constData(), static_cast<qsizetype>(size));
        ++m_counters.udpIn;
        m_counters.bytesIn += static_cast<quint64>(data.size());
        emit datagramReceived(data, sender, senderPort, false);
        if (!m_udp)
            return; // closed by a receiver
    }
}

std::shared_ptr<IncomingTcp> Transport::evictionCandidate(const QString &source) const
{
    const qint64 now = m_clock.elapsed();
    std::shared_ptr<IncomingTcp> victim;
    for (const auto &open : m_incoming) {
        if (open->done || (!source.isEmpty() && open->source != source)
            || now - open->acceptedMs < m_limits.tcpEvictAfterMs)
            continue;
        if (!victim || open->deadlineMs(m_limits) < victim->deadlineMs(m_limits))
            victim = open;
    }
    return victim;
}

// Ends an incoming connection: refused with a reason, or (empty reason) its datagram delivered.
void Transport::finishIncoming(const std::shared_ptr<IncomingTcp> &open, const QString &refusal)
{
    if (open->done)
        return;
    open->done = true;
    m_incoming.removeOne(open);
    --m_openIncoming;
    const int left = m_openBySource.value(open->source) - 1;
    if (left > 0)
        m_openBySource.insert(open->source, left);
    else
        m_openBySource.remove(open->source);
    QTcpSocket *socket = open->socket;
    if (!refusal.isEmpty()) {
        countRejected(socket->peerAddress(), refusal);
        emit rejected(socket->peerAddress(), socket->peerPort(), refusal);
        socket->abort();
    } else {
        ++m_counters.tcpIn;
        m_counters.bytesIn += static_cast<quint64>(open->buffer.size());
        emit datagramReceived(open->buffer, socket->peerAddress(), socket->peerPort(), true);
    }
    open->buffer.clear();
    socket->deleteLater();
}

void Transport::acceptTcp()
{
    while (m_tcp && m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        if (!socket)
            break;
        socket->setParent(this);
        const QHostAddress peer = socket->peerAddress();
        const quint16 peerPort = socket->peerPort();
        // One address may not take every slot: honest members elsewhere keep some.
        const QString source = peer.toString();
        // At a limit, the open connection furthest behind its pace makes room (if old enough).
        for (const bool perSource : { true, false }) {
            const bool full = perSource ? m_openBySource.value(source) >= m_limits.maxTcpPerSource
                                        : m_openIncoming >= m_limits.maxTcpConnections;
            if (!full)
                continue;
            if (const auto victim = evictionCandidate(perSource ? source : QString())) {
                ++m_counters.tcpTimedOut;
                finishIncoming(victim, QStringLiteral("tcp-evicted"));
            }
        }
        const int fromSource = m_openBySource.value(source);
        if (m_openIncoming >= m_limits.maxTcpConnections
            || fromSource >= m_limits.maxTcpPerSource) {
            const QString reason = fromSource >= m_limits.maxTcpPerSource
                ? QStringLiteral("tcp-too-many-from-source")
                : QStringLiteral("tcp-too-many");
            ++m_counters.tcpRefused;
            countRejected(peer, reason);
            emit rejected(peer, peerPort, reason);
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_openIncoming;
        m_openBySource.insert(source, fromSource + 1);
        auto state = std::make_shared<IncomingTcp>();
        state->source = source;
        state->acceptedMs = m_clock.elapsed();
        m_incoming.append(state);
        // Bounds the socket's own buffer too: never read more than one byte past the limit.
        socket->setReadBufferSize(m_limits.maxTcpBytes + 1);
        state->socket = socket;
        auto finish = [this, state](const QString &refusal) { finishIncoming(state, refusal); };
        auto *deadline = new QTimer(socket);
        deadline->setSingleShot(true);
        // Re-armed as bytes arrive: the deadline follows the pace (Limits::tcpStartMs).
        auto arm = [this, state, deadline] {
            deadline->start(int(std::clamp<qint64>(
                state->deadlineMs(m_limits) - m_clock.elapsed(), 0, m_limits.tcpDeadlineMs)));
        };
        auto drain = [this, socket, state, finish, arm] {
            if (state->done)
                return;
            const qint64 available = socket->bytesAvailable();
            if (state->buffer.size() + available > m_limits.maxTcpBytes) {
                ++m_counters.tcpOversize;
                finish(QStringLiteral("tcp-oversize"));
                return;
            }
            if (available > 0) {
                state->buffer.append(socket->read(available));
                arm();
            }
        };
        connect(deadline, &QTimer::timeout, socket, [this, state, finish, arm] {
            if (state->deadlineMs(m_limits) > m_clock.elapsed()) {
                arm(); // moved on since the timer started
                return;
            }
            ++m_counters.tcpTimedOut;
            finish(QStringLiteral("tcp-deadline"));
        });
        arm();
        connect(socket, &QTcpSocket::readyRead, socket, drain);
        connect(socket, &QTcpSocket::disconnected, socket, [socket, state, drain, finish] {
            drain();
            if (!state->done && socket->error() != QAbstractSocket::RemoteHostClosedError
                && socket->error() != QAbstractSocket::UnknownSocketError) {
                finish(QStringLiteral("tcp-error"));
                return;
            }
            finish(QString());
        });
        // The peer may have written and closed before we got here.
        drain();
        if (socket->state() != QAbstractSocket::ConnectedState && !state->done)
            finish(QString());
    }
}

void Transport::countRejected(const QHostAddress &from, const QString &reason)
{
    ++m_counters.rejectedByReason[reason];
    const QString key = from.toString();
    auto it = m_counters.rejectedBySource.find(key);
    if (it != m_counters.rejectedBySource.end())
        ++*it;
    else if (m_counters.rejectedBySource.size() < m_limits.maxRejectSources)
        m_counters.rejectedBySource.insert(key, 1);
    else
        ++m_counters.rejectedSourcesOverflow;
}

void Transport::send(const QString &name, const QByteArray &datagram)
{
    if (!m_udp)
        return;
    const std::optional<HostPort> target = parseHostPort(name, false, nullptr);
    if (!target) {
        ++m_counters.sendFailures;
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(target->host)) {
        sendTo(literal, target->port, datagram);
        return;
    }
    const qint64 now = m_clock.elapsed();
    auto cached = m_resolved.constFind(target->host);
    if (cached != m_resolved.cend() && cached->expiresMs > now) {
        if (cached->addresses.isEmpty())
            ++m_counters.sendFailures; // resolution failed recently: do not hammer the resolver
        else
            sendTo(pickAddress(cached->addresses), target->port, datagram);
        return;
    }
    auto pending = m_lookups.find(target->host);
    if (pending == m_lookups.end()) {
        if (m_lookups.size() >= 256) { // bound the resolver work a hostile gossip could ask for
            ++m_counters.sendFailures;
            return;
        }
        pending = m_lookups.insert(target->host, PendingLookup {});
        const QString host = target->host;
        pending->lookupId = QHostInfo::lookupHost(
            host, this, [this, host](const QHostInfo &info) { lookedUp(host, info); });
    }
    if (pending->queued.size() >= m_limits.maxQueuedPerHost) {
        ++m_counters.sendFailures;
        return;
    }
    pending->queued.append({ target->port, datagram });
}

void Transport::lookedUp(const QString &host, const QHostInfo &info)
{
    const PendingLookup pending = m_lookups.take(host);
    Resolved resolved;
    if (info.error() == QHostInfo::NoError)
        resolved.addresses = info.addresses();
    // A failure is cached for less time than a success: a name may appear soon.
    resolved.expiresMs = m_clock.elapsed()
        + (resolved.addresses.isEmpty() ? m_limits.resolveCacheMs / 6 : m_limits.resolveCacheMs);
    if (m_resolved.size() > 4096)
        m_resolved.clear(); // bounded; a cache miss only costs a lookup
    m_resolved.insert(host, resolved);
    for (const auto &[port, datagram] : pending.queued) {
        if (resolved.addresses.isEmpty())
            ++m_counters.sendFailures;
        else
            sendTo(pickAddress(resolved.addresses), port, datagram);
    }
}

QHostAddress Transport::pickAddress(const QList<QHostAddress> &addresses) const
{
    // A socket bound to an IPv4 address cannot reach an IPv6 one: prefer the bound family.
    const auto family = m_udp ? m_udp->localAddress().protocol() : QAbstractSocket::IPv4Protocol;
    for (const QHostAddress &address : addresses) {
        if (family == QAbstractSocket::AnyIPProtocol || address.protocol() == family)
            return address;
    }
    return addresses.first();
}

void Transport::sendTo(const QHostAddress &address, quint16 port, const QByteArray &datagram)
{
    if (!m_udp)
        return;
    if (datagram.size() > m_limits.mtu) {
        sendTcp(address, port, datagram);
        return;
    }
    if (m_udp->writeDatagram(datagram, address, port) != datagram.size()) {
        ++m_counters.sendFailures;
        return;
    }
    ++m_counters.udpOut;
    m_counters.bytesOut += static_cast<quint64>(datagram.size());
}

void Transport::sendTcp(const QHostAddress &address, quint16 port, const QByteArray &datagram)
{
    if (m_openOutgoing >= m_limits.maxOutgoingTcp) {
        ++m_counters.sendFailures;
        return;
    }
    ++m_openOutgoing;
    auto *socket = new QTcpSocket(this);
    auto finished = std::make_shared<bool>(false);
    auto finish = [this, socket, finished](bool ok, qint64 bytes) {
        if (*finished)
            return;
        *finished = true;
        --m_openOutgoing;
        if (ok) {
            ++m_counters.tcpOut;
            m_counters.bytesOut += static_cast<quint64>(bytes);
        } else {
            ++m_counters.sendFailures;
            socket->abort();
        }
        socket->deleteLater();
    };
    auto written = std::make_shared<qint64>(0);
    const qint64 total = datagram.size();
    connect(
        socket, &QTcpSocket::connected, socket, [socket, datagram] { socket->write(datagram); });
    connect(socket, &QTcpSocket::bytesWritten, socket, [socket, written, total](qint64 n) {
        *written += n;
        if (*written >= total)
            socket->disconnectFromHost(); // the receiver reads until close
    });
    connect(socket, &QTcpSocket::disconnected, socket,
        [finish, written, total] { finish(*written >= total, total); });
    connect(socket, &QTcpSocket::errorOccurred, socket,
        [finish, written, total](QAbstractSocket::SocketError) {
            // The receiver may close first once it has it all; that is a success.
            finish(*written >= total, total);
        });
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, [finish] { finish(false, 0); });
    deadline->start(m_limits.tcpDeadlineMs);
    socket->connectToHost(address, port);
}

} // namespace shoal::net
