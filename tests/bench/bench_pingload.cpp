// Member throughput: sends validly signed Pings to one swim-protocol member at a set rate,
// stepping the rate up, and counts the Acks that come back; reports the highest rate answered
// in full and the highest answered at >= 95%. Works against any member (Shoal or the Python
// reference). Not run by ctest.
//
//   bench_pingload --target 127.0.0.1:26001 --secret s3cret [--pid PID] [--start 1000]
//                  [--factor 1.25] [--max 400000] [--step-seconds 2] [--label NAME]
//
// Each step uses a fresh UDP socket (a fresh source name), connected to the target, so late
// Acks of one step never count for the next. --pid adds the target's CPU use per step (from
// /proc/PID/stat) and the Acks it answers per CPU-second, a figure that does not depend on
// how busy the other core is, and the share of that CPU spent in the kernel (stime / utime +
// stime, column target-sys).
#include "net/swim/codec.h"
#include "net/transport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QTextStream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

using namespace shoal::swim;
using namespace shoal::net;
using Clock = std::chrono::steady_clock;

namespace {

constexpr unsigned kBatch = 64;
constexpr std::size_t kBufferSize = 2048;
// An Ack's pickle names its class as SHORT_BINUNICODE "Ack"; no other packet does.
constexpr char kAckMarker[] = "\x8c\x03"
                              "Ack";

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

struct CpuSeconds
{
    double user = -1;
    double system = -1;
    bool valid() const { return user >= 0; }
    double total() const { return user + system; }
};

// utime and stime of a process in seconds; invalid when unreadable.
CpuSeconds processCpuSeconds(qint64 pid)
{
    if (pid <= 0)
        return {};
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = file.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return {};
    // Fields 14 and 15 of the man page (utime, stime): 12 and 13 after the name.
    const auto tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    return { static_cast<double>(fields.at(11).toLongLong()) / tick,
        static_cast<double>(fields.at(12).toLongLong()) / tick };
}

double selfCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The kernel's count of UDP datagrams dropped for a full receive buffer (whole host).
qint64 udpReceiveBufferErrors()
{
    QFile file(QStringLiteral("/proc/net/snmp"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    QList<QByteArray> header;
    // readAll: a /proc file has no size, so atEnd() is true from the start.
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.trimmed().split(' ');
        if (fields.isEmpty() || fields.constFirst() != "Udp:")
            continue;
        if (header.isEmpty()) {
            header = fields;
            continue;
        }
        const qsizetype at = header.indexOf(QByteArrayLiteral("RcvbufErrors"));
        return at > 0 && at < fields.size() ? fields.at(at).toLongLong() : -1;
    }
    return -1;
}

struct Step
{
    double requested = 0;
    quint64 sent = 0;
    double sendSeconds = 0;
    quint64 acks = 0;
    quint64 other = 0; // datagrams from the target that are not Acks (its gossip, probes)
    quint64 badAcks = 0; // sampled Acks that did not decode as an Ack
    double wallSeconds = 0; // send phase plus the drain
    double targetCpu = -1; // seconds, send phase plus the drain
    double targetSystem = -1; // of targetCpu, in the kernel (stime)
    double targetShare = -1; // of one core, during the send phase
    double selfCpu = 0; // seconds, send phase
    qint64 kernelDrops = -1;

    double rate() const { return sendSeconds > 0 ? static_cast<double>(sent) / sendSeconds : 0; }
    double answered() const
    {
        return sent > 0 ? static_cast<double>(acks) / static_cast<double>(sent) : 0;
    }
};

class Generator final
{
public:
    Generator(const Codec &codec, sockaddr_in target, double stepSeconds, qint64 pid)
        : m_codec(codec)
        , m_target(target)
        , m_stepSeconds(stepSeconds)
        , m_pid(pid)
    {
        for (std::size_t i = 0; i < kBatch; ++i) {
            m_iov[i] = { m_buffers[i].data(), kBufferSize };
            m_messages[i].msg_hdr.msg_iov = &m_iov[i];
            m_messages[i].msg_hdr.msg_iovlen = 1;
        }
    }

    // One step at `rate` pings per second; false when no socket could be opened.
    bool run(double rate, Step *step, QString *error)
    {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            *error = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        const int bufferBytes = 4 * 1024 * 1024;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof bufferBytes);
        sockaddr_in local = m_target;
        local.sin_port = 0;
        socklen_t length = sizeof local;
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) != 0
            || ::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) != 0
            || ::connect(fd, reinterpret_cast<const sockaddr *>(&m_target), sizeof m_target) != 0) {
            *error = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            return false;
        }
        const Source source { QStringLiteral("%1:%2")
                                  .arg(QHostAddress(ntohl(local.sin_addr.s_addr)).toString())
                                  .arg(ntohs(local.sin_port)),
            QByteArray::fromHex("6c6f616467656e21") };
        // Several salts, as a real sender's: the datagrams differ, their meaning does not.
        std::vector<QByteArray> pings;
        for (unsigned i = 0; i < kBatch; ++i)
            pings.push_back(m_codec.encode(Ping { source }));
        std::array<iovec, kBatch> sendIov {};
        std::array<mmsghdr, kBatch> sendMessages {};
        for (std::size_t i = 0; i < kBatch; ++i) {
            sendIov[i] = { const_cast<char *>(pings[i].constData()),
                static_cast<std::size_t>(pings[i].size()) };
            sendMessages[i].msg_hdr.msg_iov = &sendIov[i];
            sendMessages[i].msg_hdr.msg_iovlen = 1;
        }

        *step = Step {};
        step->requested = rate;
        const qint64 dropsBefore = udpReceiveBufferErrors();
        const CpuSeconds cpuBefore = processCpuSeconds(m_pid);
        const double selfBefore = selfCpuSeconds();
        const Clock::time_point start = Clock::now();
        const Clock::time_point end = start
            + std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(m_stepSeconds));
        Clock::time_point now = start;
        while (now < end) {
            const auto due = static_cast<quint64>(rate * seconds(now - start));
            bool busy = false;
            while (step->sent < due) {
                const auto batch
                    = static_cast<unsigned>(std::min<quint64>(due - step->sent, kBatch));
                const int done = ::sendmmsg(fd, sendMessages.data(), batch, 0);
                if (done <= 0)
                    break; // a full send buffer: the next round tries again
                step->sent += static_cast<quint64>(done);
                busy = true;
            }
            busy = receive(fd, step) || busy;
            if (!busy) {
                pollfd p { fd, POLLIN, 0 };
                const timespec wait { 0, 100000 };
                ::ppoll(&p, 1, &wait, nullptr);
            }
            now = Clock::now();
        }
        step->sendSeconds = seconds(now - start);
        const CpuSeconds cpuSent = processCpuSeconds(m_pid);
        step->selfCpu = selfCpuSeconds() - selfBefore;
        if (cpuBefore.valid() && cpuSent.valid())
            step->targetShare = (cpuSent.total() - cpuBefore.total()) / step->sendSeconds;
        // Drain: until the target has been quiet for a while (its backlog answered).
        const auto quiet = std::chrono::milliseconds(700);
        const Clock::time_point drainEnd = now + std::chrono::seconds(15);
        Clock::time_point last = now;
        while (now < drainEnd && now - last < quiet) {
            const quint64 before = step->acks;
            // Only Acks count: the target's own gossip and probes would keep the drain going.
            if (receive(fd, step) && step->acks > before) {
                last = Clock::now();
            } else {
                pollfd p { fd, POLLIN, 0 };
                ::poll(&p, 1, 50);
            }
            now = Clock::now();
        }
        step->wallSeconds = seconds(now - start);
        const CpuSeconds cpuAfter = processCpuSeconds(m_pid);
        if (cpuBefore.valid() && cpuAfter.valid()) {
            step->targetCpu = cpuAfter.total() - cpuBefore.total();
            step->targetSystem = cpuAfter.system - cpuBefore.system;
        }
        const qint64 dropsAfter = udpReceiveBufferErrors();
        if (dropsBefore >= 0 && dropsAfter >= 0)
            step->kernelDrops = dropsAfter - dropsBefore;
        ::close(fd);
        return true;
    }

private:
    // Reads what is pending; true when something was read.
    bool receive(int fd, Step *step)
    {
        bool any = false;
        for (;;) {
            for (auto &message : m_messages)
                message.msg_len = 0;
            const int got = ::recvmmsg(fd, m_messages.data(), kBatch, MSG_DONTWAIT, nullptr);
            if (got <= 0)
                return any;
            any = true;
            for (std::size_t i = 0; i < static_cast<std::size_t>(got); ++i) {
                const QByteArrayView datagram(m_buffers[i].data(), m_messages[i].msg_len);
                if (!datagram.contains(QByteArrayView(kAckMarker, 5))) {
                    ++step->other;
                    continue;
                }
                ++step->acks;
                // A sample is decoded in full: the marker must not count anything else.
                if ((++m_seen & 1023) == 1) {
                    const DecodeResult result = m_codec.decode(datagram);
                    const auto *packet = std::get_if<Packet>(&result);
                    if (!packet || !std::holds_alternative<Ack>(*packet))
                        ++step->badAcks;
                }
            }
            if (static_cast<unsigned>(got) < kBatch)
                return any;
        }
    }

    const Codec &m_codec;
    sockaddr_in m_target;
    double m_stepSeconds;
    qint64 m_pid;
    std::array<std::array<char, kBufferSize>, kBatch> m_buffers {};
    std::array<iovec, kBatch> m_iov {};
    std::array<mmsghdr, kBatch> m_messages {};
    quint64 m_seen = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Pings one swim-protocol member at rising rates and counts its Acks."));
    parser.addHelpOption();
    const QCommandLineOption target(
        QStringLiteral("target"), QStringLiteral("The member, IPv4:PORT."), QStringLiteral("ADDR"));
    const QCommandLineOption secret(
        QStringLiteral("secret"), QStringLiteral("Cluster secret."), QStringLiteral("S"));
    const QCommandLineOption version(QStringLiteral("protocol-version"),
        QStringLiteral("Signature version."), QStringLiteral("V"), QStringLiteral("0.6.3"));
    const QCommandLineOption pid(QStringLiteral("pid"),
        QStringLiteral("The member's process, for its CPU use."), QStringLiteral("PID"));
    const QCommandLineOption startRate(QStringLiteral("start"),
        QStringLiteral("First rate, pings/s (default 1000)."), QStringLiteral("R"),
        QStringLiteral("1000"));
    const QCommandLineOption factor(QStringLiteral("factor"),
        QStringLiteral("Rate multiplier per step (default 1.25)."), QStringLiteral("F"),
        QStringLiteral("1.25"));
    const QCommandLineOption maxRate(QStringLiteral("max"),
        QStringLiteral("Highest rate tried (default 400000)."), QStringLiteral("R"),
        QStringLiteral("400000"));
    const QCommandLineOption stepSeconds(QStringLiteral("step-seconds"),
        QStringLiteral("Seconds of sending per step (default 2)."), QStringLiteral("S"),
        QStringLiteral("2"));
    const QCommandLineOption failSteps(QStringLiteral("fail-steps"),
        QStringLiteral("Stop after this many steps in a row below 95% (default 2)."),
        QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption label(QStringLiteral("label"),
        QStringLiteral("Name printed on every line."), QStringLiteral("TEXT"),
        QStringLiteral("target"));
    parser.addOptions({ target, secret, version, pid, startRate, factor, maxRate, stepSeconds,
        failSteps, label });
    parser.process(app);

    QString error;
    const auto address = parseHostPort(parser.value(target), false, &error);
    QHostAddress host;
    if (!address || !host.setAddress(address->host)
        || host.protocol() != QAbstractSocket::IPv4Protocol || !parser.isSet(secret)) {
        out() << "bench_pingload: --target IPv4:PORT and --secret are required " << error << '\n';
        return 2;
    }
    sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_port = htons(address->port);
    to.sin_addr.s_addr = htonl(host.toIPv4Address());
    const Codec codec(parser.value(secret).toUtf8(), parser.value(version).toUtf8());
    const QString name = parser.value(label);
    const double first = parser.value(startRate).toDouble();
    const double multiplier = std::max(1.01, parser.value(factor).toDouble());
    const double last = parser.value(maxRate).toDouble();
    const int allowedFailures = std::max(1, parser.value(failSteps).toInt());
    Generator generator(codec, to, std::max(0.2, parser.value(stepSeconds).toDouble()),
        parser.value(pid).toLongLong());

    out() << name << ": target " << parser.value(target) << ", steps of "
          << parser.value(stepSeconds) << " s\n";
    out() << name
          << ":   requested       sent   rate/s       acks  answered  target-cpu  acks/cpu-s  "
             "self-cpu  kernel-drops  target-sys\n";
    out().flush();
    Step bestFull;
    Step best95;
    int failures = 0;
    for (double rate = first; rate <= last && failures < allowedFailures; rate *= multiplier) {
        Step step;
        if (!generator.run(rate, &step, &error)) {
            out() << "bench_pingload: " << error << '\n';
            return 1;
        }
        const double cpuShare = step.targetShare;
        const double perCpu
            = step.targetCpu > 0 ? static_cast<double>(step.acks) / step.targetCpu : -1;
        out() << name << ": " << qSetFieldWidth(11) << qRound64(step.requested)
              << qSetFieldWidth(11) << step.sent << qSetFieldWidth(9) << qRound64(step.rate())
              << qSetFieldWidth(11) << step.acks << qSetFieldWidth(0) << "  "
              << QString::number(step.answered() * 100, 'f', 1).rightJustified(7) << "%  "
              << (cpuShare >= 0 ? QString::number(cpuShare * 100, 'f', 0) + QLatin1Char('%')
                                : QStringLiteral("-"))
                     .rightJustified(10)
              << "  "
              << (perCpu >= 0 ? QString::number(qRound64(perCpu)) : QStringLiteral("-"))
                     .rightJustified(10)
              << "  "
              << QString::number(step.selfCpu / step.sendSeconds * 100, 'f', 0).rightJustified(7)
              << "%  " << QString::number(step.kernelDrops).rightJustified(12) << "  "
              << (step.targetCpu > 0
                         ? QString::number(step.targetSystem / step.targetCpu * 100, 'f', 0)
                             + QLatin1Char('%')
                         : QStringLiteral("-"))
                     .rightJustified(10);
        if (step.badAcks > 0)
            out() << "  (" << step.badAcks << " sampled Acks did not decode)";
        out() << '\n';
        out().flush();
        if (step.acks >= step.sent && step.rate() > bestFull.rate())
            bestFull = step;
        if (step.answered() >= 0.95) {
            failures = 0;
            if (step.rate() > best95.rate())
                best95 = step;
        } else {
            ++failures;
        }
    }
    const auto summary = [&](const char *what, const Step &step) {
        out() << name << ": highest rate answered " << what << ": " << qRound64(step.rate())
              << " pings/s (" << step.acks << " of " << step.sent << " Acks";
        if (step.targetCpu > 0)
            out() << ", target CPU " << qRound64(step.targetShare * 100) << "% of one core, "
                  << qRound64(static_cast<double>(step.acks) / step.targetCpu)
                  << " Acks per CPU-second, " << qRound64(step.targetSystem / step.targetCpu * 100)
                  << "% of it in the kernel";
        out() << ")\n";
    };
    summary("in full", bestFull);
    summary("at >= 95%", best95);
    return 0;
}
