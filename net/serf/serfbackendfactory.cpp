#include "net/serf/serfbackendfactory.h"

#include <QCoreApplication>

namespace shoal::serf {

QString protocolDescription()
{
    return QStringLiteral("serf 0.9.4 (memberlist 0.2.2)");
}

cluster::ProtocolForm serfProtocolForm()
{
    cluster::ProtocolForm form;
    form.protocol = QStringLiteral("serf");
    form.name = QStringLiteral("Serf");
    form.title = QStringLiteral("Serf");
    form.choices = { { QStringLiteral("role"),
        QCoreApplication::translate("shoal::serf::ProtocolForm", "R&ole:"),
        { { QStringLiteral("observer"),
              QCoreApplication::translate("shoal::serf::ProtocolForm",
                  "Observer: answers and relays, never suspects anyone "
                  "(recommended)") },
            { QStringLiteral("member"),
                QCoreApplication::translate("shoal::serf::ProtocolForm",
                    "Member: probes and suspects like a Serf agent") } } } };
    form.note = QCoreApplication::translate("shoal::serf::ProtocolForm",
        "Serf 0.9.4 (memberlist 0.2.2). The default port is 7946; an "
        "encrypted cluster needs its key (--encrypt or --keyring-file). "
        "On exit this monitor leaves gracefully: the agents show it left.");
    form.localPort = kDefaultSerfPort;
    // Serf's secret is the optional encryption key, as `serf agent -encrypt` takes it.
    form.secretLabel = QCoreApplication::translate("shoal::serf::ProtocolForm", "Encryption key:");
    form.secretPlaceholder = QCoreApplication::translate("shoal::serf::ProtocolForm",
        "base64 key as `serf keygen` prints; empty: an unencrypted cluster");
    form.secretFilePlaceholder = QCoreApplication::translate(
        "shoal::serf::ProtocolForm", "path of Serf's keyring file (JSON list of keys)");
    form.secretOptional = true;
    return form;
}

cluster::BackendFactory serfBackendFactory(
    SerfServiceConfig config, std::optional<SerfLocalClusterConfig> demo)
{
    return [config = std::move(config), demo = std::move(demo)](
               QObject *keeper, QString *error) -> std::unique_ptr<cluster::ClusterBackend> {
        SerfServiceConfig effective = config;
        QStringList companions;
        if (demo) {
            auto *cluster = new SerfLocalCluster(*demo, keeper);
            if (!cluster->start(error))
                return nullptr;
            companions = cluster->names();
            effective.peers += companions.mid(0, 1);
        }
        auto service = std::make_unique<SerfService>(std::move(effective));
        service->setCompanionNames(companions);
        return service;
    };
}

} // namespace shoal::serf
