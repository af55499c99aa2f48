#include "app/joinoptions.h"

#include "app/serfoptions.h"
#include "app/swimoptions.h"
#include "net/serf/serfbackendfactory.h"
#include "net/swim/swimbackendfactory.h"

#include <QCommandLineParser>

namespace shoal::app {

QList<cluster::ProtocolForm> joinProtocolForms()
{
    cluster::ProtocolForm serfForm = serf::serfProtocolForm();
    serfForm.checkSecret = [](const QString &key) { return serfKeyProblem(key); };
    return { swim::swimProtocolForm(), serfForm };
}

std::optional<ClusterOptions> optionsFromRequest(
    const ui::JoinRequest &request, const ClusterOptions &base, QString *error)
{
    const bool isSerf = request.protocol == QLatin1String("serf");
    QStringList args { QStringLiteral("shoal"), QStringLiteral("--protocol"),
        isSerf ? QStringLiteral("serf") : QStringLiteral("swim"), QStringLiteral("--name"),
        request.name };
    for (const QString &peer : request.peers)
        args << QStringLiteral("--peer") << peer;
    if (isSerf) {
        // Serf's secret is its encryption key (none: an unencrypted cluster), or its keyring.
        if (!request.secretFile.isEmpty())
            args << QStringLiteral("--keyring-file") << request.secretFile;
        else if (!request.secret.isEmpty())
            args << QStringLiteral("--encrypt") << request.secret;
    } else if (!request.secretFile.isEmpty()) {
        args << QStringLiteral("--secret-file") << request.secretFile;
    } else {
        args << QStringLiteral("--secret") << request.secret;
    }
    // The protocol page's answers, as options: the preset when it has values of its own, the
    // fields otherwise (what the dialog sends), and every choice.
    const cluster::ProtocolForm form = isSerf ? serf::serfProtocolForm() : swim::swimProtocolForm();
    if (!form.presetOption.isEmpty() && !request.preset.isEmpty())
        args << QStringLiteral("--") + form.presetOption << request.preset;
    for (auto it = request.protocolOptions.cbegin(); it != request.protocolOptions.cend(); ++it)
        args << QStringLiteral("--") + it.key() << it.value();
    args << QStringLiteral("--mtu") << QString::number(base.mtu);
    if (!isSerf)
        args << QStringLiteral("--protocol-version")
             << QString::fromUtf8(base.swim.protocolVersion);
    QCommandLineParser parser;
    addClusterOptions(parser);
    if (!parser.parse(args)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    auto options = readClusterOptions(parser, QProcessEnvironment(), error, true);
    if (options)
        options->metadata = base.metadata;
    return options;
}

ui::JoinRequest requestFromOptions(const ClusterOptions &options)
{
    ui::JoinRequest request;
    request.name = options.name;
    request.peers = options.peers;
    if (options.protocol == Protocol::Serf) {
        request.protocol = QStringLiteral("serf");
        if (!options.serf.keys.isEmpty())
            request.secret = QString::fromLatin1(options.serf.keys.first().toBase64());
        request.protocolOptions.insert(QStringLiteral("role"),
            options.serf.role == serf::EngineRole::Member ? QStringLiteral("member")
                                                          : QStringLiteral("observer"));
    } else {
        request.secret = QString::fromUtf8(options.secret);
        request.preset = options.swim.profile;
        request.protocolOptions = swimFormAnswers(options.swim);
    }
    return request;
}

} // namespace shoal::app
