#include "net/swim/swimbackendfactory.h"

namespace shoal::swim {

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
