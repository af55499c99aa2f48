// Tests of `shoal members`, `watch` and `serve` as the built binary: exit statuses, messages,
// JSON output, and both ends of a join against in-process members.
#include "app/commands.h"
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"
#include "tests/shoalrun.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUdpSocket>

using namespace shoal;
using namespace shoal::swim;

// GCC 12 at -O2 sees a null QMap d-pointer path in Qt's inlined const lookups and warns
// (a false positive: the lookups check it first).
#pragma GCC diagnostic ignored "-Wnull-dereference"

using namespace shoal::test;

namespace {

const QStringList kFast = {
    QStringLiteral("--ping-interval=0.1"),
    QStringLiteral("--ping-timeout=0.06"),
    QStringLiteral("--ping-req-timeout=0.12"),
    QStringLiteral("--suspect-timeout=1.5"),
    QStringLiteral("--sync-interval=0.05"),
};

LocalClusterConfig clusterConfig(int nodes, const QByteArray &secret)
{
    LocalClusterConfig config;
    config.nodes = nodes;
    config.secret = secret;
    config.timings = Timings { 100, 60, 1, 120, 1500, 50 };
    return config;
}

} // namespace

class TestClusterCommands final : public QObject
{
    Q_OBJECT
private slots:
    void rejectLinesAgreeInNumberAndNameTcpConnections()
    {
        swim::ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.secret = "s";
        const swim::SwimService service(config);
        const QString source = QStringLiteral("127.0.0.1:9");
        // An oversized TCP packet closes a connection: not a datagram, and one "was".
        QCOMPARE(app::rejectLine(1, source, QStringLiteral("tcp-oversize"),
                     service.rejectCause(QStringLiteral("tcp-oversize"))),
            QStringLiteral("1 TCP connection from 127.0.0.1:9 was closed: more bytes than a "
                           "packet may have (tcp-oversize)"));
        QCOMPARE(app::rejectLine(3, source, QStringLiteral("tcp-oversize"),
                     service.rejectCause(QStringLiteral("tcp-oversize"))),
            QStringLiteral("3 TCP connections from 127.0.0.1:9 were closed: more bytes than a "
                           "packet may have (tcp-oversize)"));
        QCOMPARE(app::rejectLine(1, source, QStringLiteral("framing"),
                     service.rejectCause(QStringLiteral("framing"))),
            QStringLiteral("1 datagram from 127.0.0.1:9 was not in swim-protocol's framing"));
        QCOMPARE(app::rejectLine(2, source, QStringLiteral("signature"),
                     service.rejectCause(QStringLiteral("signature"))),
            QStringLiteral("2 datagrams from 127.0.0.1:9 failed the signature check: wrong "
                           "--secret or a different --protocol-version"));
    }

    void initTestCase() { QVERIFY2(QFileInfo::exists(shoalBinary()), "the shoal binary is built"); }

    void badOptionsExit2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        const QString s = QStringLiteral("--secret=x");
        for (const char *command : { "members", "watch", "serve" }) {
            const QString c = QLatin1String(command);
            const QString extra = c == QLatin1String("serve") ? QStringLiteral("--nodes=1")
                                                              : QStringLiteral("--settle=0");
            auto args = [&](const QString &option) {
                QStringList list { c, s, option };
                if (c != QLatin1String("watch"))
                    list << extra;
                return list;
            };
            QTest::addRow("%s peer foo", command) << args(QStringLiteral("--peer=foo")) << "--peer";
            QTest::addRow("%s peer big port", command)
                << args(QStringLiteral("--peer=host:99999")) << "99999";
            QTest::addRow("%s peer colon", command) << args(QStringLiteral("--peer=:")) << "--peer";
            QTest::addRow("%s peer empty", command) << args(QStringLiteral("--peer=")) << "--peer";
            QTest::addRow("%s unknown option", command)
                << args(QStringLiteral("--bogus")) << "bogus";
            QTest::addRow("%s role", command) << args(QStringLiteral("--role=king")) << "--role";
        }
        for (const char *command : { "members", "watch" }) {
            const QString c = QLatin1String(command);
            QTest::addRow("%s name foo", command)
                << QStringList { c, s, QStringLiteral("--name=foo") } << "--name";
            QTest::addRow("%s name big port", command)
                << QStringList { c, s, QStringLiteral("--name=host:99999") } << "--name";
            QTest::addRow("%s name colon", command)
                << QStringList { c, s, QStringLiteral("--name=:") } << "--name";
            QTest::addRow("%s no secret", command) << QStringList { c } << "secret is required";
        }
        QTest::newRow("members settle")
            << QStringList { QStringLiteral("members"), s, QStringLiteral("--settle=-1") }
            << "--settle";
        QTest::newRow("members max-wait")
            << QStringList { QStringLiteral("members"), s, QStringLiteral("--max-wait=soon") }
            << "--max-wait";
        QTest::newRow("members settle and max-wait") << QStringList { QStringLiteral("members"), s,
            QStringLiteral("--settle=1"), QStringLiteral("--max-wait=1") }
                                                     << "--max-wait";
        QTest::newRow("watch duration")
            << QStringList { QStringLiteral("watch"), s, QStringLiteral("--duration=x") }
            << "--duration";
        QTest::newRow("serve no nodes") << QStringList { QStringLiteral("serve"), s } << "--nodes";
        QTest::newRow("serve zero nodes")
            << QStringList { QStringLiteral("serve"), s, QStringLiteral("--nodes=0") } << "--nodes";
        QTest::newRow("serve base port") << QStringList { QStringLiteral("serve"), s,
            QStringLiteral("--nodes=10"), QStringLiteral("--base-port=65530") }
                                         << "--base-port";
    }
    void badOptionsExit2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const Run run = runShoal(arguments);
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY(run.out.isEmpty());
    }

    void portInUseExit1()
    {
        QUdpSocket squatter;
        QVERIFY(squatter.bind(QHostAddress::LocalHost, 0));
        const QString name = QStringLiteral("127.0.0.1:%1").arg(squatter.localPort());
        for (const char *command : { "members", "watch" }) {
            const Run run = runShoal({ QLatin1String(command), QStringLiteral("--secret=x"),
                QStringLiteral("--name"), name });
            QCOMPARE(run.exitCode, 1);
            const QString err = QString::fromUtf8(run.err);
            QVERIFY2(err.contains(name) && err.contains(QStringLiteral("UDP")), qPrintable(err));
        }
        const Run serve = runShoal(
            { QStringLiteral("serve"), QStringLiteral("--secret=x"), QStringLiteral("--nodes=1"),
                QStringLiteral("--base-port=%1").arg(squatter.localPort()) });
        QCOMPARE(serve.exitCode, 1);
        QVERIFY2(QString::fromUtf8(serve.err).contains(name), serve.err.constData());
    }

    void membersListsClusterAsJson()
    {
        LocalCluster cluster(clusterConfig(3, QByteArrayLiteral("right")));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QStringList names = cluster.names();
        // The secret from the environment: no hint about the process list then.
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        const Run run
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--json"),
                           QStringLiteral("--peer"), names.at(0), QStringLiteral("--settle=2"),
                           QStringLiteral("--metadata"), QStringLiteral("role=observer") }
                    + kFast,
                environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.isEmpty(), run.err.constData());
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &parseError);
        QVERIFY2(
            parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
        QVERIFY(document.isArray());
        const QJsonArray array = document.array();
        QCOMPARE(array.size(), 4);
        QString shoalName;
        int remote = 0;
        for (const QJsonValue &value : array) {
            const QJsonObject member = value.toObject();
            QVERIFY(member.contains(QStringLiteral("status_since")));
            QVERIFY(member.contains(QStringLiteral("clock")));
            if (member.value(QStringLiteral("local")).toBool()) {
                shoalName = member.value(QStringLiteral("name")).toString();
                QCOMPARE(member.value(QStringLiteral("metadata"))
                             .toObject()
                             .value(QStringLiteral("role"))
                             .toString(),
                    QStringLiteral("observer"));
                continue;
            }
            const qsizetype index = names.indexOf(member.value(QStringLiteral("name")).toString());
            QVERIFY(index >= 0);
            QCOMPARE(member.value(QStringLiteral("status")).toString(), QStringLiteral("ONLINE"));
            QCOMPARE(member.value(QStringLiteral("metadata"))
                         .toObject()
                         .value(QStringLiteral("node"))
                         .toString(),
                QString::number(index));
            QVERIFY(member.contains(QStringLiteral("probe")));
            ++remote;
        }
        QCOMPARE(remote, 3);
        QVERIFY(!shoalName.isEmpty());
        // And the members saw Shoal with its metadata.
        const auto seen = cluster.member(1)->member(shoalName);
        QVERIFY(seen && seen->metadata);
        QCOMPARE(seen->metadata->value(QStringLiteral("role")), QByteArrayLiteral("observer"));
    }

    // Without --settle, members waits until every ONLINE member's metadata is known: here gossip
    // comes every 1.5 s, slow next to the probes that find the members ONLINE at once.
    void membersWaitsForCompleteMetadata()
    {
        LocalClusterConfig config = clusterConfig(3, QByteArrayLiteral("right"));
        config.timings.syncIntervalMs = 1500;
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        // A settled cluster: completeness is judged on what the members know.
        QTRY_VERIFY_WITH_TIMEOUT(cluster.isConverged(), 30000);
        const QStringList common = QStringList { QStringLiteral("members"),
            QStringLiteral("--json"), QStringLiteral("--peer"), cluster.names().at(0) }
            + kFast + QStringList { QStringLiteral("--sync-interval=1.5") };

        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        const Run run
            = runShoal(common + QStringList { QStringLiteral("--max-wait=30") }, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.isEmpty(), run.err.constData());
        const QJsonArray array = QJsonDocument::fromJson(run.out).array();
        QCOMPARE(array.size(), 4);
        for (const QJsonValue &value : array) {
            const QJsonObject member = value.toObject();
            QVERIFY2(member.value(QStringLiteral("metadata")).isObject(),
                qPrintable(member.value(QStringLiteral("name")).toString()));
        }
    }

    // When the metadata does not come within --max-wait: the members known so far, the
    // incomplete ones named on stderr, exit 4.
    void membersIncompleteExit4()
    {
        LocalClusterConfig config = clusterConfig(2, QByteArrayLiteral("right"));
        config.timings.syncIntervalMs = 600000; // gossips once at start, before we join
        config.engine.directAnnouncements = false; // as pymap's members: no record unasked
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QString peer = cluster.names().at(0);
        const Run run = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--json"),
                                     QStringLiteral("--secret=right"), QStringLiteral("--peer"),
                                     peer, QStringLiteral("--max-wait=1") }
            + kFast);
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("incomplete: the metadata of"), run.err.constData());
        QVERIFY2(run.err.contains(peer.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains("--max-wait"), run.err.constData());
        bool peerListed = false;
        for (const QJsonValue &value : QJsonDocument::fromJson(run.out).array()) {
            const QJsonObject member = value.toObject();
            if (member.value(QStringLiteral("name")).toString() == peer) {
                peerListed = true;
                QVERIFY(member.value(QStringLiteral("metadata")).isNull());
            }
        }
        QVERIFY(peerListed);
    }

    void windowHonoursName()
    {
        // QApplication knows -name/--name (an X11 resource name) and would take it out of the
        // arguments: the window must still bind and show the member name it was given.
        LocalCluster cluster(clusterConfig(1, QByteArrayLiteral("right")));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QString name = QStringLiteral("127.0.0.1:%1").arg(freeMemberPort());
        const Run run
            = runShoal(QStringList { QStringLiteral("--name"), name, QStringLiteral("--peer"),
                           cluster.names().at(0), QStringLiteral("--secret=right"),
                           QStringLiteral("--measure-lag"), QStringLiteral("1") }
                + kFast);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(QStringLiteral("shoal %1: ").arg(name).toUtf8()), run.err);
    }

    void membersPrintsTextTable()
    {
        LocalClusterConfig config = clusterConfig(2, QByteArrayLiteral("right"));
        config.extraMetadata = { { QStringLiteral("bin"), QByteArray("\x00\xff", 2) } };
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const Run run = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--peer"),
                                     cluster.names().at(0), QStringLiteral("--settle=2"),
                                     QStringLiteral("--secret-file=/dev/null") }
            + kFast);
        // An empty secret file is a configuration error, not a silent default.
        QCOMPARE(run.exitCode, 2);
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        const Run table
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--peer"),
                           cluster.names().at(0), QStringLiteral("--settle=2") }
                    + kFast,
                environment);
        QCOMPARE(table.exitCode, 0);
        const QStringList lines
            = QString::fromUtf8(table.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4); // the header, Shoal, the 2 members
        QVERIFY2(lines.at(0).startsWith(QStringLiteral("NAME")), qPrintable(lines.at(0)));
        QVERIFY(lines.at(0).contains(QStringLiteral("HEARD")));
        // The local member first, marked; binary values as hex, text as text.
        QVERIFY2(lines.at(1).contains(QStringLiteral(" * ")), qPrintable(lines.at(1)));
        for (int i : { 2, 3 }) {
            QVERIFY2(lines.at(i).contains(QStringLiteral("bin=0x00ff")), qPrintable(lines.at(i)));
            QVERIFY2(lines.at(i).contains(QStringLiteral("ONLINE")), qPrintable(lines.at(i)));
        }
    }

    void membersWrongSecretExit3WithCause()
    {
        // The cluster knows Shoal's name, so it sends datagrams Shoal must refuse.
        const quint16 port = freeMemberPort();
        const QString name = QStringLiteral("127.0.0.1:%1").arg(port);
        LocalClusterConfig config = clusterConfig(2, QByteArrayLiteral("right"));
        config.extraPeers = { name };
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const Run run
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--name"), name,
                           QStringLiteral("--peer"), cluster.names().at(0),
                           QStringLiteral("--settle=1.5"), QStringLiteral("--secret=wrong") }
                + kFast);
        QCOMPARE(run.exitCode, 3);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(QStringLiteral("failed the signature check: wrong --secret or a "
                                             "different --protocol-version")),
            qPrintable(err));
        QVERIFY2(err.contains(cluster.names().at(0)) || err.contains(cluster.names().at(1)),
            qPrintable(err));
        QVERIFY(!err.contains(QStringLiteral("right")));
    }

    void watchReportsRejectedDatagrams()
    {
        const quint16 port = freeMemberPort();
        const QString name = QStringLiteral("127.0.0.1:%1").arg(port);
        LocalClusterConfig config = clusterConfig(1, QByteArrayLiteral("right"));
        config.extraPeers = { name };
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QProcess process;
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("wrong"));
        process.setProcessEnvironment(environment);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(shoalBinary(),
            QStringList { QStringLiteral("watch"), QStringLiteral("--json"),
                QStringLiteral("--name"), name, QStringLiteral("--settle=600") }
                + kFast);
        QByteArray output;
        const QByteArray expected = QByteArray("\"event\":\"rejected\",\"from\":\"")
            + cluster.names().at(0).toUtf8() + QByteArray("\",\"reason\":\"signature\"");
        QByteArray errors;
        QTRY_VERIFY2_WITH_TIMEOUT((output += process.readAllStandardOutput()).contains(expected),
            QByteArray(output + (errors += process.readAllStandardError())).constData(), 20000);
        process.terminate();
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(!output.contains(QByteArray(cluster.names().at(0).toUtf8() + "\",\"previous\"")));
    }

    // members --status/--tag (as serf members -status -tag); text output masks pymap's admin
    // key unless --show-key admin, and every value with --hide-values (issue 13, defects 2, 10).
    void membersFiltersAndMasks()
    {
        LocalClusterConfig config = clusterConfig(3, QByteArrayLiteral("right"));
        config.extraMetadata = { { QStringLiteral("admin"), QByteArrayLiteral("topsecret") } };
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        const QStringList base = QStringList {
            QStringLiteral("members"), QStringLiteral("--peer"), cluster.names().at(0)
        } + kFast;

        Run run = runShoal(base
                + QStringList { QStringLiteral("--json"), QStringLiteral("--status"),
                    QStringLiteral("online,suspect"), QStringLiteral("--tag"),
                    QStringLiteral("node=1|2"), QStringLiteral("--tag=admin=top.*") },
            environment);
        QCOMPARE(run.exitCode, 0);
        const QJsonArray array = QJsonDocument::fromJson(run.out).array();
        QStringList names;
        for (const QJsonValue &member : array)
            names << member.toObject().value(QStringLiteral("name")).toString();
        names.sort();
        QStringList expected { cluster.names().at(1), cluster.names().at(2) };
        expected.sort();
        QCOMPARE(names, expected);

        run = runShoal(base + QStringList { QStringLiteral("--status=OFFLINE") }, environment);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count('\n'), 1); // the header alone

        run = runShoal(base, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("admin=\u2022\u2022\u2022\u2022"), run.out.constData());
        QVERIFY2(!run.out.contains("topsecret"), run.out.constData());
        QVERIFY2(run.out.contains("node=1"), run.out.constData());

        run = runShoal(base + QStringList { QStringLiteral("--show-key=admin") }, environment);
        QVERIFY2(run.out.contains("admin=topsecret"), run.out.constData());

        run = runShoal(base + QStringList { QStringLiteral("--hide-values") }, environment);
        QVERIFY2(run.out.contains("node=\u2022\u2022\u2022\u2022"), run.out.constData());
        QVERIFY2(
            !run.out.contains("node=1") && !run.out.contains("topsecret"), run.out.constData());
    }

    void membersFilterUsageErrors_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("status") << QStringLiteral("--status=online,sleepy")
                                << QStringLiteral("--status: \"sleepy\" is not a status");
        QTest::newRow("tag no key") << QStringLiteral("--tag=imap") << QStringLiteral("\"imap\"");
        QTest::newRow("tag regex")
            << QStringLiteral("--tag=role=(") << QStringLiteral("--tag role");
    }
    void membersFilterUsageErrors()
    {
        QFETCH(QString, option);
        QFETCH(QString, mentions);
        const Run run
            = runShoal({ QStringLiteral("members"), QStringLiteral("--secret=x"), option });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
        QCOMPARE(run.err.count('\n'), 2); // the --secret hint, then the error
    }

    void watchNobodyThereExit3()
    {
        const Run run = runShoal({ QStringLiteral("watch"), QStringLiteral("--secret=x"),
            QStringLiteral("--peer=127.0.0.1:%1").arg(freeMemberPort()),
            QStringLiteral("--settle=0.5") });
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(
            run.err.contains("shoal watch: no member answered within 0.5 s"), run.err.constData());
    }

    void membersNobodyThereExit3()
    {
        const Run run = runShoal({ QStringLiteral("members"), QStringLiteral("--secret=x"),
            QStringLiteral("--peer=127.0.0.1:%1").arg(freeMemberPort()),
            QStringLiteral("--settle=0.5") });
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("no member answered"), run.err.constData());
    }

    // Finding 6 of issue 14: keys and values holding every C0/C1 control, DEL and bidi control
    // print escaped in `members` and `watch` text: no raw control, no forged row.
    void textOutputEscapesControls()
    {
        QString hostile;
        QList<char32_t> codes;
        for (char32_t c = 1; c < 0x20; ++c)
            codes << c;
        for (char32_t c = 0x7f; c < 0xa0; ++c)
            codes << c;
        for (char32_t c = 0x202a; c <= 0x202e; ++c)
            codes << c;
        for (char32_t c = 0x2066; c <= 0x2069; ++c)
            codes << c;
        codes << 0x200e << 0x200f << 0x061c << 0x2028 << 0x2029;
        for (const char32_t c : std::as_const(codes))
            hostile += QString::fromUcs4(&c, 1);
        LocalClusterConfig config = clusterConfig(2, QByteArrayLiteral("right"));
        config.extraMetadata = {
            { QStringLiteral("k") + hostile, QByteArrayLiteral("v") },
            { QStringLiteral("text"),
                (QStringLiteral("\n127.0.0.1:1 * ONLINE") + hostile).toUtf8() },
            { QStringLiteral("bidi"), QStringLiteral("\u202eevil").toUtf8() },
        };
        LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        auto checkClean = [&codes](const QByteArray &bytes) -> QString {
            const QString text = QString::fromUtf8(bytes);
            for (const QChar ch : text) {
                if (ch == u'\n')
                    continue;
                if (codes.contains(ch.unicode()) || ch == QChar(0))
                    return QStringLiteral("raw U+%1 in: %2")
                        .arg(ch.unicode(), 4, 16, QLatin1Char('0'))
                        .arg(text.left(400));
            }
            return {};
        };
        const Run table
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--peer"),
                           cluster.names().at(0), QStringLiteral("--settle=2") }
                    + kFast,
                environment);
        QCOMPARE(table.exitCode, 0);
        QString dirty = checkClean(table.out + table.err);
        QVERIFY2(dirty.isEmpty(), qPrintable(dirty));
        const QStringList lines
            = QString::fromUtf8(table.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4); // the header, Shoal, the 2 members: no forged row
        // Keys escaped and cut; values with controls or format characters as hex.
        QVERIFY2(lines.at(2).contains(QStringLiteral("k\\x01\\x02")), qPrintable(lines.at(2)));
        QVERIFY2(lines.at(2).contains(QStringLiteral("bidi=0xe280ae")), qPrintable(lines.at(2)));

        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(shoalBinary(),
            QStringList { QStringLiteral("watch"), QStringLiteral("--peer"), cluster.names().at(0) }
                + kFast);
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT(
            (output += process.readAllStandardOutput()).count("bidi = 0xe280ae") >= 2, 20000);
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        output += process.readAllStandardOutput();
        dirty = checkClean(output);
        QVERIFY2(dirty.isEmpty(), qPrintable(dirty));
        QVERIFY2(output.contains("k\\x01\\x02"), output.constData());
    }

    void watchPrintsEventsAndStopsOnSigterm()
    {
        LocalCluster cluster(clusterConfig(2, QByteArrayLiteral("right")));
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QProcess process;
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        process.setProcessEnvironment(environment);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(shoalBinary(),
            QStringList { QStringLiteral("watch"), QStringLiteral("--json"),
                QStringLiteral("--peer"), cluster.names().at(0) }
                + kFast);
        QByteArray output;
        auto sawAll = [&] {
            output += process.readAllStandardOutput();
            for (const QString &name : cluster.names()) {
                if (!output.contains(
                        QStringLiteral("\"name\":\"%1\",\"previous\"").arg(name).toUtf8()))
                    return false;
            }
            return output.contains("\"event\":\"metadata\"") && output.contains("\"key\":\"node\"");
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawAll(), 20000);
        // A change made now shows up as one metadata event.
        cluster.member(1)->metadata()->setLocal(QStringLiteral("token"), QByteArrayLiteral("t1"));
        const QByteArray tokenEvent
            = QByteArray("\"key\":\"token\",\"name\":\"") + cluster.names().at(1).toUtf8() + '"';
        QTRY_VERIFY_WITH_TIMEOUT(
            (output += process.readAllStandardOutput()).contains(tokenEvent), 20000);
        for (const QByteArray &line : output.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            QVERIFY2(!event.isEmpty(), line.constData());
            QVERIFY(event.contains(QStringLiteral("time")));
            QVERIFY(event.contains(QStringLiteral("event")));
        }
        process.terminate(); // SIGTERM
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void servePrintsNamesAndFormsCluster()
    {
        QProcess process;
        process.setProcessEnvironment(cleanEnvironment());
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(shoalBinary(),
            QStringList { QStringLiteral("serve"), QStringLiteral("--nodes=4"),
                QStringLiteral("--secret=right"), QStringLiteral("--metadata"),
                QStringLiteral("site=test") }
                + kFast);
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT(
            (output += process.readAllStandardOutput()).count('\n') >= 4, 20000);
        const QStringList names
            = QString::fromUtf8(output).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(names.size(), 4);
        ServiceConfig config;
        config.member.localName = QStringLiteral("127.0.0.1:0");
        config.member.peers = { names.at(0) };
        config.member.timings = Timings { 100, 60, 1, 120, 1500, 50 };
        config.secret = QByteArrayLiteral("right");
        SwimService joiner(config);
        QVERIFY2(joiner.start(&error()), qPrintable(m_error));
        auto allSeen = [&] {
            for (qsizetype i = 0; i < names.size(); ++i) {
                const auto record = joiner.member(names.at(i));
                if (!record || record->status != MemberStatus::Online || !record->metadata
                    || record->metadata->value(QStringLiteral("node")) != QByteArray::number(i)
                    || record->metadata->value(QStringLiteral("site")) != QByteArrayLiteral("test"))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allSeen(), 30000);
        process.terminate();
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitCode(), 0);
    }

private:
    QString &error() { return m_error; }
    QString m_error;
};

QTEST_GUILESS_MAIN(TestClusterCommands)
#include "tst_clustercommands.moc"
