// `shoal history` as the built binary (text, JSON, filters, usage errors) and the history's
// durability: `shoal watch --history` killed with SIGKILL keeps every event older than a second.
#include "history/historystore.h"
#include "net/swim/localcluster.h"
#include "shoalrun.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace shoal;
using namespace shoal::history;
using namespace shoal::test;

namespace {

QProcessEnvironment environmentWith(const QString &historyFile)
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("SHOAL_HISTORY_FILE"), historyFile);
    return environment;
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            objects << QJsonDocument::fromJson(line).object();
    }
    return objects;
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    QDateTime m_now;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(QStringLiteral("history.sqlite"));
        m_now = QDateTime::currentDateTimeUtc();
        HistoryStore store;
        QString error;
        QVERIFY2(store.open(m_file, &error), qPrintable(error));
        const qint64 a = store.clusterId(QStringLiteral("swim:10.0.0.1:7001"), true);
        const qint64 b = store.clusterId(QStringLiteral("serf:10.0.0.9:7946"), true);
        HistoryEvent join;
        join.time = m_now.addSecs(-7200);
        join.kind = QStringLiteral("join");
        join.member = QStringLiteral("10.0.0.1:7001");
        join.detail = QStringLiteral("known, Online");
        join.to = QStringLiteral("ONLINE");
        HistoryEvent status = join;
        status.time = m_now.addSecs(-600);
        status.kind = QStringLiteral("status");
        status.detail = QStringLiteral("Online \u2192 Suspect");
        status.from = QStringLiteral("ONLINE");
        status.to = QStringLiteral("SUSPECT");
        HistoryEvent admin = join;
        admin.time = m_now.addSecs(-300);
        admin.kind = QStringLiteral("metadata");
        admin.member = QStringLiteral("evil\x1b[31m");
        admin.detail = QStringLiteral("admin = hunter2");
        admin.key = QStringLiteral("admin");
        admin.value = QByteArray("hunter2");
        admin.to.clear();
        HistoryEvent rejected = join;
        rejected.time = m_now.addSecs(-60);
        rejected.kind = QStringLiteral("rejected");
        rejected.member = QStringLiteral("10.0.0.66:1");
        rejected.detail = QStringLiteral("signature");
        rejected.count = 12;
        rejected.to.clear();
        QVERIFY(store.write(a, { join, status, admin, rejected }));
        HistoryEvent other = join;
        other.member = QStringLiteral("serf-node");
        HistoryEvent deploy; // a Serf user event, as the recorder stores it
        deploy.time = m_now.addSecs(-30);
        deploy.kind = QStringLiteral("user-event");
        deploy.key = QStringLiteral("deploy\x1b[2J");
        deploy.value = QByteArray("v2");
        deploy.detail = QStringLiteral("deploy\x1b[2J v2");
        deploy.extra = QJsonObject { { QStringLiteral("ltime"), 7 } };
        QVERIFY(store.write(b, { other, deploy }));
    }

    void jsonListsEveryEventOldestFirst()
    {
        const Run run = runShoal(
            { QStringLiteral("history"), QStringLiteral("--json") }, environmentWith(m_file));
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines.at(0).value(QStringLiteral("event")).toString(), QStringLiteral("join"));
        QCOMPARE(lines.at(2).value(QStringLiteral("event")).toString(), QStringLiteral("status"));
        QCOMPARE(lines.at(2).value(QStringLiteral("status")).toString(), QStringLiteral("SUSPECT"));
        QCOMPARE(
            lines.at(2).value(QStringLiteral("previous")).toString(), QStringLiteral("ONLINE"));
        QCOMPARE(lines.at(2).value(QStringLiteral("cluster")).toString(),
            QStringLiteral("swim:10.0.0.1:7001"));
        QCOMPARE(QDateTime::fromString(
                     lines.at(2).value(QStringLiteral("time")).toString(), Qt::ISODateWithMs),
            m_now.addSecs(-600));
        // JSON carries every value, the secret one too.
        QCOMPARE(lines.at(3).value(QStringLiteral("value")).toString(), QStringLiteral("hunter2"));
        QCOMPARE(
            lines.at(4).value(QStringLiteral("from")).toString(), QStringLiteral("10.0.0.66:1"));
        QCOMPARE(lines.at(4).value(QStringLiteral("count")).toInt(), 12);
        // A user event reads as watch printed it: name, payload, ltime.
        const QJsonObject deploy = lines.at(5);
        QCOMPARE(deploy.value(QStringLiteral("event")).toString(), QStringLiteral("user-event"));
        QCOMPARE(deploy.value(QStringLiteral("name")).toString(), QStringLiteral("deploy\x1b[2J"));
        QCOMPARE(deploy.value(QStringLiteral("payload")).toString(), QStringLiteral("v2"));
        QCOMPARE(deploy.value(QStringLiteral("ltime")).toInt(), 7);
        QVERIFY(!deploy.contains(QStringLiteral("source")));
    }

    void filtersBySinceMemberAndCluster()
    {
        Run run = runShoal({ QStringLiteral("history"), QStringLiteral("--json"),
                               QStringLiteral("--since"), QStringLiteral("15m") },
            environmentWith(m_file));
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(jsonLines(run.out).size(), 4);
        run = runShoal(
            { QStringLiteral("history"), QStringLiteral("--json"), QStringLiteral("--since"),
                m_now.addSecs(-400).toString(Qt::ISODateWithMs) },
            environmentWith(m_file));
        QCOMPARE(jsonLines(run.out).size(), 3);
        run = runShoal({ QStringLiteral("history"), QStringLiteral("--json"),
                           QStringLiteral("--member"), QStringLiteral("10.0.0.1:7001") },
            environmentWith(m_file));
        QCOMPARE(jsonLines(run.out).size(), 2);
        run = runShoal({ QStringLiteral("history"), QStringLiteral("--json"),
                           QStringLiteral("--cluster"), QStringLiteral("serf") },
            environmentWith(m_file));
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> serf = jsonLines(run.out);
        QCOMPARE(serf.size(), 2);
        QCOMPARE(serf.at(0).value(QStringLiteral("name")).toString(), QStringLiteral("serf-node"));
    }

    void textIsEscapedAndMasked()
    {
        const Run run = runShoal({ QStringLiteral("history") }, environmentWith(m_file));
        QCOMPARE(run.exitCode, 0);
        const QString text = QString::fromUtf8(run.out);
        QCOMPARE(text.count(QLatin1Char('\n')), 6);
        QVERIFY2(!text.contains(QStringLiteral("hunter2")), run.out.constData());
        QVERIFY2(
            text.contains(QStringLiteral("admin = \u2022\u2022\u2022\u2022")), run.out.constData());
        QVERIFY2(!run.out.contains('\x1b'), run.out.constData());
        QVERIFY2(text.contains(QStringLiteral("evil\\x1b[31m")), run.out.constData());
        QVERIFY2(
            text.contains(QStringLiteral("user-event -  deploy\\x1b[2J v2")), run.out.constData());
        QVERIFY2(text.contains(QStringLiteral("12 datagrams (signature)")), run.out.constData());
        // Two clusters: each line says which.
        QVERIFY2(text.contains(QStringLiteral("serf:10.0.0.9:7946")), run.out.constData());
        const Run shown = runShoal(
            { QStringLiteral("history"), QStringLiteral("--show-key"), QStringLiteral("admin") },
            environmentWith(m_file));
        QVERIFY(shown.out.contains("hunter2"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("since") << QStringList { QStringLiteral("--since"),
            QStringLiteral("yesterday") }
                               << QStringLiteral("--since: \"yesterday\"");
        QTest::newRow("cluster") << QStringList { QStringLiteral("--cluster"),
            QStringLiteral("nope") }
                                 << QStringLiteral("names no recorded cluster; recorded: ");
        QTest::newRow("ambiguous")
            << QStringList { QStringLiteral("--cluster"), QStringLiteral("10.0.0") }
            << QStringLiteral("names several");
        QTest::newRow("unknown") << QStringList { QStringLiteral("--sinse=1h") }
                                 << QStringLiteral("--since");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = runShoal(
            QStringList { QStringLiteral("history") } + arguments, environmentWith(m_file));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void noHistoryYetIsEmpty()
    {
        const Run run = runShoal({ QStringLiteral("history"), QStringLiteral("--json") },
            environmentWith(m_dir.filePath(QStringLiteral("never.sqlite"))));
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never.sqlite"))));
    }

    // `watch --history` writes a batch at least every 250 ms: killed with SIGKILL, it keeps every
    // event it printed more than a second before.
    void watchKilledKeepsAllButTheLastSecond()
    {
        swim::LocalClusterConfig config;
        config.nodes = 3;
        config.secret = QByteArrayLiteral("right");
        config.timings = swim::Timings { 100, 60, 1, 120, 1500, 50 };
        config.tokenIntervalMs = 100;
        swim::LocalCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        const QString file = m_dir.filePath(QStringLiteral("killed.sqlite"));
        QProcessEnvironment environment = environmentWith(file);
        environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("right"));
        QProcess watch;
        watch.setProcessEnvironment(environment);
        watch.start(shoalBinary(),
            { QStringLiteral("watch"), QStringLiteral("--json"), QStringLiteral("--history"),
                QStringLiteral("--peer"), cluster.names().at(0),
                QStringLiteral("--ping-interval=0.1"), QStringLiteral("--ping-timeout=0.06"),
                QStringLiteral("--ping-req-timeout=0.12"), QStringLiteral("--suspect-timeout=1.5"),
                QStringLiteral("--sync-interval=0.05") });
        QVERIFY(watch.waitForStarted(10000));
        QElapsedTimer clock;
        clock.start();
        struct Printed
        {
            qint64 atMs;
            QString member;
            QString value;
        };
        QList<Printed> printed;
        QByteArray buffer;
        // Until tokens have been printed for a while (at most 30 s).
        while (clock.elapsed() < 30000) {
            QTest::qWait(20);
            buffer += watch.readAllStandardOutput();
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                const QJsonObject line = QJsonDocument::fromJson(buffer.left(newline)).object();
                buffer.remove(0, newline + 1);
                if (line.value(QStringLiteral("event")).toString() == QLatin1String("metadata")
                    && line.value(QStringLiteral("key")).toString() == QLatin1String("token"))
                    printed.append({ clock.elapsed(), line.value(QStringLiteral("name")).toString(),
                        line.value(QStringLiteral("value")).toString() });
            }
            if (printed.size() >= 5 && clock.elapsed() - printed.at(4).atMs > 1500)
                break;
        }
        QVERIFY2(printed.size() >= 5, watch.readAllStandardError().constData());
        const qint64 killedAt = clock.elapsed();
        watch.kill(); // SIGKILL: no handler, no flush
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitStatus(), QProcess::CrashExit);
        cluster.stop();

        HistoryStore store;
        QVERIFY2(store.open(file, &error, true), qPrintable(error));
        const QList<HistoryEvent> stored = store.read({});
        int older = 0;
        for (const Printed &event : std::as_const(printed)) {
            if (killedAt - event.atMs < 1000)
                continue; // the last second may be lost
            ++older;
            const bool found
                = std::any_of(stored.cbegin(), stored.cend(), [&](const HistoryEvent &e) {
                      return e.kind == QLatin1String("metadata") && e.member == event.member
                          && e.key == QLatin1String("token") && e.value == event.value.toUtf8();
                  });
            QVERIFY2(found,
                qPrintable(QStringLiteral("%1 token=%2, printed %3 ms before the kill, is lost")
                               .arg(event.member, event.value)
                               .arg(killedAt - event.atMs)));
        }
        QVERIFY(older >= 5);
        // And `shoal history --json` lists them.
        const Run run = runShoal({ QStringLiteral("history"), QStringLiteral("--json"),
                                     QStringLiteral("--member"), printed.at(0).member },
            environmentWith(file));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(printed.at(0).value.toUtf8()), run.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
