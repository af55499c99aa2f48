// The options every form that joins a cluster takes (docs/CLI.md), parsed and validated once
// for the commands and the window alike.
#pragma once

#include "app/serfoptions.h"
#include "app/swimoptions.h"
#include "model/secretkeys.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace shoal::app {

// The gossip protocol a form joins with (--protocol).
enum class Protocol : quint8 { Swim, Serf };
// "swim" or "serf", as --protocol takes it.
inline QString protocolName(Protocol protocol)
{
    return protocol == Protocol::Serf ? QStringLiteral("serf") : QStringLiteral("swim");
}

struct ClusterOptions
{
    Protocol protocol = Protocol::Swim;
    QString name; // HOST:PORT; port 0 means the OS picks, and the name then carries it
    bool nameGiven = false; // from --name or SWIM_NAME
    QStringList peers; // HOST:PORT each, validated
    QByteArray secret; // never printed or logged
    // In the order given; a repeated key keeps its last value.
    QList<QPair<QString, QByteArray>> metadata;
    QString udpBind; // empty: the name's host
    int udpBindPort = -1; // -1: the name's port
    qsizetype mtu = 1500;
    bool json = false;
    // Each protocol's own options (a second protocol adds its struct beside this one).
    SwimOptions swim;
    SerfOptions serf;
    // One-line notes for stderr (a secret given on the command line, a secret file others can
    // read). Never contain the secret.
    QStringList warnings;

    // swim's configurations (swimMemberConfig, swimServiceConfig).
    swim::MemberConfig memberConfig(const QString &boundName) const;
    swim::ServiceConfig serviceConfig() const;
    // Host to bind: --udp-bind, else the name's host (127.0.0.1 when no name was given).
    QString bindHost() const;
    // Port to bind: --udp-bind-port, else the name's port (0 when no name was given).
    quint16 bindPort() const;
};

// The shared secret and the notes to print about it (never the secret itself).
struct Secret
{
    QByteArray secret; // empty when none was given
    QStringList warnings; // a secret on the command line, a secret file others can read
};

// Whether text survives a round trip through UTF-8 (no lone surrogates): option values that
// end up on the wire.
bool isValidUtf8Text(const QString &text);

// Adds --secret and --secret-file: every form that signs or verifies datagrams takes them.
void addSecretOptions(QCommandLineParser &parser);
// Reads them, else SWIM_SECRET_FILE, else SWIM_SECRET. On a usage error (both options, an
// unreadable, empty or oversized file, an empty secret) returns nullopt and one line in *error.
std::optional<Secret> readSecretOptions(
    const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error);

// Adds --hide-values and --show-key (text output: which metadata values show as dots).
void addValueMaskOptions(QCommandLineParser &parser);
// The mask they give: pymap's secret keys hidden by default, every value with --hide-values,
// a --show-key key shown whatever else says.
ValueMask readValueMaskOptions(const QCommandLineParser &parser);

// Adds --protocol, --name, --peer, --secret, --secret-file, --metadata, --udp-bind,
// --udp-bind-port, --mtu, each protocol's own options (addSwimOptions) and --json.
void addClusterOptions(QCommandLineParser &parser);

// Reads the options of a parser that has processed its arguments, falling back on the
// environment (SWIM_NAME, SWIM_PEERS, SWIM_SECRET, SWIM_SECRET_FILE; the command line wins).
// On a usage error returns nullopt and one line in *error, naming the option and the problem.
// requireSecret is false for the window, whose join dialog may still ask for it.
std::optional<ClusterOptions> readClusterOptions(const QCommandLineParser &parser,
    const QProcessEnvironment &environment, QString *error, bool requireSecret = true);

} // namespace shoal::app
