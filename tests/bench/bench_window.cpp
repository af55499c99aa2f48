// Measures the window's event-loop lag under a synthetic cluster: N members whose status and
// `token` key change at a given rate, fed as update batches through the real ClusterSession
// (mirror, models, event log), with no network involved.
//   bench_window [--nodes 1000] [--rate 200] [--duration 10] [--screenshot out.png] [--tab 0]
// Prints lag p50/p99/max and the resident memory to stderr.
#include "app/processmemory.h"
#include "cluster/clustersession.h"
#include "ui/eventlooplag.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QRandomGenerator>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

using namespace shoal;

using shoal::app::residentKiB;

namespace { } // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption nodesOption(QStringLiteral("nodes"), QStringLiteral("members"),
        QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
        QStringLiteral("member changes per second"), QStringLiteral("R"), QStringLiteral("200"));
    const QCommandLineOption durationOption(QStringLiteral("duration"), QStringLiteral("seconds"),
        QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption shotOption(QStringLiteral("screenshot"),
        QStringLiteral("save the window as PNG at the end"), QStringLiteral("PATH"));
    const QCommandLineOption tabOption(QStringLiteral("tab"), QStringLiteral("tab to show"),
        QStringLiteral("I"), QStringLiteral("0"));
    parser.addOptions({ nodesOption, rateOption, durationOption, shotOption, tabOption });
    parser.process(app);
    const int nodes = std::max(1, parser.value(nodesOption).toInt());
    const int rate = std::max(0, parser.value(rateOption).toInt());
    const int duration = std::max(1, parser.value(durationOption).toInt());

    cluster::ClusterSession session;
    ui::MainWindow window;
    const QString localName = QStringLiteral("127.0.0.1:25000");
    window.setLocalName(localName);
    window.setSources({ session.metadata(), session.members(), session.values(), session.events(),
        session.spread() });
    window.tabs()->setCurrentIndex(parser.value(tabOption).toInt());
    window.show();

    QList<MemberRecord> records;
    quint64 clock = 1;
    for (int i = 0; i < nodes; ++i) {
        MemberRecord record;
        record.name = QStringLiteral("127.0.0.1:%1").arg(25000 + i);
        record.local = i == 0;
        record.status = MemberStatus::Online;
        record.clock = clock++;
        record.instanceId = QByteArray::number(quint64(i), 16).rightJustified(16, '0');
        record.metadata = Metadata { { QStringLiteral("node"), QByteArray::number(i) },
            { QStringLiteral("token"), QByteArrayLiteral("t0") } };
        record.statusSince = QDateTime::currentDateTimeUtc();
        record.lastHeard = record.statusSince;
        records.append(record);
    }
    session.metadata()->setLocalMetadata(*records.first().metadata);
    QList<cluster::MemberUpdate> joined;
    for (const MemberRecord &record : std::as_const(records))
        joined.append({ record, std::nullopt, cluster::ChangeFlag::Added, false });
    session.apply(joined);

    // Changes arrive in small batches every 10 ms, as packets would.
    QTimer feed;
    double owed = 0;
    quint64 changes = 0;
    QObject::connect(&feed, &QTimer::timeout, &window, [&] {
        owed += rate / 100.0;
        QList<cluster::MemberUpdate> batch;
        auto *random = QRandomGenerator::global();
        while (owed >= 1.0 && nodes > 1) {
            owed -= 1.0;
            MemberRecord &record = records[1 + int(random->bounded(nodes - 1))];
            const MemberRecord previous = record;
            cluster::ChangeFlags what = cluster::ChangeFlag::Clock | cluster::ChangeFlag::Heard;
            const quint32 dice = random->bounded(10u);
            if (dice < 7) {
                (*record.metadata)[QStringLiteral("token")]
                    = QByteArray::number(random->bounded(1000u));
                what |= cluster::ChangeFlag::Metadata;
            } else {
                const MemberStatus next = dice == 7 ? MemberStatus::Suspect
                    : dice == 8                     ? MemberStatus::Offline
                                                    : MemberStatus::Online;
                if (next != record.status) {
                    record.statusSince = QDateTime::currentDateTimeUtc();
                    what |= cluster::ChangeFlag::Status;
                }
                record.status = next;
            }
            record.clock = clock++;
            record.lastHeard = QDateTime::currentDateTimeUtc();
            batch.append({ record, previous, what, false });
            ++changes;
        }
        session.apply(batch);
    });
    feed.start(10);

    ui::EventLoopLag lag(50, 100000);
    lag.start();
    QTimer::singleShot(duration * 1000, &app, [&] {
        QTextStream err(stderr);
        err << "bench_window: " << nodes << " members, " << changes << " changes in " << duration
            << " s; " << lag.summary() << "; RSS " << residentKiB() / 1024 << " MiB\n";
        if (parser.isSet(shotOption))
            window.grab().save(parser.value(shotOption));
        QApplication::quit();
    });
    return QApplication::exec();
}
