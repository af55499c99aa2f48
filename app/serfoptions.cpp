#include "app/serfoptions.h"

#include "app/clusteroptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace shoal::app {

namespace {

QString option(const char *name)
{
    return QLatin1String(name);
}

bool decodeKey(const QString &text, const QString &from, QByteArray *key, QString *error)
{
    const QString problem = serfKeyProblem(text, key);
    if (!problem.isEmpty()) {
        *error = from + QStringLiteral(": ") + problem;
        return false;
    }
    return true;
}

} // namespace

QString serfKeyProblem(const QString &text, QByteArray *key)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    // Through translate(): the join dialog shows these; the command line stays English (no
    // translator is installed there).
    if (!decoded || decoded.decoded.isEmpty())
        return QCoreApplication::translate("shoal::app::SerfOptions",
            "not a base64 key of 16, 24 or 32 bytes (as `serf keygen` prints)");
    if (!serf::Keyring::validKey(*decoded))
        return QCoreApplication::translate("shoal::app::SerfOptions",
            "not a base64 key of 16, 24 or 32 bytes (as `serf keygen` prints): it decodes "
            "to %1 bytes")
            .arg(decoded.decoded.size());
    if (key)
        *key = *decoded;
    return QString();
}

void addSerfOptions(QCommandLineParser &parser)
{
    parser.addOption({ option("encrypt"),
        QStringLiteral("Serf: the cluster's encryption key, base64 (env SERF_ENCRYPT_KEY)."),
        QStringLiteral("BASE64KEY") });
    parser.addOption({ option("keyring-file"),
        QStringLiteral("Serf: the keyring file (JSON list of base64 keys, primary first)."),
        QStringLiteral("PATH") });
    parser.addOption({ option("answer-query"),
        QStringLiteral("Serf: answer queries named NAME (* for any) with RESPONSE "
                       "(repeatable)."),
        QStringLiteral("NAME=RESPONSE") });
}

bool readSerfKeyringFile(const QString &path, QList<QByteArray> *keys, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--keyring-file: cannot read \"%1\": %2")
                     .arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.read(1024 * 1024);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (!document.isArray() || document.array().isEmpty()) {
        *error
            = QStringLiteral("--keyring-file: \"%1\" is not a JSON list of base64 keys").arg(path);
        return false;
    }
    for (const QJsonValue &value : document.array()) {
        QByteArray key;
        if (!value.isString()
            || !decodeKey(value.toString(), QStringLiteral("--keyring-file"), &key, error))
            return false;
        keys->append(key);
    }
    return true;
}

bool readSerfOptions(const QCommandLineParser &parser, const QProcessEnvironment &environment,
    SerfOptions *options, QString *error)
{
    if (parser.isSet(option("encrypt")) && parser.isSet(option("keyring-file"))) {
        *error = QStringLiteral("--encrypt and --keyring-file: give only one");
        return false;
    }
    if (parser.isSet(option("keyring-file"))) {
        if (!readSerfKeyringFile(parser.value(option("keyring-file")), &options->keys, error))
            return false;
    } else if (parser.isSet(option("encrypt"))) {
        QByteArray key;
        if (!decodeKey(parser.value(option("encrypt")), QStringLiteral("--encrypt"), &key, error))
            return false;
        options->keys = { key };
    } else if (environment.contains(QStringLiteral("SERF_ENCRYPT_KEY"))) {
        QByteArray key;
        if (!decodeKey(environment.value(QStringLiteral("SERF_ENCRYPT_KEY")),
                QStringLiteral("SERF_ENCRYPT_KEY"), &key, error))
            return false;
        options->keys = { key };
    }
    for (const QString &entry : parser.values(option("answer-query"))) {
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        const QByteArray response = entry.mid(equals + 1).toUtf8();
        if (equals <= 0 || response.size() > 1024) {
            *error = QStringLiteral("--answer-query: \"%1\" is not NAME=RESPONSE (the response "
                                    "at most 1024 bytes, as Serf's limit)")
                         .arg(entry);
            return false;
        }
        options->queryAnswers.insert(entry.left(equals), response);
    }
    if (parser.isSet(option("role"))) {
        const QString role = parser.value(option("role"));
        if (role == QLatin1String("observer")) {
            options->role = serf::EngineRole::Observer;
        } else if (role == QLatin1String("member")) {
            options->role = serf::EngineRole::Member;
        } else {
            *error = QStringLiteral("--role: unknown role \"%1\" for serf (expected observer or "
                                    "member)")
                         .arg(role);
            return false;
        }
    }
    return true;
}

serf::SerfServiceConfig serfServiceConfig(const ClusterOptions &options)
{
    serf::SerfServiceConfig config;
    QString host;
    quint16 port = serf::kDefaultSerfPort;
    QString why;
    if (serf::parseSerfAddress(options.name, &host, &port, &why)) {
        config.bindHost = host;
        config.bindPort = port;
    }
    if (!options.udpBind.isEmpty())
        config.bindHost = options.udpBind;
    if (options.udpBindPort >= 0)
        config.bindPort = quint16(options.udpBindPort);
    // The node's name: the one given (its port replaced by the bound one when 0), else
    // HOST:PORT as bound.
    if (options.nameGiven) {
        config.name = options.name;
        if (port == 0)
            config.name = host + QStringLiteral(":%port");
    }
    config.peers = options.peers;
    for (const auto &entry : options.metadata)
        config.tags.insert(entry.first, entry.second);
    config.keyring = serf::Keyring(options.serf.keys);
    config.role = options.serf.role;
    config.queryAnswers = options.serf.queryAnswers;
    return config;
}

} // namespace shoal::app
