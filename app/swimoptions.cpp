#include "app/swimoptions.h"

#include "app/clusteroptions.h"

#include <QCommandLineParser>

#include <cmath>

namespace shoal::app {

namespace {

QString option(const char *name)
{
    return QString::fromLatin1(name);
}

struct TimingOption
{
    const char *name;
    qint64 swim::Timings::*field;
};

const TimingOption kTimingOptions[] = {
    { "ping-interval", &swim::Timings::pingIntervalMs },
    { "ping-timeout", &swim::Timings::pingTimeoutMs },
    { "ping-req-timeout", &swim::Timings::pingReqTimeoutMs },
    { "suspect-timeout", &swim::Timings::suspectTimeoutMs },
    { "sync-interval", &swim::Timings::syncIntervalMs },
};

bool parseSeconds(const QString &text, const QString &name, qint64 *ms, QString *error)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 1e7) {
        *error = QStringLiteral("--%1: \"%2\" is not a positive number of seconds").arg(name, text);
        return false;
    }
    *ms = std::max<qint64>(1, std::llround(seconds * 1000.0));
    return true;
}

} // namespace

void addSwimOptions(QCommandLineParser &parser)
{
    parser.addOption({ option("profile"),
        QStringLiteral("Timing presets: swim (default) or pymap."), QStringLiteral("swim|pymap") });
    parser.addOption({ option("ping-interval"), QStringLiteral("Seconds between probes."),
        QStringLiteral("S") });
    parser.addOption({ option("ping-timeout"), QStringLiteral("Seconds to wait for an Ack."),
        QStringLiteral("S") });
    parser.addOption({ option("ping-req-count"),
        QStringLiteral("Members asked to probe an unanswering one."), QStringLiteral("N") });
    parser.addOption({ option("ping-req-timeout"),
        QStringLiteral("Seconds to wait for an indirect Ack."), QStringLiteral("S") });
    parser.addOption({ option("suspect-timeout"),
        QStringLiteral("Seconds from SUSPECT to OFFLINE."), QStringLiteral("S") });
    parser.addOption({ option("sync-interval"), QStringLiteral("Seconds between gossip rounds."),
        QStringLiteral("S") });
    parser.addOption({ option("protocol-version"),
        QStringLiteral("Version string inside every signature (default 0.6.3)."),
        QStringLiteral("V") });
    parser.addOption({ option("role"),
        QStringLiteral("observer (default): never gossips its own verdicts about "
                       "others; participant: a plain swim-protocol member."),
        QStringLiteral("observer|participant") });
    parser.addOption({ option("memory-budget"),
        QStringLiteral("MiB the member table may hold (default 256); over it, OFFLINE "
                       "members are evicted first."),
        QStringLiteral("MIB") });
}

bool readSwimOptions(const QCommandLineParser &parser, SwimOptions *options, QString *error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    if (parser.isSet(option("profile"))) {
        options->profile = parser.value(option("profile"));
        if (options->profile == QLatin1String("swim")) {
            options->timings = swim::Timings::swim();
        } else if (options->profile == QLatin1String("pymap")) {
            options->timings = swim::Timings::pymap();
        } else {
            *error = QStringLiteral("--profile: unknown profile \"%1\" (expected swim or pymap)")
                         .arg(options->profile);
            return false;
        }
    }
    for (const TimingOption &timing : kTimingOptions) {
        if (!parser.isSet(option(timing.name)))
            continue;
        if (!parseSeconds(parser.value(option(timing.name)), option(timing.name),
                &(options->timings.*timing.field), error))
            return false;
    }
    if (parser.isSet(option("ping-req-count"))) {
        bool ok = false;
        const QString text = parser.value(option("ping-req-count"));
        const int count = text.toInt(&ok);
        if (!ok || count < 0 || count > 64) {
            *error
                = QStringLiteral("--ping-req-count: \"%1\" is not a count from 0 to 64").arg(text);
            return false;
        }
        options->timings.pingReqCount = count;
    }

    if (parser.isSet(option("protocol-version"))) {
        const QString version = parser.value(option("protocol-version"));
        if (version.isEmpty() || !isValidUtf8Text(version)) {
            *error = QStringLiteral("--protocol-version: must be a non-empty string");
            return false;
        }
        options->protocolVersion = version.toUtf8();
    }
    if (parser.isSet(option("memory-budget"))) {
        bool ok = false;
        const QString text = parser.value(option("memory-budget"));
        const qint64 mib = text.toLongLong(&ok);
        if (!ok || mib < 1 || mib > 1048576) {
            *error = QStringLiteral("--memory-budget: \"%1\" is not a number of MiB from 1 to "
                                    "1048576")
                         .arg(text);
            return false;
        }
        options->memoryBudgetBytes = mib << 20;
    }
    if (parser.isSet(option("role"))) {
        const QString role = parser.value(option("role"));
        if (role == QLatin1String("observer")) {
            options->role = swim::Role::Observer;
        } else if (role == QLatin1String("participant")) {
            options->role = swim::Role::Participant;
        } else {
            *error = QStringLiteral("--role: unknown role \"%1\" (expected observer or "
                                    "participant)")
                         .arg(role);
            return false;
        }
    }
    return true;
}

QMap<QString, QString> swimFormAnswers(const SwimOptions &options)
{
    return { { QStringLiteral("role"),
        options.role == swim::Role::Participant ? QStringLiteral("participant")
                                                : QStringLiteral("observer") } };
}

swim::MemberConfig swimMemberConfig(const ClusterOptions &options, const QString &boundName)
{
    swim::MemberConfig config;
    config.localName = boundName;
    config.peers = options.peers;
    config.peers.removeAll(boundName); // a member is never its own peer
    config.localMetadata = options.metadata;
    config.timings = options.swim.timings;
    config.role = options.swim.role;
    return config;
}

swim::ServiceConfig swimServiceConfig(const ClusterOptions &options)
{
    swim::ServiceConfig config;
    config.member = swimMemberConfig(options, options.name);
    config.secret = options.secret;
    config.protocolVersion = options.swim.protocolVersion;
    config.bindHost = options.udpBind;
    config.bindPort = options.udpBindPort;
    config.limits.mtu = options.mtu;
    config.engine.memoryBudgetBytes = options.swim.memoryBudgetBytes;
    return config;
}

} // namespace shoal::app
