// Packets per second of the codec on the vectors' 300-byte Gossip
// (gossip-300-byte-value): decode+verify, and encode+sign. Not run by ctest.
//   bench_codec [seconds per figure, default 2]
#include "net/swim/codec.h"
#include "net/swim/pickle.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstdlib>

using namespace shoal::swim;

namespace {

template<typename Work> double perSecond(double seconds, Work work)
{
    QElapsedTimer timer;
    timer.start();
    qint64 done = 0;
    const auto budget = qint64(seconds * 1e9);
    while (timer.nsecsElapsed() < budget) {
        for (int i = 0; i < 1000; ++i)
            work();
        done += 1000;
    }
    return double(done) * 1e9 / double(timer.nsecsElapsed());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
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
    const double decode
        = perSecond(seconds, [&] { sink = sink + qsizetype(codec.decode(datagram).index()); });
    const double encode = perSecond(seconds, [&] { sink = sink + codec.encode(gossip).size(); });
    const double encodeSalted
        = perSecond(seconds, [&] { sink = sink + codec.encode(gossip, salt).size(); });
    const QByteArray pickle = writePacketPickle(gossip);
    const double read
        = perSecond(seconds, [&] { sink = sink + qsizetype(readPacketPickle(pickle).index()); });
    const double write
        = perSecond(seconds, [&] { sink = sink + writePacketPickle(gossip).size(); });
    out << "300-byte Gossip, datagram " << datagram.size() << " bytes, " << seconds
        << " s per figure\n";
    out << "decode+verify:              " << qRound64(decode) << " packets/s\n";
    out << "encode+sign (system salt):  " << qRound64(encode) << " packets/s\n";
    out << "encode+sign (given salt):   " << qRound64(encodeSalted) << " packets/s\n";
    out << "pickle read only:           " << qRound64(read) << " packets/s\n";
    out << "pickle write only:          " << qRound64(write) << " packets/s\n";
    return 0;
}
