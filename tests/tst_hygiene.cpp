// Secret hygiene and bad input, as the built binary answers them: the secret never appears in
// any output of members/watch/serve/decode/encode (success, refusals, diagnostics, usage errors),
// --secret gets its hint and a secret file others can read its warning; and each kind of bad
// input the other tests do not cover gets one clear line and the documented exit status.
#include "net/swim/codec.h"
#include "tests/shoalrun.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

using namespace shoal::swim;

using namespace shoal::test;

namespace {

// Distinctive: any of these forms in any output is a leak.
const QByteArray kSecret = QByteArrayLiteral("Hyg13ne-zq7K-distinctive-secret");

// The forms a secret could leak in.
bool leaks(const QByteArray &output)
{
    for (const QByteArray &form : { kSecret, kSecret.toHex(), kSecret.toHex().toUpper(),
             kSecret.toBase64(), kSecret.toPercentEncoding() }) {
        if (output.contains(form))
            return true;
    }
    return false;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes,
    QFileDevice::Permissions permissions)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(bytes);
    file.close();
    file.setPermissions(permissions);
    return path;
}

const QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

class TestHygiene final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(shoalBinary()), "the shoal binary is built");
        QVERIFY(m_dir.isValid());
        m_secretFile = writeFile(m_dir, QStringLiteral("secret"), kSecret + '\n', kOwnerOnly);
        QVERIFY(!m_secretFile.isEmpty());
    }

    // Every command, every way of giving the secret, success and failure paths: the secret is
    // in none of stdout or stderr.
    void secretNeverPrinted_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("viaEnvironment");
        QTest::addColumn<int>("exitCode");
        const QString s = QStringLiteral("--secret=") + QString::fromLatin1(kSecret);
        const QString file = QStringLiteral("--secret-file=") + m_secretFile;
        const QString settle = QStringLiteral("--settle=0.3");
        QTest::newRow("members nobody") << QStringList { QStringLiteral("members"), s, settle,
            QStringLiteral("--peer=127.0.0.1:9") }
                                        << false << 3;
        QTest::newRow("members json file")
            << QStringList { QStringLiteral("members"), file, settle, QStringLiteral("--json") }
            << false << 3;
        QTest::newRow("members env")
            << QStringList { QStringLiteral("members"), settle } << true << 3;
        QTest::newRow("members bad peer")
            << QStringList { QStringLiteral("members"), s, QStringLiteral("--peer=foo") } << false
            << 2;
        QTest::newRow("members bad metadata")
            << QStringList { QStringLiteral("members"), s, QStringLiteral("--metadata=nokey") }
            << false << 2;
        QTest::newRow("members secret twice")
            << QStringList { QStringLiteral("members"), s, file } << false << 2;
        QTest::newRow("watch") << QStringList { QStringLiteral("watch"), s,
            QStringLiteral("--duration=0.5") }
                               << false << 0;
        QTest::newRow("watch json env") << QStringList { QStringLiteral("watch"),
            QStringLiteral("--json"), QStringLiteral("--duration=0.5") }
                                        << true << 0;
        QTest::newRow("serve") << QStringList { QStringLiteral("serve"), s,
            QStringLiteral("--nodes=3"), QStringLiteral("--duration=1"),
            QStringLiteral("--token-interval=0.1") }
                               << false << 0;
        QTest::newRow("serve json file")
            << QStringList { QStringLiteral("serve"), file, QStringLiteral("--nodes=2"),
                   QStringLiteral("--duration=0.5"), QStringLiteral("--json") }
            << false << 0;
        QTest::newRow("serve bad nodes")
            << QStringList { QStringLiteral("serve"), s, QStringLiteral("--nodes=0") } << false
            << 2;
        QTest::newRow("encode") << QStringList { QStringLiteral("encode"), s } << false << 0;
        // A secret that lost its option (`--secret-file` forgotten): a stray argument, refused
        // without being echoed.
        const QString stray = QString::fromLatin1(kSecret);
        QTest::newRow("members stray secret")
            << QStringList { QStringLiteral("members"), stray } << true << 2;
        QTest::newRow("watch stray secret")
            << QStringList { QStringLiteral("watch"), QStringLiteral("--json"), stray } << true
            << 2;
        QTest::newRow("decode stray secret")
            << QStringList { QStringLiteral("decode"), stray } << true << 2;
        QTest::newRow("window stray secret") << QStringList { stray } << true << 2;
        QTest::newRow("help") << QStringList { QStringLiteral("members"), s,
            QStringLiteral("--help") }
                              << false << 0;
    }
    void secretNeverPrinted()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, viaEnvironment);
        QFETCH(int, exitCode);
        QProcessEnvironment environment = cleanEnvironment();
        if (viaEnvironment)
            environment.insert(QStringLiteral("SWIM_SECRET"), QString::fromLatin1(kSecret));
        const QByteArray input = arguments.first() == QLatin1String("encode")
            ? QByteArrayLiteral("{\"type\":\"Ping\",\"source\":{\"name\":\"127.0.0.1:1\","
                                "\"validity\":\"0102030405060708\"}}\n")
            : QByteArray();
        const Run run = runShoal(arguments, environment, input);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(!leaks(run.all()), run.all().constData());
    }

    // decode of datagrams signed with the secret, with another one, and of junk: what it prints
    // (packets, refusals with details) never holds the secret.
    void decodeNeverPrintsSecret()
    {
        const Codec codec(kSecret);
        const Codec other(QByteArrayLiteral("another-secret"));
        const Ping ping { Source { QStringLiteral("127.0.0.1:1"), QByteArray(8, '\x01') } };
        QByteArray input = codec.encode(ping).toHex() + '\n' + other.encode(ping).toHex() + '\n'
            + codec
                  .sign(QByteArrayLiteral("\x80\x05\x8c\x02os\x94\x8c\x06system\x94\x93\x94."),
                      QByteArray(16, 'a'))
                  .toHex()
            + "\nzz\n\n" + kSecret.toHex() + '\n';
        const Run run = runShoal(
            { QStringLiteral("decode"), QStringLiteral("--secret"), QString::fromLatin1(kSecret) },
            {}, input);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count('\n'), 6);
        QVERIFY(run.out.contains("\"Ping\""));
        QVERIFY(run.out.contains("signature"));
        QVERIFY(run.out.contains("os.system"));
        QVERIFY2(!leaks(run.all()), run.all().constData());
    }

    // watch reports refused datagrams (wrong secret, hostile pickles signed with the right one)
    // without the secret in the reports.
    void watchRejectReportsNeverPrintSecret()
    {
        const quint16 port = freeMemberPort();
        QVERIFY(port != 0);
        const Codec codec(kSecret);
        const Codec other(QByteArrayLiteral("another-secret"));
        const Ping ping { Source { QStringLiteral("127.0.0.1:1"), QByteArray(8, '\x01') } };
        QUdpSocket sender;
        const Run run = runShoal(
            { QStringLiteral("watch"), QStringLiteral("--json"), QStringLiteral("--secret-file"),
                m_secretFile, QStringLiteral("--name"), QStringLiteral("127.0.0.1:%1").arg(port),
                QStringLiteral("--duration=2.5") },
            {}, {}, [&] {
                QTest::qWait(700); // let it bind
                for (int i = 0; i < 20; ++i) {
                    sender.writeDatagram(other.encode(ping), QHostAddress::LocalHost, port);
                    sender.writeDatagram(
                        codec.sign(QByteArrayLiteral("\x80\x05(((("), QByteArray(16, 'b')),
                        QHostAddress::LocalHost, port);
                    sender.writeDatagram(kSecret, QHostAddress::LocalHost, port);
                }
            });
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("\"reason\":\"signature\""), run.out.constData());
        QVERIFY2(run.out.contains("\"reason\":\"pickle\""), run.out.constData());
        QVERIFY2(!leaks(run.all()), run.all().constData());
    }

    // --secret on the command line: a one-line hint on stderr, for members and watch alike;
    // none when the secret comes from SWIM_SECRET or a private file.
    void secretHint_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("hint");
        for (const char *command : { "members", "watch" }) {
            QTest::addRow("%s --secret", command)
                << QString::fromLatin1(command) << QStringLiteral("option") << true;
            QTest::addRow("%s SWIM_SECRET", command)
                << QString::fromLatin1(command) << QStringLiteral("env") << false;
            QTest::addRow("%s --secret-file", command)
                << QString::fromLatin1(command) << QStringLiteral("file") << false;
        }
    }
    void secretHint()
    {
        QFETCH(QString, command);
        QFETCH(QString, how);
        QFETCH(bool, hint);
        QStringList arguments { command,
            command == QLatin1String("members") ? QStringLiteral("--settle=0.2")
                                                : QStringLiteral("--duration=0.2") };
        QProcessEnvironment environment = cleanEnvironment();
        if (how == QLatin1String("option"))
            arguments << QStringLiteral("--secret") << QString::fromLatin1(kSecret);
        else if (how == QLatin1String("env"))
            environment.insert(QStringLiteral("SWIM_SECRET"), QString::fromLatin1(kSecret));
        else
            arguments << QStringLiteral("--secret-file") << m_secretFile;
        const Run run = runShoal(arguments, environment);
        const QList<QByteArray> lines = run.err.split('\n');
        const auto hints = std::count_if(lines.begin(), lines.end(),
            [](const QByteArray &line) { return line.contains("hint: --secret"); });
        QCOMPARE(hints, hint ? 1 : 0);
        if (hint) {
            QVERIFY(run.err.contains("--secret-file"));
            QVERIFY(run.err.contains("SWIM_SECRET"));
        }
        QVERIFY2(!leaks(run.all()), run.all().constData());
    }

    // A secret file that group or others can read: one warning naming the file, not its content;
    // the command still runs.
    void secretFileReadableByOthersWarns()
    {
        const QString path = writeFile(m_dir, QStringLiteral("open-secret"), kSecret,
            kOwnerOnly | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        QVERIFY(!path.isEmpty());
        for (const QString &command : { QStringLiteral("members"), QStringLiteral("watch") }) {
            const Run run = runShoal({ command, QStringLiteral("--secret-file"), path,
                command == QLatin1String("members") ? QStringLiteral("--settle=0.2")
                                                    : QStringLiteral("--duration=0.2") });
            QCOMPARE(run.exitCode, command == QLatin1String("members") ? 3 : 0);
            QVERIFY2(run.err.contains("warning: secret file"), run.err.constData());
            QVERIFY(run.err.contains(path.toUtf8()));
            QVERIFY2(!leaks(run.all()), run.all().constData());
        }
        // The same file read through SWIM_SECRET_FILE warns the same way.
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET_FILE"), path);
        const Run run
            = runShoal({ QStringLiteral("members"), QStringLiteral("--settle=0.2") }, environment);
        QVERIFY2(run.err.contains("warning: secret file"), run.err.constData());
    }

    // Bad input the other tests leave out: one line naming the culprit, the documented status.
    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment"); // NAME=VALUE each
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        const QString file = QStringLiteral("--secret-file=") + m_secretFile;
        const QString members = QStringLiteral("members");
        const QString serve = QStringLiteral("serve");
        const QString settle = QStringLiteral("--settle=0.3");
        // Cannot be read: a directory (the tests may run as root, who reads any plain file).
        QTest::newRow("secret file is a directory")
            << QStringList { members, QStringLiteral("--secret-file"), m_dir.path() }
            << QStringList {} << 2 << QStringLiteral("cannot read secret file");
        QTest::newRow("secret file missing")
            << QStringList { members, QStringLiteral("--secret-file=/nonexistent/shoal-secret") }
            << QStringList {} << 2 << QStringLiteral("/nonexistent/shoal-secret");
        QTest::newRow("SWIM_SECRET_FILE directory")
            << QStringList { members } << QStringList { QStringLiteral("SWIM_SECRET_FILE=/") } << 2
            << QStringLiteral("SWIM_SECRET_FILE");
        QTest::newRow("SWIM_SECRET empty")
            << QStringList { members } << QStringList { QStringLiteral("SWIM_SECRET=") } << 2
            << QStringLiteral("SWIM_SECRET");
        QTest::newRow("SWIM_PEERS empty entry")
            << QStringList { members, file }
            << QStringList { QStringLiteral("SWIM_PEERS=127.0.0.1:1,,127.0.0.1:2") } << 2
            << QStringLiteral("SWIM_PEERS");
        QTest::newRow("SWIM_NAME no port")
            << QStringList { members, file } << QStringList { QStringLiteral("SWIM_NAME=host") }
            << 2 << QStringLiteral("SWIM_NAME");
        QTest::newRow("peer does not resolve") << QStringList {
            members, file, settle, QStringLiteral("--peer=no-such-host.invalid:7946")
        } << QStringList {} << 3 << QStringLiteral("cannot resolve \"no-such-host.invalid\"");
        QTest::newRow("bind host does not resolve") << QStringList {
            members, file, settle, QStringLiteral("--udp-bind=no-such-host.invalid")
        } << QStringList {} << 1 << QStringLiteral("no-such-host.invalid");
        QTest::newRow("ping-req-timeout negative")
            << QStringList { members, file, QStringLiteral("--ping-req-timeout=-1") }
            << QStringList {} << 2 << QStringLiteral("--ping-req-timeout");
        QTest::newRow("ping-req-count word")
            << QStringList { members, file, QStringLiteral("--ping-req-count=many") }
            << QStringList {} << 2 << QStringLiteral("--ping-req-count");
        QTest::newRow("metadata file is a directory")
            << QStringList { members, file, QStringLiteral("--metadata=k=@") + m_dir.path() }
            << QStringList {} << 2 << QStringLiteral("--metadata k");
        QTest::newRow("json with a value")
            << QStringList { members, file, QStringLiteral("--json=yes") } << QStringList {} << 2
            << QStringLiteral("--json");
        QTest::newRow("serve duration zero") << QStringList { serve, file,
            QStringLiteral("--nodes=2"), QStringLiteral("--duration=0") }
                                             << QStringList {} << 2 << QStringLiteral("--duration");
        QTest::newRow("serve token interval word") << QStringList {
            serve, file, QStringLiteral("--nodes=2"), QStringLiteral("--token-interval=often")
        } << QStringList {} << 2 << QStringLiteral("--token-interval");
        QTest::newRow("serve too many nodes")
            << QStringList { serve, file, QStringLiteral("--nodes=10001") } << QStringList {} << 2
            << QStringLiteral("--nodes");
        QTest::newRow("serve with name") << QStringList { serve, file, QStringLiteral("--nodes=2"),
            QStringLiteral("--name=127.0.0.1:1") }
                                         << QStringList {} << 2 << QStringLiteral("--name");
        QTest::newRow("serve positional")
            << QStringList { serve, file, QStringLiteral("--nodes=2"), QStringLiteral("extra") }
            << QStringList {} << 2 << QStringLiteral("the word after --nodes belongs to no option");
    }
    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QProcessEnvironment env = cleanEnvironment();
        for (const QString &pair : environment) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            env.insert(pair.left(equals), pair.mid(equals + 1));
        }
        const Run run = runShoal(arguments, env);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
        if (exitCode == 2) // a usage error is one line, and nothing on stdout
            QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(!leaks(run.all()), run.all().constData());
    }

    // A port already taken, for watch (UDP) and serve (TCP side of the same port): exit 1, and
    // the line names the address.
    void portInUse()
    {
        QUdpSocket udp;
        QVERIFY(udp.bind(QHostAddress::LocalHost, 0));
        Run run = runShoal({ QStringLiteral("watch"), QStringLiteral("--secret-file"), m_secretFile,
            QStringLiteral("--name"), QStringLiteral("127.0.0.1:%1").arg(udp.localPort()),
            QStringLiteral("--duration=1") });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QByteArray::number(udp.localPort())), run.err.constData());

        QTcpServer tcp;
        QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
        run = runShoal({ QStringLiteral("serve"), QStringLiteral("--secret-file"), m_secretFile,
            QStringLiteral("--nodes=1"), QStringLiteral("--base-port"),
            QString::number(tcp.serverPort()), QStringLiteral("--duration=1") });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QByteArray::number(tcp.serverPort())), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }

private:
    QTemporaryDir m_dir;
    QString m_secretFile;
};

QTEST_GUILESS_MAIN(TestHygiene)
#include "tst_hygiene.moc"
