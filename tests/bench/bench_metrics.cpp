// What one /metrics scrape costs the thread that serves it (the window's GUI thread): the time
// to render MetricsCollector's exposition and its size, for N members (the series cap at its
// default), and the cost of applying one batch of N member updates. Prints figures, asserts
// nothing. Run: build/tests/bench/bench_metrics [members ...] (default 100 1000 10000)
#include "cluster/metricscollector.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>

using namespace shoal;
using cluster::ChangeFlag;
using cluster::MemberUpdate;

namespace {

QList<MemberUpdate> members(int count)
{
    QList<MemberUpdate> updates;
    updates.reserve(count);
    for (int i = 0; i < count; ++i) {
        MemberUpdate update;
        update.member.name
            = QStringLiteral("10.%1.%2.%3:7000").arg(i / 65536).arg((i / 256) % 256).arg(i % 256);
        update.member.status = i % 10 == 0 ? MemberStatus::Offline : MemberStatus::Online;
        update.what = ChangeFlag::Added | ChangeFlag::Status;
        updates.append(update);
    }
    return updates;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> counts;
    for (const QString &argument : QCoreApplication::arguments().mid(1))
        counts << argument.toInt();
    if (counts.isEmpty())
        counts = { 100, 1000, 10000 };
    QTextStream out(stdout);
    out << "members  apply batch (ms)  render median (ms)  render max (ms)  bytes\n";
    for (const int count : std::as_const(counts)) {
        cluster::MetricsCollector collector;
        collector.setInfo(QStringLiteral("bench"), QStringLiteral("swim"));
        cluster::TrafficCounters counters;
        for (const char *type : { "Ping", "Ack", "Gossip", "GossipAck", "PingReq" })
            counters.packetsIn.insert(QLatin1String(type), 1000);
        counters.packetsOut = counters.packetsIn;
        counters.rejectedByReason.insert(QStringLiteral("signature"), 12);
        collector.setCounters(counters);
        const QList<MemberUpdate> batch = members(count);
        QElapsedTimer timer;
        timer.start();
        collector.apply(batch);
        const double applyMs = double(timer.nsecsElapsed()) / 1e6;
        QList<double> renders;
        qsizetype bytes = 0;
        for (int round = 0; round < 51; ++round) {
            timer.restart();
            bytes = collector.exposition().size();
            renders << double(timer.nsecsElapsed()) / 1e6;
        }
        std::sort(renders.begin(), renders.end());
        out << qSetFieldWidth(7) << count << qSetFieldWidth(0) << "  " << qSetFieldWidth(16)
            << QString::number(applyMs, 'f', 2) << qSetFieldWidth(0) << "  " << qSetFieldWidth(18)
            << QString::number(renders.at(renders.size() / 2), 'f', 2) << qSetFieldWidth(0) << "  "
            << qSetFieldWidth(15) << QString::number(renders.last(), 'f', 2) << qSetFieldWidth(0)
            << "  " << bytes << '\n';
    }
    return 0;
}
