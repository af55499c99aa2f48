#include "net/serf/serfservice.h"

#include "net/udpreader.h"

#include "net/serf/memberlist.h"
#include "net/serf/serfmessages.h"

#include <QDateTime>
#include <QEventLoop>
#include <QHostInfo>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

#include <algorithm>
#include <limits>

namespace shoal::serf {

namespace {

constexpr int kMaxUdpPerWakeup = 512;
constexpr int kReceiveBuffer = 2 * 1024 * 1024;

QByteArray addressBytes(const QHostAddress &address)
{
    bool ok = false;
    const quint32 v4 = address.toIPv4Address(&ok);
    if (ok) {
        QByteArray bytes(4, '\0');
        bytes[0] = char(v4 >> 24);
        bytes[1] = char(v4 >> 16);
        bytes[2] = char(v4 >> 8);
        bytes[3] = char(v4);
        return bytes;
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 16);
}

QHostAddress hostAddress(const QByteArray &bytes)
{
    if (bytes.size() == 4)
        return QHostAddress((quint32(quint8(bytes[0])) << 24) | (quint32(quint8(bytes[1])) << 16)
            | (quint32(quint8(bytes[2])) << 8) | quint32(quint8(bytes[3])));
    if (bytes.size() == 16) {
        Q_IPV6ADDR v6;
        std::copy(bytes.cbegin(), bytes.cend(), reinterpret_cast<char *>(v6.c));
        return QHostAddress(v6);
    }
    return {};
}

QString endpointText(const QHostAddress &address, quint16 port)
{
    bool ok = false;
    address.toIPv4Address(&ok);
    const QString host = ok ? QHostAddress(address.toIPv4Address()).toString() : address.toString();
    return (address.protocol() == QAbstractSocket::IPv6Protocol && !ok
                   ? QLatin1Char('[') + host + QLatin1Char(']')
                   : host)
        + QLatin1Char(':') + QString::number(port);
}

std::optional<QHostAddress> resolve(const QString &host, QString *error)
{
    QHostAddress address;
    if (address.setAddress(host))
        return address;
    const QHostInfo info = QHostInfo::fromName(host);
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        *error = QStringLiteral("cannot resolve \"%1\": %2").arg(host, info.errorString());
        return std::nullopt;
    }
    for (const QHostAddress &candidate : info.addresses()) {
        if (candidate.protocol() == QAbstractSocket::IPv4Protocol)
            return candidate;
    }
    return info.addresses().first();
}

QString messageName(const Message &message)
{
    static const char *const names[]
        = { "ping", "indirect-ping", "ack", "nack", "suspect", "alive", "dead", "user", "err" };
    return QLatin1String(names[std::min<size_t>(message.index(), std::size(names) - 1)]);
}

QString streamTypeName(const StreamMessage &message)
{
    switch (message.index()) {
    case 0:
        return QStringLiteral("ping");
    case 1:
        return QStringLiteral("ack");
    case 2:
        return QStringLiteral("push-pull");
    case 3:
        return QStringLiteral("user");
    default:
        return QStringLiteral("err");
    }
}

} // namespace

QString serfProtocolDescription()
{
    return QStringLiteral("serf 0.9.4 (memberlist 0.2.2, protocol 5)");
}

cluster::SizeEstimator serfSizeEstimator(const QString &localName)
{
    return [name = localName](const Metadata &tags) {
        Alive alive;
        alive.addr = QByteArray(4, '\0');
        alive.incarnation = 1u << 20;
        alive.meta = encodeTags(tags);
        alive.node = name;
        alive.port = kDefaultSerfPort;
        alive.vsn = defaultVsn();
        return encodeMessage(Message(alive)).size();
    };
}

bool parseSerfAddress(const QString &text, QString *host, quint16 *port, QString *error)
{
    const QString t = text.trimmed();
    QString h = t;
    QString p;
    if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = QStringLiteral("\"%1\" has no closing ]").arg(text);
            return false;
        }
        h = t.mid(1, close - 1);
        const QString rest = t.mid(close + 1);
        if (rest.startsWith(QLatin1Char(':')))
            p = rest.mid(1);
        else if (!rest.isEmpty()) {
            *error = QStringLiteral("\"%1\" is not [ADDRESS]:PORT").arg(text);
            return false;
        }
    } else if (t.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = t.indexOf(QLatin1Char(':'));
        h = t.left(colon);
        p = t.mid(colon + 1);
    }
    if (h.isEmpty() || h.contains(QLatin1Char(' '))) {
        *error = QStringLiteral("\"%1\" has no host").arg(text);
        return false;
    }
    quint16 value = kDefaultSerfPort;
    if (!p.isNull()) {
        bool ok = false;
        const int n = p.toInt(&ok);
        if (!ok || n < 0 || n > 65535) {
            *error = QStringLiteral("\"%1\": \"%2\" is not a port from 0 to 65535").arg(text, p);
            return false;
        }
        value = quint16(n);
    }
    *host = h;
    *port = value;
    return true;
}

struct SerfService::Incoming
{
    QTcpSocket *socket = nullptr;
    std::unique_ptr<StreamReader> reader;
    QString from;
    bool answered = false;
};

struct SerfService::Outgoing
{
    QTcpSocket *socket = nullptr;
    StreamRequest request;
    std::unique_ptr<StreamReader> reader;
    QString to;
    bool done = false;
};

SerfService::SerfService(SerfServiceConfig config, QObject *parent)
    : ClusterBackend(parent)
    , m_config(std::move(config))
    , m_tags(m_config.tags)
{
    cluster::registerMetaTypes();
    m_rejectTimer.setSingleShot(true);
    m_rejectTimer.setInterval(m_config.rejectReportIntervalMs);
    connect(&m_rejectTimer, &QTimer::timeout, this, &SerfService::flushRejects);
}

SerfService::~SerfService()
{
    stop();
}

bool SerfService::start(QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    stop();
    const auto address = resolve(m_config.bindHost, error);
    if (!address) {
        *error = QStringLiteral("serf: bind address: ") + *error;
        return false;
    }
    // UDP and TCP on one port; with port 0 the OS picks the UDP one and TCP follows (a few
    // tries, in case another process holds that TCP port).
    for (int attempt = 0; attempt < 8; ++attempt) {
        auto *udp = new QUdpSocket(this);
        if (!udp->bind(*address, m_config.bindPort)) {
            *error = QStringLiteral("serf: cannot bind UDP %1: %2")
                         .arg(endpointText(*address, m_config.bindPort), udp->errorString());
            delete udp;
            return false;
        }
        auto *tcp = new QTcpServer(this);
        if (!tcp->listen(*address, udp->localPort())) {
            *error = QStringLiteral("serf: cannot listen on TCP %1: %2")
                         .arg(endpointText(*address, udp->localPort()), tcp->errorString());
            delete tcp;
            delete udp;
            if (m_config.bindPort != 0)
                return false;
            continue;
        }
        m_udp = udp;
        m_tcp = tcp;
        break;
    }
    if (!m_udp)
        return false;
    m_udp->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, kReceiveBuffer);
    m_address = *address;
    m_port = m_udp->localPort();
    connect(m_udp, &QUdpSocket::readyRead, this, &SerfService::readUdp);
    connect(m_tcp, &QTcpServer::newConnection, this, &SerfService::acceptTcp);

    m_localName = m_config.name.isEmpty() ? endpointText(*address, m_port) : m_config.name;
    m_localName.replace(QStringLiteral("%port"), QString::number(m_port));

    SerfEngineConfig engineConfig = m_config.engine;
    engineConfig.name = m_localName;
    engineConfig.addr = addressBytes(*address);
    engineConfig.port = m_port;
    engineConfig.tags = m_tags;
    engineConfig.role = m_config.role;
    engineConfig.encrypted = !m_config.keyring.isEmpty();
    m_engine = std::make_unique<SerfEngine>(
        engineConfig, QRandomGenerator::system()->generate64(), m_config.keyring);
    m_engine->start(nowMs());
    for (const QString &peer : std::as_const(m_config.peers)) {
        QString host;
        quint16 port = 0;
        QString why;
        std::optional<QHostAddress> peerAddress;
        if (parseSerfAddress(peer, &host, &port, &why))
            peerAddress = resolve(host, &why);
        if (!peerAddress) {
            ++m_counters.sendFailures;
            noteReject(peer, QStringLiteral("resolve: ") + why);
            continue;
        }
        if (*peerAddress == *address && port == m_port)
            continue;
        m_engine->join(Endpoint { addressBytes(*peerAddress), port }, nowMs());
    }
    pump();
    return true;
}

void SerfService::stop()
{
    if (!m_engine)
        return;
    flushRejects();
    m_timer.stop();
    for (const auto &incoming : std::as_const(m_incoming)) {
        incoming->socket->disconnect(this);
        incoming->socket->abort();
        incoming->socket->deleteLater();
    }
    m_incoming.clear();
    for (const auto &outgoing : std::as_const(m_outgoing)) {
        outgoing->socket->disconnect(this);
        outgoing->socket->abort();
        outgoing->socket->deleteLater();
    }
    m_outgoing.clear();
    if (m_udp) {
        // Later, not now: stop() may run inside the socket's own readyRead.
        m_udp->disconnect(this);
        m_udp->close();
        m_udp->deleteLater();
        m_udp = nullptr;
    }
    delete m_tcp;
    m_tcp = nullptr;
    m_engine.reset();
}

void SerfService::leave()
{
    if (!m_engine)
        return;
    if (!m_engine->isLeaving() && !m_engine->hasLeft()) {
        m_engine->leave(nowMs());
        pump();
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [this, &loop] {
            if (!m_engine || m_engine->hasLeft())
                loop.quit();
        });
        poll.start(20);
        QTimer::singleShot(int(m_config.leaveTimeoutMs), &loop, &QEventLoop::quit);
        if (!m_engine->hasLeft())
            loop.exec();
    }
    stop();
}

QList<MemberRecord> SerfService::members() const
{
    QList<MemberRecord> records;
    if (!m_engine)
        return records;
    const QList<SerfMember> all = m_engine->members();
    records.reserve(all.size());
    for (const SerfMember &member : all) {
        if (member.status != SerfStatus::None || member.local)
            records.append(member.record());
    }
    return records;
}

void SerfService::setLocalMetadata(const Metadata &local)
{
    m_tags = local;
    if (!m_engine)
        return;
    if (!m_engine->setTags(local, nowMs()))
        noteReject(QStringLiteral("local"), QStringLiteral("tags larger than 512 bytes"));
    pump();
}

cluster::SizeEstimator SerfService::sizeEstimator() const
{
    return serfSizeEstimator(m_localName);
}

QString SerfService::rejectCause(const QString &reason) const
{
    if (reason.contains(QLatin1String("no installed key decrypts")))
        return QStringLiteral("could not be decrypted with our key: wrong --encrypt key or "
                              "--keyring-file (%1)")
            .arg(reason);
    if (reason.contains(QLatin1String("remote state is not encrypted")))
        return QStringLiteral("were not encrypted: the cluster has no encryption, drop "
                              "--encrypt/--keyring-file (%1)")
            .arg(reason);
    if (reason.contains(QLatin1String("encryption is not configured"))
        || reason.contains(QLatin1String("no keys to decrypt")))
        return QStringLiteral("were encrypted: the cluster needs its key, give --encrypt or "
                              "--keyring-file (%1)")
            .arg(reason);
    if (reason.startsWith(QLatin1String("remote error")))
        return QStringLiteral("answered with an error: %1").arg(reason);
    if (reason.startsWith(QLatin1String("tcp")))
        return QStringLiteral("could not be reached over TCP (%1)").arg(reason);
    return QStringLiteral("were refused (%1)").arg(reason);
}

QString SerfService::noAnswerHint() const
{
    return QStringLiteral("is a Serf agent running there (default port 7946) with the same "
                          "--encrypt key?");
}

void SerfService::sendUserEvent(const QString &name, const QByteArray &payload, bool coalesce)
{
    if (!m_engine)
        return;
    m_engine->sendUserEvent(name, payload, coalesce, nowMs());
    pump();
}

qint64 SerfService::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

void SerfService::readUdp()
{
    if (!m_udp)
        return;
    const bool more = net::readPendingDatagrams(*m_udp, m_readBuffer, kMaxUdpPerWakeup,
        [this](const char *data, qsizetype size, const QHostAddress &from, quint16 fromPort) {
            if (!m_engine)
                return false;
            receiveDatagram(QByteArray(data, size), from, fromPort);
            return m_udp != nullptr;
        });
    pump();
    if (more && m_udp)
        QTimer::singleShot(0, this, &SerfService::readUdp);
}

void SerfService::receiveDatagram(
    const QByteArray &bytes, const QHostAddress &from, quint16 fromPort)
{
    ++m_counters.udpIn;
    m_counters.bytesIn += quint64(bytes.size());
    const QString source = endpointText(from, fromPort);
    const PacketResult result = decodePacket(bytes, m_engine->keyring());
    if (const auto *failure = std::get_if<CodecError>(&result)) {
        ++m_counters.rejectedByReason[failure->reason];
        noteReject(source, failure->reason);
        return;
    }
    const DecodedPacket &packet = std::get<DecodedPacket>(result);
    for (const QString &why : packet.refused) {
        ++m_counters.rejectedByReason[why];
        noteReject(source, why);
    }
    if (packet.messages.isEmpty())
        return;
    if (m_heardFrom.size() < m_config.engine.maxMembers)
        m_heardFrom.insert(source);
    for (const Message &message : packet.messages)
        ++m_counters.packetsIn[messageName(message)];
    m_engine->receive(packet.messages, Endpoint { addressBytes(from), fromPort }, nowMs());
}

void SerfService::acceptTcp()
{
    while (m_tcp && m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        const QString from = endpointText(socket->peerAddress(), socket->peerPort());
        if (!m_engine || m_incoming.size() >= m_config.maxIncomingStreams) {
            ++m_counters.tcpRefused;
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto incoming = std::make_shared<Incoming>();
        incoming->socket = socket;
        incoming->reader = std::make_unique<StreamReader>(m_engine->keyring());
        incoming->from = from;
        m_incoming.insert(socket, incoming);
        ++m_counters.tcpIn;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readIncoming(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { closeIncoming(socket); });
        QTimer::singleShot(int(m_config.streamDeadlineMs), socket, [this, socket] {
            if (m_incoming.contains(socket)) {
                ++m_counters.tcpTimedOut;
                closeIncoming(socket);
            }
        });
        if (socket->bytesAvailable() > 0)
            readIncoming(socket);
    }
}

void SerfService::readIncoming(QTcpSocket *socket)
{
    const auto found = m_incoming.constFind(socket);
    if (found == m_incoming.cend() || !m_engine)
        return;
    const std::shared_ptr<Incoming> incoming = *found;
    if (incoming->answered) {
        socket->readAll(); // the peer has nothing more to say; drop it
        return;
    }
    const QByteArray bytes = socket->readAll();
    m_counters.bytesIn += quint64(bytes.size());
    const StreamReader::State state = incoming->reader->feed(bytes);
    if (state == StreamReader::State::NeedMore)
        return;
    if (state == StreamReader::State::Failed) {
        const QString why = incoming->reader->error();
        ++m_counters.rejectedByReason[why];
        if (why.contains(QLatin1String("beyond")))
            ++m_counters.tcpOversize;
        noteReject(incoming->from, why);
        // As memberlist does: the reason goes back as an err message (sealed with our key),
        // so that the other side can tell what went wrong.
        incoming->answered = true;
        const QByteArray out = encodeStream(
            StreamMessage(ErrorResponse { why }), StreamOptions {}, m_engine->keyring());
        ++m_counters.tcpOut;
        m_counters.bytesOut += quint64(out.size());
        socket->write(out);
        socket->disconnectFromHost();
        return;
    }
    incoming->answered = true;
    const StreamMessage request = *incoming->reader->message();
    ++m_counters.packetsIn[streamTypeName(request)];
    if (m_heardFrom.size() < m_config.engine.maxMembers)
        m_heardFrom.insert(incoming->from);
    const std::optional<StreamMessage> answer = m_engine->handleStream(request, nowMs());
    if (answer) {
        StreamOptions options;
        const QByteArray out = encodeStream(*answer, options, m_engine->keyring());
        ++m_counters.tcpOut;
        ++m_counters.packetsOut[streamTypeName(*answer)];
        m_counters.bytesOut += quint64(out.size());
        socket->write(out);
        socket->disconnectFromHost(); // after the answer is written
    } else {
        closeIncoming(socket);
    }
    pump();
}

void SerfService::closeIncoming(QTcpSocket *socket)
{
    if (!m_incoming.remove(socket))
        return;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void SerfService::startStream(const StreamRequest &request)
{
    const QString to = endpointText(hostAddress(request.to.addr), request.to.port);
    if (m_outgoing.size() >= m_config.maxOutgoingStreams || !m_engine) {
        ++m_counters.sendFailures;
        if (m_engine)
            m_engine->streamFailed(request.id, nowMs());
        return;
    }
    auto outgoing = std::make_shared<Outgoing>();
    outgoing->socket = new QTcpSocket(this);
    outgoing->request = request;
    outgoing->reader = std::make_unique<StreamReader>(m_engine->keyring());
    outgoing->to = to;
    m_outgoing.insert(request.id, outgoing);
    const quint64 id = request.id;
    QTcpSocket *socket = outgoing->socket;
    const QByteArray bytes = encodeStream(request.message, StreamOptions {}, m_engine->keyring());
    connect(socket, &QTcpSocket::connected, this, [this, id, bytes] {
        const auto found = m_outgoing.constFind(id);
        if (found == m_outgoing.cend())
            return;
        ++m_counters.tcpOut;
        ++m_counters.packetsOut[streamTypeName((*found)->request.message)];
        m_counters.bytesOut += quint64(bytes.size());
        (*found)->socket->write(bytes);
    });
    connect(socket, &QTcpSocket::readyRead, this, [this, id] { readOutgoing(id); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, id, socket] {
        finishOutgoing(id, std::nullopt, QStringLiteral("tcp: ") + socket->errorString());
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, id] {
        finishOutgoing(id, std::nullopt, QStringLiteral("tcp: closed without an answer"));
    });
    const qint64 wait = std::clamp<qint64>(request.deadlineMs - nowMs(), 1, 60000);
    QTimer::singleShot(int(wait), socket,
        [this, id] { finishOutgoing(id, std::nullopt, QStringLiteral("tcp: no answer in time")); });
    socket->connectToHost(hostAddress(request.to.addr), request.to.port);
}

void SerfService::readOutgoing(quint64 id)
{
    const auto found = m_outgoing.constFind(id);
    if (found == m_outgoing.cend())
        return;
    const std::shared_ptr<Outgoing> outgoing = *found;
    const QByteArray bytes = outgoing->socket->readAll();
    m_counters.bytesIn += quint64(bytes.size());
    const StreamReader::State state = outgoing->reader->feed(bytes);
    if (state == StreamReader::State::NeedMore)
        return;
    if (state == StreamReader::State::Failed) {
        const QString why = outgoing->reader->error();
        ++m_counters.rejectedByReason[why];
        noteReject(outgoing->to, why);
        finishOutgoing(id, std::nullopt, QString());
        return;
    }
    finishOutgoing(id, outgoing->reader->message(), QString());
}

void SerfService::finishOutgoing(
    quint64 id, const std::optional<StreamMessage> &answer, const QString &why)
{
    const auto found = m_outgoing.constFind(id);
    if (found == m_outgoing.cend())
        return;
    const std::shared_ptr<Outgoing> outgoing = *found;
    m_outgoing.erase(found);
    outgoing->socket->disconnect(this);
    outgoing->socket->abort();
    outgoing->socket->deleteLater();
    if (!m_engine)
        return;
    if (answer) {
        ++m_counters.tcpIn;
        ++m_counters.packetsIn[streamTypeName(*answer)];
        if (const auto *remote = std::get_if<ErrorResponse>(&*answer)) {
            ++m_counters.rejectedByReason[QStringLiteral("remote-error")];
            noteReject(outgoing->to, QStringLiteral("remote error: ") + remote->error);
        } else {
            if (m_heardFrom.size() < m_config.engine.maxMembers)
                m_heardFrom.insert(outgoing->to);
            if (outgoing->request.kind == StreamRequest::Kind::PushPull)
                m_joined = true;
        }
        m_engine->streamAnswered(id, *answer, nowMs());
    } else {
        if (!why.isEmpty()) {
            ++m_counters.sendFailures;
            if (outgoing->request.kind == StreamRequest::Kind::PushPull)
                noteReject(outgoing->to, why);
        }
        m_engine->streamFailed(id, nowMs());
    }
    pump();
}

void SerfService::noteReject(const QString &from, const QString &reason)
{
    m_rejects.note(from, reason);
    if (!m_rejectTimer.isActive())
        m_rejectTimer.start();
}

void SerfService::flushRejects()
{
    if (m_rejects.hasPending())
        emit datagramsRejected(m_rejects.takePending());
}

void SerfService::onTimer()
{
    if (!m_engine)
        return;
    m_engine->tick(nowMs());
    pump();
}

void SerfService::preload(const PushPull &state)
{
    if (!m_engine)
        return;
    m_engine->preload(state, nowMs());
    m_joined = true;
    pump();
}

void SerfService::pump()
{
    if (m_pumping || !m_engine)
        return;
    m_pumping = true;
    for (int round = 0; round < 64 && m_engine; ++round) {
        const QList<OutgoingPacket> packets = m_engine->takeOutgoing();
        const QList<StreamRequest> streams = m_engine->takeStreamRequests();
        const QList<SerfMemberChange> changes = m_engine->takeChanges();
        const QList<SerfEvent> events = m_engine->takeEvents();
        if (packets.isEmpty() && streams.isEmpty() && changes.isEmpty() && events.isEmpty())
            break;
        for (const OutgoingPacket &packet : packets) {
            PacketOptions options;
            options.crc = packet.crc;
            const QByteArray bytes = encodePacket(packet.messages, options, m_engine->keyring());
            if (bytes.isEmpty() || !m_udp)
                continue;
            for (const QByteArray &message : packet.messages) {
                if (!message.isEmpty())
                    ++m_counters.packetsOut[messageTypeName(quint8(message.at(0)))];
            }
            const qint64 sent
                = m_udp->writeDatagram(bytes, hostAddress(packet.to.addr), packet.to.port);
            if (sent < 0) {
                ++m_counters.sendFailures;
            } else {
                ++m_counters.udpOut;
                m_counters.bytesOut += quint64(bytes.size());
            }
        }
        for (const StreamRequest &request : streams)
            startStream(request);
        if (!changes.isEmpty() && m_config.reportMembers) {
            QList<cluster::MemberUpdate> updates;
            updates.reserve(changes.size());
            for (const SerfMemberChange &change : changes) {
                const MemberRecord record = change.member.record();
                cluster::MemberUpdate update { record, std::nullopt, {}, false };
                const auto previous = m_records.constFind(record.name);
                if (previous == m_records.cend()) {
                    update.what = cluster::ChangeFlag::Added | cluster::ChangeFlag::Status
                        | cluster::ChangeFlag::Metadata | cluster::ChangeFlag::Clock;
                } else {
                    update.previous = *previous;
                    if (previous->status != record.status
                        || previous->protocolStatus != record.protocolStatus)
                        update.what |= cluster::ChangeFlag::Status;
                    if (previous->metadata != record.metadata)
                        update.what |= cluster::ChangeFlag::Metadata;
                    if (previous->clock != record.clock)
                        update.what |= cluster::ChangeFlag::Clock;
                    if (!update.what)
                        update.what = cluster::ChangeFlag::Heard;
                }
                m_records.insert(record.name, record);
                updates.append(std::move(update));
            }
            emit membersUpdated(updates);
        }
        for (const SerfEvent &event : events) {
            if (event.kind != SerfEvent::Kind::User && event.kind != SerfEvent::Kind::Query)
                continue;
            if (event.kind == SerfEvent::Kind::Query) {
                const auto answer = m_config.queryAnswers.constFind(event.name);
                const auto any = m_config.queryAnswers.constFind(QStringLiteral("*"));
                const auto chosen = answer != m_config.queryAnswers.cend() ? answer : any;
                if (chosen != m_config.queryAnswers.cend()) // sent by the pump's next round
                    m_engine->respondToQuery(event.queryId, event.ltime, *chosen, nowMs());
            }
            cluster::ClusterEvent neutral;
            neutral.kind = event.kind == SerfEvent::Kind::User ? QStringLiteral("user-event")
                                                               : QStringLiteral("query");
            neutral.name = event.name;
            neutral.payload = event.payload.value_or(QByteArray());
            neutral.ltime = event.ltime;
            neutral.source = event.sourceNode;
            emit eventReceived(neutral);
        }
    }
    m_pumping = false;
    if (!m_engine)
        return;
    m_timer.arm(m_engine->nextDeadlineMs(), nowMs());
}

} // namespace shoal::serf
