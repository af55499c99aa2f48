#include "net/swim/swimbackendfactory.h"

namespace shoal::swim {

QString protocolDescription()
{
    return QStringLiteral("swim-protocol ") + QString::fromLatin1(Codec::defaultVersion());
}

namespace {

QMap<QString, double> timingValues(const Timings &t)
{
    const auto seconds = [](qint64 ms) { return double(ms) / 1000.0; };
    return { { QStringLiteral("ping-interval"), seconds(t.pingIntervalMs) },
        { QStringLiteral("ping-timeout"), seconds(t.pingTimeoutMs) },
        { QStringLiteral("ping-req-count"), double(t.pingReqCount) },
        { QStringLiteral("ping-req-timeout"), seconds(t.pingReqTimeoutMs) },
        { QStringLiteral("suspect-timeout"), seconds(t.suspectTimeoutMs) },
        { QStringLiteral("sync-interval"), seconds(t.syncIntervalMs) } };
}

cluster::ProtocolField seconds(const char *option, const QString &label)
{
    return { QString::fromLatin1(option), label, 0.05, 3600.0, 2, QStringLiteral(" s") };
}

} // namespace

cluster::ProtocolForm swimProtocolForm()
{
    cluster::ProtocolForm form;
    form.title = QStringLiteral("Timings");
    form.presetOption = QStringLiteral("profile");
    form.presetLabel = QStringLiteral("&Timing:");
    form.presets = { { QStringLiteral("swim"), QStringLiteral("swim-protocol defaults (fast)"),
                         timingValues(Timings::swim()) },
        { QStringLiteral("pymap"),
            QStringLiteral("pymap (slow: ping every 10 s, gossip every 30 s)"),
            timingValues(Timings::pymap()) },
        { QStringLiteral("custom"), QStringLiteral("custom"), {} } };
    form.fields = { seconds("ping-interval", QStringLiteral("Ping interval:")),
        seconds("ping-timeout", QStringLiteral("Ping timeout:")),
        { QStringLiteral("ping-req-count"), QStringLiteral("Ping-req count:"), 1, 16, 0, {} },
        seconds("ping-req-timeout", QStringLiteral("Ping-req timeout:")),
        seconds("suspect-timeout", QStringLiteral("Suspect timeout:")),
        seconds("sync-interval", QStringLiteral("Sync interval:")) };
    form.choices = { { QStringLiteral("role"), QStringLiteral("R&ole:"),
        { { QStringLiteral("observer"),
              QStringLiteral("Observer: watches, never spreads its own verdicts (recommended)") },
            { QStringLiteral("participant"),
                QStringLiteral("Participant: a full swim-protocol member") } } } };
    form.note = QStringLiteral(
        "Note: swim-protocol never forgets a member. After this monitor leaves, the cluster "
        "keeps it as OFFLINE, and pymap reports itself unhealthy while any member is "
        "OFFLINE, until its nodes restart.");
    form.localPort = kDialogSwimPort;
    return form;
}

cluster::BackendFactory swimBackendFactory(
    ServiceConfig config, std::optional<LocalClusterConfig> demo)
{
    return [config = std::move(config), demo = std::move(demo)](
               QObject *keeper, QString *error) -> std::unique_ptr<cluster::ClusterBackend> {
        ServiceConfig effective = config;
        QStringList companions;
        if (demo) {
            auto *cluster = new LocalCluster(*demo, keeper);
            if (!cluster->start(error))
                return nullptr;
            companions = cluster->names();
            effective.member.peers += companions;
        }
        auto service = std::make_unique<SwimService>(std::move(effective));
        service->setCompanionNames(companions);
        return service;
    };
}

} // namespace shoal::swim
