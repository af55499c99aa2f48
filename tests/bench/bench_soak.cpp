// Soak: a LocalCluster of real members on loopback (what `shoal serve` runs) with churn (members
// stopped and restarted with a new validity on the same port) and metadata edits, plus an
// observer `shoal watch --json` in its own process. Samples the resident memory of both every
// 10 s, and counts every edit until every live member (and the observer) has seen it.
//
// bench_soak --shoal PATH [--nodes 200] [--minutes 30] [--base-port 27100]
//            [--observer-port 27050] [--churn-seconds 20] [--down-seconds 15]
//            [--edit-ms 1000] [--settle-seconds 180] [--seed S]
// Exit status 0 when nothing was lost: after the run (churn and edits stopped, stopped members
// restarted) every live member and the observer hold every member's last edit.
#include "app/processmemory.h"
#include "net/swim/localcluster.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace shoal;
using namespace shoal::swim;

using shoal::app::residentKiB;

namespace {

const QString kKey = QStringLiteral("edit");

struct Edit
{
    qint64 seq = 0;
    qint64 madeMs = 0;
};

class Soak final : public QObject
{
public:
    struct Options
    {
        QString shoal;
        int nodes = 200;
        double minutes = 30;
        quint16 basePort = 27100;
        quint16 observerPort = 27050;
        int churnSeconds = 20;
        int downSeconds = 15;
        int editMs = 1000;
        int settleSeconds = 180;
        quint64 seed = 1;
    };

    explicit Soak(Options options)
        : m_options(std::move(options))
        , m_random(static_cast<quint32>(m_options.seed))
    { }

    int run()
    {
        LocalClusterConfig config;
        config.nodes = m_options.nodes;
        config.basePort = m_options.basePort;
        config.secret = QByteArrayLiteral("soak-secret");
        config.role = Role::Participant;
        config.preJoin = true;
        m_cluster = std::make_unique<LocalCluster>(config);
        QString error;
        if (!m_cluster->start(&error)) {
            std::fprintf(stderr, "bench_soak: %s\n", qPrintable(error));
            return 2;
        }
        m_down.assign(static_cast<size_t>(m_options.nodes), false);
        m_edits.resize(static_cast<size_t>(m_options.nodes));
        m_delivered.assign(static_cast<size_t>(m_options.nodes), 0);
        m_observerSeen.assign(static_cast<size_t>(m_options.nodes), 0);
        for (qsizetype i = 0; i < m_cluster->size(); ++i)
            m_index.insert(m_cluster->member(i)->localName(), i);
        if (!startObserver())
            return 2;

        m_clock.start();
        std::printf("# bench_soak nodes=%d minutes=%.1f churn=%ds down=%ds edit=%dms seed=%llu\n",
            m_options.nodes, m_options.minutes, m_options.churnSeconds, m_options.downSeconds,
            m_options.editMs, static_cast<unsigned long long>(m_options.seed));
        std::printf("# t_s rss_kib watch_rss_kib live edits delivered pending stale_views "
                    "observer_behind restarts max_latency_s ack_entries\n");
        std::fflush(stdout);

        connect(&m_editTimer, &QTimer::timeout, this, [this] { edit(); });
        m_editTimer.start(m_options.editMs);
        connect(&m_churnTimer, &QTimer::timeout, this, [this] { churn(); });
        m_churnTimer.start(m_options.churnSeconds * 1000);
        connect(&m_checkTimer, &QTimer::timeout, this, [this] { check(false); });
        m_checkTimer.start(2000);
        connect(&m_sampleTimer, &QTimer::timeout, this, [this] { sample(); });
        m_sampleTimer.start(10000);
        QTimer::singleShot(static_cast<int>(m_options.minutes * 60000), this, [this] { settle(); });
        QCoreApplication::exec();
        return finish();
    }

private:
    bool startObserver()
    {
        if (!m_dir.isValid())
            return false;
        const QString secretFile = m_dir.filePath(QStringLiteral("secret"));
        QFile file(secretFile);
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write("soak-secret");
        file.close();
        m_observer.setProgram(m_options.shoal);
        m_observer.setArguments({ QStringLiteral("watch"), QStringLiteral("--json"),
            QStringLiteral("--name"), QStringLiteral("127.0.0.1:%1").arg(m_options.observerPort),
            QStringLiteral("--peer"), m_cluster->member(0)->localName(),
            QStringLiteral("--secret-file"), secretFile });
        m_observer.setProcessChannelMode(QProcess::SeparateChannels);
        connect(&m_observer, &QProcess::readyReadStandardOutput, this, [this] { readObserver(); });
        connect(&m_observer, &QProcess::readyReadStandardError, this, [this] {
            const QByteArray text = m_observer.readAllStandardError();
            std::fprintf(stderr, "watch: %s", text.constData());
        });
        m_observer.start();
        if (!m_observer.waitForStarted(10000)) {
            std::fprintf(stderr, "bench_soak: cannot start %s\n", qPrintable(m_options.shoal));
            return false;
        }
        return true;
    }

    void readObserver()
    {
        while (m_observer.canReadLine()) {
            const QByteArray line = m_observer.readLine();
            ++m_observerLines;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QStringLiteral("event")).toString() == QLatin1String("status")
                && event.value(QStringLiteral("status")).toString() == QLatin1String("SUSPECT"))
                ++m_observerSuspects;
            if (event.value(QStringLiteral("event")).toString() != QLatin1String("metadata")
                || event.value(QStringLiteral("key")).toString() != kKey)
                continue;
            const auto index = m_index.value(event.value(QStringLiteral("name")).toString(), -1);
            if (index < 0)
                continue;
            const qint64 seq = event.value(QStringLiteral("value")).toString().toLongLong();
            auto &seen = m_observerSeen[static_cast<size_t>(index)];
            seen = std::max(seen, seq);
        }
    }

    qsizetype liveCount() const { return std::count(m_down.begin(), m_down.end(), false); }

    void edit()
    {
        const auto index
            = static_cast<qsizetype>(m_random.bounded(static_cast<quint32>(m_cluster->size())));
        if (m_down[static_cast<size_t>(index)])
            return; // a stopped member cannot be edited; the next tick picks another
        const qint64 seq = ++m_seq;
        m_cluster->member(index)->metadata()->setLocal(kKey, QByteArray::number(seq));
        m_edits[static_cast<size_t>(index)].push_back(Edit { seq, m_clock.elapsed() });
        ++m_editCount;
    }

    void churn()
    {
        // Stop one live member (never member 0, the observer's peer); restart it after
        // downSeconds on the same port with a new validity.
        const auto index = static_cast<qsizetype>(
            1 + m_random.bounded(static_cast<quint32>(m_cluster->size() - 1)));
        if (m_down[static_cast<size_t>(index)])
            return;
        m_cluster->member(index)->stop();
        m_down[static_cast<size_t>(index)] = true;
        ++m_stops;
        QTimer::singleShot(m_options.downSeconds * 1000, this, [this, index] { restart(index); });
    }

    void restart(qsizetype index)
    {
        if (!m_down[static_cast<size_t>(index)])
            return;
        QString error;
        if (!m_cluster->member(index)->start(&error)) {
            std::fprintf(stderr, "bench_soak: restart %lld: %s\n", static_cast<long long>(index),
                qPrintable(error));
            ++m_restartFailures;
            QTimer::singleShot(1000, this, [this, index] { restart(index); });
            return;
        }
        // A restarted process starts from its configured metadata; like a pymap process it
        // publishes its state again (the last edit made on it).
        const auto &edits = m_edits[static_cast<size_t>(index)];
        if (!edits.empty())
            m_cluster->member(index)->metadata()->setLocal(
                kKey, QByteArray::number(edits.back().seq));
        m_down[static_cast<size_t>(index)] = false;
        ++m_restarts;
    }

    qint64 viewOf(qsizetype viewer, qsizetype member) const
    {
        const auto record
            = m_cluster->member(viewer)->member(m_cluster->member(member)->localName());
        if (!record || !record->metadata)
            return 0;
        return record->metadata->value(kKey).toLongLong();
    }

    // Marks edits delivered once every live member holds them (or a later edit of the same
    // member); full: also counts live (viewer, member) pairs whose view lags a delivered edit.
    void check(bool full)
    {
        const qsizetype n = m_cluster->size();
        m_staleViews = 0;
        for (qsizetype m = 0; m < n; ++m) {
            const auto &edits = m_edits[static_cast<size_t>(m)];
            if (edits.empty())
                continue;
            const qint64 last = edits.back().seq;
            qint64 &delivered = m_delivered[static_cast<size_t>(m)];
            if (delivered == last && !full)
                continue;
            qint64 lowest = last;
            for (qsizetype x = 0; x < n; ++x) {
                if (x == m || m_down[static_cast<size_t>(x)])
                    continue;
                lowest = std::min(lowest, viewOf(x, m));
                if (full && viewOf(x, m) < delivered)
                    ++m_staleViews;
            }
            // Every edit of m up to `lowest` is now everywhere.
            for (const Edit &edit : edits) {
                if (edit.seq <= delivered)
                    continue;
                if (edit.seq > lowest)
                    break;
                ++m_deliveredCount;
                m_maxLatencyMs = std::max(m_maxLatencyMs, m_clock.elapsed() - edit.madeMs);
            }
            delivered = std::max(delivered, std::min(lowest, last));
        }
    }

    qint64 pending() const { return m_editCount - m_deliveredCount; }

    qint64 observerBehind() const
    {
        qint64 behind = 0;
        for (size_t m = 0; m < m_edits.size(); ++m) {
            if (!m_edits[m].empty() && m_observerSeen[m] < m_edits[m].back().seq)
                ++behind;
        }
        return behind;
    }

    void sample()
    {
        check(true);
        const qint64 self = residentKiB(QCoreApplication::applicationPid());
        const qint64 watch = residentKiB(m_observer.processId());
        quint64 ackEntries = 0; // what the engines hold of their peers' acknowledgements
        for (qsizetype i = 0; i < m_cluster->size(); ++i)
            ackEntries += m_cluster->member(i)->engineCounters().acknowledgementEntries;
        std::printf("%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %.1f %llu\n",
            static_cast<long long>(m_clock.elapsed() / 1000), static_cast<long long>(self),
            static_cast<long long>(watch), static_cast<long long>(liveCount()),
            static_cast<long long>(m_editCount), static_cast<long long>(m_deliveredCount),
            static_cast<long long>(pending()), static_cast<long long>(m_staleViews),
            static_cast<long long>(observerBehind()), static_cast<long long>(m_restarts),
            static_cast<double>(m_maxLatencyMs) / 1000.0,
            static_cast<unsigned long long>(ackEntries));
        std::fflush(stdout);
        if (m_settling && pending() == 0 && m_staleViews == 0 && observerBehind() == 0)
            QCoreApplication::quit();
        // Settling stops early only when done; --settle-seconds is its upper bound, and the
        // last samples show whether the backlog was still shrinking.
    }

    void settle()
    {
        m_settling = true;
        m_editTimer.stop();
        m_churnTimer.stop();
        for (qsizetype i = 0; i < m_cluster->size(); ++i)
            restart(i);
        std::printf(
            "# churn and edits stopped; settling (at most %d s)\n", m_options.settleSeconds);
        std::fflush(stdout);
        QTimer::singleShot(m_options.settleSeconds * 1000, qApp, &QCoreApplication::quit);
    }

    int finish()
    {
        check(true);
        readObserver();
        const qint64 lost = pending();
        std::printf(
            "# edits %lld delivered-to-all-live %lld not-yet-everywhere %lld stale_views %lld "
            "observer_behind %lld max_latency_s %.1f\n",
            static_cast<long long>(m_editCount), static_cast<long long>(m_deliveredCount),
            static_cast<long long>(lost), static_cast<long long>(m_staleViews),
            static_cast<long long>(observerBehind()), static_cast<double>(m_maxLatencyMs) / 1000.0);
        std::printf("# stops %lld restarts %lld restart_failures %lld observer_lines %lld "
                    "observer_suspect_events %lld\n",
            static_cast<long long>(m_stops), static_cast<long long>(m_restarts),
            static_cast<long long>(m_restartFailures), static_cast<long long>(m_observerLines),
            static_cast<long long>(m_observerSuspects));
        std::fflush(stdout);
        m_observer.terminate();
        m_observer.waitForFinished(10000);
        m_cluster->stop();
        return lost == 0 && m_staleViews == 0 && observerBehind() == 0 ? 0 : 1;
    }

    Options m_options;
    QRandomGenerator m_random;
    std::unique_ptr<LocalCluster> m_cluster;
    QHash<QString, qsizetype> m_index;
    std::vector<bool> m_down;
    std::vector<std::vector<Edit>> m_edits; // per member, in order
    std::vector<qint64> m_delivered; // per member: highest seq every live member holds
    std::vector<qint64> m_observerSeen;
    QTemporaryDir m_dir;
    QProcess m_observer;
    QElapsedTimer m_clock;
    QTimer m_editTimer;
    QTimer m_churnTimer;
    QTimer m_checkTimer;
    QTimer m_sampleTimer;
    qint64 m_seq = 0;
    qint64 m_editCount = 0;
    qint64 m_deliveredCount = 0;
    qint64 m_staleViews = 0;
    qint64 m_maxLatencyMs = 0;
    qint64 m_stops = 0;
    qint64 m_restarts = 0;
    qint64 m_restartFailures = 0;
    qint64 m_observerLines = 0;
    qint64 m_observerSuspects = 0;
    bool m_settling = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Soak::Options options;
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        const QString &name = args.at(i);
        const QString &value = args.at(i + 1);
        if (name == QLatin1String("--shoal"))
            options.shoal = value;
        else if (name == QLatin1String("--nodes"))
            options.nodes = value.toInt();
        else if (name == QLatin1String("--minutes"))
            options.minutes = value.toDouble();
        else if (name == QLatin1String("--base-port"))
            options.basePort = value.toUShort();
        else if (name == QLatin1String("--observer-port"))
            options.observerPort = value.toUShort();
        else if (name == QLatin1String("--churn-seconds"))
            options.churnSeconds = value.toInt();
        else if (name == QLatin1String("--down-seconds"))
            options.downSeconds = value.toInt();
        else if (name == QLatin1String("--edit-ms"))
            options.editMs = value.toInt();
        else if (name == QLatin1String("--settle-seconds"))
            options.settleSeconds = value.toInt();
        else if (name == QLatin1String("--seed"))
            options.seed = value.toULongLong();
        else {
            std::fprintf(stderr, "bench_soak: unknown option %s\n", qPrintable(name));
            return 2;
        }
    }
    if (options.shoal.isEmpty() || options.nodes < 2 || options.minutes <= 0
        || options.churnSeconds < 1 || options.downSeconds < 1 || options.editMs < 1) {
        std::fprintf(stderr, "usage: bench_soak --shoal PATH [--nodes N] [--minutes M] ...\n");
        return 2;
    }
    Soak soak(options);
    return soak.run();
}
