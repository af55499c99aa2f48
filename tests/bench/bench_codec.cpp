// Packets per CPU-second of the codec on the vectors' 300-byte Gossip
// (gossip-300-byte-value): decode+verify, and encode+sign; beside it the
// memberlist/Serf codec on an alive message carrying a 300-byte tag (what a
// Serf tag edit spreads as), plain with CRC, and AES-GCM sealed. Not run by ctest.
// Each figure runs for the given seconds of this thread's CPU time and is divided by
// that CPU time, so other jobs on the machine lower the wall-clock rate but not
// the figure; the wall-clock rate is printed beside it.
//   bench_codec [CPU seconds per figure, default 2] [only the figures named with this word,
//   e.g. swim, swim-decode, swim-encode, pickle, hmac, serf: for perf record]
#include "net/serf/memberlist.h"
#include "net/serf/serfmessages.h"
#include "net/swim/codec.h"
#include "net/swim/hmacsha256.h"
#include "net/swim/pickle.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstdlib>
#include <ctime>

using namespace shoal::swim;

namespace {

qint64 threadCpuNanoseconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

struct Rate
{
    double perCpuSecond = 0;
    double perWallSecond = 0;
};

QTextStream &operator<<(QTextStream &out, const Rate &rate)
{
    if (rate.perCpuSecond == 0)
        return out << "-";
    return out << qRound64(rate.perCpuSecond) << " packets per CPU-second ("
               << qRound64(rate.perWallSecond) << " per wall-clock second)";
}

QByteArray onlyFigures;

template<typename Work> Rate perSecond(const char *name, double seconds, Work work)
{
    if (!QByteArrayView(name).contains(onlyFigures))
        return {};
    QElapsedTimer timer;
    timer.start();
    const qint64 cpuStart = threadCpuNanoseconds();
    qint64 done = 0;
    const auto budget = qint64(seconds * 1e9);
    qint64 cpu = 0;
    while (cpu < budget) {
        for (int i = 0; i < 1000; ++i)
            work();
        done += 1000;
        cpu = threadCpuNanoseconds() - cpuStart;
    }
    return { double(done) * 1e9 / double(cpu), double(done) * 1e9 / double(timer.nsecsElapsed()) };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    onlyFigures = argc > 2 ? QByteArray(argv[2]) : QByteArray();
    QByteArray blob;
    for (int i = 0; i < 300; ++i)
        blob.append(char(i % 251));
    const Packet gossip
        = Gossip { { QStringLiteral("127.0.0.1:2001"), QByteArray::fromHex("0102030405060708") },
              QStringLiteral("127.0.0.1:2003"), 7, WireStatus::Online,
              WireMetadata { { QStringLiteral("blob"), blob } } };
    const Codec codec(QByteArrayLiteral("s3cret"));
    const QByteArray salt = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
    const QByteArray datagram = codec.encode(gossip, salt);
    QTextStream out(stdout);
    if (datagram.size() != 587 || !(std::get<Packet>(codec.decode(datagram)) == gossip)) {
        out << "bench_codec: the datagram is not the vector's (587 bytes)\n";
        return 1;
    }
    volatile qsizetype sink = 0;
    const Rate decode = perSecond(
        "swim-decode", seconds, [&] { sink = sink + qsizetype(codec.decode(datagram).index()); });
    const Rate encode
        = perSecond("swim-encode", seconds, [&] { sink = sink + codec.encode(gossip).size(); });
    const Rate encodeSalted = perSecond(
        "swim-encode-salted", seconds, [&] { sink = sink + codec.encode(gossip, salt).size(); });
    const QByteArray pickle = writePacketPickle(gossip);
    const Rate read = perSecond(
        "pickle-read", seconds, [&] { sink = sink + qsizetype(readPacketPickle(pickle).index()); });
    const Rate machineRead = perSecond("pickle-read-machine", seconds,
        [&] { sink = sink + qsizetype(readPacketPickleByMachine(pickle).index()); });
    const Rate write = perSecond(
        "pickle-write", seconds, [&] { sink = sink + writePacketPickle(gossip).size(); });
    // What the signature covers: version, salt and pickle (554 bytes).
    const HmacSha256 keyed(QByteArrayLiteral("s3cret"));
    const Rate hmac = perSecond("hmac", seconds,
        [&] { sink = sink + keyed.mac(Codec::defaultVersion(), salt, pickle)[0]; });
    out << "300-byte Gossip, datagram " << datagram.size() << " bytes, " << seconds
        << " CPU-s per figure\n";
    out << "decode+verify:              " << decode << "\n";
    out << "encode+sign (system salt):  " << encode << "\n";
    out << "encode+sign (given salt):   " << encodeSalted << "\n";
    out << "pickle read only:           " << read << "\n";
    out << "pickle read (machine only): " << machineRead << "\n";
    out << "pickle write only:          " << write << "\n";
    out << "HMAC-SHA256 only (554 B):   " << hmac << "\n";

    // memberlist/Serf: one alive with tags {blob: 300 bytes, role: web} (Meta <= 512 bytes).
    namespace serf = shoal::serf;
    shoal::Metadata tags;
    tags.insert(QStringLiteral("blob"), blob.left(300));
    tags.insert(QStringLiteral("role"), QByteArrayLiteral("web"));
    const serf::Alive alive { QByteArray::fromHex("7f000001"), 7, serf::encodeTags(tags),
        QStringLiteral("127.0.0.1:7946"), 7946, serf::defaultVsn() };
    const QList<QByteArray> messages { serf::encodeMessage(alive) };
    serf::PacketOptions crc;
    crc.crc = true;
    const serf::Keyring keyring({ QByteArray(32, 'k') });
    const QByteArray plain = serf::encodePacket(messages, crc);
    const QByteArray sealed = serf::encodePacket(messages, crc, keyring);
    const auto decodes = [](const QByteArray &bytes, const serf::Keyring &ring) {
        const serf::PacketResult r = serf::decodePacket(bytes, ring);
        const auto *packet = std::get_if<serf::DecodedPacket>(&r);
        return packet ? packet->messages.size() : qsizetype(-1);
    };
    if (decodes(plain, {}) != 1 || decodes(sealed, keyring) != 1) {
        out << "bench_codec: the Serf datagrams do not decode\n";
        return 1;
    }
    const Rate serfDecode
        = perSecond("serf-decode", seconds, [&] { sink = sink + decodes(plain, {}); });
    const Rate serfEncode = perSecond(
        "serf-encode", seconds, [&] { sink = sink + serf::encodePacket(messages, crc).size(); });
    const Rate serfOpen
        = perSecond("serf-open", seconds, [&] { sink = sink + decodes(sealed, keyring); });
    const Rate serfSeal = perSecond("serf-seal", seconds,
        [&] { sink = sink + serf::encodePacket(messages, crc, keyring).size(); });
    out << "Serf alive with a 300-byte tag, datagram " << plain.size() << " bytes plain+CRC, "
        << sealed.size() << " sealed (AES-256-GCM)\n";
    out << "serf decode (CRC):          " << serfDecode << "\n";
    out << "serf encode (CRC):          " << serfEncode << "\n";
    out << "serf decrypt+decode:        " << serfOpen << "\n";
    out << "serf encode+encrypt:        " << serfSeal << "\n";
    return 0;
}
