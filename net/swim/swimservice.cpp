#include "net/swim/swimservice.h"

#include "cluster/mirrorrule.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHostInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>

namespace shoal::swim {

namespace {

// What all members never verified may receive from us together (issue 14, finding 2): a Ping
// and our own record each fit many times over, a reflection attack gets a trickle.
constexpr double kUnverifiedBytesPerSecond = 2048;
constexpr double kUnverifiedBurst = 8192;
// What is over that budget waits for the member to answer (any valid packet of its own from
// its address verifies it), then goes at once: a genuine new member answers the first
// datagram of a sync within a round trip, a forged name never does. Bounded per member, in
// total and in time.
constexpr qsizetype kMaxHeldBytesPerMember = 256 * 1024;
constexpr qsizetype kMaxHeldBytes = 4 * 1024 * 1024;
constexpr qint64 kHoldMs = 5000;

// "host:port" of a datagram's sender as a member would name it (IPv4-mapped as IPv4).
QString senderName(const QHostAddress &from, quint16 port)
{
    bool mapped = false;
    const quint32 v4 = from.toIPv4Address(&mapped);
    const QString host = mapped ? QHostAddress(v4).toString() : from.toString();
    return net::HostPort { host, port }.toString();
}

bool isAddressName(const QString &name)
{
    QString host = name.left(name.lastIndexOf(QLatin1Char(':')));
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    return !QHostAddress(host).isNull();
}
constexpr int kRefusalsBeforeThrottle = 64; // per source and second
constexpr qsizetype kMaxRefusalSources = 4096; // beyond it the second starts over

// A bind host as an address: a literal, or the first address of a name (IPv4 preferred, as
// members name each other by IPv4 address in practice).
std::optional<QHostAddress> resolveBindHost(const QString &host, QString *error)
{
    QHostAddress address;
    if (address.setAddress(host))
        return address;
    const QHostInfo info = QHostInfo::fromName(host);
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        *error = QStringLiteral("cannot resolve bind address \"%1\": %2")
                     .arg(host, info.errorString());
        return std::nullopt;
    }
    for (const QHostAddress &candidate : info.addresses()) {
        if (candidate.protocol() == QAbstractSocket::IPv4Protocol)
            return candidate;
    }
    return info.addresses().first();
}

QString packetType(const Packet &packet)
{
    return QLatin1String(packetTypeName(packet));
}

// The engine's flags are the neutral ones bit for bit.
cluster::ChangeFlags neutralFlags(MemberChangeFlags what)
{
    using cluster::ChangeFlag;
    static_assert(int(ChangeFlag::Added) == int(MemberChangeFlag::Added));
    static_assert(int(ChangeFlag::Status) == int(MemberChangeFlag::Status));
    static_assert(int(ChangeFlag::Metadata) == int(MemberChangeFlag::Metadata));
    static_assert(int(ChangeFlag::Clock) == int(MemberChangeFlag::Clock));
    static_assert(int(ChangeFlag::Instance) == int(MemberChangeFlag::Incarnation));
    static_assert(int(ChangeFlag::Restarted) == int(MemberChangeFlag::Restarted));
    static_assert(int(ChangeFlag::Probe) == int(MemberChangeFlag::Probe));
    static_assert(int(ChangeFlag::Heard) == int(MemberChangeFlag::Heard));
    static_assert(int(ChangeFlag::LocalVerdict) == int(MemberChangeFlag::LocalVerdict));
    static_assert(int(ChangeFlag::Removed) == int(MemberChangeFlag::Removed));
    return cluster::ChangeFlags::fromInt(what.toInt());
}

} // namespace

cluster::SizeEstimator gossipSizeEstimator(
    const QByteArray &secret, const QByteArray &protocolVersion, const QString &localName)
{
    return [codec = std::make_shared<Codec>(secret, protocolVersion), name = localName](
               const Metadata &metadata) {
        Gossip gossip;
        gossip.source = { name, QByteArray(8, '\0') };
        gossip.name = name;
        gossip.clock = 1u << 20; // a long-lived member's clock: three bytes, as a rule
        gossip.status = WireStatus::Online;
        gossip.metadata = metadataToWire(metadata);
        return codec->encode(Packet(gossip)).size();
    };
}

SwimService::SwimService(ServiceConfig config, ClusterMetadata *metadata, QObject *parent)
    : ClusterBackend(parent)
    , m_config(std::move(config))
    , m_metadata(metadata)
    , m_codec(m_config.secret, m_config.protocolVersion)
{
    cluster::registerMetaTypes();
    if (!m_metadata) {
        m_ownMetadata = std::make_unique<ClusterMetadata>();
        m_metadata = m_ownMetadata.get();
    }
    m_monotonic.start();
    m_rejectTimer.setSingleShot(true);
    m_rejectTimer.setInterval(1000);
    connect(&m_rejectTimer, &QTimer::timeout, this, &SwimService::flushRejects);
    connect(&m_transport, &net::Transport::datagramReceived, this, &SwimService::onDatagram);
    connect(&m_transport, &net::Transport::rejected, this, &SwimService::onTransportRejected);
}

SwimService::~SwimService()
{
    stop();
}

bool SwimService::start(QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    stop();
    const auto name = net::parseHostPort(m_config.member.localName, true, error);
    if (!name)
        return false;
    const QString bindHost = m_config.bindHost.isEmpty() ? name->host : m_config.bindHost;
    const quint16 bindPort
        = m_config.bindPort >= 0 ? static_cast<quint16>(m_config.bindPort) : name->port;
    const auto address = resolveBindHost(bindHost, error);
    if (!address)
        return false;
    m_transport.setLimits(m_config.limits);
    if (!m_transport.bind(*address, bindPort, error))
        return false;

    // The name is kept verbatim (members know each other by the exact string); port 0 is
    // replaced by the port the OS chose.
    m_localName = m_config.member.localName;
    if (name->port == 0)
        m_localName = m_localName.left(m_localName.lastIndexOf(QLatin1Char(':')) + 1)
            + QString::number(m_transport.boundPort());
    MemberConfig member = m_config.member;
    member.localName = m_localName;
    member.peers.removeAll(m_localName);
    m_verified = QSet<QString>(member.peers.cbegin(), member.peers.cend());
    m_unverifiedBudget = kUnverifiedBurst;
    m_held.clear();
    m_heldBytes = 0;
    // The metadata mirror's local mapping is the one truth for local edits: a caller that
    // filled it before start (the window) keeps it unless options gave metadata.
    ClusterMetadata *mirror = m_metadata.data();
    if (!mirror) { // the caller's mirror is gone: keep our own (also keeps -O3 from warning)
        m_ownMetadata = std::make_unique<ClusterMetadata>();
        mirror = m_ownMetadata.get();
        m_metadata = mirror;
    }
    if (member.localMetadata.isEmpty() && !mirror->local().isEmpty())
        member.localMetadata = metadataToWire(mirror->local());
    else
        mirror->setLocalMetadata(metadataFromWire(member.localMetadata));

    QByteArray validity(8, '\0');
    for (char &byte : validity)
        byte = static_cast<char>(QRandomGenerator::system()->bounded(256));
    m_engine = std::make_unique<SwimEngine>(
        member, validity, QRandomGenerator::system()->generate64(), m_config.engine);
    connect(m_metadata, &ClusterMetadata::localChanged, this, &SwimService::onLocalChanged);
    m_engine->start(nowMs(), monotonicMicros());
    pump();
    return true;
}

void SwimService::stop()
{
    if (!m_engine)
        return;
    flushRejects();
    m_timer.stop();
    m_transport.close();
    if (m_metadata)
        disconnect(m_metadata, &ClusterMetadata::localChanged, this, &SwimService::onLocalChanged);
    m_engine.reset();
}

QList<MemberRecord> SwimService::members() const
{
    return m_engine ? m_engine->members() : QList<MemberRecord> {};
}

std::optional<MemberRecord> SwimService::member(const QString &name) const
{
    return m_engine ? m_engine->member(name) : std::nullopt;
}

Metadata SwimService::localMetadata() const
{
    const ClusterMetadata *metadata = m_metadata.data(); // GCC -O2 and QPointer's operator->
    return metadata ? metadata->local() : Metadata {};
}

void SwimService::setLocalMetadata(const Metadata &local)
{
    if (m_metadata)
        m_metadata->setLocalMetadata(local); // gossiped through onLocalChanged once started
}

cluster::SizeEstimator SwimService::sizeEstimator() const
{
    return gossipSizeEstimator(m_config.secret, m_config.protocolVersion, m_localName);
}

QStringList SwimService::membersAwaitingMetadata() const
{
    QStringList names;
    for (const MemberRecord &member : members()) {
        if (member.local || member.metadata)
            continue;
        if (member.available()
            || (member.status == MemberStatus::Unknown && m_heardFrom.contains(member.name)))
            names << member.name;
    }
    names.sort();
    return names;
}

QString SwimService::rejectCause(const QString &reason) const
{
    if (reason == QLatin1String("signature"))
        return QStringLiteral("failed the signature check: wrong --secret or a "
                              "different --protocol-version");
    if (reason == QLatin1String("pickle"))
        return QStringLiteral("were signed correctly but held no swim-protocol 0.6.3 "
                              "packet: a different library version?");
    if (reason == QLatin1String("framing"))
        return QStringLiteral("were not in swim-protocol's framing");
    if (reason == QLatin1String("tcp-oversize"))
        return QStringLiteral("were closed: more bytes than a packet may have (tcp-oversize)");
    if (reason == QLatin1String("throttled"))
        return QStringLiteral("were dropped undecoded (that source sent too many "
                              "refused datagrams in the same second)");
    return QStringLiteral("were refused (%1)").arg(reason);
}

QList<QPair<QString, quint64>> SwimService::refusalCounts() const
{
    const EngineCounters counters = engineCounters();
    return {
        { QStringLiteral("gossip record(s) refused: clock above 2^63 - 1 (a member whose clock "
                         "passed it is no longer followed)"),
            counters.refusedClocks },
        { QStringLiteral("time(s) our own clock was at 2^63 - 1: gossip about us not refuted, "
                         "or a local edit not spread"),
            counters.clockExhausted },
        { QStringLiteral("replayed packet(s) refused: a member's own record below a clock it "
                         "sent earlier"),
            counters.replays },
        { QStringLiteral("packet(s) refused: they named a member in a form that is not the "
                         "canonical host:port (an alias of an address)"),
            counters.refusedNames },
        { QStringLiteral("packet(s) refused: they would have added members beyond the limit"),
            counters.refusedMembers },
        { QStringLiteral("member(s) or metadata refused: over --memory-budget with nothing "
                         "left to evict"),
            counters.refusedForMemory },
        { QStringLiteral("member(s) evicted to stay within --memory-budget (OFFLINE or only "
                         "gossiped about)"),
            counters.evictedMembers },
    };
}

QString SwimService::noAnswerHint() const
{
    return QStringLiteral("Members silently drop datagrams signed with another --secret or "
                          "--protocol-version, so check those too");
}

EngineCounters SwimService::engineCounters() const
{
    if (!m_engine)
        return {};
    EngineCounters counters = m_engine->counters();
    counters.acknowledgementEntries = static_cast<quint64>(m_engine->acknowledgementEntries());
    return counters;
}

void SwimService::learnFrom(const SwimService &other)
{
    if (!m_engine || !other.m_engine || &other == this)
        return;
    const auto record = other.m_engine->member(other.m_localName);
    if (!record)
        return;
    Gossip gossip;
    gossip.source = other.m_engine->localSource();
    gossip.name = other.m_localName;
    gossip.clock = record->clock;
    gossip.status = WireStatus::Online;
    gossip.metadata = metadataToWire(record->metadata.value_or(Metadata {}));
    m_engine->preload(gossip, nowMs());
    // Reported by assumeAllAcknowledged's pump: one batch per member, not one per pair.
}

void SwimService::assumeAllAcknowledged()
{
    if (!m_engine)
        return;
    for (const MemberRecord &record : m_engine->members()) {
        if (!record.local)
            m_engine->assumeAcknowledged(record.name);
    }
    pump();
}

qint64 SwimService::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 SwimService::monotonicMicros() const
{
    return m_monotonic.nsecsElapsed() / 1000;
}

void SwimService::onDatagram(
    const QByteArray &datagram, const QHostAddress &from, quint16 fromPort, bool)
{
    if (!m_engine)
        return;
    // A source (address and port) whose datagrams were refused kRefusalsBeforeThrottle times
    // in the current second is not decoded again until the second is over: honest members
    // never send refused datagrams, and a flood of costly ones (deeply nested signed pickles
    // cost 20-100 us each) would take the time that answering pings needs.
    const qint64 nowWindow = m_monotonic.elapsed() / 1000;
    if (nowWindow != m_refusalWindow || m_refusals.size() > kMaxRefusalSources) {
        m_refusalWindow = nowWindow;
        m_refusals.clear();
    }
    const QPair<QHostAddress, quint16> key { from, fromPort };
    const auto refused = m_refusals.constFind(key);
    if (refused != m_refusals.cend() && *refused >= kRefusalsBeforeThrottle) {
        const QString reason = QStringLiteral("throttled");
        m_transport.countRejected(from, reason);
        noteReject(net::HostPort { from.toString(), fromPort }.toString(), reason);
        return;
    }
    const DecodeResult result = m_codec.decode(datagram);
    if (const auto *failure = std::get_if<DecodeError>(&result)) {
        const QString reason = failure->reason();
        // Only signed datagrams the pickle reader refused count: those are the costly ones,
        // and only a holder of the secret can send them. Framing and signature failures are
        // refused after cheap checks and never spend the source's budget, so that spoofed
        // junk from a member's address cannot mute the member's valid packets (issue 14,
        // finding 5).
        if (reason == QLatin1String("pickle"))
            ++m_refusals[key];
        m_transport.countRejected(from, reason);
        noteReject(net::HostPort { from.toString(), fromPort }.toString(), reason);
        return;
    }
    const Packet &packet = std::get<Packet>(result);
    m_transport.countPacketIn(packetType(packet));
    const QString &source = packetSource(packet).name;
    if (source != m_localName && m_heardFrom.size() < m_config.engine.maxMembers)
        m_heardFrom.insert(source);
    // The set first: the name checks build strings, and most packets come from known members.
    if (source != m_localName && !m_verified.contains(source)
        && m_verified.size() < m_config.engine.maxMembers
        && (!isAddressName(source) || senderName(from, fromPort) == source)) {
        m_verified.insert(source);
        releaseHeld(source);
    }
    if (const auto *gossip = std::get_if<Gossip>(&packet);
        gossip && gossip->name != source && gossip->name != m_localName)
        ++m_relayedGossip;
    m_engine->receive(packet, nowMs(), monotonicMicros());
    pump();
    if (const auto *ack = std::get_if<GossipAck>(&packet); ack && ack->name == m_localName)
        emit localAcknowledged(source, m_engine->acknowledgedClock(source, m_localName));
}

void SwimService::onTransportRejected(
    const QHostAddress &from, quint16 fromPort, const QString &reason)
{
    Q_UNUSED(fromPort)
    // Refused TCP connections come from a new port each: summed per address ("host:*"), so
    // a connection flood makes one report line per address and second, not one per
    // connection (issue 14, finding 9).
    QString source = net::HostPort { from.toString(), 0 }.toString();
    source.chop(1);
    noteReject(source + QLatin1Char('*'), reason);
}

void SwimService::noteReject(const QString &from, const QString &reason)
{
    m_rejects.note(from, reason);
    if (!m_rejectTimer.isActive())
        m_rejectTimer.start();
}

void SwimService::flushRejects()
{
    if (m_rejects.hasPending())
        emit datagramsRejected(m_rejects.takePending());
}

void SwimService::onLocalChanged(const Metadata &local)
{
    if (!m_engine)
        return;
    m_engine->setLocalMetadata(metadataToWire(local), nowMs());
    pump();
}

void SwimService::onTimer()
{
    if (!m_engine)
        return;
    m_engine->tick(nowMs(), monotonicMicros());
    pump();
    if (!m_held.isEmpty() && m_monotonic.elapsed() - m_lastHeldSweepMs > kHoldMs)
        expireHeld(m_monotonic.elapsed());
}

bool SwimService::allowUnverified(qsizetype bytes)
{
    if (bytes > m_config.limits.mtu)
        return false; // no TCP connection to an address that never spoke to us
    const qint64 now = m_monotonic.elapsed();
    if (m_unverifiedRefillMs >= 0)
        m_unverifiedBudget = std::min(kUnverifiedBurst,
            m_unverifiedBudget
                + static_cast<double>(now - m_unverifiedRefillMs) * kUnverifiedBytesPerSecond
                    / 1000.0);
    m_unverifiedRefillMs = now;
    if (m_unverifiedBudget < static_cast<double>(bytes))
        return false;
    m_unverifiedBudget -= static_cast<double>(bytes);
    return true;
}

void SwimService::holdUnverified(const QString &to, const QString &type, const QByteArray &bytes)
{
    const qint64 now = m_monotonic.elapsed();
    if (now - m_lastHeldSweepMs > kHoldMs || m_heldBytes + bytes.size() > kMaxHeldBytes)
        expireHeld(now);
    const qsizetype already = m_held.value(to).bytes;
    if (already + bytes.size() > kMaxHeldBytesPerMember
        || m_heldBytes + bytes.size() > kMaxHeldBytes) {
        ++m_unverifiedDropped;
        return;
    }
    HeldSends &held = m_held[to];
    if (held.datagrams.isEmpty())
        held.sinceMs = now;
    held.bytes += bytes.size();
    m_heldBytes += bytes.size();
    held.datagrams.append({ type, bytes });
}

void SwimService::expireHeld(qint64 now)
{
    m_lastHeldSweepMs = now;
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (now - it->sinceMs > kHoldMs) {
            m_unverifiedDropped += static_cast<quint64>(it->datagrams.size());
            m_heldBytes -= it->bytes;
            it = m_held.erase(it);
        } else {
            ++it;
        }
    }
}

void SwimService::releaseHeld(const QString &name)
{
    const auto held = m_held.find(name);
    if (held == m_held.end())
        return;
    const HeldSends sends = *held;
    m_heldBytes -= held->bytes;
    m_held.erase(held);
    if (m_monotonic.elapsed() - sends.sinceMs > kHoldMs) {
        m_unverifiedDropped += static_cast<quint64>(sends.datagrams.size());
        return;
    }
    for (const auto &[type, bytes] : sends.datagrams) {
        m_transport.countPacketOut(type);
        m_transport.send(name, bytes);
    }
    m_releasedSends += static_cast<quint64>(sends.datagrams.size());
}

void SwimService::pump()
{
    // A receiver of our signals may edit the local metadata, which pumps again: let the
    // outer call finish the work instead of recursing.
    if (m_pumping || !m_engine)
        return;
    m_pumping = true;
    while (m_engine && (m_engine->hasOutgoing() || m_engine->hasChanges())) {
        const QList<Outgoing> outgoing = m_engine->takeOutgoing();
        for (const Outgoing &out : outgoing) {
            const QByteArray bytes = m_codec.encode(out.packet);
            if (bytes.isEmpty())
                continue;
            if (!m_verified.contains(out.to)) {
                // Records of other members (a sync) wait for its answer and never spend the
                // budget, which stays for what gets that answer: Pings, Acks, our own record.
                const auto *gossip = std::get_if<Gossip>(&out.packet);
                if ((gossip && gossip->name != m_localName) || !allowUnverified(bytes.size())) {
                    holdUnverified(out.to, packetType(out.packet), bytes);
                    continue;
                }
            }
            m_transport.countPacketOut(packetType(out.packet));
            m_transport.send(out.to, bytes);
        }
        const QList<MemberChange> changes = m_engine->takeChanges();
        if (changes.isEmpty())
            continue;
        QList<cluster::MemberUpdate> updates;
        updates.reserve(changes.size());
        for (const MemberChange &change : changes) {
            const MemberRecord &record = change.member;
            cluster::MemberUpdate update { record, std::nullopt, neutralFlags(change.what),
                change.localVerdict };
            if (change.what & MemberChangeFlag::Removed) {
                // Evicted (memory budget): the name is gone from every table.
                const auto gone = m_records.constFind(record.name);
                if (gone != m_records.cend())
                    update.previous = *gone;
                m_records.remove(record.name);
                if (m_metadata)
                    m_metadata->discard(record.name);
                updates.append(std::move(update));
                continue;
            }
            auto previous = m_records.find(record.name);
            if (previous != m_records.end()) {
                update.previous = *previous;
                *previous = record;
            } else {
                m_records.insert(record.name, record);
            }
            if (m_metadata)
                cluster::mirrorMember(*m_metadata, record, update.what);
            updates.append(std::move(update));
        }
        emit membersUpdated(updates);
    }
    m_pumping = false;
    if (!m_engine)
        return;
    m_timer.arm(m_engine->nextDeadlineMs(), nowMs());
}

} // namespace shoal::swim
