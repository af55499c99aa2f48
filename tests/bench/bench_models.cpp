// Times the item models' coalesced flushes with many members; prints figures, asserts nothing.
// Run: /work/build-model/tests/bench/bench_models [members]
#include "app/processmemory.h"
#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/membertablemodel.h"
#include "model/valuesmodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSortFilterProxyModel>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace shoal;

using shoal::app::residentKiB;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

MemberRecord member(int i, quint64 clock)
{
    MemberRecord record;
    record.name
        = QStringLiteral("10.%1.%2.%3:7000").arg(i / 65536).arg((i / 256) % 256).arg(i % 256);
    record.clock = clock;
    record.status = MemberStatus::Online;
    record.statusSince = QDateTime::currentDateTimeUtc();
    record.lastHeard = record.statusSince;
    record.instanceId = QByteArray::number(i).rightJustified(8, '0');
    record.metadata = Metadata { { QStringLiteral("token"), QByteArray::number(i) } };
    return record;
}

struct Figure
{
    double medianMs = 0;
    double minMs = 0;
    int signalsPerRun = 0;
};

// Runs prepare (untimed) then measured (timed) runs times; counts dataChanged per run.
Figure measure(MemberTableModel &model, int runs, const std::function<void(int)> &prepare,
    const std::function<void()> &measured)
{
    int signalCount = 0;
    const auto connection = QObject::connect(
        &model, &QAbstractItemModel::dataChanged, &model, [&signalCount] { ++signalCount; });
    QList<double> times;
    for (int run = 0; run < runs; ++run) {
        prepare(run);
        signalCount = 0;
        QElapsedTimer timer;
        timer.start();
        measured();
        times.append(double(timer.nsecsElapsed()) / 1e6);
    }
    QObject::disconnect(connection);
    std::sort(times.begin(), times.end());
    return { times.at(times.size() / 2), times.first(), signalCount };
}

void print(const QString &what, const Figure &figure)
{
    out() << qSetFieldWidth(58) << Qt::left << what << qSetFieldWidth(0)
          << QStringLiteral("median %1 ms  min %2 ms  dataChanged/run %3")
                 .arg(figure.medianMs, 0, 'f', 3)
                 .arg(figure.minMs, 0, 'f', 3)
                 .arg(figure.signalsPerRun)
          << Qt::endl;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? qMax(10, QString::fromLocal8Bit(argv[1]).toInt()) : 10000;
    const int runs = 15;
    out() << "members: " << count << ", runs per figure: " << runs << Qt::endl;

    MemberTableModel model;
    model.setTickInterval(0);
    QList<MemberRecord> records;
    for (int i = 0; i < count; ++i)
        records.append(member(i, 1));
    const qint64 before = residentKiB();
    {
        QElapsedTimer timer;
        timer.start();
        model.upsert(records);
        model.flush();
        out() << "insert " << count << " members (upsert + one flush): "
              << QString::number(double(timer.nsecsElapsed()) / 1e6, 'f', 3) << " ms" << Qt::endl;
    }
    out() << "resident memory added by the model's rows (strings shared with the caller): "
          << (residentKiB() - before) / 1024 << " MiB" << Qt::endl;

    quint64 clock = 1;
    auto changeAll = [&](int) {
        ++clock;
        for (MemberRecord &record : records)
            record.clock = clock;
        model.upsert(records);
    };
    print(QStringLiteral("flush: every row changed (clock)"),
        measure(model, runs, changeAll, [&] { model.flush(); }));
    print(QStringLiteral("upsert every row + flush"),
        measure(
            model, runs, [](int) {},
            [&] {
                ++clock;
                for (MemberRecord &record : records)
                    record.clock = clock;
                model.upsert(records);
                model.flush();
            }));
    print(QStringLiteral("flush: 1 row changed"),
        measure(
            model, runs,
            [&](int run) {
                MemberRecord record = records.at(count / 2);
                record.clock = quint64(1000000 + run);
                records[count / 2] = record;
                model.upsert(record);
            },
            [&] { model.flush(); }));
    print(QStringLiteral("flush: every 3rd row changed (scattered, < half)"),
        measure(
            model, runs,
            [&](int) {
                ++clock;
                for (int i = 0; i < count; i += 3) {
                    records[i].clock = clock;
                    model.upsert(records.at(i));
                }
            },
            [&] { model.flush(); }));
    print(QStringLiteral("tick (live columns)"),
        measure(
            model, runs, [](int) {}, [&] { model.tick(); }));

    {
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(SortRole);
        proxy.setDynamicSortFilter(true);
        proxy.sort(MemberTableModel::ClockColumn);
        print(QStringLiteral("flush: every row changed, sorting proxy on clock"),
            measure(model, 5, changeAll, [&] { model.flush(); }));
        print(QStringLiteral("flush: every 3rd row changed, sorting proxy on clock"),
            measure(
                model, 5,
                [&](int) {
                    ++clock;
                    for (int i = 0; i < count; i += 3) {
                        records[i].clock = clock;
                        model.upsert(records.at(i));
                    }
                },
                [&] { model.flush(); }));
        print(QStringLiteral("flush: 1 row changed, sorting proxy on clock"),
            measure(
                model, runs,
                [&](int run) {
                    MemberRecord record = records.at(count / 3);
                    record.clock = quint64(2000000 + run);
                    model.upsert(record);
                },
                [&] { model.flush(); }));
    }

    // The values view: 10 keys x min(count, 1000) members, every member's token changes.
    {
        const int members = qMin(count, 1000);
        ClusterMetadata metadata;
        ValuesModel values;
        for (int i = 0; i < members; ++i) {
            Metadata data;
            for (int k = 0; k < 10; ++k)
                data.insert(QStringLiteral("key%1").arg(k), QByteArray::number(k));
            metadata.add(QStringLiteral("m%1").arg(i), data);
        }
        values.setClusterMetadata(&metadata);
        int signalCount = 0;
        QObject::connect(
            &values, &QAbstractItemModel::dataChanged, &values, [&signalCount] { ++signalCount; });
        QList<double> times;
        for (int run = 0; run < runs; ++run) {
            for (int i = 0; i < members; ++i) {
                Metadata data = *metadata.memberMetadata(QStringLiteral("m%1").arg(i));
                data.insert(QStringLiteral("key0"), QByteArray::number(run * members + i));
                metadata.add(QStringLiteral("m%1").arg(i), data);
            }
            signalCount = 0;
            QElapsedTimer timer;
            timer.start();
            values.flush();
            times.append(double(timer.nsecsElapsed()) / 1e6);
        }
        std::sort(times.begin(), times.end());
        out() << qSetFieldWidth(58) << Qt::left
              << QStringLiteral("values model: %1 members' key0 changed, flush").arg(members)
              << qSetFieldWidth(0)
              << QStringLiteral("median %1 ms  min %2 ms  dataChanged/run %3")
                     .arg(times.at(times.size() / 2), 0, 'f', 3)
                     .arg(times.first(), 0, 'f', 3)
                     .arg(signalCount)
              << Qt::endl;
    }
    return 0;
}
