// The swim-protocol options of every form that joins (docs/CLI.md): the timing profile and its
// overrides, the protocol version and the role. Parsed apart from the common options, so that
// another protocol adds its own beside these without touching them.
#pragma once

#include "net/swim/swimconfig.h"
#include "net/swim/swimservice.h"

#include <QByteArray>
#include <QMap>
#include <QString>

class QCommandLineParser;

namespace shoal::app {

struct ClusterOptions;

struct SwimOptions
{
    QString profile = QStringLiteral("swim");
    swim::Timings timings;
    QByteArray protocolVersion = QByteArrayLiteral("0.6.3");
    swim::Role role = swim::Role::Observer;
    // --memory-budget MIB: what the member table may hold (EngineOptions::memoryBudgetBytes).
    qint64 memoryBudgetBytes = swim::EngineOptions().memoryBudgetBytes;
};

// Adds --profile, the six timing overrides, --protocol-version, --role and --memory-budget.
void addSwimOptions(QCommandLineParser &parser);
// Reads them into *options; false with one line in *error naming the option and the problem.
bool readSwimOptions(const QCommandLineParser &parser, SwimOptions *options, QString *error);

// The choices of the join dialog's swim page that these options already answer (the role).
QMap<QString, QString> swimFormAnswers(const SwimOptions &options);

// The engine's configuration, with the local name as bound (real port).
swim::MemberConfig swimMemberConfig(const ClusterOptions &options, const QString &boundName);
// The service's configuration: member, secret, version, bind address and MTU.
swim::ServiceConfig swimServiceConfig(const ClusterOptions &options);

} // namespace shoal::app
