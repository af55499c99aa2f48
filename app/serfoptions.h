// The Serf options of every form that joins (docs/CLI.md, "Additions planned"): the encryption
// key or Serf's keyring file, and the role. Parsed apart from the common options, beside
// swimoptions.h.
#pragma once

#include "net/serf/serfservice.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>

class QCommandLineParser;

namespace shoal::app {

struct ClusterOptions;

struct SerfOptions
{
    QList<QByteArray> keys; // the keyring, primary first; empty: plaintext
    serf::EngineRole role = serf::EngineRole::Observer;
    QHash<QString, QByteArray> queryAnswers; // --answer-query NAME=RESPONSE
};

// Adds --encrypt, --keyring-file and --answer-query (--role is shared with swim and read here for
// serf).
void addSerfOptions(QCommandLineParser &parser);
// Reads them, else SERF_ENCRYPT_KEY; false with one line in *error naming the option.
bool readSerfOptions(const QCommandLineParser &parser, const QProcessEnvironment &environment,
    SerfOptions *options, QString *error);
// Why text is not a Serf encryption key (base64 of 16, 24 or 32 bytes), empty when it is one;
// then *key (if given) holds the key. The one check of --encrypt, the keyring file, and the join
// dialog's key field.
QString serfKeyProblem(const QString &text, QByteArray *key = nullptr);
// Reads Serf's keyring JSON (a list of base64 keys, the primary first).
bool readSerfKeyringFile(const QString &path, QList<QByteArray> *keys, QString *error);

// The service's configuration from the common options: name, bind address and port (7946 when
// the name has none), peers, tags, keyring and role.
serf::SerfServiceConfig serfServiceConfig(const ClusterOptions &options);

} // namespace shoal::app
