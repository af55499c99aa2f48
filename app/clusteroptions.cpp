#include "app/clusteroptions.h"

#include "net/transport.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>

#include <cmath>

namespace shoal::app {

namespace {

// A secret or metadata file larger than this is surely a mistake. Local metadata as a whole
// stays below what a peer accepts in one TCP packet (1 MiB, net/transport.h), less room for
// the packet around it: more would be refused by every member and resent forever.
constexpr qint64 kMaxSecretFileBytes = 64 * 1024;
constexpr qint64 kMaxMetadataBytes = 1024 * 1024 - 4096;

// Only regular files are read: a device (/dev/zero, /dev/urandom) has no size and never
// ends, and opening a FIFO without a writer blocks for ever (issue 14, finding 9).
bool isReadableRegularFile(const QString &path, const QString &cannotRead, QString *error)
{
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        *error = QStringLiteral("%1 \"%2\": not a regular file (devices, FIFOs and process "
                                "substitution are refused; write it to a file, mode 600)")
                     .arg(cannotRead, path);
        return false;
    }
    return true;
}

QString option(const char *name)
{
    return QLatin1String(name);
}

// Reads a secret file: trailing CR/LF stripped, as the reference does with SWIM_SECRET_FILE.
bool readSecretFile(const QString &path, const QString &from, Secret &result, QString *error)
{
    if (!isReadableRegularFile(path, from + QStringLiteral(": cannot read secret file"), error))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read secret file \"%2\": %3")
                     .arg(from, path, file.errorString());
        return false;
    }
    // Bounded whatever size() says (it is 0 for anything but a regular file).
    QByteArray secret = file.read(kMaxSecretFileBytes + 1);
    if (file.size() > kMaxSecretFileBytes || secret.size() > kMaxSecretFileBytes) {
        *error = QStringLiteral("%1: secret file \"%2\" is larger than %3 bytes")
                     .arg(from, path)
                     .arg(kMaxSecretFileBytes);
        return false;
    }
    while (!secret.isEmpty() && (secret.endsWith('\n') || secret.endsWith('\r')))
        secret.chop(1);
    if (secret.isEmpty()) {
        *error = QStringLiteral("%1: secret file \"%2\" is empty").arg(from, path);
        return false;
    }
    const QFileDevice::Permissions loose = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (QFileInfo(path).permissions() & loose)
        result.warnings << QStringLiteral("warning: secret file \"%1\" is readable by group or "
                                          "others; chmod 600 it")
                               .arg(path);
    result.secret = secret;
    return true;
}

bool parseMetadata(const QString &item, ClusterOptions &options, QString *error)
{
    const qsizetype eq = item.indexOf(QLatin1Char('='));
    if (eq < 0) {
        *error = QStringLiteral("--metadata: \"%1\" is not KEY=VALUE").arg(item);
        return false;
    }
    const QString key = item.left(eq);
    const QString value = item.mid(eq + 1);
    if (key.isEmpty()) {
        *error = QStringLiteral("--metadata: \"%1\" has an empty key").arg(item);
        return false;
    }
    if (!isValidUtf8Text(key)) {
        *error = QStringLiteral("--metadata: key \"%1\" is not valid UTF-8").arg(key);
        return false;
    }
    QByteArray bytes;
    if (value.startsWith(QLatin1Char('@'))) {
        const QString path = value.mid(1);
        if (!isReadableRegularFile(
                path, QStringLiteral("--metadata %1: cannot read").arg(key), error))
            return false;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("--metadata %1: cannot read \"%2\": %3")
                         .arg(key, path, file.errorString());
            return false;
        }
        bytes = file.read(kMaxMetadataBytes + 1);
        if (bytes.size() > kMaxMetadataBytes) {
            *error = QStringLiteral("--metadata %1: \"%2\" is larger than %3 bytes (peers "
                                    "accept at most 1 MiB of gossip in one packet)")
                         .arg(key, path)
                         .arg(kMaxMetadataBytes);
            return false;
        }
    } else {
        if (!isValidUtf8Text(value)) {
            *error = QStringLiteral("--metadata %1: the value is not valid UTF-8 (use KEY=@PATH "
                                    "for binary values)")
                         .arg(key);
            return false;
        }
        bytes = value.toUtf8();
    }
    for (auto &entry : options.metadata) {
        if (entry.first == key) {
            entry.second = bytes;
            return true;
        }
    }
    options.metadata.append({ key, bytes });
    return true;
}

} // namespace

bool isValidUtf8Text(const QString &text)
{
    // Arguments are decoded from the locale's UTF-8; undecodable bytes became U+FFFD.
    return !text.contains(QChar(QChar::ReplacementCharacter));
}

void addValueMaskOptions(QCommandLineParser &parser)
{
    parser.addOption({ option("hide-values"),
        QStringLiteral(
            "Text output: show every metadata value as \u2022\u2022\u2022\u2022 (the JSON "
            "output keeps them).") });
    parser.addOption({ option("show-key"),
        QStringLiteral(
            "Text output: show this key's values even when hidden; pymap's secret `admin` "
            "key is hidden unless shown. Repeatable."),
        QStringLiteral("KEY") });
}

ValueMask readValueMaskOptions(const QCommandLineParser &parser)
{
    ValueMask mask = ValueMask::withDefaultSecrets();
    mask.setHideAll(parser.isSet(QStringLiteral("hide-values")));
    for (const QString &key : parser.values(QStringLiteral("show-key")))
        mask.reveal(key);
    return mask;
}

void addSecretOptions(QCommandLineParser &parser)
{
    parser.addOption({ option("secret"),
        QStringLiteral("Shared secret (env SWIM_SECRET); visible in the process "
                       "list, prefer --secret-file."),
        QStringLiteral("STRING") });
    parser.addOption({ option("secret-file"),
        QStringLiteral("Read the secret from a file, trailing CR/LF stripped (env "
                       "SWIM_SECRET_FILE)."),
        QStringLiteral("PATH") });
}

std::optional<Secret> readSecretOptions(
    const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error)
{
    // --secret, --secret-file, then SWIM_SECRET_FILE, SWIM_SECRET (the reference's order).
    Secret result;
    const bool secretArg = parser.isSet(option("secret"));
    const bool secretFileArg = parser.isSet(option("secret-file"));
    if (secretArg && secretFileArg) {
        *error = QStringLiteral("--secret and --secret-file: give only one");
        return std::nullopt;
    }
    if (secretArg) {
        result.secret = parser.value(option("secret")).toUtf8();
        if (result.secret.isEmpty()) {
            *error = QStringLiteral("--secret: the secret is empty");
            return std::nullopt;
        }
        result.warnings << QStringLiteral("hint: --secret is visible to other users in the "
                                          "process list; prefer --secret-file or SWIM_SECRET");
    } else if (secretFileArg) {
        if (!readSecretFile(parser.value(option("secret-file")), QStringLiteral("--secret-file"),
                result, error))
            return std::nullopt;
    } else if (environment.contains(QStringLiteral("SWIM_SECRET_FILE"))) {
        if (!readSecretFile(environment.value(QStringLiteral("SWIM_SECRET_FILE")),
                QStringLiteral("SWIM_SECRET_FILE"), result, error))
            return std::nullopt;
    } else if (environment.contains(QStringLiteral("SWIM_SECRET"))) {
        result.secret = environment.value(QStringLiteral("SWIM_SECRET")).toUtf8();
        if (result.secret.isEmpty()) {
            *error = QStringLiteral("SWIM_SECRET: the secret is empty");
            return std::nullopt;
        }
    }
    return result;
}

void addClusterOptions(QCommandLineParser &parser)
{
    parser.addOption({ option("protocol"),
        QStringLiteral("The cluster's gossip protocol: swim (default) or serf (Serf 0.9.4, "
                       "default port 7946)."),
        QStringLiteral("swim|serf") });
    parser.addOption({ option("name"),
        QStringLiteral("Local member name, also the bind address (env SWIM_NAME); "
                       "port 0 or none: a free port on 127.0.0.1."),
        QStringLiteral("HOST:PORT") });
    parser.addOption({ option("peer"),
        QStringLiteral("A known member; repeatable (env SWIM_PEERS, "
                       "comma-separated)."),
        QStringLiteral("HOST:PORT") });
    addSecretOptions(parser);
    parser.addOption({ option("metadata"),
        QStringLiteral("Local metadata; repeatable; KEY=@PATH takes the file's "
                       "bytes."),
        QStringLiteral("KEY=VALUE") });
    parser.addOption({ option("udp-bind"),
        QStringLiteral("Bind this address instead of the "
                       "name's host."),
        QStringLiteral("HOST") });
    parser.addOption({ option("udp-bind-port"),
        QStringLiteral("Bind this port instead of the name's port."), QStringLiteral("N") });
    parser.addOption({ option("mtu"),
        QStringLiteral("Larger datagrams go over TCP (default 1500)."), QStringLiteral("BYTES") });
    addSwimOptions(parser);
    addSerfOptions(parser);
    parser.addOption({ option("json"), QStringLiteral("Machine-readable output.") });
}

std::optional<ClusterOptions> readClusterOptions(const QCommandLineParser &parser,
    const QProcessEnvironment &environment, QString *error, bool requireSecret)
{
    QString scratch;
    if (!error)
        error = &scratch;
    ClusterOptions options;
    if (parser.isSet(option("protocol"))) {
        const QString protocol = parser.value(option("protocol"));
        if (protocol == QLatin1String("serf")) {
            options.protocol = Protocol::Serf;
        } else if (protocol != QLatin1String("swim")) {
            *error = QStringLiteral("--protocol: unknown protocol \"%1\" (expected swim or serf)")
                         .arg(protocol);
            return std::nullopt;
        }
    }
    const bool isSerf = options.protocol == Protocol::Serf;
    // Serf's addresses may omit the port (7946).
    auto parseAddress = [isSerf](const QString &text, bool allowPortZero, QString *why) {
        if (!isSerf)
            return net::parseHostPort(text, allowPortZero, why).has_value();
        QString host;
        quint16 port = 0;
        return serf::parseSerfAddress(text, &host, &port, why);
    };

    // --name / SWIM_NAME
    QString name;
    QString nameFrom = QStringLiteral("--name");
    if (parser.isSet(option("name"))) {
        name = parser.value(option("name"));
        options.nameGiven = true;
    } else if (environment.contains(QStringLiteral("SWIM_NAME"))) {
        name = environment.value(QStringLiteral("SWIM_NAME"));
        nameFrom = QStringLiteral("SWIM_NAME");
        options.nameGiven = true;
    }
    if (options.nameGiven) {
        QString why;
        if (!parseAddress(name, true, &why)) {
            *error = nameFrom + QStringLiteral(": ") + why;
            return std::nullopt;
        }
        // Verbatim: a member is known by its exact name string, as in the reference.
        options.name = name;
    } else {
        options.name = QStringLiteral("127.0.0.1:0");
    }

    // --peer / SWIM_PEERS: the command line replaces the environment's list, as in the reference.
    QStringList peers;
    QString peersFrom = QStringLiteral("--peer");
    if (parser.isSet(option("peer"))) {
        peers = parser.values(option("peer"));
    } else if (environment.contains(QStringLiteral("SWIM_PEERS"))) {
        peersFrom = QStringLiteral("SWIM_PEERS");
        const QString list = environment.value(QStringLiteral("SWIM_PEERS"));
        if (!list.isEmpty())
            peers = list.split(QLatin1Char(','));
    }
    for (const QString &peer : std::as_const(peers)) {
        QString why;
        if (!parseAddress(peer.trimmed(), false, &why)) {
            *error = peersFrom + QStringLiteral(": ") + why;
            return std::nullopt;
        }
        const QString text = peer.trimmed();
        if (!options.peers.contains(text))
            options.peers << text;
    }

    const std::optional<Secret> secret = readSecretOptions(parser, environment, error);
    if (!secret)
        return std::nullopt;
    options.secret = secret->secret;
    options.warnings << secret->warnings;
    if (requireSecret && !isSerf && options.secret.isEmpty()) {
        *error = QStringLiteral("a shared secret is required: give --secret-file PATH, "
                                "SWIM_SECRET or --secret (the cluster's swim secret)");
        return std::nullopt;
    }

    for (const QString &item : parser.values(option("metadata"))) {
        if (!parseMetadata(item, options, error))
            return std::nullopt;
    }
    qint64 metadataBytes = 0;
    for (const auto &entry : std::as_const(options.metadata))
        metadataBytes += entry.first.toUtf8().size() + entry.second.size();
    if (metadataBytes > kMaxMetadataBytes) {
        *error = QStringLiteral("--metadata: %1 bytes in all, more than the %2 bytes peers "
                                "accept in one gossip packet (1 MiB)")
                     .arg(metadataBytes)
                     .arg(kMaxMetadataBytes);
        return std::nullopt;
    }

    if (parser.isSet(option("udp-bind"))) {
        options.udpBind = parser.value(option("udp-bind")).trimmed();
        if (options.udpBind.startsWith(QLatin1Char('['))
            && options.udpBind.endsWith(QLatin1Char(']')))
            options.udpBind = options.udpBind.mid(1, options.udpBind.size() - 2);
        if (options.udpBind.isEmpty() || options.udpBind.contains(QLatin1Char(' '))) {
            *error = QStringLiteral("--udp-bind: \"%1\" is not an address or host name")
                         .arg(parser.value(option("udp-bind")));
            return std::nullopt;
        }
    }
    if (parser.isSet(option("udp-bind-port"))) {
        bool ok = false;
        const QString text = parser.value(option("udp-bind-port"));
        const int port = text.toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            *error
                = QStringLiteral("--udp-bind-port: \"%1\" is not a port from 0 to 65535").arg(text);
            return std::nullopt;
        }
        options.udpBindPort = port;
    }
    if (parser.isSet(option("mtu"))) {
        bool ok = false;
        const QString text = parser.value(option("mtu"));
        const int mtu = text.toInt(&ok);
        // 65507: the largest UDP payload over IPv4.
        if (!ok || mtu < 64 || mtu > 65507) {
            *error = QStringLiteral("--mtu: \"%1\" is not a size from 64 to 65507 bytes").arg(text);
            return std::nullopt;
        }
        options.mtu = mtu;
    }
    if (isSerf) {
        if (!readSerfOptions(parser, environment, &options.serf, error))
            return std::nullopt;
    } else if (!readSwimOptions(parser, &options.swim, error)) {
        return std::nullopt;
    }
    options.json = parser.isSet(option("json"));
    return options;
}

QString ClusterOptions::bindHost() const
{
    if (!udpBind.isEmpty())
        return udpBind;
    const auto parsed = net::parseHostPort(name, true, nullptr);
    return parsed ? parsed->host : QStringLiteral("127.0.0.1");
}

quint16 ClusterOptions::bindPort() const
{
    if (udpBindPort >= 0)
        return static_cast<quint16>(udpBindPort);
    const auto parsed = net::parseHostPort(name, true, nullptr);
    return parsed ? parsed->port : quint16(0);
}

swim::MemberConfig ClusterOptions::memberConfig(const QString &boundName) const
{
    return swimMemberConfig(*this, boundName);
}

swim::ServiceConfig ClusterOptions::serviceConfig() const
{
    return swimServiceConfig(*this);
}

} // namespace shoal::app
