// `watch --metrics-listen` against the real Prometheus tools (Debian's `prometheus` package):
// promtool accepts what is served and docs/prometheus-alerts.yml; a Prometheus server on
// 127.0.0.1 scrapes a watch beside `shoal serve`, and after one member is killed answers the
// PromQL query for the number of OFFLINE members with 1. The server's limits (connections,
// request size) are checked with plain sockets. Skipped, loudly, when prometheus/promtool are
// not installed; fails instead when SHOAL_REQUIRE_PROMETHEUS is set (CI: .ci/run).
#include "shoalrun.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>
#include <vector>

using namespace shoal::test;

namespace {

const QString kSourceDir = QStringLiteral(SHOAL_SOURCE_DIR);

// Fast swim timings, so that a killed member is OFFLINE within about two seconds.
const QStringList kFastTimings = { QStringLiteral("--ping-interval"), QStringLiteral("0.2"),
    QStringLiteral("--ping-timeout"), QStringLiteral("0.1"), QStringLiteral("--ping-req-timeout"),
    QStringLiteral("0.2"), QStringLiteral("--suspect-timeout"), QStringLiteral("1"),
    QStringLiteral("--sync-interval"), QStringLiteral("0.2") };

// A TCP port free on 127.0.0.1 as the OS picks it (released for the process that takes it).
quint16 freeTcpPort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

// Child processes that are killed when the test ends, whatever way it ends.
class Processes
{
public:
    ~Processes()
    {
        for (auto &process : m_processes) {
            if (process->state() != QProcess::NotRunning) {
                process->kill();
                process->waitForFinished(5000);
            }
        }
    }
    QProcess *start(const QString &program, const QStringList &arguments,
        const QProcessEnvironment &environment = cleanEnvironment())
    {
        m_processes.push_back(std::make_unique<QProcess>());
        QProcess *process = m_processes.back().get();
        process->setProcessEnvironment(environment);
        process->start(program, arguments);
        return process->waitForStarted(10000) ? process : nullptr;
    }

private:
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

// Lines of a shoal serve's stdout once all `count` names are printed (empty on timeout).
QStringList servedNames(QProcess *serve, int count)
{
    QByteArray out;
    const QDeadlineTimer deadline(15000);
    while (out.count('\n') < count && !deadline.hasExpired()) {
        serve->waitForReadyRead(100);
        out += serve->readAllStandardOutput();
    }
    QStringList names = QString::fromUtf8(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return names.size() >= count ? names : QStringList();
}

// The URL a `watch --metrics-listen 127.0.0.1:0` prints on stderr (empty on timeout).
QString metricsUrl(QProcess *watch)
{
    QByteArray errText;
    watch->setReadChannel(QProcess::StandardError);
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        watch->waitForReadyRead(100);
        errText += watch->readAllStandardError();
        const qsizetype at = errText.indexOf("metrics at ");
        const qsizetype end = errText.indexOf('\n', at);
        if (at >= 0 && end > at)
            return QString::fromUtf8(errText.mid(at + 11, end - at - 11));
        if (watch->state() == QProcess::NotRunning)
            break;
    }
    qWarning("watch said: %s", errText.constData());
    return {};
}

QByteArray httpGet(const QUrl &url, int *status = nullptr)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setTransferTimeout(5000);
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return reply->readAll();
}

// What `promtool ARGUMENTS` says and its exit status, with stdin.
std::pair<int, QByteArray> promtool(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("promtool"), arguments);
    if (!process.waitForStarted(10000))
        return { -1, {} };
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return { -1, process.readAll() };
    }
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        process.readAll() };
}

// The one value of an instant-vector PromQL query, or nullopt (no result, no answer).
std::optional<double> queryValue(quint16 prometheusPort, const QString &promql)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(prometheusPort));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("query"), promql);
    url.setQuery(query);
    const QJsonObject answer = QJsonDocument::fromJson(httpGet(url)).object();
    const QJsonArray result
        = answer.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
    if (answer.value(QStringLiteral("status")).toString() != QLatin1String("success")
        || result.size() != 1)
        return std::nullopt;
    bool ok = false;
    const double value = result.at(0)
                             .toObject()
                             .value(QStringLiteral("value"))
                             .toArray()
                             .at(1)
                             .toString()
                             .toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

// Polls the query until it answers `expected` or timeoutMs passes; the last answer.
std::optional<double> waitForValue(
    quint16 prometheusPort, const QString &promql, double expected, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    std::optional<double> value;
    while (!deadline.hasExpired()) {
        value = queryValue(prometheusPort, promql);
        if (value && *value == expected)
            return value;
        QTest::qWait(250);
    }
    return value;
}

QProcessEnvironment environmentWithSecret()
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("prometheus-test-secret"));
    return environment;
}

} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT

private:
    // QSKIP or QFAIL (CI) when a tool is missing; true when it is there.
    static bool have(const QString &tool)
    {
        return !QStandardPaths::findExecutable(tool).isEmpty();
    }

private slots:
    void initTestCase()
    {
        if (have(QStringLiteral("prometheus")) && have(QStringLiteral("promtool")))
            return;
        if (qEnvironmentVariableIsSet("SHOAL_REQUIRE_PROMETHEUS"))
            QFAIL("SHOAL_REQUIRE_PROMETHEUS is set (CI) but prometheus/promtool are not "
                  "installed");
        QSKIP("prometheus and promtool (Debian's prometheus package) are not installed");
    }

    void alertRulesAreValid()
    {
        const QString rules = kSourceDir + QStringLiteral("/docs/prometheus-alerts.yml");
        QVERIFY(QFile::exists(rules));
        const auto [status, output]
            = promtool({ QStringLiteral("check"), QStringLiteral("rules"), rules });
        QVERIFY2(status == 0, output.constData());
        // And they fire as documented, on synthetic series (promtool's rule unit tests).
        const auto [testStatus, testOutput]
            = promtool({ QStringLiteral("test"), QStringLiteral("rules"),
                QStringLiteral(SHOAL_TEST_DATA "/prometheus-alerts-test.yml") });
        QVERIFY2(testStatus == 0, testOutput.constData());
    }

    void servedMetricsPassPromtool()
    {
        Processes processes;
        QProcess *serve = processes.start(shoalBinary(),
            { QStringLiteral("serve"), QStringLiteral("--nodes"), QStringLiteral("3") },
            environmentWithSecret());
        QVERIFY(serve);
        const QStringList names = servedNames(serve, 3);
        QVERIFY(!names.isEmpty());
        QProcess *watch = processes.start(shoalBinary(),
            { QStringLiteral("watch"), QStringLiteral("--peer"), names.first(),
                QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0") },
            environmentWithSecret());
        QVERIFY(watch);
        const QString url = metricsUrl(watch);
        QVERIFY(url.startsWith(QStringLiteral("http://127.0.0.1:")));
        QByteArray text;
        const QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            int status = 0;
            text = httpGet(QUrl(url), &status);
            QCOMPARE(status, 200);
            if (text.contains("shoal_members{status=\"ONLINE\"} 4\n"))
                break;
            QTest::qWait(200);
        }
        QVERIFY2(text.contains("shoal_members{status=\"ONLINE\"} 4\n"), text.constData());
        const auto [status, output]
            = promtool({ QStringLiteral("check"), QStringLiteral("metrics") }, text);
        QVERIFY2(status == 0, QByteArray(output + "\n" + text).constData());
        QVERIFY2(output.trimmed().isEmpty(), output.constData()); // not even a lint warning

        // Only GET /metrics is served.
        int other = 0;
        httpGet(
            QUrl(QString(url).replace(QStringLiteral("/metrics"), QStringLiteral("/x"))), &other);
        QCOMPARE(other, 404);
    }

    void windowServesMetrics()
    {
        Processes processes;
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess *window = processes.start(shoalBinary(),
            { QStringLiteral("--demo"), QStringLiteral("3"), QStringLiteral("--metrics-listen"),
                QStringLiteral("127.0.0.1:0") },
            environment);
        QVERIFY(window);
        const QUrl url(metricsUrl(window));
        QVERIFY(url.isValid());
        QByteArray text;
        const QDeadlineTimer deadline(15000);
        // The counters come from the backend thread's snapshots (every 0.5 s).
        const auto ready = [&text] {
            return text.contains("shoal_members{status=\"ONLINE\"} 4\n")
                && text.contains("shoal_packets_received_total{type=\"Ack\"}");
        };
        while (!deadline.hasExpired() && !ready()) {
            QTest::qWait(200);
            text = httpGet(url);
        }
        QVERIFY2(ready(), text.constData());
        QVERIFY(
            text.contains("shoal_build_info{version=\"" SHOAL_VERSION "\",protocol=\"swim\"} 1\n"));
    }

    void serverLimitsConnectionsAndRequestSize()
    {
        Processes processes;
        QProcess *watch = processes.start(shoalBinary(),
            { QStringLiteral("watch"), QStringLiteral("--peer"), QStringLiteral("127.0.0.1:9"),
                QStringLiteral("--settle"), QStringLiteral("60"),
                QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0") },
            environmentWithSecret());
        QVERIFY(watch);
        const QUrl url(metricsUrl(watch));
        QVERIFY(url.isValid());

        // A request that never ends is cut off after 16 KiB (the limit), not buffered on.
        QTcpSocket endless;
        endless.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
        QVERIFY(endless.waitForConnected(5000));
        endless.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
        QSignalSpy closed(&endless, &QTcpSocket::disconnected);
        const QByteArray chunk(4096, 'x');
        for (int i = 0; i < 64 && closed.isEmpty(); ++i) {
            endless.write(chunk);
            endless.waitForBytesWritten(1000);
            QTest::qWait(10);
        }
        QVERIFY(closed.wait(5000) || !closed.isEmpty());

        // More than 16 idle connections: the extra ones are closed at once, and once they
        // are, the server still answers.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 16; ++i) {
            idle.push_back(std::make_unique<QTcpSocket>());
            idle.back()->connectToHost(QHostAddress::LocalHost, quint16(url.port()));
            QVERIFY(idle.back()->waitForConnected(5000));
        }
        QTest::qWait(300); // the server accepted them
        QTcpSocket extra;
        extra.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
        QVERIFY(extra.waitForConnected(5000));
        QVERIFY(
            extra.state() == QAbstractSocket::UnconnectedState || extra.waitForDisconnected(5000));
        idle.clear();
        QTest::qWait(300);
        int status = 0;
        const QByteArray text = httpGet(url, &status);
        QCOMPARE(status, 200);
        QVERIFY(text.contains("shoal_build_info"));
    }

    void prometheusCountsOfflineMembers()
    {
        Processes processes;
        // Three members in one process, one more in another: the one that will be killed.
        QProcess *serve = processes.start(shoalBinary(),
            QStringList { QStringLiteral("serve"), QStringLiteral("--nodes"), QStringLiteral("3") }
                + kFastTimings,
            environmentWithSecret());
        QVERIFY(serve);
        const QStringList names = servedNames(serve, 3);
        QVERIFY(!names.isEmpty());
        QProcess *doomed = processes.start(shoalBinary(),
            QStringList { QStringLiteral("serve"), QStringLiteral("--nodes"), QStringLiteral("1"),
                QStringLiteral("--peer"), names.first() }
                + kFastTimings,
            environmentWithSecret());
        QVERIFY(doomed);
        QVERIFY(!servedNames(doomed, 1).isEmpty());
        QProcess *watch = processes.start(shoalBinary(),
            QStringList { QStringLiteral("watch"), QStringLiteral("--peer"), names.first(),
                QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0") }
                + kFastTimings,
            environmentWithSecret());
        QVERIFY(watch);
        const QUrl url(metricsUrl(watch));
        QVERIFY(url.isValid());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n"
                                    "  scrape_interval: 1s\n"
                                    "  evaluation_interval: 1s\n"
                                    "rule_files: ['%1']\n"
                                    "scrape_configs:\n"
                                    "  - job_name: shoal\n"
                                    "    scrape_timeout: 1s\n"
                                    "    static_configs:\n"
                                    "      - targets: ['127.0.0.1:%2']\n")
                         .arg(kSourceDir + QStringLiteral("/docs/prometheus-alerts.yml"))
                         .arg(url.port())
                         .toUtf8());
        config.close();
        const quint16 port = freeTcpPort();
        QVERIFY(port != 0);
        QProcess *prometheus = processes.start(QStringLiteral("prometheus"),
            { QStringLiteral("--config.file=") + config.fileName(),
                QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                QStringLiteral("--log.level=warn") },
            QProcessEnvironment::systemEnvironment());
        QVERIFY(prometheus);

        // All five members (four served, the watch itself) online as Prometheus sees them.
        const QString online = QStringLiteral("sum(shoal_members{status=\"ONLINE\"})");
        const auto before = waitForValue(port, online, 5, 15000);
        QVERIFY2(before && *before == 5,
            QByteArray(prometheus->readAllStandardError() + watch->readAllStandardError())
                .constData());
        QCOMPARE(queryValue(port, QStringLiteral("sum(shoal_members{status=\"OFFLINE\"})")), 0.0);

        doomed->kill();
        doomed->waitForFinished(5000);
        const QString offline = QStringLiteral("sum(shoal_members{status=\"OFFLINE\"})");
        const auto after = waitForValue(port, offline, 1, 15000);
        QVERIFY2(after && *after == 1, qPrintable(QString::number(after.value_or(-1))));
        // The same from the per-member series.
        QCOMPARE(
            queryValue(port, QStringLiteral("count(shoal_member_status{status=\"OFFLINE\"} == 0)")),
            1.0);
        QCOMPARE(queryValue(port, online), 4.0);
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
