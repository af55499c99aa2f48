#include "net/swim/swimbackendfactory.h"

#include <QCoreApplication>

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
    form.protocol = QStringLiteral("swim");
    form.name = QStringLiteral("swim-protocol");
    form.title = QCoreApplication::translate("shoal::swim::ProtocolForm", "Timings");
    form.presetOption = QStringLiteral("profile");
    form.presetLabel = QCoreApplication::translate("shoal::swim::ProtocolForm", "&Timing:");
    form.presets = { { QStringLiteral("swim"),
                         QCoreApplication::translate(
                             "shoal::swim::ProtocolForm", "swim-protocol defaults (fast)"),
                         timingValues(Timings::swim()) },
        { QStringLiteral("pymap"),
            QCoreApplication::translate(
                "shoal::swim::ProtocolForm", "pymap (slow: ping every 10 s, gossip every 30 s)"),
            timingValues(Timings::pymap()) },
        { QStringLiteral("custom"),
            QCoreApplication::translate("shoal::swim::ProtocolForm", "custom"), {} } };
    form.fields = { seconds("ping-interval",
                        QCoreApplication::translate("shoal::swim::ProtocolForm", "Ping interval:")),
        seconds("ping-timeout",
            QCoreApplication::translate("shoal::swim::ProtocolForm", "Ping timeout:")),
        { QStringLiteral("ping-req-count"),
            QCoreApplication::translate("shoal::swim::ProtocolForm", "Ping-req count:"), 1, 16, 0,
            {} },
        seconds("ping-req-timeout",
            QCoreApplication::translate("shoal::swim::ProtocolForm", "Ping-req timeout:")),
        seconds("suspect-timeout",
            QCoreApplication::translate("shoal::swim::ProtocolForm", "Suspect timeout:")),
        seconds("sync-interval",
            QCoreApplication::translate("shoal::swim::ProtocolForm", "Sync interval:")) };
    form.choices = { { QStringLiteral("role"),
        QCoreApplication::translate("shoal::swim::ProtocolForm", "R&ole:"),
        { { QStringLiteral("observer"),
              QCoreApplication::translate("shoal::swim::ProtocolForm",
                  "Observer: watches, never spreads its own verdicts (recommended)") },
            { QStringLiteral("participant"),
                QCoreApplication::translate("shoal::swim::ProtocolForm",
                    "Participant: a full swim-protocol member") } } } };
    form.note = QCoreApplication::translate("shoal::swim::ProtocolForm",
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
