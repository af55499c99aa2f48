// Tests of the shared cluster options: every validation error, defaults, env vs command line.
#include "app/clusteroptions.h"
#include "app/joinoptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace shoal;
using namespace shoal::app;

namespace {

struct Parsed
{
    std::optional<ClusterOptions> options;
    QString error;
};

Parsed parse(const QStringList &arguments, const QProcessEnvironment &environment = {},
    bool requireSecret = true)
{
    QCommandLineParser parser;
    addClusterOptions(parser);
    Parsed result;
    if (!parser.parse(QStringList { QStringLiteral("shoal") } + arguments)) {
        result.error = parser.errorText();
        return result;
    }
    result.options = readClusterOptions(parser, environment, &result.error, requireSecret);
    return result;
}

QStringList withSecret(QStringList arguments)
{
    return arguments << QStringLiteral("--secret") << QStringLiteral("s3cret");
}

QProcessEnvironment env(std::initializer_list<std::pair<const char *, QString>> values)
{
    QProcessEnvironment environment;
    for (const auto &[key, value] : values)
        environment.insert(QLatin1String(key), value);
    return environment;
}

} // namespace

class TestClusterOptions final : public QObject
{
    Q_OBJECT
private slots:
    void defaults()
    {
        const Parsed parsed = parse(withSecret({}));
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        const ClusterOptions &o = *parsed.options;
        QCOMPARE(o.name, QStringLiteral("127.0.0.1:0"));
        QCOMPARE(o.bindHost(), QStringLiteral("127.0.0.1"));
        QCOMPARE(o.bindPort(), quint16(0));
        QVERIFY(o.peers.isEmpty());
        QCOMPARE(o.secret, QByteArrayLiteral("s3cret"));
        QCOMPARE(o.swim.role, swim::Role::Observer);
        QCOMPARE(o.mtu, qsizetype(1500));
        QCOMPARE(o.swim.protocolVersion, QByteArrayLiteral("0.6.3"));
        QCOMPARE(o.swim.timings.pingIntervalMs, 1000);
        QCOMPARE(o.swim.timings.suspectTimeoutMs, 5000);
        QVERIFY(!o.json);
        // --secret on the command line earns a hint, without the secret in it.
        QCOMPARE(o.warnings.size(), 1);
        QVERIFY(o.warnings.at(0).contains(QStringLiteral("--secret-file")));
        QVERIFY(!o.warnings.at(0).contains(QStringLiteral("s3cret")));
    }

    void everyOption()
    {
        QTemporaryDir dir;
        QFile blob(dir.filePath(QStringLiteral("blob")));
        QVERIFY(blob.open(QIODevice::WriteOnly));
        blob.write(QByteArray("\x00\x01\xff", 3));
        blob.close();
        const Parsed parsed = parse(withSecret({
            QStringLiteral("--name=127.0.0.1:23001"),
            QStringLiteral("--peer=127.0.0.1:23002"),
            QStringLiteral("--peer=host.example:23003"),
            QStringLiteral("--metadata=role=observer"),
            QStringLiteral("--metadata=eq=a=b"),
            QStringLiteral("--metadata=blob=@") + blob.fileName(),
            QStringLiteral("--metadata=role=imap"),
            QStringLiteral("--profile=pymap"),
            QStringLiteral("--ping-interval=0.25"),
            QStringLiteral("--suspect-timeout=3"),
            QStringLiteral("--ping-req-count=2"),
            QStringLiteral("--udp-bind=0.0.0.0"),
            QStringLiteral("--udp-bind-port=23009"),
            QStringLiteral("--mtu=9000"),
            QStringLiteral("--protocol-version=0.6.4"),
            QStringLiteral("--role=participant"),
            QStringLiteral("--json"),
        }));
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        const ClusterOptions &o = *parsed.options;
        QCOMPARE(o.name, QStringLiteral("127.0.0.1:23001"));
        QCOMPARE(o.peers,
            QStringList(
                { QStringLiteral("127.0.0.1:23002"), QStringLiteral("host.example:23003") }));
        QCOMPARE(o.metadata.size(), 3);
        QCOMPARE(o.metadata.at(0).first, QStringLiteral("role"));
        QCOMPARE(o.metadata.at(0).second, QByteArrayLiteral("imap")); // last one wins
        QCOMPARE(o.metadata.at(1).second, QByteArrayLiteral("a=b"));
        QCOMPARE(o.metadata.at(2).second, QByteArray("\x00\x01\xff", 3));
        // pymap preset, then the overrides.
        QCOMPARE(o.swim.timings.pingIntervalMs, 250);
        QCOMPARE(o.swim.timings.pingTimeoutMs, 1000);
        QCOMPARE(o.swim.timings.syncIntervalMs, 30000);
        QCOMPARE(o.swim.timings.suspectTimeoutMs, 3000);
        QCOMPARE(o.swim.timings.pingReqCount, 2);
        QCOMPARE(o.bindHost(), QStringLiteral("0.0.0.0"));
        QCOMPARE(o.bindPort(), quint16(23009));
        QCOMPARE(o.mtu, qsizetype(9000));
        QCOMPARE(o.swim.protocolVersion, QByteArrayLiteral("0.6.4"));
        QCOMPARE(o.swim.role, swim::Role::Participant);
        QVERIFY(o.json);
        const swim::MemberConfig config = o.memberConfig(QStringLiteral("127.0.0.1:23001"));
        QCOMPARE(config.localName, QStringLiteral("127.0.0.1:23001"));
        QCOMPARE(config.role, swim::Role::Participant);
        QCOMPARE(config.peers.size(), 2);
        // What the service gets: the same, plus secret, version, bind address and MTU.
        const swim::ServiceConfig service = o.serviceConfig();
        QCOMPARE(service.member.localName, QStringLiteral("127.0.0.1:23001"));
        QCOMPARE(service.member.timings.pingIntervalMs, 250);
        QCOMPARE(service.secret, o.secret);
        QCOMPARE(service.protocolVersion, QByteArrayLiteral("0.6.4"));
        QCOMPARE(service.bindHost, QStringLiteral("0.0.0.0"));
        QCOMPARE(service.bindPort, 23009);
        QCOMPARE(service.limits.mtu, qsizetype(9000));
    }

    void invalid_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        auto row = [](const char *tag, QStringList args, const char *mentions) {
            QTest::newRow(tag) << withSecret(args) << QString::fromLatin1(mentions);
        };
        row("peer without port", { QStringLiteral("--peer=foo") }, "--peer");
        row("peer port too big", { QStringLiteral("--peer=host:99999") }, "99999");
        row("peer colon", { QStringLiteral("--peer=:") }, "--peer");
        row("peer empty", { QStringLiteral("--peer=") }, "--peer");
        row("peer port zero", { QStringLiteral("--peer=host:0") }, "--peer");
        row("name without port", { QStringLiteral("--name=foo") }, "--name");
        row("name port too big", { QStringLiteral("--name=host:99999") }, "--name");
        row("name colon", { QStringLiteral("--name=:") }, "--name");
        row("name empty", { QStringLiteral("--name=") }, "--name");
        row("metadata no equals", { QStringLiteral("--metadata=novalue") }, "--metadata");
        row("metadata empty key", { QStringLiteral("--metadata==v") }, "empty key");
        row("metadata bad utf8 key", { QStringLiteral("--metadata=k\uFFFDx=v") }, "UTF-8");
        row("metadata missing file", { QStringLiteral("--metadata=k=@/nonexistent/x") },
            "/nonexistent/x");
        row("unknown profile", { QStringLiteral("--profile=fast") }, "--profile");
        row("unknown role", { QStringLiteral("--role=boss") }, "--role");
        row("negative timing", { QStringLiteral("--ping-interval=-1") }, "--ping-interval");
        row("zero timing", { QStringLiteral("--suspect-timeout=0") }, "--suspect-timeout");
        row("word timing", { QStringLiteral("--sync-interval=soon") }, "--sync-interval");
        row("infinite timing", { QStringLiteral("--ping-timeout=inf") }, "--ping-timeout");
        row("negative count", { QStringLiteral("--ping-req-count=-2") }, "--ping-req-count");
        row("bind port too big", { QStringLiteral("--udp-bind-port=70000") }, "--udp-bind-port");
        row("bind host empty", { QStringLiteral("--udp-bind=") }, "--udp-bind");
        row("mtu tiny", { QStringLiteral("--mtu=10") }, "--mtu");
        row("mtu huge", { QStringLiteral("--mtu=100000") }, "--mtu");
        row("empty version", { QStringLiteral("--protocol-version=") }, "--protocol-version");
        row("secret and secret file", { QStringLiteral("--secret-file=/nonexistent/secret") },
            "--secret"); // both --secret and --secret-file: refused
    }
    void invalid()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const Parsed parsed = parse(arguments);
        QVERIFY(!parsed.options);
        QVERIFY2(parsed.error.contains(mentions), qPrintable(parsed.error));
        QVERIFY(!parsed.error.contains(QLatin1Char('\n')));
        QVERIFY(!parsed.error.contains(QStringLiteral("s3cret")));
    }

    void secretRequired()
    {
        const Parsed parsed = parse({});
        QVERIFY(!parsed.options);
        QVERIFY2(
            parsed.error.contains(QStringLiteral("secret is required")), qPrintable(parsed.error));
        // The window may still ask for it in its dialog.
        QVERIFY(parse({}, {}, false).options);
    }

    void secretFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("top secret\r\n\n");
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        Parsed parsed = parse({ QStringLiteral("--secret-file"), path });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->secret, QByteArrayLiteral("top secret"));
        QVERIFY(parsed.options->warnings.isEmpty());

        QVERIFY(file.setPermissions(
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        parsed = parse({ QStringLiteral("--secret-file"), path });
        QVERIFY(parsed.options);
        QCOMPARE(parsed.options->warnings.size(), 1);
        QVERIFY(parsed.options->warnings.at(0).contains(path));
        QVERIFY(!parsed.options->warnings.at(0).contains(QStringLiteral("top secret")));

        parsed = parse({ QStringLiteral("--secret-file"), dir.filePath(QStringLiteral("none")) });
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.contains(QStringLiteral("cannot read secret file")));
        parsed = parse({}, env({ { "SWIM_SECRET_FILE", dir.filePath(QStringLiteral("none")) } }));
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.startsWith(QStringLiteral("SWIM_SECRET_FILE")));

        QFile empty(dir.filePath(QStringLiteral("empty")));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.write("\n");
        empty.close();
        parsed = parse({ QStringLiteral("--secret-file"), empty.fileName() });
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.contains(QStringLiteral("empty")));

        // Issue 14, finding 9: a device is not read for ever, a FIFO does not block.
        parsed = parse({ QStringLiteral("--secret-file"), QStringLiteral("/dev/zero") });
        QVERIFY(!parsed.options);
        QVERIFY2(
            parsed.error.contains(QStringLiteral("not a regular file")), qPrintable(parsed.error));
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        parsed = parse({ QStringLiteral("--secret-file"), fifo });
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.contains(QStringLiteral("not a regular file")));
        parsed = parse({ QStringLiteral("--secret=x"), QStringLiteral("--metadata"),
            QStringLiteral("k=@") + fifo });
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.contains(QStringLiteral("not a regular file")));
    }

    // Issue 14, finding 9: local metadata stays below what peers accept (1 MiB per packet).
    void localMetadataIsBounded()
    {
        QTemporaryDir dir;
        QFile big(dir.filePath(QStringLiteral("big")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(600 * 1024, 'x'));
        big.close();
        Parsed parsed = parse({ QStringLiteral("--secret=x"), QStringLiteral("--metadata"),
            QStringLiteral("a=@") + big.fileName() });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        parsed = parse({ QStringLiteral("--secret=x"), QStringLiteral("--metadata"),
            QStringLiteral("a=@") + big.fileName(), QStringLiteral("--metadata"),
            QStringLiteral("b=@") + big.fileName() });
        QVERIFY(!parsed.options);
        QVERIFY2(parsed.error.contains(QStringLiteral("1 MiB")), qPrintable(parsed.error));
        QVERIFY(big.open(QIODevice::Append));
        big.write(QByteArray(600 * 1024, 'x'));
        big.close();
        parsed = parse({ QStringLiteral("--secret=x"), QStringLiteral("--metadata"),
            QStringLiteral("a=@") + big.fileName() });
        QVERIFY(!parsed.options);
        QVERIFY(parsed.error.contains(QStringLiteral("larger than")));
    }

    void environmentAndPrecedence()
    {
        const QProcessEnvironment environment = env({
            { "SWIM_NAME", QStringLiteral("127.0.0.1:23100") },
            { "SWIM_PEERS", QStringLiteral("127.0.0.1:23101,127.0.0.1:23102") },
            { "SWIM_SECRET", QStringLiteral("from-env") },
        });
        Parsed parsed = parse({}, environment);
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->name, QStringLiteral("127.0.0.1:23100"));
        QCOMPARE(parsed.options->peers.size(), 2);
        QCOMPARE(parsed.options->secret, QByteArrayLiteral("from-env"));
        QVERIFY(parsed.options->warnings.isEmpty()); // no hint: the secret is not on the line

        parsed
            = parse({ QStringLiteral("--name=127.0.0.1:23200"),
                        QStringLiteral("--peer=127.0.0.1:23201"), QStringLiteral("--secret=cli") },
                environment);
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->name, QStringLiteral("127.0.0.1:23200"));
        QCOMPARE(parsed.options->peers, QStringList { QStringLiteral("127.0.0.1:23201") });
        QCOMPARE(parsed.options->secret, QByteArrayLiteral("cli"));

        // Bad values from the environment are reported under their variable's name.
        parsed = parse({},
            env({ { "SWIM_PEERS", QStringLiteral("127.0.0.1:1,foo") },
                { "SWIM_SECRET", QStringLiteral("x") } }));
        QVERIFY(!parsed.options);
        QVERIFY2(parsed.error.startsWith(QStringLiteral("SWIM_PEERS")), qPrintable(parsed.error));
        parsed = parse({},
            env({ { "SWIM_NAME", QStringLiteral("host:99999") },
                { "SWIM_SECRET", QStringLiteral("x") } }));
        QVERIFY(!parsed.options);
        QVERIFY2(parsed.error.startsWith(QStringLiteral("SWIM_NAME")), qPrintable(parsed.error));
    }

    void serf()
    {
        const QString key = QStringLiteral("5K9OtfP7efFrNKe5WCQvXvnaXJ5cWP0SvXiwe0kkjM4=");
        // No secret needed; ports default to 7946; metadata are tags; the role is serf's.
        Parsed parsed = parse({ QStringLiteral("--protocol=serf"), QStringLiteral("--peer=agent1"),
            QStringLiteral("--peer=10.0.0.2:8000"), QStringLiteral("--name=127.0.0.1"),
            QStringLiteral("--metadata=role=monitor"), QStringLiteral("--role=member") });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->protocol, Protocol::Serf);
        serf::SerfServiceConfig config = serfServiceConfig(*parsed.options);
        QCOMPARE(config.bindHost, QStringLiteral("127.0.0.1"));
        QCOMPARE(config.bindPort, quint16(7946));
        QCOMPARE(config.peers,
            QStringList({ QStringLiteral("agent1"), QStringLiteral("10.0.0.2:8000") }));
        QCOMPARE(config.tags.value(QStringLiteral("role")), QByteArray("monitor"));
        QCOMPARE(config.role, serf::EngineRole::Member);
        QVERIFY(config.keyring.isEmpty());

        // The key: --encrypt, else SERF_ENCRYPT_KEY; --keyring-file is Serf's JSON list.
        parsed = parse({ QStringLiteral("--protocol=serf"), QStringLiteral("--encrypt=") + key });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(serfServiceConfig(*parsed.options).keyring.primary(),
            QByteArray::fromBase64(key.toLatin1()));
        parsed = parse({ QStringLiteral("--protocol=serf") }, env({ { "SERF_ENCRYPT_KEY", key } }));
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->serf.keys.size(), 1);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("keyring"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("[\"%1\", \"%2\"]")
                       .arg(key, QString::fromLatin1(QByteArray(16, 'x').toBase64()))
                       .toLatin1());
        file.close();
        parsed
            = parse({ QStringLiteral("--protocol=serf"), QStringLiteral("--keyring-file"), path });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QCOMPARE(parsed.options->serf.keys.size(), 2);
        QCOMPARE(parsed.options->serf.keys.first(), QByteArray::fromBase64(key.toLatin1()));

        // --answer-query NAME=RESPONSE, repeatable; the response may hold '='.
        parsed = parse(
            { QStringLiteral("--protocol=serf"), QStringLiteral("--answer-query=uptime=up=1"),
                QStringLiteral("--answer-query"), QStringLiteral("*=shoal") });
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        const auto answers = serfServiceConfig(*parsed.options).queryAnswers;
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers.value(QStringLiteral("uptime")), QByteArray("up=1"));
        QCOMPARE(answers.value(QStringLiteral("*")), QByteArray("shoal"));

        // Refusals name the option.
        const QList<QPair<QStringList, QString>> bad {
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--answer-query=noequals") },
                QStringLiteral("--answer-query") },
            { { QStringLiteral("--protocol=serf"),
                  QStringLiteral("--answer-query=big=") + QString(1025, QLatin1Char('x')) },
                QStringLiteral("--answer-query") },
            { { QStringLiteral("--protocol=gossip") }, QStringLiteral("--protocol") },
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--role=participant") },
                QStringLiteral("--role") },
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--encrypt=short") },
                QStringLiteral("--encrypt") },
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--encrypt=") + key,
                  QStringLiteral("--keyring-file=") + path },
                QStringLiteral("only one") },
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--keyring-file=/nonexistent") },
                QStringLiteral("--keyring-file") },
            { { QStringLiteral("--protocol=serf"), QStringLiteral("--peer=host:99999") },
                QStringLiteral("--peer") },
        };
        for (const auto &[arguments, mentions] : bad) {
            parsed = parse(arguments);
            QVERIFY2(!parsed.options, qPrintable(arguments.join(QLatin1Char(' '))));
            QVERIFY2(parsed.error.contains(mentions), qPrintable(parsed.error));
        }
        parsed = parse({ QStringLiteral("--protocol=serf") },
            env({ { "SERF_ENCRYPT_KEY", QStringLiteral("x") } }));
        QVERIFY(!parsed.options);
        QVERIFY2(
            parsed.error.contains(QStringLiteral("SERF_ENCRYPT_KEY")), qPrintable(parsed.error));
    }

    // The join dialog's answer goes through the command line's parser: its protocol, Serf's key
    // (or swim's secret) and the page's choices become the options.
    void joinDialogRequestBecomesOptions()
    {
        const QByteArray key(32, '\x2a');
        ui::JoinRequest request;
        request.protocol = QStringLiteral("serf");
        request.name = QStringLiteral("127.0.0.1:7999");
        request.peers = { QStringLiteral("127.0.0.1:7946") };
        request.secret = QString::fromLatin1(key.toBase64());
        request.protocolOptions.insert(QStringLiteral("role"), QStringLiteral("member"));
        QString error;
        auto options = optionsFromRequest(request, ClusterOptions {}, &error);
        QVERIFY2(options, qPrintable(error));
        QCOMPARE(options->protocol, Protocol::Serf);
        QCOMPARE(options->serf.keys, QList<QByteArray> { key });
        QCOMPARE(options->serf.role, serf::EngineRole::Member);
        QCOMPARE(options->peers, request.peers);
        QCOMPARE(options->name, request.name);
        QVERIFY(options->secret.isEmpty());
        // And back, for File > Join... after a command-line join.
        const ui::JoinRequest again = requestFromOptions(*options);
        QCOMPARE(again.protocol, QStringLiteral("serf"));
        QCOMPARE(again.secret, request.secret);
        QCOMPARE(again.protocolOptions, request.protocolOptions);

        // No key: an unencrypted cluster.
        request.secret.clear();
        options = optionsFromRequest(request, ClusterOptions {}, &error);
        QVERIFY2(options, qPrintable(error));
        QVERIFY(options->serf.keys.isEmpty());
        // A key of the wrong length is refused as --encrypt refuses it.
        request.secret = QString::fromLatin1(QByteArray(10, 'k').toBase64());
        QVERIFY(!optionsFromRequest(request, ClusterOptions {}, &error));
        QVERIFY2(
            error.startsWith(QStringLiteral("--encrypt: not a base64 key")), qPrintable(error));

        // swim-protocol: the shared secret, swim's role.
        ui::JoinRequest swimRequest;
        swimRequest.name = QStringLiteral("127.0.0.1:7950");
        swimRequest.peers = { QStringLiteral("127.0.0.1:17001") };
        swimRequest.secret = QStringLiteral("s3cret");
        swimRequest.protocolOptions.insert(QStringLiteral("role"), QStringLiteral("participant"));
        options = optionsFromRequest(swimRequest, ClusterOptions {}, &error);
        QVERIFY2(options, qPrintable(error));
        QCOMPARE(options->protocol, Protocol::Swim);
        QCOMPARE(options->secret, QByteArray("s3cret"));
        QCOMPARE(options->swim.role, swim::Role::Participant);
        QCOMPARE(requestFromOptions(*options).protocol, QStringLiteral("swim"));
    }
};

QTEST_GUILESS_MAIN(TestClusterOptions)
#include "tst_clusteroptions.moc"
