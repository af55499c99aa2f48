#include "net/transport.h"

#include "net/udpreader.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

#include <cstring>
#include <memory>

#if defined(Q_OS_LINUX)
#define SHOAL_UDP_BATCH 1
#include <QNetworkInterface>

#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#endif

namespace shoal::net {

#ifdef SHOAL_UDP_BATCH
// The state of recvmmsg/sendmmsg (Linux): one wake-up reads up to kSlots datagrams in one
// call, and the answers its receivers send meanwhile go out together when it ends.
struct UdpBatch
{
    static constexpr unsigned kSlots = 16;
    static constexpr std::size_t kSlotBytes = 65536; // any UDP payload fits whole
    static constexpr unsigned kSendSlots = 64;

    struct Queued
    {
        sockaddr_storage to {};
        socklen_t toLength = 0;
        QByteArray datagram; // shared with the sender's copy: no allocation
    };

    UdpBatch()
    {
        // kSlots x 64 KiB of address space, mapped lazily: only the pages datagrams touch
        // become resident (one page per slot for gossip-sized datagrams).
        void *mapped = ::mmap(nullptr, kSlots * kSlotBytes, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        buffers = mapped == MAP_FAILED ? nullptr : static_cast<char *>(mapped);
        for (unsigned i = 0; i < kSlots; ++i) {
            recvIov[i] = { slot(i), kSlotBytes };
            recvMessages[i].msg_hdr.msg_iov = &recvIov[i];
            recvMessages[i].msg_hdr.msg_iovlen = 1;
            recvMessages[i].msg_hdr.msg_name = &recvFrom[i];
        }
        for (unsigned i = 0; i < kSendSlots; ++i) {
            sendMessages[i].msg_hdr.msg_iov = &sendIov[i];
            sendMessages[i].msg_hdr.msg_iovlen = 1;
            sendMessages[i].msg_hdr.msg_name = &queue[i].to;
        }
    }
    ~UdpBatch()
    {
        if (buffers)
            ::munmap(buffers, kSlots * kSlotBytes);
    }
    UdpBatch(const UdpBatch &) = delete;
    UdpBatch &operator=(const UdpBatch &) = delete;

    char *slot(unsigned i) const { return buffers + std::size_t(i) * kSlotBytes; }

    // The sender of a received datagram as Qt's own read gives it (an IPv4 sender of a
    // dual-stack socket stays IPv4-mapped IPv6); the last one is kept, so a run of datagrams
    // from one source builds no QHostAddress.
    void setSender(const sockaddr_storage &from)
    {
        if (from.ss_family == AF_INET) {
            const auto &in = reinterpret_cast<const sockaddr_in &>(from);
            const quint32 v4 = ntohl(in.sin_addr.s_addr);
            if (senderFamily != AF_INET || senderV4 != v4) {
                senderAddress.setAddress(v4);
                senderFamily = AF_INET;
                senderV4 = v4;
            }
            senderPort = ntohs(in.sin_port);
        } else if (from.ss_family == AF_INET6) {
            const auto &in6 = reinterpret_cast<const sockaddr_in6 &>(from);
            if (senderFamily != AF_INET6 || senderScope != in6.sin6_scope_id
                || std::memcmp(&senderV6, &in6.sin6_addr, sizeof senderV6) != 0) {
                Q_IPV6ADDR bytes;
                std::memcpy(&bytes, &in6.sin6_addr, sizeof bytes);
                senderAddress.setAddress(bytes);
                if (in6.sin6_scope_id != 0)
                    senderAddress.setScopeId(
                        QNetworkInterface::interfaceNameFromIndex(int(in6.sin6_scope_id)));
                senderFamily = AF_INET6;
                senderV6 = in6.sin6_addr;
                senderScope = in6.sin6_scope_id;
            }
            senderPort = ntohs(in6.sin6_port);
        } else {
            senderAddress.clear();
            senderFamily = AF_UNSPEC;
            senderPort = 0;
        }
    }

    // The socket address of a destination; false when QUdpSocket must send it (a scoped
    // IPv6 address, or a family this socket cannot reach: Qt reports those as before).
    bool setDestination(const QHostAddress &address, quint16 port, Queued *out) const
    {
        const auto protocol = address.protocol();
        if (protocol == QAbstractSocket::IPv4Protocol && socketFamily == AF_INET) {
            auto &in = reinterpret_cast<sockaddr_in &>(out->to);
            in = sockaddr_in {};
            in.sin_family = AF_INET;
            in.sin_port = htons(port);
            in.sin_addr.s_addr = htonl(address.toIPv4Address());
            out->toLength = sizeof in;
            return true;
        }
        if (socketFamily != AF_INET6
            || (protocol != QAbstractSocket::IPv4Protocol
                && (protocol != QAbstractSocket::IPv6Protocol || !address.scopeId().isEmpty())))
            return false;
        auto &in6 = reinterpret_cast<sockaddr_in6 &>(out->to);
        in6 = sockaddr_in6 {};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        if (protocol == QAbstractSocket::IPv4Protocol) { // IPv4-mapped, as Qt sends it
            const quint32 v4 = htonl(address.toIPv4Address());
            in6.sin6_addr.s6_addr[10] = 0xff;
            in6.sin6_addr.s6_addr[11] = 0xff;
            std::memcpy(&in6.sin6_addr.s6_addr[12], &v4, sizeof v4);
        } else {
            const Q_IPV6ADDR bytes = address.toIPv6Address();
            std::memcpy(&in6.sin6_addr, &bytes, sizeof bytes);
        }
        out->toLength = sizeof in6;
        return true;
    }

    void reset()
    {
        for (unsigned i = 0; i < queued; ++i)
            queue[i].datagram = QByteArray();
        queued = 0;
        holdSends = false;
        senderFamily = AF_UNSPEC;
        senderAddress.clear();
    }

    char *buffers = nullptr;
    std::array<iovec, kSlots> recvIov {};
    std::array<sockaddr_storage, kSlots> recvFrom {};
    std::array<mmsghdr, kSlots> recvMessages {};

    std::array<Queued, kSendSlots> queue {};
    std::array<iovec, kSendSlots> sendIov {};
    std::array<mmsghdr, kSendSlots> sendMessages {};
    unsigned queued = 0;
    bool holdSends = false; // in a read wake-up: sends wait for its end (or a full queue)
    int socketFamily = AF_UNSPEC;

    QHostAddress senderAddress;
    quint16 senderPort = 0;
    int senderFamily = AF_UNSPEC;
    quint32 senderV4 = 0;
    in6_addr senderV6 {};
    quint32 senderScope = 0;
    QHostAddress qtSenderAddress; // of the one read through QUdpSocket that ends a wake-up
    quint16 qtSenderPort = 0;
};
#else
struct UdpBatch // elsewhere QUdpSocket reads and writes one datagram at a time
{
    void reset() { }
};
#endif

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
#ifdef SHOAL_UDP_BATCH
        if (!m_batch)
            m_batch = std::make_unique<UdpBatch>();
        sockaddr_storage local {};
        socklen_t length = sizeof local;
        m_batch->socketFamily = ::getsockname(int(udp->socketDescriptor()),
                                    reinterpret_cast<sockaddr *>(&local), &length)
                == 0
            ? local.ss_family
            : AF_UNSPEC;
        if (!m_batch->buffers)
            m_batch.reset(); // no address space for the slots: the portable path serves
#endif
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
    ++m_generation;
    flushUdp(); // what a receiver sent before closing still goes out
    if (m_batch)
        m_batch->reset();
    if (m_udp) {
        // A receiver may close us while the socket is emitting readyRead: the port is freed
        // now, the object once that emission is over.
        m_udp->disconnect(this);
        m_udp->close();
        m_udp->deleteLater();
    }
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
    // A receiver that spins a nested event loop must not start a read over the batch being
    // delivered: the outer read goes on when it returns.
    if (!m_udp || m_reading)
        return;
    m_reading = true;
    const int budget = m_limits.maxUdpPerWakeup;
    if (m_batch)
        readUdpBatched(budget);
    else
        readUdpPortable(budget);
    m_reading = false;
}

void Transport::scheduleRead()
{
    // A flood must not starve timers and the GUI: come back after other events.
    if (!m_readScheduled) {
        m_readScheduled = true;
        QTimer::singleShot(0, this, &Transport::readUdp);
    }
}

bool Transport::deliverUdp(const char *data, qsizetype size, const QHostAddress &from, quint16 port)
{
    // The same QByteArray every time: no allocation unless a receiver kept the last one (then
    // resize detaches and the receiver's copy stays whole).
    m_datagram.resize(size);
    if (size > 0)
        std::memcpy(m_datagram.data(), data, static_cast<std::size_t>(size));
    ++m_counters.udpIn;
    m_counters.bytesIn += static_cast<quint64>(size);
    const quint64 generation = m_generation;
    emit datagramReceived(m_datagram, from, port, false);
    return generation == m_generation && m_udp; // else closed by a receiver
}

void Transport::readUdpPortable(int budget)
{
    // One read per datagram into a reused buffer (receiveDatagram peeks the size first and
    // hasPendingDatagrams peeks again); readPendingDatagrams says why it always reads.
    const bool more = readPendingDatagrams(*m_udp, m_readBuffer, budget,
        [this](const char *data, qsizetype size, const QHostAddress &from, quint16 port) {
            return deliverUdp(data, size, from, port);
        });
    if (more)
        scheduleRead();
}

void Transport::readUdpBatched(int budget)
{
#ifdef SHOAL_UDP_BATCH
    UdpBatch &batch = *m_batch;
    const int fd = int(m_udp->socketDescriptor());
    const quint64 generation = m_generation;
    // Answers sent by the receivers wait for the end of the wake-up, then go in one sendmmsg.
    batch.holdSends = true;
    for (;;) {
        if (budget <= 0) {
            scheduleRead();
            break;
        }
        const unsigned want = std::min<unsigned>(UdpBatch::kSlots, unsigned(budget));
        for (unsigned i = 0; i < want; ++i)
            batch.recvMessages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        const int got = ::recvmmsg(fd, batch.recvMessages.data(), want, MSG_DONTWAIT, nullptr);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            --budget; // an ICMP error surfaced as a failed read (the call consumed it)
            continue;
        }
        for (int i = 0; i < got; ++i) {
            --budget;
            batch.setSender(batch.recvFrom[std::size_t(i)]);
            // A payload never exceeds a slot (65,536 bytes): msg_len is the datagram's size.
            const auto size = static_cast<qsizetype>(std::min<std::size_t>(
                batch.recvMessages[std::size_t(i)].msg_len, UdpBatch::kSlotBytes));
            if (!deliverUdp(batch.slot(unsigned(i)), size, batch.senderAddress, batch.senderPort))
                return;
        }
        if (got == int(want))
            continue; // maybe more
        // Drained, or nearly (a short batch). QUdpSocket stops notifying after a readyRead
        // that no read of its own answered (see readUdpPortable): one read through it
        // re-enables the notifier, and may find a datagram that came meanwhile. When it finds
        // nothing the wake-up ends: the notifier is level-triggered, so anything still
        // pending wakes us again.
        if (budget <= 0)
            continue; // the budget check above schedules the rest
        const qint64 size = m_udp->readDatagram(batch.slot(0), qint64(UdpBatch::kSlotBytes),
            &batch.qtSenderAddress, &batch.qtSenderPort);
        if (size < 0)
            break;
        --budget;
        if (!deliverUdp(batch.slot(0), static_cast<qsizetype>(size), batch.qtSenderAddress,
                batch.qtSenderPort))
            return;
    }
    if (generation == m_generation) {
        batch.holdSends = false;
        flushUdp();
    }
#else
    Q_UNUSED(budget)
#endif
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
    // Members are named by address literals in practice: parsed once, not per datagram.
    const auto known = m_literalTargets.constFind(name);
    if (known != m_literalTargets.cend()) {
        sendTo(known->first, known->second, datagram);
        return;
    }
    const std::optional<HostPort> target = parseHostPort(name, false, nullptr);
    if (!target) {
        ++m_counters.sendFailures;
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(target->host)) {
        if (m_literalTargets.size() >= 4096)
            m_literalTargets.clear(); // bounded; a miss only costs a parse
        m_literalTargets.insert(name, { literal, target->port });
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
    if (queueUdp(address, port, datagram))
        return;
    flushUdp(); // in order with what is queued
    if (m_udp->writeDatagram(datagram, address, port) != datagram.size()) {
        ++m_counters.sendFailures;
        return;
    }
    ++m_counters.udpOut;
    m_counters.bytesOut += static_cast<quint64>(datagram.size());
}

bool Transport::queueUdp(const QHostAddress &address, quint16 port, const QByteArray &datagram)
{
#ifdef SHOAL_UDP_BATCH
    if (!m_batch)
        return false;
    UdpBatch &batch = *m_batch;
    UdpBatch::Queued &slot = batch.queue[batch.queued];
    if (!batch.setDestination(address, port, &slot))
        return false;
    slot.datagram = datagram;
    ++batch.queued;
    if (!batch.holdSends || batch.queued == UdpBatch::kSendSlots)
        flushUdp();
    return true;
#else
    Q_UNUSED(address)
    Q_UNUSED(port)
    Q_UNUSED(datagram)
    return false;
#endif
}

void Transport::flushUdp()
{
#ifdef SHOAL_UDP_BATCH
    if (!m_batch || m_batch->queued == 0)
        return;
    UdpBatch &batch = *m_batch;
    if (!m_udp) {
        batch.reset();
        return;
    }
    const int fd = int(m_udp->socketDescriptor());
    for (unsigned i = 0; i < batch.queued; ++i) {
        const QByteArray &datagram = batch.queue[i].datagram;
        batch.sendIov[i] = { const_cast<char *>(datagram.constData()),
            static_cast<std::size_t>(datagram.size()) };
        batch.sendMessages[i].msg_hdr.msg_namelen = batch.queue[i].toLength;
        batch.sendMessages[i].msg_len = 0;
    }
    unsigned done = 0;
    while (done < batch.queued) {
        const int sent = ::sendmmsg(fd, &batch.sendMessages[done], batch.queued - done, 0);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            ++m_counters.sendFailures; // this one failed (full buffer, unreachable): dropped
            ++done;
            continue;
        }
        for (unsigned i = done; i < done + unsigned(sent); ++i) {
            const auto size = static_cast<quint64>(batch.queue[i].datagram.size());
            if (batch.sendMessages[i].msg_len != size) {
                ++m_counters.sendFailures;
                continue;
            }
            ++m_counters.udpOut;
            m_counters.bytesOut += size;
        }
        done += unsigned(sent);
    }
    for (unsigned i = 0; i < batch.queued; ++i)
        batch.queue[i].datagram = QByteArray();
    batch.queued = 0;
#endif
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
