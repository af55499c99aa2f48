// Hostile traffic against one running member (for loopback tests by hand): UDP floods of random
// bytes, of datagrams signed with a wrong secret, of validly signed hostile pickles (deep
// nesting, huge declared lengths, forbidden globals), and TCP connections that never send,
// send slowly, send more than the limit, or come many at once. Every kind for a bounded time
// at a paced rate; prints what was sent and what the target did with the connections.
// forged-members (issue 14): signed Gossip from one made-up member naming --members forged
// ONLINE members (127.0.0.2:10000 on, 300 bytes of metadata each), each sent once per pass;
// they never answer. Watch the target's memory (VmRSS) during and after. --reflection S
// (at most 1000 members) binds those addresses itself and counts what the target sends them
// during the attack and S seconds after: bytes to third parties per attack byte.
// forged-budget (issue 14, finding 3): forged-members with --metadata-bytes (default 4096) of
// metadata each, to run past the target's --memory-budget; with --pid it prints the target's
// VmRSS every second, and after the flood a genuine member (a fresh UDP socket on 127.0.0.1)
// sends its own record and pings the target: it prints when the Ack came and whether the
// target then sent it Gossip (only a member in the target's table gets a sync).
//
// bench_hostile --target HOST:PORT --secret S [--seconds 10] [--rate 60000]
//               [--udp random|wrong-secret|deep|huge|globals|mix|forged-members|none]
//               [--members 20000] [--reflection SECONDS] [--metadata-bytes N] [--pid PID]
//               [--tcp idle|slow|over|burst|none] [--connections 300]
#include "net/swim/codec.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QStringList>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace shoal::swim;
using Clock = std::chrono::steady_clock;

namespace {

// The target's resident memory in MB, -1 if unknown.
double residentMb(long pid)
{
    FILE *status = std::fopen(
        QByteArray("/proc/" + QByteArray::number(qint64(pid)) + "/status").constData(), "r");
    if (!status)
        return -1;
    char line[256];
    double mb = -1;
    while (std::fgets(line, sizeof line, status)) {
        long kb = 0;
        if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            mb = static_cast<double>(kb) / 1024.0;
    }
    std::fclose(status);
    return mb;
}

// A genuine new member pings the target after the flood: when the Ack comes, and whether the
// target (which syncs a newcomer in its table at once) sends it Gossip.
void genuineMember(const sockaddr_in &target, const Codec &codec, std::mt19937_64 &random)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in self {};
    self.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &self.sin_addr);
    socklen_t length = sizeof self;
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr *>(&self), sizeof self) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&self), &length) != 0) {
        std::printf("genuine member: no socket\n");
        return;
    }
    const QString name = QStringLiteral("127.0.0.1:%1").arg(ntohs(self.sin_port));
    QByteArray validity(8, '\0');
    for (char &byte : validity)
        byte = static_cast<char>(random() & 0xff);
    QByteArray salt(Codec::SaltSize, '\0');
    const auto start = Clock::now();
    double ackMs = -1;
    double gossipMs = -1;
    int gossips = 0;
    auto lastPing = start - std::chrono::seconds(2);
    while (Clock::now() - start < std::chrono::seconds(10) && (ackMs < 0 || gossipMs < 0)) {
        if (ackMs < 0 && Clock::now() - lastPing >= std::chrono::seconds(1)) {
            for (char &byte : salt)
                byte = static_cast<char>(random() & 0xff);
            // Its own record first, as a member does at first contact: a `watch` on the
            // target prints it (ONLINE, role=genuine) only if the target took it in.
            WireMetadata metadata;
            metadata.append({ QStringLiteral("role"), QByteArrayLiteral("genuine") });
            const QByteArray own = codec.encode(
                Gossip { Source { name, validity }, name, 1, WireStatus::Online, metadata }, salt);
            ::sendto(fd, own.constData(), static_cast<size_t>(own.size()), 0,
                reinterpret_cast<const sockaddr *>(&target), sizeof target);
            for (char &byte : salt)
                byte = static_cast<char>(random() & 0xff);
            const QByteArray ping = codec.encode(Ping { Source { name, validity } }, salt);
            ::sendto(fd, ping.constData(), static_cast<size_t>(ping.size()), 0,
                reinterpret_cast<const sockaddr *>(&target), sizeof target);
            lastPing = Clock::now();
        }
        pollfd p { fd, POLLIN, 0 };
        if (::poll(&p, 1, 100) <= 0)
            continue;
        char buffer[65536];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            continue;
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        const DecodeResult result = codec.decode(QByteArrayView(buffer, n));
        if (const auto *packet = std::get_if<Packet>(&result)) {
            if (std::holds_alternative<Ack>(*packet) && ackMs < 0)
                ackMs = ms;
            if (std::holds_alternative<Gossip>(*packet)) {
                ++gossips;
                if (gossipMs < 0)
                    gossipMs = ms;
            }
        }
    }
    std::printf("genuine member %s: Ack after %.0f ms, first Gossip from the target after %.0f ms "
                "(%d Gossip in all; -1: none in 10 s)\n",
        qPrintable(name), ackMs, gossipMs, gossips);
    ::close(fd);
}

QByteArray le(quint64 value, int bytes)
{
    QByteArray out;
    for (int i = 0; i < bytes; ++i)
        out.append(static_cast<char>((value >> (8 * i)) & 0xff));
    return out;
}

QByteArray shortUnicode(const QByteArray &text) // SHORT_BINUNICODE + MEMOIZE
{
    return QByteArray("\x8c", 1) + static_cast<char>(text.size()) + text + '\x94';
}

// Hostile pickles, each a whole payload to sign.
std::vector<QByteArray> deepPickles()
{
    std::vector<QByteArray> out;
    const QByteArray proto("\x80\x05", 2);
    out.push_back(proto + QByteArray(1200, '(') + '.'); // MARK nesting
    out.push_back(proto + QByteArray(1200, ']') + QByteArray(1199, 'a') + '.'); // nested lists
    out.push_back(proto + QByteArray(1200, '}') + '.'); // stack depth
    out.push_back(proto + QByteArray(600, ')') + QByteArray(599, '\x86') + '.'); // TUPLE2 chains
    QByteArray memo = proto + shortUnicode("x");
    for (int i = 0; i < 300; ++i)
        memo += QByteArray("h\x00", 2) + '\x94'; // BINGET 0 + MEMOIZE: memo growth
    out.push_back(memo + '.');
    return out;
}

std::vector<QByteArray> hugePickles()
{
    std::vector<QByteArray> out;
    const QByteArray proto("\x80\x05", 2);
    out.push_back(proto + '\x95' + le(Q_UINT64_C(1) << 62, 8) + "abc"); // FRAME
    out.push_back(proto + '\x8d' + le(Q_UINT64_C(0x7fffffffffffffff), 8) + "abc"); // BINUNICODE8
    out.push_back(proto + '\x8e' + le(Q_UINT64_C(0xffffffffffffffff), 8) + "abc"); // BINBYTES8
    out.push_back(proto + 'X' + le(0xffffffffU, 4) + "abc"); // BINUNICODE
    out.push_back(proto + 'B' + le(0x7fffffffU, 4) + "abc"); // BINBYTES
    out.push_back(proto + '\x8b' + le(0x7fffffffU, 4) + "abc"); // LONG4
    out.push_back(proto + '\x96' + le(Q_UINT64_C(1) << 40, 8) + "abc"); // BYTEARRAY8
    out.push_back(proto + 'T' + le(0x7fffffffU, 4) + "abc"); // BINSTRING
    out.push_back(proto + 'r' + le(0xffffffffU, 4) + '.'); // LONG_BINPUT far index
    out.push_back(proto + 'j' + le(0xfffffff0U, 4) + '.'); // LONG_BINGET far index
    return out;
}

std::vector<QByteArray> globalPickles()
{
    std::vector<QByteArray> out;
    const QByteArray proto("\x80\x05", 2);
    const QByteArray stackGlobal("\x93\x94", 2);
    auto call = [&](const QByteArray &module, const QByteArray &name,
                    const QByteArray &arg) -> QByteArray {
        return proto + shortUnicode(module) + shortUnicode(name) + stackGlobal + shortUnicode(arg)
            + "\x85\x94R\x94.";
    };
    out.push_back(call("os", "system", "touch /tmp/pwned"));
    out.push_back(call("builtins", "eval", "__import__('os').system('id')"));
    out.push_back(call("subprocess", "Popen", "id"));
    out.push_back(call("posix", "system", "id"));
    out.push_back(call("swimprotocol.packet", "__class__", "x"));
    out.push_back(call("swimprotocol.packet", "Ping.__init__.__globals__", "x"));
    out.push_back(proto + "cos\nsystem\n" + shortUnicode("id") + "\x85R."); // GLOBAL
    out.push_back(QByteArray("cbuiltins\nexec\n(S'import os'\ntR.")); // protocol 0
    // INST and OBJ, BUILD on a plain dict, EXT codes: all outside the allowed set.
    out.push_back(proto + "(ios\nsystem\nS'id'\n.");
    out.push_back(proto + '\x82' + '\x01' + '.');
    return out;
}

struct Target
{
    sockaddr_in address {};
};

std::atomic<bool> g_stop { false };

// --- UDP ---

struct UdpResult
{
    quint64 sent = 0;
    quint64 failed = 0;
    double seconds = 0;
};

UdpResult floodUdp(
    const Target &target, const std::vector<QByteArray> &pool, double rate, double seconds)
{
    UdpResult result;
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || pool.empty())
        return result;
    int buffer = 4 * 1024 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    size_t next = 0;
    // Paced per millisecond: as many as the rate asks by now.
    while (!g_stop) {
        const auto now = Clock::now();
        if (now >= end)
            break;
        const double elapsed = std::chrono::duration<double>(now - start).count();
        const auto due = static_cast<quint64>(elapsed * rate);
        while (result.sent + result.failed < due) {
            const QByteArray &datagram = pool[next++ % pool.size()];
            const ssize_t n
                = ::sendto(fd, datagram.constData(), static_cast<size_t>(datagram.size()), 0,
                    reinterpret_cast<const sockaddr *>(&target.address), sizeof target.address);
            if (n < 0)
                ++result.failed;
            else
                ++result.sent;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ::close(fd);
    return result;
}

// --- TCP ---

struct TcpResult
{
    quint64 opened = 0; // connect() completed
    quint64 failedConnects = 0;
    quint64 closedByTarget = 0; // reset or orderly close from the target
    quint64 bytesSent = 0;
    qsizetype maxOpen = 0; // held open at once (as far as we know)
    double meanLifeMs = 0; // of the connections the target closed
};

int connectTo(const Target &target)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    const int rc
        = ::connect(fd, reinterpret_cast<const sockaddr *>(&target.address), sizeof target.address);
    if (rc < 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

TcpResult attackTcp(const Target &target, const QString &mode, int connections, double seconds)
{
    TcpResult result;
    struct Connection
    {
        int fd = -1;
        Clock::time_point opened;
        Clock::time_point nextWrite;
        quint64 written = 0;
    };
    std::vector<Connection> conns(static_cast<size_t>(connections));
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    const QByteArray chunk(64 * 1024, 'A');
    double lifeTotal = 0;
    auto open = [&](Connection &c) {
        c.fd = connectTo(target);
        c.opened = Clock::now();
        c.nextWrite = c.opened;
        c.written = 0;
        if (c.fd < 0)
            ++result.failedConnects;
        else
            ++result.opened;
    };
    auto closeSlot = [&](Connection &c, bool byTarget) {
        if (c.fd < 0)
            return;
        ::close(c.fd);
        c.fd = -1;
        if (byTarget) {
            ++result.closedByTarget;
            lifeTotal += std::chrono::duration<double, std::milli>(Clock::now() - c.opened).count();
        }
    };
    for (Connection &c : conns)
        open(c);
    std::vector<pollfd> fds;
    while (!g_stop && Clock::now() < end) {
        fds.clear();
        for (const Connection &c : conns)
            fds.push_back(pollfd { c.fd, static_cast<short>(c.fd < 0 ? 0 : POLLIN), 0 });
        ::poll(fds.data(), fds.size(), 20);
        const auto now = Clock::now();
        qsizetype open_ = 0;
        for (size_t i = 0; i < conns.size(); ++i) {
            Connection &c = conns[i];
            if (c.fd < 0) {
                open(c); // the attacker comes back at once
                continue;
            }
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char sink[256];
                const ssize_t n = ::recv(c.fd, sink, sizeof sink, MSG_DONTWAIT);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                    closeSlot(c, true);
                    continue;
                }
            }
            ++open_;
            if (mode == QLatin1String("slow") && now >= c.nextWrite) {
                // One byte every 500 ms: never reaches a whole datagram.
                if (::send(c.fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
                    ++result.bytesSent;
                c.nextWrite = now + std::chrono::milliseconds(500);
            } else if (mode == QLatin1String("over")) {
                const ssize_t n = ::send(c.fd, chunk.constData(), static_cast<size_t>(chunk.size()),
                    MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0)
                    result.bytesSent += static_cast<quint64>(n);
            } else if (mode == QLatin1String("burst")) {
                // Connect and hang up at once, over and over.
                if (now - c.opened > std::chrono::milliseconds(5))
                    closeSlot(c, false);
            }
        }
        result.maxOpen = std::max(result.maxOpen, open_);
    }
    for (Connection &c : conns)
        closeSlot(c, false);
    result.meanLifeMs
        = result.closedByTarget ? lifeTotal / static_cast<double>(result.closedByTarget) : 0;
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString target;
    QByteArray secret;
    double seconds = 10;
    double rate = 60000;
    QString udpMode = QStringLiteral("mix");
    QString tcpMode = QStringLiteral("none");
    int connections = 300;
    int forgedMembers = 20000;
    double reflectionSeconds = -1;
    int metadataBytes = -1;
    long pid = -1;
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        const QString &name = args.at(i);
        const QString &value = args.at(i + 1);
        if (name == QLatin1String("--target"))
            target = value;
        else if (name == QLatin1String("--secret"))
            secret = value.toUtf8();
        else if (name == QLatin1String("--seconds"))
            seconds = value.toDouble();
        else if (name == QLatin1String("--rate"))
            rate = value.toDouble();
        else if (name == QLatin1String("--udp"))
            udpMode = value;
        else if (name == QLatin1String("--tcp"))
            tcpMode = value;
        else if (name == QLatin1String("--connections"))
            connections = value.toInt();
        else if (name == QLatin1String("--members"))
            forgedMembers = value.toInt();
        else if (name == QLatin1String("--reflection"))
            reflectionSeconds = value.toDouble();
        else if (name == QLatin1String("--metadata-bytes"))
            metadataBytes = value.toInt();
        else if (name == QLatin1String("--pid"))
            pid = value.toLong();
    }
    const qsizetype colon = target.lastIndexOf(QLatin1Char(':'));
    Target to;
    to.address.sin_family = AF_INET;
    to.address.sin_port = htons(target.mid(colon + 1).toUShort());
    if (colon < 0 || secret.isEmpty() || seconds <= 0 || rate <= 0 || connections < 1
        || ::inet_pton(AF_INET, target.left(colon).toLatin1().constData(), &to.address.sin_addr)
            != 1) {
        std::fprintf(stderr,
            "usage: bench_hostile --target IPV4:PORT --secret S [--seconds 10] [--rate 60000] "
            "[--udp random|wrong-secret|deep|huge|globals|mix|forged-members|forged-budget|"
            "none] [--members 20000] [--metadata-bytes N] [--pid PID] "
            "[--tcp idle|slow|over|burst|none] [--connections 300]\n");
        return 2;
    }
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }

    // The datagram pools, built before the clock starts.
    std::mt19937_64 random(42);
    const Codec codec(secret);
    const Codec wrong(QByteArrayLiteral("not-") + secret);
    auto salt = [&random] {
        QByteArray bytes(Codec::SaltSize, '\0');
        for (char &byte : bytes)
            byte = static_cast<char>(random() & 0xff);
        return bytes;
    };
    auto signAll = [&](const std::vector<QByteArray> &payloads) {
        std::vector<QByteArray> out;
        for (int copy = 0; copy < 16; ++copy) {
            for (const QByteArray &payload : payloads)
                out.push_back(codec.sign(payload, salt()));
        }
        return out;
    };
    std::vector<QByteArray> randomPool;
    for (int i = 0; i < 1024; ++i) {
        QByteArray bytes(static_cast<qsizetype>(1 + random() % 1400), '\0');
        for (char &byte : bytes)
            byte = static_cast<char>(random() & 0xff);
        randomPool.push_back(bytes);
    }
    std::vector<QByteArray> wrongPool;
    wrongPool.reserve(1024);
    for (int i = 0; i < 1024; ++i) {
        const Ping ping { Source {
            QStringLiteral("127.0.0.1:%1").arg(40000 + i), salt().left(8) } };
        wrongPool.push_back(wrong.encode(ping, salt()));
    }
    const std::vector<QByteArray> deepPool = signAll(deepPickles());
    const std::vector<QByteArray> hugePool = signAll(hugePickles());
    const std::vector<QByteArray> globalsPool = signAll(globalPickles());
    std::vector<QByteArray> mixPool;
    for (const std::vector<QByteArray> *part :
        std::initializer_list<const std::vector<QByteArray> *> {
            &randomPool, &wrongPool, &deepPool, &hugePool, &globalsPool })
        mixPool.insert(mixPool.end(), part->begin(), part->end());
    std::shuffle(mixPool.begin(), mixPool.end(), random);
    std::vector<QByteArray> forgedPool;
    const bool budgetMode = udpMode == QLatin1String("forged-budget");
    if (metadataBytes < 0)
        metadataBytes = budgetMode ? 4096 : 300;
    if (udpMode == QLatin1String("forged-members") || budgetMode) {
        const Source from { QStringLiteral("127.0.0.1:39999"), QByteArray(8, 'F') };
        for (int i = 0; i < forgedMembers; ++i) {
            WireMetadata metadata;
            metadata.append({ QStringLiteral("filler"), QByteArray(metadataBytes, 'm') });
            const Gossip gossip { from,
                QStringLiteral("127.0.0.%1:%2").arg(2 + i / 50000).arg(10000 + i % 50000), 1,
                WireStatus::Online, metadata };
            forgedPool.push_back(codec.encode(gossip, salt()));
        }
    }
    const std::vector<QByteArray> *pool = nullptr;
    if (udpMode == QLatin1String("random"))
        pool = &randomPool;
    else if (udpMode == QLatin1String("wrong-secret"))
        pool = &wrongPool;
    else if (udpMode == QLatin1String("deep"))
        pool = &deepPool;
    else if (udpMode == QLatin1String("huge"))
        pool = &hugePool;
    else if (udpMode == QLatin1String("globals"))
        pool = &globalsPool;
    else if (udpMode == QLatin1String("mix"))
        pool = &mixPool;
    else if (udpMode == QLatin1String("forged-members") || budgetMode)
        pool = &forgedPool;
    else if (udpMode != QLatin1String("none")) {
        std::fprintf(stderr, "bench_hostile: unknown --udp %s\n", qPrintable(udpMode));
        return 2;
    }
    if (tcpMode != QLatin1String("none") && tcpMode != QLatin1String("idle")
        && tcpMode != QLatin1String("slow") && tcpMode != QLatin1String("over")
        && tcpMode != QLatin1String("burst")) {
        std::fprintf(stderr, "bench_hostile: unknown --tcp %s\n", qPrintable(tcpMode));
        return 2;
    }

    if (args.contains(QStringLiteral("--measure"))) {
        // How fast this build refuses each kind (one thread, no network): the rate above which
        // a flood of that kind fills the target's socket buffer.
        for (const auto &[kind, part] :
            std::initializer_list<std::pair<const char *, const std::vector<QByteArray> *>> {
                { "random", &randomPool }, { "wrong-secret", &wrongPool }, { "deep", &deepPool },
                { "huge", &hugePool }, { "globals", &globalsPool } }) {
            quint64 refused = 0;
            quint64 done = 0;
            const auto start = Clock::now();
            while (Clock::now() - start < std::chrono::seconds(1)) {
                for (const QByteArray &datagram : *part) {
                    refused
                        += std::holds_alternative<DecodeError>(codec.decode(datagram)) ? 1U : 0U;
                    ++done;
                }
            }
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            std::printf("decode %s: %.0f/s, %llu of %llu refused\n", kind,
                static_cast<double>(done) / elapsed, static_cast<unsigned long long>(refused),
                static_cast<unsigned long long>(done));
        }
        return 0;
    }

    // Third-party addresses the forged members name, when --reflection: bytes they receive.
    std::vector<int> victims;
    std::atomic<quint64> reflected { 0 };
    std::atomic<quint64> reflectedPackets { 0 };
    std::atomic<bool> stopVictims { false };
    std::thread victimThread;
    if (reflectionSeconds >= 0 && udpMode == QLatin1String("forged-members")) {
        for (int i = 0; i < std::min(forgedMembers, 1000); ++i) {
            const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            sockaddr_in address {};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<quint16>(10000 + i));
            ::inet_pton(AF_INET, "127.0.0.2", &address.sin_addr);
            if (fd >= 0
                && ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
                victims.push_back(fd);
        }
        victimThread = std::thread([&] {
            std::vector<pollfd> fds;
            for (const int fd : victims)
                fds.push_back({ fd, POLLIN, 0 });
            char buffer[65536];
            while (!stopVictims) {
                if (::poll(fds.data(), fds.size(), 100) <= 0)
                    continue;
                for (const pollfd &p : fds) {
                    if (!(p.revents & POLLIN))
                        continue;
                    ssize_t n = 0;
                    while ((n = ::recv(p.fd, buffer, sizeof buffer, 0)) > 0) {
                        reflected += static_cast<quint64>(n);
                        ++reflectedPackets;
                    }
                }
            }
        });
    }
    UdpResult udp;
    TcpResult tcp;
    std::thread udpThread;
    if (pool)
        udpThread = std::thread([&] { udp = floodUdp(to, *pool, rate, seconds); });
    std::atomic<bool> flooding { true };
    std::thread rssThread;
    if (pid > 0) {
        rssThread = std::thread([&] {
            const auto start = Clock::now();
            while (flooding) {
                std::printf("t=%.0f s: target RSS %.1f MB\n",
                    std::chrono::duration<double>(Clock::now() - start).count(), residentMb(pid));
                std::fflush(stdout);
                for (int i = 0; i < 10 && flooding; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    if (tcpMode != QLatin1String("none"))
        tcp = attackTcp(to, tcpMode, connections, seconds);
    if (udpThread.joinable())
        udpThread.join();
    flooding = false;
    if (rssThread.joinable())
        rssThread.join();
    if (budgetMode) {
        genuineMember(to.address, codec, random);
        if (pid > 0)
            std::printf("after the flood: target RSS %.1f MB\n", residentMb(pid));
    }
    if (victimThread.joinable()) {
        std::this_thread::sleep_for(std::chrono::duration<double>(reflectionSeconds));
        stopVictims = true;
        victimThread.join();
        quint64 attackBytes = 0;
        const size_t perPass = pool ? pool->size() : 1;
        for (quint64 i = 0; pool && i < udp.sent; ++i)
            attackBytes += static_cast<quint64>((*pool)[i % perPass].size());
        std::printf("reflection: %llu bytes in %llu datagrams to %zu third-party addresses "
                    "during the attack and %.0f s after, for %llu attack bytes: %.2fx\n",
            static_cast<unsigned long long>(reflected.load()),
            static_cast<unsigned long long>(reflectedPackets.load()), victims.size(),
            reflectionSeconds, static_cast<unsigned long long>(attackBytes),
            attackBytes ? static_cast<double>(reflected.load()) / static_cast<double>(attackBytes)
                        : 0.0);
        for (const int fd : victims)
            ::close(fd);
    }
    if (pool) {
        std::printf("udp %s: %llu datagrams in %.2f s = %.0f/s (%llu send errors), pool of %zu\n",
            qPrintable(udpMode), static_cast<unsigned long long>(udp.sent), udp.seconds,
            udp.seconds > 0 ? static_cast<double>(udp.sent) / udp.seconds : 0.0,
            static_cast<unsigned long long>(udp.failed), pool->size());
    }
    if (tcpMode != QLatin1String("none")) {
        std::printf("tcp %s x%d: %llu connects (%llu failed), %llu closed by the target after "
                    "%.0f ms on average, at most %lld open at once, %llu bytes sent\n",
            qPrintable(tcpMode), connections, static_cast<unsigned long long>(tcp.opened),
            static_cast<unsigned long long>(tcp.failedConnects),
            static_cast<unsigned long long>(tcp.closedByTarget), tcp.meanLifeMs,
            static_cast<long long>(tcp.maxOpen), static_cast<unsigned long long>(tcp.bytesSent));
    }
    return 0;
}
