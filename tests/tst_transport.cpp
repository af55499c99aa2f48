// Tests of the UDP/TCP transport on loopback: round trips, the TCP path and every limit.
#include "net/transport.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUdpSocket>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <atomic>
#include <thread>

using namespace shoal::net;

namespace {

QString nameOf(const Transport &transport)
{
    return QStringLiteral("127.0.0.1:%1").arg(transport.boundPort());
}

bool bindLoopback(Transport &transport)
{
    QString error;
    const bool ok = transport.bind(QHostAddress::LocalHost, 0, &error);
    if (!ok)
        qWarning() << error;
    return ok;
}

// A plain IPv4 UDP socket on 127.0.0.1 (blocking), for datagrams sent and read outside any
// event loop; closes itself.
class RawUdp
{
public:
    RawUdp()
    {
        m_fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        const int bytes = 4 * 1024 * 1024;
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof local;
        if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) == 0
            && ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&local), &length) == 0)
            m_port = ntohs(local.sin_port);
    }
    ~RawUdp() { ::close(m_fd); }
    RawUdp(const RawUdp &) = delete;
    RawUdp &operator=(const RawUdp &) = delete;

    quint16 port() const { return m_port; }
    QString name() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    bool sendTo(quint16 port, const QByteArray &datagram) const
    {
        sockaddr_in to {};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::sendto(m_fd, datagram.constData(), std::size_t(datagram.size()), 0,
                   reinterpret_cast<const sockaddr *>(&to), sizeof to)
            == datagram.size();
    }
    // The next datagram, waiting up to timeoutMs; null when none came.
    QByteArray receive(int timeoutMs = 5000) const
    {
        pollfd p { m_fd, POLLIN, 0 };
        if (::poll(&p, 1, timeoutMs) != 1)
            return QByteArray();
        QByteArray buffer(65536, Qt::Uninitialized);
        const ssize_t size = ::recv(m_fd, buffer.data(), std::size_t(buffer.size()), 0);
        buffer.resize(size < 0 ? 0 : qsizetype(size));
        return size < 0 ? QByteArray() : buffer;
    }

private:
    int m_fd = -1;
    quint16 m_port = 0;
};

// Datagram `index` of a batch test: its index, then a pattern of the given size.
QByteArray numbered(int index, qsizetype size)
{
    QByteArray datagram = QByteArray::number(index) + ':';
    while (datagram.size() < size)
        datagram.append(char('a' + (datagram.size() + index) % 26));
    datagram.truncate(std::max<qsizetype>(size, 0));
    return datagram;
}

} // namespace

class TestTransport final : public QObject
{
    Q_OBJECT
private slots:
    // Issue 14, finding 2: one spelling per address and port.
    void canonicalMemberNames()
    {
        for (const char *good : { "127.0.0.1:7946", "10.0.0.255:1", "[::1]:7", "[fe80::1]:65535",
                 "localhost:7000", "pymap-1.example.org:7946", "a1:1", "pymap_pymap_1:7946" })
            QVERIFY2(isCanonicalMemberName(QLatin1String(good)), good);
        for (const char *bad :
            { "127.000.0.1:7946", "0x7f.0.0.1:7946", "127.1:7946", "2130706433:7946",
                "[127.0.0.1]:7946", "127.0.0.1:7946\t", "127.0.0.1:07946", "127.0.0.01:7946",
                "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", ":7946", "127.0.0.1",
                "[::FFFF:127.0.0.1]:7", "[::ffff:127.0.0.1]:7", "[0::1]:7", "[::1%lo]:7",
                "LOCALHOST:7000", "-a:7", "a-:7", "a..b:7", "a.:7", ".a:7", "1.2.3:7",
                "1.2.3.4.5:7", "256.0.0.1:7", " 127.0.0.1:7", "127.0.0.1 :7", "127.0.0.1:+7" })
            QVERIFY2(!isCanonicalMemberName(QLatin1String(bad)), bad);
        QVERIFY(!isCanonicalMemberName(QString(300, QLatin1Char('a')) + QStringLiteral(":7")));
        QVERIFY(!isCanonicalMemberName(QStringLiteral("127.0.0.1\u202e:7")));
    }

    void parseNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("portZero");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("ipv4") << "127.0.0.1:17001" << false << true << "127.0.0.1:17001";
        QTest::newRow("hostname") << "node1.example:80" << false << true << "node1.example:80";
        QTest::newRow("ipv6 bare") << "::1:7000" << false << true << "[::1]:7000";
        QTest::newRow("ipv6 brackets") << "[::1]:7000" << false << true << "[::1]:7000";
        QTest::newRow("no port") << "foo" << false << false << "";
        QTest::newRow("port too big") << "host:99999" << false << false << "";
        QTest::newRow("colon only") << ":" << false << false << "";
        QTest::newRow("empty") << "" << false << false << "";
        QTest::newRow("no host") << ":17001" << false << false << "";
        QTest::newRow("port letters") << "host:1x" << false << false << "";
        QTest::newRow("port zero peer") << "host:0" << false << false << "";
        QTest::newRow("port zero name") << "host:0" << true << true << "host:0";
        QTest::newRow("negative port") << "host:-1" << true << false << "";
    }
    void parseNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, portZero);
        QFETCH(bool, valid);
        QFETCH(QString, normalized);
        QString error;
        const auto parsed = parseHostPort(text, portZero, &error);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(parsed->toString(), normalized);
        else
            QVERIFY(!error.isEmpty());
    }

    void udpRoundTrip()
    {
        Transport a;
        Transport b;
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QVERIFY(a.boundPort() != 0);
        QSignalSpy received(&b, &Transport::datagramReceived);
        a.send(nameOf(b), QByteArrayLiteral("hello"));
        QVERIFY(received.wait(5000));
        QCOMPARE(received.at(0).at(0).toByteArray(), QByteArrayLiteral("hello"));
        QCOMPARE(received.at(0).at(1).value<QHostAddress>(), QHostAddress(QHostAddress::LocalHost));
        // Replies go to the sender's name: its UDP source port is its bound port.
        QCOMPARE(received.at(0).at(2).value<quint16>(), a.boundPort());
        QCOMPARE(received.at(0).at(3).toBool(), false);
        QCOMPARE(a.counters().udpOut, 1u);
        QCOMPARE(b.counters().udpIn, 1u);
        QCOMPARE(b.counters().bytesIn, 5u);
    }

    void manyDatagramsAllRead()
    {
        Transport a;
        Transport b;
        Transport::Limits limits;
        limits.maxUdpPerWakeup = 3; // forces the reader to yield and come back
        b.setLimits(limits);
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QSignalSpy received(&b, &Transport::datagramReceived);
        for (int i = 0; i < 50; ++i)
            a.send(nameOf(b), QByteArray::number(i));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 50, 10000);
    }

    void keepsReadingThroughAFlood()
    {
        // A sender thread floods the socket while the event loop reads: QUdpSocket once
        // stopped notifying after a wake-up that found nothing pending, and the transport went
        // deaf. Whatever the kernel drops meanwhile, a datagram sent after the flood arrives.
        Transport b;
        QVERIFY(bindLoopback(b));
        QSignalSpy received(&b, &Transport::datagramReceived);
        const quint16 port = b.boundPort();
        std::atomic<bool> done { false };
        std::thread flood([port, &done] {
            const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
            sockaddr_in to {};
            to.sin_family = AF_INET;
            to.sin_port = htons(port);
            to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const char payload[64] = {};
            for (int i = 0; i < 200000; ++i)
                ::sendto(fd, payload, sizeof payload, 0, reinterpret_cast<const sockaddr *>(&to),
                    sizeof to);
            ::close(fd);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 60000);
        flood.join();
        QTRY_VERIFY_WITH_TIMEOUT(b.counters().udpIn > 0, 10000);
        Transport a;
        QVERIFY(bindLoopback(a));
        a.send(nameOf(b), QByteArrayLiteral("after the flood"));
        auto lastIs = [&received](const QByteArray &data) {
            return !received.isEmpty() && received.last().at(0).toByteArray() == data;
        };
        QTRY_VERIFY_WITH_TIMEOUT(lastIs(QByteArrayLiteral("after the flood")), 10000);
    }

    // Datagrams queued before the event loop runs are read in batches (recvmmsg on Linux):
    // every one arrives whole, in order, with its own source port and size, including an
    // empty one and one of 60,000 bytes between small ones, and a budget per wake-up that
    // cuts batches short.
    void batchedReadKeepsEachDatagram()
    {
        for (const int perWakeup : { 512, 5 }) {
            Transport b;
            Transport::Limits limits;
            limits.maxUdpPerWakeup = perWakeup;
            b.setLimits(limits);
            QVERIFY(bindLoopback(b));
            RawUdp sources[3];
            QList<QByteArray> sent;
            QList<quint16> ports;
            // 100 datagrams from three sources taking turns in runs of 1 to 3, so that the
            // source changes inside a batch and stays the same across batches.
            for (int i = 0; i < 100; ++i) {
                const qsizetype size = i == 37 ? 60000 : i == 50 ? 0 : 20 + (i * 37) % 600;
                const QByteArray datagram = numbered(i, size);
                const RawUdp &from = sources[(i / (1 + i % 3)) % 3];
                QVERIFY(from.sendTo(b.boundPort(), datagram));
                sent.append(datagram);
                ports.append(from.port());
            }
            QSignalSpy received(&b, &Transport::datagramReceived);
            QTRY_COMPARE_WITH_TIMEOUT(received.size(), 100, 10000);
            quint64 bytes = 0;
            for (int i = 0; i < 100; ++i) {
                QCOMPARE(received.at(i).at(0).toByteArray(), sent.at(i));
                QCOMPARE(received.at(i).at(1).value<QHostAddress>(),
                    QHostAddress(QHostAddress::LocalHost));
                QCOMPARE(received.at(i).at(2).value<quint16>(), ports.at(i));
                QCOMPARE(received.at(i).at(3).toBool(), false);
                bytes += quint64(sent.at(i).size());
            }
            QCOMPARE(b.counters().udpIn, 100u);
            QCOMPARE(b.counters().bytesIn, bytes);
            QCOMPARE(b.counters().rejectedTotal(), 0u);
        }
    }

    // A receiver that keeps no copy sees each datagram right at the time (the transport
    // reuses one QByteArray), and one that keeps a copy keeps it whole after later reads.
    void reusedDatagramNeverChangesUnderAKeptCopy()
    {
        Transport b;
        QVERIFY(bindLoopback(b));
        RawUdp source;
        QList<QByteArray> kept;
        int matched = 0;
        int seen = 0;
        connect(&b, &Transport::datagramReceived, &b,
            [&](const QByteArray &datagram, const QHostAddress &, quint16, bool) {
                if (datagram == numbered(seen, 10 + seen * 13))
                    ++matched;
                if (seen % 2 == 0)
                    kept.append(datagram);
                ++seen;
            });
        for (int i = 0; i < 40; ++i)
            QVERIFY(source.sendTo(b.boundPort(), numbered(i, 10 + i * 13)));
        QTRY_COMPARE_WITH_TIMEOUT(seen, 40, 10000);
        QCOMPARE(matched, 40);
        QCOMPARE(kept.size(), 20);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(kept.at(i), numbered(2 * i, 10 + 2 * i * 13));
    }

    // Answers sent while a batch is delivered go out after it (sendmmsg on Linux), all of
    // them, in the order sent, and counted.
    void answersFlushedInOrder()
    {
        Transport b;
        QVERIFY(bindLoopback(b));
        RawUdp source;
        RawUdp sink;
        connect(&b, &Transport::datagramReceived, &b,
            [&](const QByteArray &datagram, const QHostAddress &, quint16, bool) {
                // Two answers per datagram: 120 exceed one send batch (64), and the 60
                // datagrams all come in one wake-up (queued before the event loop runs).
                b.send(sink.name(), QByteArray("re:" + datagram));
                b.send(sink.name(), QByteArray("again:" + datagram));
            });
        for (int i = 0; i < 60; ++i)
            QVERIFY(source.sendTo(b.boundPort(), numbered(i, 30)));
        QTRY_COMPARE_WITH_TIMEOUT(b.counters().udpIn, 60u, 10000);
        for (int i = 0; i < 60; ++i) {
            QCOMPARE(sink.receive(), QByteArray("re:" + numbered(i, 30)));
            QCOMPARE(sink.receive(), QByteArray("again:" + numbered(i, 30)));
        }
        QCOMPARE(b.counters().udpOut, 120u);
        QCOMPARE(b.counters().bytesOut, quint64(60 * (33 + 36)));
        QCOMPARE(b.counters().sendFailures, 0u);
    }

    // Outside a read wake-up a send leaves at once: no event loop runs between send() and
    // the sink's blocking read.
    void sendOutsideAReadLeavesAtOnce()
    {
        Transport a;
        QVERIFY(bindLoopback(a));
        RawUdp sink;
        a.send(sink.name(), QByteArrayLiteral("now"));
        QCOMPARE(sink.receive(2000), QByteArrayLiteral("now"));
        QCOMPARE(a.counters().udpOut, 1u);
    }

    // A receiver that closes the transport in the middle of a batch: the answers it sent
    // before still go out, and nothing more is delivered.
    void closedInsideABatch()
    {
        Transport b;
        QVERIFY(bindLoopback(b));
        RawUdp source;
        RawUdp sink;
        int seen = 0;
        connect(&b, &Transport::datagramReceived, &b,
            [&](const QByteArray &datagram, const QHostAddress &, quint16, bool) {
                ++seen;
                b.send(sink.name(), datagram);
                if (seen == 5)
                    b.close();
            });
        for (int i = 0; i < 10; ++i)
            QVERIFY(source.sendTo(b.boundPort(), numbered(i, 8)));
        QTRY_COMPARE_WITH_TIMEOUT(seen, 5, 10000);
        QTest::qWait(100);
        QCOMPARE(seen, 5);
        QVERIFY(!b.isBound());
        for (int i = 0; i < 5; ++i)
            QCOMPARE(sink.receive(), numbered(i, 8));
        QCOMPARE(sink.receive(100), QByteArray());
    }

    // Bound to any address (one dual-stack socket where the host has IPv6): a sender's
    // address reads as QUdpSocket's own reads give it, and answers reach an IPv4 name.
    void dualStackSourcesAsQtGivesThem()
    {
        Transport b;
        QString error;
        QVERIFY2(b.bind(QHostAddress::Any, 0, &error), qPrintable(error));
        QUdpSocket plain;
        QVERIFY(plain.bind(QHostAddress::Any, 0));
        RawUdp source;
        QVERIFY(source.sendTo(plain.localPort(), QByteArrayLiteral("probe")));
        QVERIFY(plain.waitForReadyRead(5000));
        QHostAddress expected;
        quint16 expectedPort = 0;
        char buffer[16];
        QCOMPARE(plain.readDatagram(buffer, sizeof buffer, &expected, &expectedPort), 5);
        QCOMPARE(expectedPort, source.port());

        QSignalSpy received(&b, &Transport::datagramReceived);
        QVERIFY(source.sendTo(b.boundPort(), QByteArrayLiteral("hello")));
        QVERIFY(received.wait(5000));
        QCOMPARE(received.at(0).at(1).value<QHostAddress>(), expected);
        QCOMPARE(received.at(0).at(1).value<QHostAddress>().protocol(), expected.protocol());
        QCOMPARE(received.at(0).at(2).value<quint16>(), source.port());
        b.send(source.name(), QByteArrayLiteral("answer"));
        QCOMPARE(source.receive(), QByteArrayLiteral("answer"));
        QCOMPARE(b.counters().udpOut, 1u);
    }

    void hostNameResolved()
    {
        Transport a;
        Transport b;
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QSignalSpy received(&b, &Transport::datagramReceived);
        a.send(QStringLiteral("localhost:%1").arg(b.boundPort()), QByteArrayLiteral("one"));
        a.send(QStringLiteral("localhost:%1").arg(b.boundPort()), QByteArrayLiteral("two"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        QCOMPARE(received.at(0).at(0).toByteArray(), QByteArrayLiteral("one"));
    }

    void oversizedGoesOverTcp()
    {
        Transport a;
        Transport b;
        Transport::Limits limits;
        limits.mtu = 100;
        a.setLimits(limits);
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QSignalSpy received(&b, &Transport::datagramReceived);
        QByteArray big(5000, 'x');
        big[4999] = 'z';
        a.send(nameOf(b), big);
        a.send(nameOf(b), QByteArrayLiteral("small"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        bool sawBig = false;
        for (const auto &args : received) {
            if (args.at(3).toBool()) {
                QCOMPARE(args.at(0).toByteArray(), big);
                sawBig = true;
            } else {
                QCOMPARE(args.at(0).toByteArray(), QByteArrayLiteral("small"));
            }
        }
        QVERIFY(sawBig);
        QTRY_COMPARE(a.counters().tcpOut, 1u);
        QCOMPARE(b.counters().tcpIn, 1u);
        QCOMPARE(a.counters().udpOut, 1u);
    }

    void tcpSizeLimit()
    {
        Transport a;
        Transport b;
        Transport::Limits sender;
        sender.mtu = 100;
        a.setLimits(sender);
        Transport::Limits receiver;
        receiver.maxTcpBytes = 1000;
        b.setLimits(receiver);
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QSignalSpy received(&b, &Transport::datagramReceived);
        QSignalSpy rejected(&b, &Transport::rejected);
        a.send(nameOf(b), QByteArray(200000, 'y'));
        QVERIFY(rejected.wait(10000));
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-oversize"));
        QCOMPARE(b.counters().tcpOversize, 1u);
        QCOMPARE(b.counters().rejectedByReason.value(QStringLiteral("tcp-oversize")), 1u);
        QCOMPARE(b.counters().rejectedBySource.value(QStringLiteral("127.0.0.1")), 1u);
        // Exactly the limit still crosses.
        a.send(nameOf(b), QByteArray(1000, 'k'));
        QVERIFY(received.wait(10000));
        QCOMPARE(received.at(0).at(0).toByteArray().size(), 1000);
    }

    void idleConnectionDeadline()
    {
        Transport b;
        Transport::Limits limits;
        limits.tcpDeadlineMs = 100;
        b.setLimits(limits);
        QVERIFY(bindLoopback(b));
        QSignalSpy rejected(&b, &Transport::rejected);
        QSignalSpy received(&b, &Transport::datagramReceived);
        QTcpSocket idle;
        QSignalSpy closed(&idle, &QTcpSocket::disconnected);
        idle.connectToHost(QHostAddress::LocalHost, b.boundPort());
        QVERIFY(idle.waitForConnected(5000));
        idle.write("partial");
        QVERIFY(rejected.wait(10000));
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-deadline"));
        QTRY_VERIFY(closed.size() == 1);
        QCOMPARE(received.size(), 0); // a partial datagram is never delivered
        QCOMPARE(b.counters().tcpTimedOut, 1u);
    }

    void tooManyConnections()
    {
        Transport b;
        Transport::Limits limits;
        limits.maxTcpConnections = 2;
        limits.maxTcpPerSource = 10; // the overall limit comes first here
        limits.tcpEvictAfterMs = 600000; // refused, not evicted (see slowConnectionsEvicted)
        limits.tcpStartMs = 600000;
        b.setLimits(limits);
        QVERIFY(bindLoopback(b));
        QSignalSpy rejected(&b, &Transport::rejected);
        QTcpSocket sockets[3];
        for (auto &socket : sockets) {
            socket.connectToHost(QHostAddress::LocalHost, b.boundPort());
            QVERIFY(socket.waitForConnected(5000));
        }
        QTRY_COMPARE(b.counters().tcpRefused, 1u);
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-too-many"));
        // A slot frees when a connection ends; a new one is then served.
        QSignalSpy received(&b, &Transport::datagramReceived);
        sockets[0].write("done");
        sockets[0].disconnectFromHost();
        QVERIFY(received.wait(5000));
        QCOMPARE(received.at(0).at(0).toByteArray(), QByteArrayLiteral("done"));
        QTcpSocket later;
        later.connectToHost(QHostAddress::LocalHost, b.boundPort());
        QVERIFY(later.waitForConnected(5000));
        later.write("later");
        later.disconnectFromHost();
        QVERIFY(received.wait(5000));
        QCOMPARE(received.at(1).at(0).toByteArray(), QByteArrayLiteral("later"));
        QCOMPARE(b.counters().tcpRefused, 1u);
    }

    void tooManyFromOneSource()
    {
        Transport b;
        Transport::Limits limits;
        limits.maxTcpConnections = 10;
        limits.maxTcpPerSource = 2;
        limits.tcpEvictAfterMs = 600000;
        b.setLimits(limits);
        QVERIFY(bindLoopback(b));
        QSignalSpy rejected(&b, &Transport::rejected);
        QTcpSocket sockets[3];
        for (auto &socket : sockets) {
            socket.connectToHost(QHostAddress::LocalHost, b.boundPort());
            QVERIFY(socket.waitForConnected(5000));
        }
        QTRY_COMPARE(b.counters().tcpRefused, 1u);
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-too-many-from-source"));
        QCOMPARE(
            b.counters().rejectedByReason.value(QStringLiteral("tcp-too-many-from-source")), 1u);
    }

    // Issue 14, finding 9: idle connections filling every slot (and the source's) make way
    // for a new one, which delivers its datagram long before the whole-life deadline.
    void slowConnectionsEvicted()
    {
        Transport a;
        Transport b;
        Transport::Limits sender;
        sender.mtu = 100;
        a.setLimits(sender);
        Transport::Limits limits;
        limits.maxTcpConnections = 4;
        limits.maxTcpPerSource = 4;
        limits.tcpDeadlineMs = 600000; // without eviction the datagram would wait 10 minutes
        limits.tcpStartMs = 600000; // no pace deadline either: eviction alone frees slots
        limits.tcpEvictAfterMs = 50;
        b.setLimits(limits);
        QVERIFY(bindLoopback(a));
        QVERIFY(bindLoopback(b));
        QSignalSpy rejected(&b, &Transport::rejected);
        QSignalSpy received(&b, &Transport::datagramReceived);
        QTcpSocket idle[4];
        for (auto &socket : idle) {
            socket.connectToHost(QHostAddress::LocalHost, b.boundPort());
            QVERIFY(socket.waitForConnected(5000));
        }
        QTest::qWait(200);
        const QByteArray big(60000, 'g');
        a.send(nameOf(b), big);
        QVERIFY(received.wait(20000));
        QCOMPARE(received.at(0).at(0).toByteArray(), big);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-evicted"));
        QCOMPARE(b.counters().tcpRefused, 0u);
        QCOMPARE(b.counters().rejectedByReason.value(QStringLiteral("tcp-evicted")), 1u);
        QTRY_COMPARE(idle[0].state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(idle[3].state(), QAbstractSocket::ConnectedState); // the oldest went
    }

    // An idle or trickling connection ends once it falls behind the pace, not at the
    // whole-life deadline.
    void paceDeadline()
    {
        Transport b;
        Transport::Limits limits;
        limits.tcpDeadlineMs = 600000;
        limits.tcpStartMs = 300;
        limits.tcpMinBytesPerSecond = 1000;
        b.setLimits(limits);
        QVERIFY(bindLoopback(b));
        QSignalSpy rejected(&b, &Transport::rejected);
        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, b.boundPort());
        QVERIFY(slow.waitForConnected(5000));
        slow.write("abc");
        QVERIFY(rejected.wait(20000));
        QCOMPARE(rejected.at(0).at(2).toString(), QStringLiteral("tcp-deadline"));
        QCOMPARE(b.counters().tcpTimedOut, 1u);
    }

    void udpPortInUse()
    {
        Transport a;
        QVERIFY(bindLoopback(a));
        Transport b;
        QString error;
        QVERIFY(!b.bind(QHostAddress::LocalHost, a.boundPort(), &error));
        QVERIFY2(error.contains(QStringLiteral("UDP")), qPrintable(error));
        QVERIFY2(error.contains(nameOf(a)), qPrintable(error));
        QVERIFY(!b.isBound());
    }

    void tcpPortInUse()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        // The UDP side of that port is normally free; make sure, else the case is moot.
        QUdpSocket probe;
        QVERIFY(probe.bind(QHostAddress::LocalHost, squatter.serverPort()));
        probe.close();
        Transport b;
        QString error;
        QVERIFY(!b.bind(QHostAddress::LocalHost, squatter.serverPort(), &error));
        QVERIFY2(error.contains(QStringLiteral("TCP")), qPrintable(error));
        QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
        QVERIFY(!b.isBound());
    }

    void rejectSourcesBounded()
    {
        Transport t;
        Transport::Limits limits;
        limits.maxRejectSources = 3;
        t.setLimits(limits);
        for (quint32 i = 0; i < 10; ++i)
            t.countRejected(QHostAddress(0x0a000001u + i), QStringLiteral("signature"));
        QCOMPARE(t.counters().rejectedBySource.size(), 3);
        QCOMPARE(t.counters().rejectedSourcesOverflow, 7u);
        QCOMPARE(t.counters().rejectedTotal(), 10u);
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
