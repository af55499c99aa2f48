// The window form of the command line: `shoal [OPTIONS]` and `shoal --demo [N] [OPTIONS]`.
// Parses the shared cluster options, joins at once (peers or demo) or asks with the join
// dialog, and wires the service to the models and the window.
#include "app/clusteroptions.h"
#include "app/commands.h"
#include "app/console.h"
#include "app/joinoptions.h"
#include "app/metricsserver.h"
#include "app/processmemory.h"
#include "app/translations.h"
#include "app/usage.h"
#include "app/windowoptions.h"
#include "cluster/clustersession.h"
#include "cluster/metricscollector.h"
#include "history/historypreload.h"
#include "history/historyrecorder.h"
#include "model/statuscounts.h"
#include "net/serf/serfbackendfactory.h"
#include "net/swim/swimbackendfactory.h"
#include "ui/eventlooplag.h"
#include "ui/historypreloader.h"
#include "ui/joindialog.h"
#include "ui/mainwindow.h"
#include "ui/metadataeditor.h"
#include "ui/palettecolors.h"
#include "ui/timelineview.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QMessageBox>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

#include <ctime>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace shoal::app {

namespace {

// SHOAL_STARTUP_TRACE (app/main.cpp sets it to the CLOCK_MONOTONIC nanoseconds of main()):
// prints to stderr how many milliseconds after main() the window reached label.
void traceStartup(const char *label)
{
    static const qint64 startNs = qEnvironmentVariable("SHOAL_STARTUP_TRACE").toLongLong();
    if (startNs <= 0)
        return;
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const qint64 ns = qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
    standardError() << "shoal: startup: " << QString::number(double(ns - startNs) / 1e6, 'f', 1)
                    << " ms " << label << Qt::endl;
}

// With SHOAL_STARTUP_TRACE: "first paint" once the first paint of window (all of it: widgets
// paint in one pass, flushed before the event loop's next turn) is done.
class FirstPaintTrace final : public QObject
{
public:
    explicit FirstPaintTrace(QWidget &window)
        : m_window(window)
    {
        if (qEnvironmentVariableIsSet("SHOAL_STARTUP_TRACE"))
            QCoreApplication::instance()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType()
            && static_cast<QWidget *>(watched)->window() == &m_window) {
            QCoreApplication::instance()->removeEventFilter(this);
            QTimer::singleShot(0, this, [] { traceStartup("first paint"); });
        }
        return false;
    }

private:
    QWidget &m_window;
};

QStringList machineAddresses()
{
    // This host's routable addresses first (remote members can reach them), loopback last.
    // allAddresses() lists the interfaces that are up; link-local ones route nowhere.
    QStringList addresses;
    const QList<QHostAddress> all = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : all) {
        if (address.protocol() != QAbstractSocket::IPv4Protocol || address.isLoopback()
            || address.isLinkLocal())
            continue;
        addresses.append(address.toString());
    }
    addresses.append(QStringLiteral("127.0.0.1"));
    return addresses;
}

// The join dialog as every form opens it: the protocol's page and this host's addresses.
void prepareJoinDialog(ui::JoinDialog &dialog)
{
    dialog.setProtocolForms(joinProtocolForms());
    dialog.setAddresses(machineAddresses());
}

QString sessionText(const char *text)
{
    return QCoreApplication::translate("shoal::app::Session", text);
}

// One joined window: the cluster session (the one owner of the state, its backend on its own
// thread) shown by the main window, and the window's session control (File > Join...,
// Reconnect, Leave, leaving on quit), carried out without blocking the window: a leave runs
// in the backend's thread and the next join follows its left(). Alive as long as the window.
class Session final : public QObject
{
public:
    // Joins again with the settings of the last join (a secret file read again); false with
    // a one-line *error.
    using Rejoin = std::function<bool(QString *error)>;

    explicit Session(ui::MainWindow &window, bool history)
        : m_window(window)
        , m_historyEnabled(history)
    {
        m_window.setSources({ m_session.metadata(), m_session.members(), m_session.values(),
            m_session.events(), m_session.spread() });
        QObject::connect(&m_session, &cluster::ClusterSession::rejected, &m_window,
            &ui::MainWindow::noteRejected);
        QObject::connect(&m_session, &cluster::ClusterSession::left, this, &Session::onLeft);
        QObject::connect(&m_window, &ui::MainWindow::joinRequested, this, [this] { askJoin(); });
        QObject::connect(&m_window, &ui::MainWindow::reconnectRequested, this, [this] {
            leaveThen([this] {
                QString error;
                if (!m_rejoin || !m_rejoin(&error))
                    QMessageBox::warning(&m_window, QStringLiteral("Shoal"),
                        sessionText("Cannot join: %1").arg(error));
            });
        });
        QObject::connect(
            &m_window, &ui::MainWindow::leaveRequested, this, [this] { leaveThen({}); });
        m_window.setSessionState(ui::MainWindow::SessionState::NotJoined);
    }

    // What dialog joins take from the command line (MTU, protocol version, metadata).
    void setDialogBase(const ClusterOptions &base) { m_base = base; }
    // How Reconnect joins again: set after each successful join by its caller.
    void setRejoin(Rejoin rejoin) { m_rejoin = std::move(rejoin); }
    // What File > Join... starts from when no recent cluster is kept: the current settings.
    void setCurrentRequest(const ui::JoinRequest &request) { m_current = request; }

    bool startDemo(ClusterOptions options, int nodes, quint16 basePort, QString *error)
    {
        if (options.protocol == Protocol::Serf) {
            serf::SerfLocalClusterConfig config;
            config.nodes = nodes;
            config.keyring = serf::Keyring(options.serf.keys);
            config.tokenIntervalMs = 2500;
            config.extraTags = { { QStringLiteral("role"), QByteArrayLiteral("demo") } };
            m_window.setNote(QCoreApplication::translate("shoal::app::Window",
                "Demo: %1 Serf members in this process, a token tag "
                "changes every few seconds")
                                 .arg(nodes));
            if (options.metadata.isEmpty())
                options.metadata = { { QStringLiteral("app"), QByteArrayLiteral("shoal") } };
            return join(options, error, std::nullopt, config);
        }
        if (options.secret.isEmpty()) {
            // A fresh random secret: nobody outside this process can join or disturb the demo.
            options.secret = QByteArray::number(QRandomGenerator::system()->generate64(), 36);
        }
        swim::LocalClusterConfig config;
        config.nodes = nodes;
        config.basePort = basePort;
        config.secret = options.secret;
        config.protocolVersion = options.swim.protocolVersion;
        config.timings = options.swim.timings;
        config.role = swim::Role::Participant;
        config.mtu = options.mtu;
        config.tokenIntervalMs = 2500;
        config.extraMetadata = { { QStringLiteral("role"), QByteArrayLiteral("demo") } };
        m_window.setNote(QCoreApplication::translate("shoal::app::Window",
            "Demo: %1 members in this process, a token key changes "
            "every few seconds")
                             .arg(nodes));
        if (options.metadata.isEmpty())
            options.metadata = { { QStringLiteral("app"), QByteArrayLiteral("shoal") } };
        return join(options, error, config);
    }

    // demo: the embedded cluster, started in the backend's thread; its members become peers.
    bool join(const ClusterOptions &options, QString *error,
        const std::optional<swim::LocalClusterConfig> &demo = std::nullopt,
        const std::optional<serf::SerfLocalClusterConfig> &serfDemo = std::nullopt)
    {
        const bool isSerf = options.protocol == Protocol::Serf;
        m_metrics.setInfo(QStringLiteral(SHOAL_VERSION), protocolLabel(options.protocol));
        const cluster::BackendFactory factory = isSerf
            ? serf::serfBackendFactory(serfServiceConfig(options), serfDemo)
            : swim::swimBackendFactory(options.serviceConfig(), demo);
        if (!m_session.start(factory, error))
            return false;
        // The demo's cluster is new each time (fresh ports and secret): nothing to remember.
        if (m_historyEnabled && !demo && !serfDemo)
            startHistory(options);
        else
            m_window.timeline()->setEventLog(m_session.events());
        watchFlapping();
        m_window.setLocalName(m_session.localName());
        // The editor's size indicator: the backend's own estimate of the datagram.
        m_window.editor()->setSizeEstimator(m_session.sizeEstimator());
        // What the protocol can tell decides what the window offers.
        m_window.editor()->setSpreadShown(m_session.capabilities().spreadTracking);
        m_window.setMtu(int(std::min<qsizetype>(options.mtu, 1 << 30)));
        // Silence means something only after we had time to probe: two rounds at these timings.
        // (Serf: memberlist's LAN timings, a probe a second and push/pull every 30 s.)
        swim::Timings t = options.swim.timings;
        if (isSerf) {
            t.pingIntervalMs = 1000;
            t.pingTimeoutMs = 500;
            t.pingReqTimeoutMs = 500;
            t.syncIntervalMs = 30000;
        }
        m_window.setSilenceWarningMs(int(std::clamp<qint64>(
            2 * (t.pingIntervalMs + t.pingTimeoutMs + t.pingReqTimeoutMs), 6000, 600000)));
        // Metadata comes only with the members' gossip: the hint says how often that is.
        m_window.setGossipIntervalMs(t.syncIntervalMs);
        m_window.setTrafficSource([this] {
            const cluster::TrafficCounters &c = m_session.counters();
            return std::pair<quint64, quint64> { c.datagramsIn(), c.datagramsOut() };
        });
        // Leaving is worth a question, in the protocol's words, unless the cluster is the demo
        // in this process (it goes with us).
        const bool inProcess = demo.has_value() || serfDemo.has_value();
        m_window.setLeaveNote(inProcess ? QString() : m_session.capabilities().leaveNote);
        m_window.setSessionState(ui::MainWindow::SessionState::Joined);
        return true;
    }

    // --metrics-listen: the session's batches and counters, served at hostPort.
    bool serveMetrics(const QString &hostPort, QString *error)
    {
        cluster::BackendThread &backend = m_session.backend();
        QObject::connect(&backend, &cluster::BackendThread::membersUpdated, this,
            [this](const QList<cluster::MemberUpdate> &updates) { m_metrics.apply(updates); });
        QObject::connect(&backend, &cluster::BackendThread::countersUpdated, this,
            [this](const cluster::TrafficCounters &counters) { m_metrics.setCounters(counters); });
        m_metricsServer
            = std::make_unique<MetricsServer>([this] { return m_metrics.exposition(); });
        if (!m_metricsServer->listen(hostPort, error))
            return false;
        standardError() << "shoal: metrics at " << m_metricsServer->url() << Qt::endl;
        return true;
    }

    // The join dialog (File > Join..., the banner's link); again with `retry` after a failure.
    void askJoin(const std::optional<ui::JoinRequest> &retry = std::nullopt)
    {
        QSettings settings;
        ui::JoinDialog dialog(&settings, &m_window);
        prepareJoinDialog(dialog);
        if (retry)
            dialog.setRequest(*retry);
        else if (m_current && dialog.recentClusters().isEmpty())
            dialog.setRequest(*m_current);
        const QList<ui::JoinRequest> recentBefore = dialog.recentClusters();
        if (dialog.exec() != QDialog::Accepted)
            return;
        const ui::JoinRequest request = dialog.request();
        // Another name leaves this member behind in the cluster: the leave question first.
        if (m_session.isRunning() && request.name != m_window.localName()
            && !m_window.confirmLeave()) {
            ui::JoinDialog(&settings).restoreRecentClusters(recentBefore);
            return;
        }
        leaveThen([this, request, recentBefore] {
            const Rejoin rejoin = [this, request](QString *error) {
                const auto chosen = optionsFromRequest(request, m_base, error);
                return chosen && join(*chosen, error);
            };
            QString error;
            if (rejoin(&error)) {
                m_rejoin = rejoin;
                m_current = request;
                return;
            }
            QSettings recent;
            ui::JoinDialog(&recent).restoreRecentClusters(recentBefore); // not a recent one
            QMessageBox::warning(
                &m_window, QStringLiteral("Shoal"), sessionText("Cannot join: %1").arg(error));
            QTimer::singleShot(0, this, [this, request] { askJoin(request); });
        });
    }

private:
    // The last hour into the log, the stored week into the timeline and the chart's last
    // minutes replayed from it; then every new event recorded (off the GUI thread).
    void startHistory(const ClusterOptions &options)
    {
        const QSettings settings;
        history::HistoryLimits limits;
        limits.retentionDays = std::clamp(
            settings.value(QStringLiteral("history/retentionDays"), 30).toInt(), 1, 3650);
        limits.maxBytes
            = std::clamp<qint64>(
                  settings.value(QStringLiteral("history/maxSizeMiB"), 256).toLongLong(), 1,
                  1 << 20)
            << 20;
        const QString identity = history::clusterIdentity(
            protocolName(options.protocol), options.peers, m_session.localName());
        history::PreloadRequest request;
        request.path = history::defaultHistoryPath();
        request.cluster = identity;
        request.now = QDateTime::currentDateTimeUtc();
        request.logLimit = m_session.events()->capacity();
        QString error;
        if (!ui::preloadWindow(m_window, m_session.events(), request, &error))
            standardError() << "shoal: history: " << error << Qt::endl;

        m_recorder = std::make_unique<history::HistoryRecorder>();
        m_recorder->setLimits(limits);
        if (!m_recorder->start(request.path, identity, &error)) {
            standardError() << "shoal: history: " << error << "; not recording" << Qt::endl;
            m_recorder.reset();
            return;
        }
        history::HistoryRecorder *recorder = m_recorder.get();
        QObject::connect(&m_session.backend(), &cluster::BackendThread::membersUpdated, recorder,
            &history::HistoryRecorder::record);
        QObject::connect(&m_session.backend(), &cluster::BackendThread::datagramsRejected, recorder,
            &history::HistoryRecorder::recordRejected);
        QObject::connect(&m_session.backend(), &cluster::BackendThread::eventsReceived, recorder,
            &history::HistoryRecorder::recordClusterEvents);
    }

    // Every few seconds: members with more than history/flapThreshold (default 5) status
    // changes in the last hour, from the timeline's lanes, flagged in the Members view.
    void watchFlapping()
    {
        if (m_flapTimer.isActive())
            return; // a rejoin (File > Join..., Reconnect): the timer already runs
        const QSettings settings;
        const int threshold = std::clamp(
            settings.value(QStringLiteral("history/flapThreshold"), 5).toInt(), 1, 100000);
        m_flapTimer.setInterval(5000);
        QObject::connect(&m_flapTimer, &QTimer::timeout, &m_window, [this, threshold] {
            const history::TimelineModel &timeline = m_window.timeline()->model();
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QHash<QString, int> flapping;
            for (const QString &member : timeline.flappingMembers(now, threshold))
                flapping.insert(member, timeline.statusChanges(member, now));
            m_session.members()->setFlapping(flapping, threshold);
        });
        m_flapTimer.start();
    }

    // Leaves (in the background) and then runs next, if any, once the address is free.
    void leaveThen(std::function<void()> next)
    {
        m_next = std::move(next);
        m_window.setSessionState(ui::MainWindow::SessionState::Leaving);
        m_session.leave();
    }

    void onLeft()
    {
        m_window.setSessionState(ui::MainWindow::SessionState::NotJoined);
        if (const std::function<void()> next = std::exchange(m_next, {}))
            next();
    }

    ui::MainWindow &m_window;
    bool m_historyEnabled;
    QTimer m_flapTimer;
    // Before m_session: the session (and its backend thread) stops first, then the recorder
    // writes what is left.
    std::unique_ptr<history::HistoryRecorder> m_recorder;
    cluster::ClusterSession m_session;
    ClusterOptions m_base;
    Rejoin m_rejoin;
    std::optional<ui::JoinRequest> m_current;
    std::function<void()> m_next;
    cluster::MetricsCollector m_metrics;
    std::unique_ptr<MetricsServer> m_metricsServer; // goes first: it renders m_metrics
};

int tabIndex(const QString &name)
{
    static const char *const names[] = { "members", "values", "local", "events", "timeline" };
    for (int i = 0; i < int(std::size(names)); ++i) {
        if (name.compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0)
            return i;
    }
    bool ok = false;
    const int index = name.toInt(&ok);
    return ok ? index : 0;
}

} // namespace

int runWindow(int &argc, char **argv)
{
    // QApplication takes the arguments it knows out of argv, and it knows -name/--name (an X11
    // resource name): Shoal's --name would vanish. So it gets the program name and Qt's own
    // options alone (-style, -platform, -stylesheet, ...: takeQtOptions), and the rest of the
    // command line is read here, before any QApplication exists: a usage error needs no
    // display.
    QStringList commandLine;
    for (int i = 0; i < argc; ++i)
        commandLine << QString::fromLocal8Bit(argv[i]);
    QStringList qtOptions;
    commandLine = takeQtOptions(commandLine, &qtOptions);

    QCommandLineParser parser;
    describeWindow(parser);
    int demoNodes = kDefaultDemoNodes;
    quint16 demoBasePort = 0;
    QString error;
    std::optional<ClusterOptions> options;
    {
        int coreArgc = 1;
        QCoreApplication core(coreArgc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("shoal"));
        const QStringList arguments = takeDemoCount(commandLine, &demoNodes, &error);
        QString usage;
        if (!parseArguments(parser, arguments, &usage)) {
            standardError() << "shoal: " << usage << Qt::endl;
            return ExitUsage;
        }
        if (!error.isEmpty()) {
            standardError() << "shoal: " << error << Qt::endl;
            return ExitUsage;
        }
        options
            = readClusterOptions(parser, QProcessEnvironment::systemEnvironment(), &error, false);
        if (!options) {
            standardError() << "shoal: " << error << Qt::endl;
            return ExitUsage;
        }
        for (const QString &warning : std::as_const(options->warnings))
            standardError() << "shoal: " << warning << Qt::endl;
        if (parser.isSet(QStringLiteral("base-port"))) {
            bool ok = false;
            const int base = parser.value(QStringLiteral("base-port")).toInt(&ok);
            if (!parser.isSet(QStringLiteral("demo"))) {
                standardError() << "shoal: --base-port applies only with --demo" << Qt::endl;
                return ExitUsage;
            }
            if (!ok || base < 1 || base + demoNodes - 1 > 65535) {
                standardError() << "shoal: --base-port: \""
                                << parser.value(QStringLiteral("base-port"))
                                << "\" leaves no room for " << demoNodes << " ports below 65536"
                                << Qt::endl;
                return ExitUsage;
            }
            demoBasePort = quint16(base);
        }
    }
    const bool demo = parser.isSet(QStringLiteral("demo"));

    std::vector<QByteArray> qtBytes { QByteArray(argv[0]) };
    for (const QString &option : std::as_const(qtOptions))
        qtBytes.push_back(option.toLocal8Bit());
    std::vector<char *> qtArgv;
    for (QByteArray &bytes : qtBytes)
        qtArgv.push_back(bytes.data());
    qtArgv.push_back(nullptr);
    int qtArgc = int(qtBytes.size());
    QApplication app(qtArgc, qtArgv.data());
    QApplication::setApplicationName(QStringLiteral("shoal"));
    QApplication::setOrganizationName(QStringLiteral("shoal"));
    QApplication::setApplicationVersion(QStringLiteral(SHOAL_VERSION));
    traceStartup("application");
    installWindowTranslations();
    if (parser.isSet(QStringLiteral("dark-palette"))) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(ui::referenceDarkPalette());
    }

    ui::MainWindow window;
    FirstPaintTrace paintTrace(window);
    traceStartup("window built");
    Session session(window, !parser.isSet(QStringLiteral("no-history")));
    session.setDialogBase(*options);
    if (parser.isSet(QStringLiteral("metrics-listen"))
        && !session.serveMetrics(parser.value(QStringLiteral("metrics-listen")), &error)) {
        standardError() << "shoal: " << error << Qt::endl;
        return ExitRuntime;
    }
    if (demo) {
        if (!session.startDemo(*options, demoNodes, demoBasePort, &error)) {
            standardError() << "shoal --demo: " << error << Qt::endl;
            return ExitRuntime;
        }
        session.setRejoin([&session, demoOptions = *options, demoNodes, demoBasePort](QString *e) {
            return session.startDemo(demoOptions, demoNodes, demoBasePort, e);
        });
    } else if (!options->peers.isEmpty()
        && (!options->secret.isEmpty() || options->protocol == Protocol::Serf)) {
        if (!session.join(*options, &error)) {
            standardError() << "shoal: " << error << Qt::endl;
            return ExitRuntime;
        }
        // File > Join... starts from these settings (the member's real name, the peers).
        ui::JoinRequest current = requestFromOptions(*options);
        current.name = window.localName();
        session.setCurrentRequest(current);
        // Reconnect reads the command line again: a secret file fixed meanwhile counts.
        session.setRejoin([&session, &parser](QString *e) {
            const auto again
                = readClusterOptions(parser, QProcessEnvironment::systemEnvironment(), e, false);
            return again && session.join(*again, e);
        });
    } else {
        // Neither demo nor a complete command line: ask, starting from what was given.
        QSettings settings;
        ui::JoinDialog dialog(&settings);
        prepareJoinDialog(dialog);
        // Peers or --protocol serf given: the dialog starts from them (not a recent cluster).
        if (!options->peers.isEmpty()
            || (options->protocol == Protocol::Serf
                && dialog.request().protocol != QLatin1String("serf"))) {
            ui::JoinRequest given = requestFromOptions(*options);
            // No --name: this host's address and the protocol's port, as proposed.
            given.name = options->nameGiven ? options->name : QString();
            dialog.setRequest(given);
        }
        if (parser.isSet(QStringLiteral("screenshot"))) {
            // Documentation aid: the dialog itself, then quit.
            const QString path = parser.value(QStringLiteral("screenshot"));
            QTimer::singleShot(1500, &dialog, [&dialog, path] {
                if (!dialog.grab().save(path))
                    standardError() << "shoal: cannot save " << path << Qt::endl;
                dialog.reject();
            });
        }
        for (;;) {
            const QList<ui::JoinRequest> recentBefore = dialog.recentClusters();
            if (dialog.exec() != QDialog::Accepted)
                return ExitOk;
            const ui::JoinRequest request = dialog.request();
            const auto chosen = optionsFromRequest(request, *options, &error);
            if (chosen && session.join(*chosen, &error)) {
                session.setRejoin([&session, request, base = *options](QString *e) {
                    const auto again = optionsFromRequest(request, base, e);
                    return again && session.join(*again, e);
                });
                break;
            }
            dialog.restoreRecentClusters(recentBefore); // a failed attempt is not a recent one
            QMessageBox::warning(&dialog, QStringLiteral("Shoal"),
                QCoreApplication::translate("shoal::app::Window", "Cannot join: %1").arg(error));
        }
    }

    // The layout the user left the window in (fitted to this screen); then the options. The
    // documentation and measurement aids leave the user's layout alone, both ways.
    const bool aid
        = parser.isSet(QStringLiteral("screenshot")) || parser.isSet(QStringLiteral("measure-lag"));
    window.setRemembersLayout(!aid);
    if (!aid) {
        const QSettings settings;
        window.restoreLayout(settings);
    }
    if (parser.isSet(QStringLiteral("hide-values")))
        window.hideValuesBox()->setChecked(true);
    if (parser.isSet(QStringLiteral("tab")))
        window.tabs()->setCurrentIndex(tabIndex(parser.value(QStringLiteral("tab"))));
    traceStartup("joined");
    window.show();

    if (parser.isSet(QStringLiteral("select"))) {
        const int row = parser.value(QStringLiteral("select")).toInt();
        QTimer::singleShot(1500, &window, [&window, row] { window.membersView()->selectRow(row); });
    }
    ui::EventLoopLag lag(50, 100000);
    if (parser.isSet(QStringLiteral("measure-lag"))) {
        const int seconds = std::max(1, parser.value(QStringLiteral("measure-lag")).toInt());
        const int delaySeconds
            = std::max(0, parser.value(QStringLiteral("measure-lag-delay")).toInt());
        QTimer::singleShot(delaySeconds * 1000, &lag, [&lag] { lag.start(); });
        QTimer::singleShot((delaySeconds + seconds) * 1000, &app, [&lag, &window] {
            const StatusCounts counts = window.statusCounts();
            standardError() << "shoal " << window.localName() << ": "
                            << counts.count(MemberStatus::Online) << " online, "
                            << counts.count(MemberStatus::Suspect) << " suspect, "
                            << counts.count(MemberStatus::Offline) << " offline; " << lag.summary()
                            << "; RSS " << residentKiB() / 1024 << " MiB" << Qt::endl;
            QCoreApplication::exit(0); // not quit(): that closes the window, which asks
        });
    }
    if (parser.isSet(QStringLiteral("screenshot"))) {
        const QString path = parser.value(QStringLiteral("screenshot"));
        const double delay = parser.value(QStringLiteral("screenshot-delay")).toDouble();
        QTimer::singleShot(int(std::clamp(delay, 0.0, 600.0) * 1000), &app, [&window, path] {
            if (!window.grab().save(path))
                standardError() << "shoal: cannot save " << path << Qt::endl;
            QCoreApplication::exit(0); // not quit(): that closes the window, which asks
        });
    }
    return QApplication::exec();
}

} // namespace shoal::app
