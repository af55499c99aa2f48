// Shoal against real HashiCorp Serf agents (Debian's `serf`, 0.9.4) on 127.0.0.1, plain and
// encrypted: Shoal sees every agent with its tags, the agents see Shoal with its tags, tags,
// events and queries reach `watch --json`, a tag edited in a running Shoal reaches every agent,
// `serf leave` shows as left, a killed agent shows failed no later than the agents' own view
// + 2 s, Shoal's exit shows as `left`, `serf keys` works with Shoal in the cluster, and a wrong
// key exits 3 with its cause.
// Skipped, loudly, when `serf` is not installed (CI installs it: scripts/install-deps.sh).
#include "net/serf/serfservice.h"
#include "shoalrun.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopedValueRollback>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace shoal;
using namespace shoal::test;

namespace {

struct SerfRun
{
    int exitCode = -1;
    QByteArray out;
};

SerfRun runSerf(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("serf"), arguments);
    SerfRun run;
    // The event loop runs while serf does: the Shoal member that lives in this process (`live`)
    // keeps answering probes and queries, and watch's output keeps being read. (Blocking here
    // froze `live` for a `serf query`'s whole timeout, so it never acked one.)
    if (!process.waitForStarted(10000))
        return run;
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAll();
    return run;
}

struct Agent
{
    QString node;
    quint16 port = 0;
    quint16 rpcPort = 0;
    std::unique_ptr<QProcess> process;
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port); }
    QString rpc() const { return QStringLiteral("127.0.0.1:%1").arg(rpcPort); }
};

// `serf members -format=json` of an agent: name -> member object.
QHash<QString, QJsonObject> agentMembers(const Agent &agent)
{
    QHash<QString, QJsonObject> members;
    const SerfRun run = runSerf({ QStringLiteral("members"), QStringLiteral("-format=json"),
        QStringLiteral("-rpc-addr=") + agent.rpc() });
    if (run.exitCode != 0)
        return members;
    const QJsonArray list
        = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("members")).toArray();
    for (const QJsonValue &value : list)
        members.insert(value[QStringLiteral("name")].toString(), value.toObject());
    return members;
}

// The status an agent gives the member whose tag `app` is `app`; empty when it lists none.
QString statusOfApp(const Agent &agent, const QString &app)
{
    for (const QJsonObject &member : agentMembers(agent)) {
        if (member[QStringLiteral("tags")][QStringLiteral("app")].toString() == app)
            return member[QStringLiteral("status")].toString();
    }
    return {};
}

// The status an agent gives a node; empty when it lists none.
QString agentStatusOf(const Agent &agent, const QString &node)
{
    return agentMembers(agent).value(node).value(QStringLiteral("status")).toString();
}

// The JSON lines a running `shoal watch --json` printed so far.
class Watch
{
public:
    Watch(const QStringList &arguments, const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            m_buffer += m_process.readAllStandardOutput();
            qsizetype newline = 0;
            while ((newline = m_buffer.indexOf('\n')) >= 0) {
                m_lines.append(QJsonDocument::fromJson(m_buffer.left(newline)).object());
                m_buffer.remove(0, newline + 1);
            }
        });
        m_process.start(shoalBinary(), arguments);
    }
    ~Watch()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    Watch(const Watch &) = delete;
    Watch &operator=(const Watch &) = delete;

    bool has(
        const QString &event, const QString &name, const QString &field, const QString &value) const
    {
        for (const QJsonObject &line : m_lines) {
            if (line[QStringLiteral("event")].toString() == event
                && line[QStringLiteral("name")].toString() == name
                && line[field].toVariant().toString() == value)
                return true;
        }
        return false;
    }
    QProcess &process() { return m_process; }
    QString dump()
    {
        QStringList text;
        for (const QJsonObject &line : m_lines)
            text << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
        return text.join(QLatin1Char('\n')) + QString::fromUtf8(m_process.readAllStandardError());
    }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_lines;
};

QString randomKey()
{
    QByteArray key(16, '\0');
    for (char &byte : key)
        byte = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(key.toBase64());
}

} // namespace

class TestSerfInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("serf")).isEmpty()) {
            qWarning("**************************************************************");
            qWarning("*** serf is NOT installed: the Serf interop test is SKIPPED ***");
            qWarning("*** apt-get install serf (scripts/install-deps.sh does it)  ***");
            qWarning("**************************************************************");
            if (qEnvironmentVariableIsSet("SHOAL_REQUIRE_SERF"))
                QFAIL("SHOAL_REQUIRE_SERF is set (CI) but serf is not installed");
            QSKIP("serf (Debian's serf package, 0.9.4) is not installed");
        }
        QVERIFY2(!shoalBinary().isEmpty(), "the shoal executable is not built");
    }

    void cleanup()
    {
        for (Agent &agent : m_agents) {
            if (agent.process && agent.process->state() != QProcess::NotRunning) {
                agent.process->kill();
                agent.process->waitForFinished();
            }
        }
        m_agents.clear();
    }

    void agents_data()
    {
        QTest::addColumn<bool>("encrypted");
        QTest::newRow("plain") << false;
        QTest::newRow("encrypted") << true;
    }

    void agents()
    {
        QFETCH(bool, encrypted);
        const QString key = encrypted ? randomKey() : QString();
        // The key three ways: members reads Serf's keyring file, watch SERF_ENCRYPT_KEY, the
        // wrong-key run --encrypt.
        QTemporaryDir dir;
        const QString keyringPath = dir.filePath(QStringLiteral("keyring.json"));
        {
            QFile keyring(keyringPath);
            QVERIFY(keyring.open(QIODevice::WriteOnly));
            keyring.write(QStringLiteral("[\n  \"%1\"\n]\n").arg(key).toLatin1());
        }
        const QStringList keyArgs = encrypted
            ? QStringList { QStringLiteral("--keyring-file"), keyringPath }
            : QStringList {};
        QProcessEnvironment watchEnvironment = cleanEnvironment();
        if (encrypted)
            watchEnvironment.insert(QStringLiteral("SERF_ENCRYPT_KEY"), key);

        // n4 only leaves (serf leave); n3 is killed.
        const QStringList roles { QStringLiteral("web"), QStringLiteral("db"),
            QStringLiteral("cache"), QStringLiteral("batch") };
        for (int i = 0; i < 4; ++i)
            QVERIFY(startAgent(QStringLiteral("n%1").arg(i + 1), roles[i], key));
        for (const Agent &agent : m_agents)
            QTRY_COMPARE_WITH_TIMEOUT(agentMembers(agent).size(), 4, 15000);
        const QString seed = m_agents.at(size_t(0)).address();

        // members: every agent alive with its tags.
        const Run members
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--protocol"),
                           QStringLiteral("serf"), QStringLiteral("--peer"), seed,
                           QStringLiteral("--metadata"), QStringLiteral("app=shoal-members"),
                           QStringLiteral("--json") }
                + keyArgs);
        QVERIFY2(members.exitCode == 0, members.all().constData());
        const QJsonArray list = QJsonDocument::fromJson(members.out).array();
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &value : list)
            byName.insert(value[QStringLiteral("name")].toString(), value.toObject());
        for (int i = 0; i < 3; ++i) {
            const QJsonObject member = byName.value(m_agents.at(size_t(i)).node);
            QVERIFY2(!member.isEmpty(), members.out.constData());
            QCOMPARE(member[QStringLiteral("status")].toString(), QStringLiteral("ONLINE"));
            QCOMPARE(member[QStringLiteral("protocol_status")].toString(), QStringLiteral("alive"));
            QCOMPARE(
                member[QStringLiteral("metadata")][QStringLiteral("role")].toString(), roles[i]);
        }
        // On exit the seed, which synced with it, shows it `left`. Another agent shows it left
        // or never heard of it: a member that lives for milliseconds may leave before the seed
        // gossips its alive, and memberlist's leave then replaces that alive in the seed's queue
        // (so for Serf's own short-lived nodes). None shows it alive or failed.
        QTRY_COMPARE_WITH_TIMEOUT(statusOfApp(m_agents.front(), QStringLiteral("shoal-members")),
            QStringLiteral("left"), 10000);
        for (const Agent &agent : m_agents) {
            const auto leftOrUnknown = [&agent] {
                const QString status = statusOfApp(agent, QStringLiteral("shoal-members"));
                return status.isEmpty() || status == QLatin1String("left");
            };
            QTRY_VERIFY_WITH_TIMEOUT(leftOrUnknown(), 10000);
        }

        // watch: the agents see it alive with its tags.
        Watch watch(QStringList { QStringLiteral("watch"), QStringLiteral("--protocol"),
                        QStringLiteral("serf"), QStringLiteral("--peer"), seed,
                        QStringLiteral("--metadata"), QStringLiteral("app=shoal-watch"),
                        QStringLiteral("--answer-query"), QStringLiteral("uptime=shoal-up"),
                        QStringLiteral("--json") },
            watchEnvironment);
        for (const Agent &agent : m_agents)
            QTRY_COMPARE_WITH_TIMEOUT(
                statusOfApp(agent, QStringLiteral("shoal-watch")), QStringLiteral("alive"), 10000);
        for (int i = 0; i < 3; ++i)
            QTRY_VERIFY2_WITH_TIMEOUT(
                watch.has(QStringLiteral("metadata"), m_agents.at(size_t(i)).node,
                    QStringLiteral("value"), roles[i]),
                qPrintable(watch.dump()), 10000);

        // `serf keys -list` succeeds with Shoal in the (encrypted) cluster.
        if (encrypted) {
            const SerfRun keys = runSerf({ QStringLiteral("keys"), QStringLiteral("-list"),
                QStringLiteral("-rpc-addr=") + m_agents.at(size_t(0)).rpc() });
            QVERIFY2(keys.exitCode == 0, keys.out.constData());
            QVERIFY2(keys.out.contains(key.toLatin1()), keys.out.constData());
        }

        // A running Shoal (the backend in this process, as the window runs it) edits its tags
        // after the join: every agent shows the new tag.
        serf::SerfServiceConfig liveConfig;
        liveConfig.bindPort = 0;
        liveConfig.peers = { seed };
        liveConfig.tags.insert(QStringLiteral("app"), QByteArrayLiteral("shoal-live"));
        if (encrypted)
            liveConfig.keyring = serf::Keyring({ QByteArray::fromBase64(key.toLatin1()) });
        serf::SerfService live(liveConfig);
        QString error;
        QVERIFY2(live.start(&error), qPrintable(error));
        for (const Agent &agent : m_agents)
            QTRY_COMPARE_WITH_TIMEOUT(
                statusOfApp(agent, QStringLiteral("shoal-live")), QStringLiteral("alive"), 10000);
        Metadata liveTags = live.localMetadata();
        liveTags.insert(QStringLiteral("color"), QByteArrayLiteral("blue"));
        QElapsedTimer sinceEdit;
        sinceEdit.start();
        live.setLocalMetadata(liveTags);
        // Gossip brings it within a second here; 15 s leaves room for the sanitizer build beside
        // the suite (once 10 s there), and the figure printed shows the real latency.
        const auto colorAt = [&live](const Agent &agent) {
            return agentMembers(agent)
                .value(live.localName())
                .value(QStringLiteral("tags"))[QStringLiteral("color")]
                .toString();
        };
        for (const Agent &agent : m_agents)
            QTRY_VERIFY2_WITH_TIMEOUT(colorAt(agent) == QLatin1String("blue"),
                qPrintable(agent.node + QStringLiteral(" never showed the tag") + agentsReport()),
                15000);
        qInfo("tag edit: every agent showed it after %lld ms", sinceEdit.elapsed());

        // kill -9 of n3: Shoal shows it failed (OFFLINE, protocol_status failed) no later than
        // 2 s after the first surviving agent does (Lifeguard: 11-24 s here, as the observer
        // never confirms). `serf leave` of n4: Shoal shows it left. A timer watches both
        // views while the checks below run.
        const Agent &killed = m_agents.at(size_t(2));
        const Agent &leaver = m_agents.at(size_t(3));
        const auto liveStatus = [&live](const QString &node) {
            for (const MemberRecord &member : live.members()) {
                if (member.name == node)
                    return member.protocolStatus;
            }
            return QString();
        };
        QElapsedTimer sinceKill;
        qint64 agentsSawFailedMs = -1;
        qint64 shoalSawFailedMs = -1;
        QTimer failedWatcher;
        bool polling = false; // runSerf runs the event loop: this timer fires inside it
        QObject::connect(&failedWatcher, &QTimer::timeout, &failedWatcher, [&] {
            if (polling)
                return;
            const QScopedValueRollback<bool> busy(polling, true);
            if (shoalSawFailedMs < 0 && liveStatus(killed.node) == QLatin1String("failed"))
                shoalSawFailedMs = sinceKill.elapsed();
            if (agentsSawFailedMs < 0) {
                for (int i = 0; i < 2; ++i) {
                    if (agentStatusOf(m_agents.at(size_t(i)), killed.node)
                        == QLatin1String("failed")) {
                        agentsSawFailedMs = sinceKill.elapsed();
                        break;
                    }
                }
            }
        });
        killed.process->kill();
        killed.process->waitForFinished();
        sinceKill.start();
        failedWatcher.start(250);
        // From the start of `serf leave`, which returns once the agent has left.
        QElapsedTimer sinceLeave;
        sinceLeave.start();
        QCOMPARE(runSerf({ QStringLiteral("leave"), QStringLiteral("-rpc-addr=") + leaver.rpc() })
                     .exitCode,
            0);
        QTRY_COMPARE_WITH_TIMEOUT(liveStatus(leaver.node), QStringLiteral("left"), 10000);
        const qint64 liveSawLeftMs = sinceLeave.elapsed();
        // 15 s: under the sanitizer build with the suite running beside it, watch once printed
        // LEFT 7 s after the live view did (its 1 s pull finds the leaver's state quickly; the
        // time goes to the slowed processes). The figure printed below shows the real latency.
        QTRY_VERIFY2_WITH_TIMEOUT(watch.has(QStringLiteral("status"), leaver.node,
                                      QStringLiteral("status"), QStringLiteral("LEFT")),
            qPrintable(watch.dump()), 15000);
        qInfo("leave: the live view showed it left after %lld ms, watch printed LEFT after %lld ms",
            liveSawLeftMs, sinceLeave.elapsed());

        // A tag set with `serf tags -set` shows in watch.
        QCOMPARE(runSerf({ QStringLiteral("tags"),
                             QStringLiteral("-rpc-addr=") + m_agents.at(size_t(1)).rpc(),
                             QStringLiteral("-set"), QStringLiteral("color=red") })
                     .exitCode,
            0);
        QTRY_VERIFY2_WITH_TIMEOUT(watch.has(QStringLiteral("metadata"), m_agents.at(size_t(1)).node,
                                      QStringLiteral("value"), QStringLiteral("red")),
            qPrintable(watch.dump()), 5000);

        // `serf event` and `serf query` appear in watch --json.
        QCOMPARE(runSerf({ QStringLiteral("event"),
                             QStringLiteral("-rpc-addr=") + m_agents.at(size_t(1)).rpc(),
                             QStringLiteral("deploy"), QStringLiteral("v42") })
                     .exitCode,
            0);
        QTRY_VERIFY2_WITH_TIMEOUT(watch.has(QStringLiteral("user-event"), QStringLiteral("deploy"),
                                      QStringLiteral("payload"), QStringLiteral("v42")),
            qPrintable(watch.dump()), 5000);
        // ... and watch answers it as --answer-query says: the response reaches `serf query`.
        // A query travels by gossip alone (no push/pull carries it), and a node that relays
        // no verdicts is reached by a few transmissions only: up to six tries (three were
        // once not enough in CI's sanitizer build, with the other tests running beside it).
        SerfRun query;
        int attempts = 0;
        for (; attempts < 6 && !query.out.contains("shoal-up"); ++attempts) {
            query = runSerf({ QStringLiteral("query"),
                QStringLiteral("-rpc-addr=") + m_agents.at(size_t(0)).rpc(),
                QStringLiteral("-timeout=3s"), QStringLiteral("uptime"), QStringLiteral("now") });
            QCOMPARE(query.exitCode, 0);
        }
        QVERIFY2(query.out.contains("shoal-up"),
            qPrintable(QString::fromUtf8(query.out) + agentsReport()
                + QStringLiteral("\n--- watch:\n") + watch.dump()));
        qInfo("query: watch answered on attempt %d of 6", attempts);
        QTRY_VERIFY2_WITH_TIMEOUT(watch.has(QStringLiteral("query"), QStringLiteral("uptime"),
                                      QStringLiteral("payload"), QStringLiteral("now")),
            qPrintable(watch.dump()), 5000);

        QTRY_VERIFY_WITH_TIMEOUT(agentsSawFailedMs >= 0 && shoalSawFailedMs >= 0, 60000);
        failedWatcher.stop();
        qInfo("kill -9: the agents listed it failed after %lld ms, Shoal after %lld ms",
            agentsSawFailedMs, shoalSawFailedMs);
        QVERIFY2(shoalSawFailedMs <= agentsSawFailedMs + 2000,
            qPrintable(QStringLiteral("agents: failed at %1 ms, Shoal at %2 ms")
                           .arg(agentsSawFailedMs)
                           .arg(shoalSawFailedMs)));
        QTRY_VERIFY2_WITH_TIMEOUT(watch.has(QStringLiteral("status"), killed.node,
                                      QStringLiteral("protocol_status"), QStringLiteral("failed")),
            qPrintable(watch.dump()), 5000);
        QVERIFY(watch.has(QStringLiteral("status"), killed.node, QStringLiteral("status"),
            QStringLiteral("OFFLINE")));
        live.leave();

        // Shoal exiting gracefully (SIGTERM): the agents show it `left`.
        watch.process().terminate();
        QVERIFY(watch.process().waitForFinished(20000));
        QCOMPARE(watch.process().exitCode(), 0);
        for (int i = 0; i < 2; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(
                statusOfApp(m_agents.at(size_t(i)), QStringLiteral("shoal-watch")),
                QStringLiteral("left"), 10000);

        // A wrong key (or none, or one against a plain cluster): exit 3 with the cause named.
        const QStringList wrongKey { QStringLiteral("--encrypt"), randomKey() };
        const Run wrong
            = runShoal(QStringList { QStringLiteral("members"), QStringLiteral("--protocol"),
                           QStringLiteral("serf"), QStringLiteral("--peer"), seed,
                           QStringLiteral("--max-wait"), QStringLiteral("2") }
                + wrongKey);
        QVERIFY2(wrong.exitCode == 3, wrong.all().constData());
        QVERIFY2(wrong.err.contains(encrypted ? "wrong --encrypt key" : "encrypt"),
            wrong.err.constData());
        if (encrypted) {
            const Run none = runShoal({ QStringLiteral("members"), QStringLiteral("--protocol"),
                QStringLiteral("serf"), QStringLiteral("--peer"), seed,
                QStringLiteral("--max-wait"), QStringLiteral("2") });
            QVERIFY2(none.exitCode == 3, none.all().constData());
            QVERIFY2(none.err.contains("encrypt"), none.err.constData());
        }
    }

private:
    bool startAgent(const QString &node, const QString &role, const QString &key)
    {
        Agent agent;
        agent.node = node;
        agent.port = freeMemberPort();
        agent.rpcPort = freeMemberPort();
        if (agent.port == 0 || agent.rpcPort == 0)
            return false;
        QStringList arguments { QStringLiteral("agent"), QStringLiteral("-bind=") + agent.address(),
            QStringLiteral("-rpc-addr=") + agent.rpc(), QStringLiteral("-node=") + node,
            QStringLiteral("-tag"), QStringLiteral("role=") + role,
            QStringLiteral("-log-level=debug") };
        if (!key.isEmpty())
            arguments << QStringLiteral("-encrypt=") + key;
        if (!m_agents.empty())
            arguments << QStringLiteral("-join=") + m_agents.front().address();
        agent.process = std::make_unique<QProcess>();
        agent.process->setProcessChannelMode(QProcess::MergedChannels);
        agent.process->setStandardOutputFile(agentLogPath(node));
        agent.process->start(QStringLiteral("serf"), arguments);
        if (!agent.process->waitForStarted(10000))
            return false;
        // Up once its RPC answers.
        const Agent &running = m_agents.emplace_back(std::move(agent));
        for (int i = 0; i < 100; ++i) {
            if (!agentMembers(running).isEmpty())
                return true;
            if (running.process->state() == QProcess::NotRunning)
                return false;
            QTest::qWait(100);
        }
        return false;
    }

    // Each agent's log (debug level), kept to explain a failure.
    QString agentLogPath(const QString &node) const
    {
        return m_logs.filePath(node + QStringLiteral(".log"));
    }

    // The last lines of each agent's log and each agent's view of the members: a failure's
    // message, for a check that depends on gossip reaching a member.
    QString agentsReport() const
    {
        QString report;
        for (const Agent &agent : m_agents) {
            QFile log(agentLogPath(agent.node));
            QStringList tail;
            if (log.open(QIODevice::ReadOnly))
                tail = QString::fromUtf8(log.readAll()).split(QLatin1Char('\n'));
            report += QStringLiteral("\n--- %1 members:").arg(agent.node);
            if (agent.process->state() != QProcess::NotRunning) {
                const QHash<QString, QJsonObject> members = agentMembers(agent);
                for (auto it = members.cbegin(); it != members.cend(); ++it)
                    report += QStringLiteral(" %1=%2").arg(
                        it.key(), it.value()[QStringLiteral("status")].toString());
            }
            report += QStringLiteral("\n--- %1 log (last 30 lines):\n").arg(agent.node)
                + tail.mid(std::max<qsizetype>(0, tail.size() - 30)).join(QLatin1Char('\n'));
        }
        return report;
    }

    QTemporaryDir m_logs;
    std::vector<Agent> m_agents;
};

QTEST_GUILESS_MAIN(TestSerfInterop)
#include "tst_serfinterop.moc"
