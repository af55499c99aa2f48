// `shoal members`, `shoal watch` and `shoal serve` (docs/CLI.md): headless forms that join a
// cluster, print what they see, and exit with the documented status.
#include "app/clusteroptions.h"
#include "app/commands.h"
#include "app/console.h"
#include "app/metricsserver.h"
#include "app/usage.h"
#include "cluster/metricscollector.h"
#include "history/historyrecorder.h"
#include "model/jsonvalue.h"
#include "model/memberdiff.h"
#include "model/secretkeys.h"
#include "model/valuetext.h"
#include "net/serf/serflocalcluster.h"
#include "net/serf/serfservice.h"
#include "net/swim/localcluster.h"
#include "net/swim/swimservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <functional>

namespace shoal::app {

namespace {

using cluster::MemberUpdate;
using cluster::RejectReport;
using swim::SwimService;

// --- output ---

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(timeText(time)) : QJsonValue(QJsonValue::Null);
}

QString probeName(ProbeResult probe)
{
    switch (probe) {
    case ProbeResult::Answered:
        return QStringLiteral("answered");
    case ProbeResult::NoAnswer:
        return QStringLiteral("no-answer");
    case ProbeResult::NotProbed:
        break;
    }
    return QStringLiteral("not-probed");
}

QJsonObject metadataJson(const Metadata &metadata)
{
    QJsonObject object;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        object.insert(it.key(), jsonValueFromBytes(it.value()));
    return object;
}

QJsonObject memberJson(const MemberRecord &member)
{
    QJsonObject object;
    object.insert(QStringLiteral("name"), member.name);
    object.insert(QStringLiteral("local"), member.local);
    object.insert(QStringLiteral("status"), memberStatusName(member.status));
    object.insert(QStringLiteral("clock"), static_cast<qint64>(member.clock));
    if (!member.protocolStatus.isEmpty())
        object.insert(QStringLiteral("protocol_status"), member.protocolStatus);
    object.insert(QStringLiteral("status_since"), timeJson(member.statusSince));
    object.insert(QStringLiteral("metadata"),
        member.metadata ? QJsonValue(metadataJson(*member.metadata))
                        : QJsonValue(QJsonValue::Null));
    // Beyond the contract: identity and Shoal's own first-hand probe of the member.
    object.insert(QStringLiteral("validity"),
        member.instanceId.isEmpty() ? QJsonValue(QJsonValue::Null)
                                    : QJsonValue(QString::fromLatin1(member.instanceId.toHex())));
    object.insert(QStringLiteral("last_heard"), timeJson(member.lastHeard));
    if (!member.local) {
        object.insert(QStringLiteral("probe"), probeName(member.probe));
        object.insert(QStringLiteral("last_probe"), timeJson(member.lastProbe));
        object.insert(QStringLiteral("rtt_ms"),
            member.rttMicros < 0 ? QJsonValue(QJsonValue::Null)
                                 : QJsonValue(static_cast<double>(member.rttMicros) / 1000.0));
    }
    return object;
}

QString jsonLine(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Text output of cluster data (names, keys, values, sources): controls and bidi characters
// escaped (model/valuetext.h), cut to a column width; the JSON forms carry them whole.
constexpr qsizetype kNameColumn = 80;
constexpr qsizetype kKeyColumn = 64;
constexpr qsizetype kValueColumn = 64;

QString nameText(const QString &name)
{
    return printableText(name, kNameColumn);
}

QString keyText(const QString &key)
{
    return printableText(key, kKeyColumn);
}

QString valueText(const QByteArray &value)
{
    return printableText(displayValue(value, kValueColumn), kValueColumn);
}

// --- parsing ---

// Parses the arguments of one subcommand: [program, subcommand, options...].
struct Parsed
{
    std::optional<ClusterOptions> options;
    int exitStatus = ExitOk; // when !options: ExitOk after --help, else ExitUsage
};

Parsed parseCommand(const QString &command, const QStringList &arguments,
    QCommandLineParser &parser, bool requireSecret = true)
{
    parser.setApplicationDescription(
        QStringLiteral("shoal %1: one of Shoal's forms (shoal --help lists them all).")
            .arg(command));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = parser.addHelpOption();
    addClusterOptions(parser);
    QStringList list = arguments;
    if (list.size() >= 2)
        list.removeAt(1); // the subcommand itself
    if (list.isEmpty())
        list << QStringLiteral("shoal");
    Parsed parsed;
    QString usage;
    if (!parseArguments(parser, list, &usage)) {
        standardError() << "shoal " << command << ": " << usage << Qt::endl;
        parsed.exitStatus = ExitUsage;
        return parsed;
    }
    if (parser.isSet(help)) {
        standardOutput() << helpText(parser, QStringLiteral("shoal ") + command) << Qt::flush;
        return parsed;
    }
    QString error;
    parsed.options = readClusterOptions(
        parser, QProcessEnvironment::systemEnvironment(), &error, requireSecret);
    if (!parsed.options) {
        standardError() << "shoal " << command << ": " << error << Qt::endl;
        parsed.exitStatus = ExitUsage;
        return parsed;
    }
    for (const QString &warning : std::as_const(parsed.options->warnings))
        standardError() << "shoal " << command << ": " << warning << Qt::endl;
    return parsed;
}

// Seconds as milliseconds; -1 when invalid. allowZero for --settle 0.
qint64 secondsOption(const QString &text, bool allowZero)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0 || (!allowZero && seconds == 0)
        || seconds > 1e8)
        return -1;
    return std::llround(seconds * 1000.0);
}

// --- SIGINT / SIGTERM, turned into an event-loop event (self-pipe) ---

int g_signalFds[2] = { -1, -1 };

extern "C" void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_signalFds[0], &byte, 1);
}

class TerminationWatcher final
{
public:
    explicit TerminationWatcher(QEventLoop *loop)
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(g_signalFds[1], QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, loop, [this, loop] {
            char byte = 0;
            [[maybe_unused]] const ssize_t got = ::read(g_signalFds[1], &byte, 1);
            m_signalled = true;
            loop->quit();
        });
        struct sigaction action
        {
        };
        action.sa_handler = onTerminationSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
        m_installed = true;
    }
    ~TerminationWatcher()
    {
        if (m_installed) {
            sigaction(SIGINT, &m_oldInt, nullptr);
            sigaction(SIGTERM, &m_oldTerm, nullptr);
        }
        m_notifier.reset();
        for (int &fd : g_signalFds) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }
    TerminationWatcher(const TerminationWatcher &) = delete;
    TerminationWatcher &operator=(const TerminationWatcher &) = delete;
    bool signalled() const { return m_signalled; }

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt
    {
    };
    struct sigaction m_oldTerm
    {
    };
    bool m_installed = false;
    bool m_signalled = false;
};

// Runs the event loop until a signal, or durationMs (when >= 0) elapsed, or done() (when given,
// polled every pollMs) returns true.
void runUntilStopped(qint64 durationMs, const std::function<bool()> &done = {}, int pollMs = 100)
{
    QEventLoop loop;
    TerminationWatcher watcher(&loop);
    QTimer duration;
    duration.setSingleShot(true);
    QObject::connect(&duration, &QTimer::timeout, &loop, &QEventLoop::quit);
    if (durationMs >= 0)
        duration.start(static_cast<int>(std::min<qint64>(durationMs, INT32_MAX)));
    QTimer poll;
    if (done) {
        QObject::connect(&poll, &QTimer::timeout, &loop, [&loop, &done] {
            if (done())
                loop.quit();
        });
        poll.start(pollMs);
    }
    loop.exec();
}

// Why nobody answered, from what was refused: one line per source and reason.
QStringList diagnoseRejects(const cluster::ClusterBackend &backend)
{
    QStringList lines;
    const auto rejects = backend.rejectTotals();
    QStringList sources = rejects.keys();
    sources.sort();
    for (const QString &source : std::as_const(sources)) {
        const auto &reasons = rejects.value(source);
        for (auto it = reasons.cbegin(); it != reasons.cend(); ++it) {
            lines << rejectLine(
                it.value(), nameText(source), it.key(), backend.rejectCause(it.key()));
        }
    }
    return lines;
}

// What the engine refused from the cluster (issue 14, finding 4): one line per kind, with
// the count so far; empty when nothing was.
QStringList refusalLines(const QList<QPair<QString, quint64>> &counts)
{
    QStringList lines;
    for (const auto &[description, count] : counts) {
        if (count > 0)
            lines << QStringLiteral("%1 %2").arg(count).arg(description);
    }
    return lines;
}

// Peers whose host name does not resolve, looked up now (at most 5 s): one line each.
QStringList unresolvedPeers(const QStringList &peers)
{
    QStringList lines;
    QEventLoop loop;
    int waiting = 0;
    for (const QString &peer : peers) {
        QString error;
        const auto hostPort = net::parseHostPort(peer, false, &error);
        if (!hostPort || !QHostAddress(hostPort->host).isNull())
            continue;
        ++waiting;
        QHostInfo::lookupHost(hostPort->host, &loop,
            [&lines, &waiting, &loop, peer, host = hostPort->host](const QHostInfo &info) {
                if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
                    lines << QStringLiteral("peer %1: cannot resolve \"%2\" (%3)")
                                 .arg(peer, host, info.errorString());
                if (--waiting == 0)
                    loop.quit();
            });
    }
    if (waiting > 0) {
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    lines.sort();
    return lines;
}

// Why nobody answered (members at the end of --settle, watch after a while): on stderr.
void reportNoAnswer(const QString &command, const cluster::ClusterBackend &service,
    const ClusterOptions &options, const QString &seconds, const QStringList &rejects)
{
    const QStringList unresolved = unresolvedPeers(options.peers);
    standardError() << "shoal " << command << ": no member answered within " << seconds << " s";
    if (options.peers.isEmpty())
        standardError() << " (no --peer or SWIM_PEERS given)";
    else if (!unresolved.isEmpty())
        standardError() << ": " << unresolved.join(QStringLiteral("; "));
    else if (rejects.isEmpty())
        standardError() << ": is a member running at " << options.peers.join(QStringLiteral(", "))
                        << " and reachable from " << service.localName() << "? "
                        << service.noAnswerHint();
    standardError() << Qt::endl;
    for (const QString &line : rejects)
        standardError() << "shoal " << command << ": " << line << Qt::endl;
}

// A value for the text forms: UTF-8 as is, other bytes as hex; long values cut (the JSON
// forms carry them whole).
void printTable(const QList<MemberRecord> &members, const ValueMask &mask)
{
    QStringList names { QStringLiteral("NAME") };
    for (const MemberRecord &member : members)
        names << nameText(member.name) + (member.local ? QStringLiteral(" *") : QString());
    qsizetype width = 0;
    for (const QString &name : names)
        width = std::max(width, name.size());
    standardOutput() << names.at(0).leftJustified(width + 2)
                     << "STATUS   CLOCK  SINCE                     "
                     << "HEARD       METADATA\n";
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < members.size(); ++i) {
        const MemberRecord &member = members.at(i);
        QStringList pairs;
        if (member.metadata) {
            for (auto it = member.metadata->cbegin(); it != member.metadata->cend(); ++it)
                pairs << keyText(it.key()) + QLatin1Char('=')
                        + (mask.hides(it.key()) ? maskedValueText() : valueText(it.value()));
        }
        standardOutput() << names.at(i + 1).leftJustified(width + 2)
                         << memberStatusName(member.status).leftJustified(9)
                         << QString::number(member.clock).leftJustified(7)
                         << timeText(member.statusSince).leftJustified(26)
                         << (member.local ? QStringLiteral("-")
                                          : relativeTime(member.lastHeard, now))
                                .leftJustified(12)
                         << (member.metadata ? pairs.join(QStringLiteral(" "))
                                             : QStringLiteral("(unknown)"))
                         << '\n';
    }
    standardOutput() << Qt::flush;
}

// serve's first output: the members' names.
void printNames(const QStringList &names, bool json)
{
    if (json) {
        standardOutput() << QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(names)).toJson(QJsonDocument::Compact))
                         << '\n';
    } else {
        for (const QString &name : names)
            standardOutput() << name << '\n';
    }
    standardOutput() << Qt::flush;
}

// The backend --protocol names, not started.
std::unique_ptr<cluster::ClusterBackend> makeBackend(const ClusterOptions &options)
{
    if (options.protocol == Protocol::Serf)
        return std::make_unique<serf::SerfService>(serfServiceConfig(options));
    return std::make_unique<SwimService>(options.serviceConfig());
}

// Stops a backend, telling the cluster we go where the protocol can (Serf's graceful leave).
void finish(cluster::ClusterBackend &backend)
{
    if (backend.capabilities().gracefulLeave)
        backend.leave();
    else
        backend.stop();
}

QList<MemberRecord> sortedMembers(const cluster::ClusterBackend &service)
{
    QList<MemberRecord> members = service.members();
    std::stable_sort(
        members.begin(), members.end(), [](const MemberRecord &a, const MemberRecord &b) {
            if (a.local != b.local)
                return a.local;
            return a.name < b.name;
        });
    return members;
}

// --- watch events ---

class EventPrinter final
{
public:
    EventPrinter(bool json, const ValueMask &mask)
        : m_json(json)
        , m_mask(mask)
    { }

    void members(const QList<MemberUpdate> &updates)
    {
        const QString now = timeText(QDateTime::currentDateTimeUtc());
        for (const MemberUpdate &update : updates) {
            const MemberRecord &member = update.member;
            if (update.what.testFlag(cluster::ChangeFlag::Removed)) {
                m_announced.remove(member.name); // evicted to bound memory: no event
                continue;
            }
            const bool known = m_announced.contains(member.name);
            // A configured peer starts UNKNOWN with unknown metadata: nothing learnt yet.
            if (!known && !member.local && member.status == MemberStatus::Unknown
                && !member.metadata)
                continue;
            const std::optional<MemberRecord> previous = known ? update.previous : std::nullopt;
            const MemberDiff diff = diffMember(previous ? &*previous : nullptr, member,
                update.what.testFlag(cluster::ChangeFlag::Restarted));
            if (diff.statusChanged || diff.restarted)
                status(now, member, diff.previousStatus, diff.restarted);
            m_announced.insert(member.name);
            for (const KeyChange &change : diff.keys)
                metadata(now, member, change.key, change.value);
        }
        standardOutput() << Qt::flush;
    }

    // A protocol's user event or query: {"event": "user-event"|"query", "name", "payload",
    // "ltime"} (docs/CLI.md, "Additions planned").
    void event(const cluster::ClusterEvent &event)
    {
        const QString now = timeText(QDateTime::currentDateTimeUtc());
        if (m_json) {
            QJsonObject object;
            object.insert(QStringLiteral("time"), now);
            object.insert(QStringLiteral("event"), event.kind);
            object.insert(QStringLiteral("name"), event.name);
            object.insert(QStringLiteral("payload"), jsonValueFromBytes(event.payload));
            object.insert(QStringLiteral("ltime"), static_cast<qint64>(event.ltime));
            if (!event.source.isEmpty())
                object.insert(QStringLiteral("source"), event.source);
            standardOutput() << jsonLine(object) << '\n';
        } else {
            standardOutput() << now << "  " << event.kind << " " << printableText(event.name)
                             << " = " << displayValue(event.payload, 64) << " (ltime "
                             << event.ltime << ")\n";
        }
        standardOutput() << Qt::flush;
    }

    void rejected(const QList<RejectReport> &reports)
    {
        const QString now = timeText(QDateTime::currentDateTimeUtc());
        for (const RejectReport &report : reports) {
            if (m_json) {
                QJsonObject object;
                object.insert(QStringLiteral("time"), now);
                object.insert(QStringLiteral("event"), QStringLiteral("rejected"));
                object.insert(QStringLiteral("from"), report.from);
                object.insert(QStringLiteral("reason"), report.reason);
                object.insert(QStringLiteral("count"), static_cast<qint64>(report.count));
                standardOutput() << jsonLine(object) << '\n';
            } else {
                standardOutput() << now << "  " << nameText(report.from) << "  rejected "
                                 << report.count << " (" << printableText(report.reason, kKeyColumn)
                                 << ")\n";
            }
        }
        standardOutput() << Qt::flush;
    }

private:
    void status(const QString &now, const MemberRecord &member,
        std::optional<MemberStatus> previous, bool restarted)
    {
        if (m_json) {
            QJsonObject object;
            object.insert(QStringLiteral("time"), now);
            object.insert(QStringLiteral("event"), QStringLiteral("status"));
            object.insert(QStringLiteral("name"), member.name);
            object.insert(QStringLiteral("status"), memberStatusName(member.status));
            object.insert(QStringLiteral("previous"),
                previous ? QJsonValue(memberStatusName(*previous)) : QJsonValue(QJsonValue::Null));
            object.insert(QStringLiteral("clock"), static_cast<qint64>(member.clock));
            if (!member.protocolStatus.isEmpty())
                object.insert(QStringLiteral("protocol_status"), member.protocolStatus);
            object.insert(QStringLiteral("local"), member.local);
            if (restarted)
                object.insert(QStringLiteral("restarted"), true);
            standardOutput() << jsonLine(object) << '\n';
        } else {
            standardOutput() << now << "  " << nameText(member.name)
                             << (member.local ? " (local)" : "") << "  "
                             << memberStatusName(member.status);
            if (previous)
                standardOutput() << " (was " << memberStatusName(*previous) << ")";
            if (restarted)
                standardOutput() << " restarted";
            standardOutput() << " clock " << member.clock << '\n';
        }
    }

    void metadata(const QString &now, const MemberRecord &member, const QString &key,
        const std::optional<QByteArray> &value)
    {
        if (m_json) {
            QJsonObject object;
            object.insert(QStringLiteral("time"), now);
            object.insert(QStringLiteral("event"), QStringLiteral("metadata"));
            object.insert(QStringLiteral("name"), member.name);
            object.insert(QStringLiteral("key"), key);
            object.insert(QStringLiteral("value"),
                value ? jsonValueFromBytes(*value) : QJsonValue(QJsonValue::Null));
            standardOutput() << jsonLine(object) << '\n';
        } else {
            standardOutput() << now << "  " << nameText(member.name) << "  " << keyText(key)
                             << " = "
                             << (!value                     ? QStringLiteral("(removed)")
                                        : m_mask.hides(key) ? maskedValueText()
                                                            : valueText(*value))
                             << '\n';
        }
    }

    bool m_json;
    ValueMask m_mask; // text only: the JSON forms carry every value
    QSet<QString> m_announced;
};

// --- members --status S[,S] --tag KEY=REGEX (as serf members -status -tag) ---

struct MemberFilter
{
    QList<MemberStatus> statuses; // empty: any
    QList<QPair<QString, QRegularExpression>> tags; // each must match a whole value

    bool matches(const MemberRecord &member) const
    {
        if (!statuses.isEmpty() && !statuses.contains(member.status))
            return false;
        for (const auto &[key, pattern] : tags) {
            if (!member.metadata || !member.metadata->contains(key))
                return false;
            if (!pattern.match(QString::fromUtf8(member.metadata->value(key))).hasMatch())
                return false;
        }
        return true;
    }
};

// On a usage error: nullopt and one line in *error naming the word.
std::optional<MemberFilter> readMemberFilter(
    const QStringList &statusValues, const QStringList &tagValues, QString *error)
{
    MemberFilter filter;
    for (const QString &value : statusValues) {
        for (const QString &word : value.split(QLatin1Char(','))) {
            const auto status = memberStatusFromName(word.trimmed().toUpper());
            if (!status) {
                QStringList names;
                for (const MemberStatus known : kAllMemberStatuses)
                    names << memberStatusName(known);
                *error = QStringLiteral("--status: \"%1\" is not a status (%2)")
                             .arg(word, names.join(QStringLiteral(", ")));
                return std::nullopt;
            }
            filter.statuses.append(*status);
        }
    }
    for (const QString &value : tagValues) {
        const qsizetype equals = value.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = QStringLiteral("--tag: \"%1\" is not KEY=REGEX").arg(value);
            return std::nullopt;
        }
        const QRegularExpression pattern(
            QRegularExpression::anchoredPattern(value.mid(equals + 1)));
        if (!pattern.isValid()) {
            *error = QStringLiteral("--tag %1: %2 in the regular expression")
                         .arg(value.left(equals), pattern.errorString());
            return std::nullopt;
        }
        filter.tags.append({ value.left(equals), pattern });
    }
    return filter;
}

} // namespace

int runMembers(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption settle(QStringLiteral("settle"),
        QStringLiteral("Wait exactly SECONDS, then print. Without it: print as soon as every "
                       "ONLINE member's metadata is known, at most --max-wait seconds."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption maxWait(QStringLiteral("max-wait"),
        QStringLiteral("Without --settle: give up waiting for complete metadata after SECONDS "
                       "and exit 4 (default: 5, or 5 gossip intervals when that is longer: 150 "
                       "with --profile pymap)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption status(QStringLiteral("status"),
        QStringLiteral("Print only members with one of these statuses (comma-separated: ONLINE, "
                       "SUSPECT, OFFLINE, UNKNOWN, ...). Repeatable."),
        QStringLiteral("S[,S]"));
    const QCommandLineOption tag(QStringLiteral("tag"),
        QStringLiteral("Print only members whose metadata KEY matches the whole REGEX. "
                       "Repeatable: all must match."),
        QStringLiteral("KEY=REGEX"));
    parser.addOptions({ settle, maxWait, status, tag });
    addValueMaskOptions(parser);
    Parsed parsed = parseCommand(QStringLiteral("members"), arguments, parser);
    if (!parsed.options)
        return parsed.exitStatus;
    const ClusterOptions &options = *parsed.options;
    QString filterError;
    const auto filter = readMemberFilter(parser.values(status), parser.values(tag), &filterError);
    if (!filter) {
        standardError() << "shoal members: " << filterError << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(settle) && parser.isSet(maxWait)) {
        standardError()
            << "shoal members: --max-wait applies only without --settle (which waits a fixed "
               "time): give one of them"
            << Qt::endl;
        return ExitUsage;
    }
    const bool untilComplete = !parser.isSet(settle);
    const QCommandLineOption &waitOption = untilComplete ? maxWait : settle;
    // Five gossip rounds: the chance that no member picked us in five of its rounds is small.
    const qint64 defaultWaitMs = std::max<qint64>(5000, 5 * options.swim.timings.syncIntervalMs);
    const qint64 waitMs
        = parser.isSet(waitOption) ? secondsOption(parser.value(waitOption), true) : defaultWaitMs;
    if (waitMs < 0) {
        standardError() << "shoal members: --" << waitOption.names().constFirst() << ": \""
                        << parser.value(waitOption) << "\" is not a number of seconds" << Qt::endl;
        return ExitUsage;
    }
    const QString waitText = parser.isSet(waitOption)
        ? parser.value(waitOption)
        : QString::number(static_cast<double>(waitMs) / 1000.0);

    const std::unique_ptr<cluster::ClusterBackend> backend = makeBackend(options);
    cluster::ClusterBackend &service = *backend;
    QString error;
    if (!service.start(&error)) {
        standardError() << "shoal members: " << error << Qt::endl;
        return ExitRuntime;
    }
    if (untilComplete) {
        // Done early once what a join brings arrived (swim: a member's sync relayed the others
        // and every metadata we know of is there; serf: a push/pull answered).
        runUntilStopped(waitMs, [&service] { return service.initialStateComplete(); });
    } else {
        runUntilStopped(waitMs);
    }
    QList<MemberRecord> members = sortedMembers(service);
    members.removeIf([&filter](const MemberRecord &member) { return !filter->matches(member); });
    if (options.json) {
        QJsonArray array;
        for (const MemberRecord &member : members)
            array.append(memberJson(member));
        standardOutput() << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact))
                         << '\n'
                         << Qt::flush;
    } else {
        printTable(members, readValueMaskOptions(parser));
    }
    const QStringList rejects = diagnoseRejects(service);
    const QStringList waiting = service.membersAwaitingMetadata();
    const QStringList refusals = refusalLines(service.refusalCounts());
    const bool heard = service.heardFromPeers();
    finish(service);
    if (!heard) {
        reportNoAnswer(QStringLiteral("members"), service, options, waitText, rejects);
        return ExitNoMembers;
    }
    for (const QString &line : rejects)
        standardError() << "shoal members: " << line << Qt::endl;
    for (const QString &line : refusals)
        standardError() << "shoal members: " << line << Qt::endl;
    if (!waiting.isEmpty()) {
        constexpr qsizetype shown = 5;
        QStringList names;
        for (const QString &name : waiting.mid(0, shown))
            names << nameText(name);
        if (waiting.size() > shown)
            names << QStringLiteral("and %1 more").arg(waiting.size() - shown);
        standardError()
            << "shoal members: incomplete: the metadata of " << waiting.size()
            << (waiting.size() == 1 ? " available member" : " available members")
            << " was still unknown after " << waitText << " s (" << names.join(QStringLiteral(", "))
            << "); members learn it from gossip, once per --sync-interval (30 s in pymap), so "
               "wait longer with "
            << (untilComplete ? "--max-wait" : "--settle") << Qt::endl;
        if (untilComplete)
            return ExitIncomplete;
    }
    return ExitOk;
}

int runWatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption duration(QStringLiteral("duration"),
        QStringLiteral("Stop after SECONDS (default: at SIGINT or "
                       "SIGTERM)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption settle(QStringLiteral("settle"),
        QStringLiteral("Exit 3 when no member answered within SECONDS (default 5), as members "
                       "does."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption metricsListen = metricsListenOption();
    const QCommandLineOption history(QStringLiteral("history"),
        QStringLiteral("Also record the events in the history that `shoal history` and the "
                       "window read (off by default: watch writes no file unless asked)."));
    parser.addOptions({ duration, settle });
    addValueMaskOptions(parser);
    parser.addOptions({ metricsListen, history });
    Parsed parsed = parseCommand(QStringLiteral("watch"), arguments, parser);
    if (!parsed.options)
        return parsed.exitStatus;
    const ClusterOptions &options = *parsed.options;
    qint64 durationMs = -1;
    if (parser.isSet(duration)) {
        durationMs = secondsOption(parser.value(duration), false);
        if (durationMs < 0) {
            standardError() << "shoal watch: --duration: \"" << parser.value(duration)
                            << "\" is not a positive number of seconds" << Qt::endl;
            return ExitUsage;
        }
    }
    const qint64 settleMs
        = parser.isSet(settle) ? secondsOption(parser.value(settle), false) : 5000;
    if (settleMs < 0) {
        standardError() << "shoal watch: --settle: \"" << parser.value(settle)
                        << "\" is not a positive number of seconds" << Qt::endl;
        return ExitUsage;
    }
    // Before the backend: it outlives every report the backend sends, the last at finish().
    history::HistoryRecorder recorder;
    const std::unique_ptr<cluster::ClusterBackend> backend = makeBackend(options);
    cluster::ClusterBackend &service = *backend;
    EventPrinter printer(options.json, readValueMaskOptions(parser));
    QObject::connect(&service, &cluster::ClusterBackend::membersUpdated, &service,
        [&printer](const QList<MemberUpdate> &updates) { printer.members(updates); });
    QObject::connect(&service, &cluster::ClusterBackend::datagramsRejected, &service,
        [&printer](const QList<RejectReport> &reports) { printer.rejected(reports); });
    QObject::connect(&service, &cluster::ClusterBackend::eventReceived, &service,
        [&printer](const cluster::ClusterEvent &event) { printer.event(event); });
    if (parser.isSet(history)) {
        QString error;
        const QString identity
            = history::clusterIdentity(protocolName(options.protocol), options.peers, options.name);
        if (!recorder.start(history::defaultHistoryPath(), identity, &error)) {
            standardError() << "shoal watch: --history: " << error << Qt::endl;
            return ExitRuntime;
        }
        QObject::connect(&service, &cluster::ClusterBackend::membersUpdated, &service,
            [&recorder](const QList<MemberUpdate> &updates) { recorder.record(updates); });
        QObject::connect(&service, &cluster::ClusterBackend::datagramsRejected, &service,
            [&recorder](const QList<RejectReport> &reports) { recorder.recordRejected(reports); });
        QObject::connect(&service, &cluster::ClusterBackend::eventReceived, &service,
            [&recorder](
                const cluster::ClusterEvent &event) { recorder.recordClusterEvents({ event }); });
    }
    QString error;
    // --metrics-listen: served before the join, so that the first batch is counted.
    cluster::MetricsCollector metrics;
    std::unique_ptr<MetricsServer> metricsServer;
    if (parser.isSet(metricsListen)) {
        metrics.setInfo(QStringLiteral(SHOAL_VERSION), protocolLabel(options.protocol));
        QObject::connect(&service, &cluster::ClusterBackend::membersUpdated, &service,
            [&metrics](const QList<MemberUpdate> &updates) { metrics.apply(updates); });
        metricsServer = std::make_unique<MetricsServer>([&metrics, &service] {
            metrics.setCounters(service.trafficCounters());
            return metrics.exposition();
        });
        if (!metricsServer->listen(parser.value(metricsListen), &error)) {
            standardError() << "shoal watch: " << error << Qt::endl;
            return ExitRuntime;
        }
        standardError() << "shoal watch: metrics at " << metricsServer->url() << Qt::endl;
    }
    if (!service.start(&error)) {
        standardError() << "shoal watch: " << error << Qt::endl;
        return ExitRuntime;
    }
    // Nothing heard within the settle time: say why on stderr and exit 3, as members does.
    QTimer settleTimer;
    settleTimer.setSingleShot(true);
    bool nobody = false;
    QObject::connect(&settleTimer, &QTimer::timeout, &service,
        [&service, &nobody] { nobody = !service.heardFromPeers(); });
    settleTimer.start(int(std::min<qint64>(settleMs, INT32_MAX)));
    // Refusals by the engine, each kind once a second at most while its count grows.
    QTimer refusalTimer;
    QHash<QString, quint64> shown;
    QObject::connect(&refusalTimer, &QTimer::timeout, &service, [&service, &shown, &options] {
        QList<QPair<QString, quint64>> grown;
        for (const auto &[description, count] : service.refusalCounts()) {
            if (count > shown.value(description))
                grown.append({ description, count });
            shown.insert(description, count);
        }
        const QString time = timeText(QDateTime::currentDateTimeUtc());
        for (const QString &line : refusalLines(grown)) {
            if (options.json) {
                QJsonObject object;
                object.insert(QStringLiteral("time"), time);
                object.insert(QStringLiteral("event"), QStringLiteral("refused"));
                object.insert(QStringLiteral("detail"), line);
                standardOutput() << jsonLine(object) << '\n';
            } else {
                standardOutput() << time << "  refused: " << line << '\n';
            }
        }
        standardOutput() << Qt::flush;
    });
    refusalTimer.start(1000);
    runUntilStopped(durationMs, [&nobody] { return nobody; });
    const QStringList rejects = diagnoseRejects(service);
    finish(service); // flushes the last reject reports; Serf: a graceful leave
    if (nobody) {
        reportNoAnswer(QStringLiteral("watch"), service, options,
            parser.isSet(settle) ? parser.value(settle) : QStringLiteral("5"), rejects);
        return ExitNoMembers;
    }
    return ExitOk;
}

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption nodes(QStringLiteral("nodes"),
        QStringLiteral("Number of members to run (required)."), QStringLiteral("N"));
    const QCommandLineOption basePort(QStringLiteral("base-port"),
        QStringLiteral("Ports P..P+N-1 (default: OS-chosen)."), QStringLiteral("P"));
    const QCommandLineOption duration(QStringLiteral("duration"),
        QStringLiteral("Stop after SECONDS (default: at SIGINT or "
                       "SIGTERM)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption token(QStringLiteral("token-interval"),
        QStringLiteral("Change a random member's `token` key about "
                       "every SECONDS (default: never)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption coldStart(QStringLiteral("cold-start"),
        QStringLiteral("Join the members by gossip alone even above 50 nodes (by default larger "
                       "clusters start as if long converged: swim-protocol's cold start costs "
                       "N^3 datagrams, too many for one process)."));
    parser.addOptions({ nodes, basePort, duration, token, coldStart });
    Parsed parsed = parseCommand(QStringLiteral("serve"), arguments, parser);
    if (!parsed.options)
        return parsed.exitStatus;
    const ClusterOptions &options = *parsed.options;
    auto usage = [](const QString &message) {
        standardError() << "shoal serve: " << message << Qt::endl;
        return ExitUsage;
    };
    if (!parser.isSet(nodes))
        return usage(QStringLiteral("--nodes N is required"));
    bool ok = false;
    const int count = parser.value(nodes).toInt(&ok);
    if (!ok || count < 1 || count > 10000)
        return usage(QStringLiteral("--nodes: \"%1\" is not a count from 1 to 10000")
                         .arg(parser.value(nodes)));
    int base = 0;
    if (parser.isSet(basePort)) {
        base = parser.value(basePort).toInt(&ok);
        if (!ok || base < 1 || base + count - 1 > 65535)
            return usage(QStringLiteral("--base-port: \"%1\" leaves no room for %2 ports below "
                                        "65536")
                             .arg(parser.value(basePort))
                             .arg(count));
    }
    if (parser.isSet(QStringLiteral("name")) || parser.isSet(QStringLiteral("udp-bind"))
        || parser.isSet(QStringLiteral("udp-bind-port")))
        return usage(QStringLiteral("--name and --udp-bind* do not apply: members are "
                                    "127.0.0.1:P..P+N-1 (see --base-port)"));
    qint64 durationMs = -1;
    if (parser.isSet(duration)) {
        durationMs = secondsOption(parser.value(duration), false);
        if (durationMs < 0)
            return usage(QStringLiteral("--duration: \"%1\" is not a positive number of seconds")
                             .arg(parser.value(duration)));
    }
    qint64 tokenMs = 0;
    if (parser.isSet(token)) {
        tokenMs = secondsOption(parser.value(token), false);
        if (tokenMs < 0 || tokenMs > INT32_MAX / 2)
            return usage(QStringLiteral("--token-interval: \"%1\" is not a positive number of "
                                        "seconds")
                             .arg(parser.value(token)));
    }

    // Either protocol's local cluster: start it, print its names, run until stopped.
    const auto serveCluster = [&](auto &cluster) {
        QString error;
        if (!cluster.start(&error)) {
            standardError() << "shoal serve: " << error << Qt::endl;
            return ExitRuntime;
        }
        printNames(cluster.names(), options.json);
        runUntilStopped(durationMs);
        cluster.stop();
        return ExitOk;
    };
    if (options.protocol == Protocol::Serf) {
        serf::SerfLocalClusterConfig config;
        config.nodes = count;
        config.basePort = static_cast<quint16>(base);
        config.extraTags = options.metadata;
        config.extraPeers = options.peers;
        config.keyring = serf::Keyring(options.serf.keys);
        config.role
            = parser.isSet(QStringLiteral("role")) ? options.serf.role : serf::EngineRole::Member;
        config.tokenIntervalMs = static_cast<int>(tokenMs);
        config.threads = serf::defaultServeThreads(count);
        config.preJoin = count > 50 && !parser.isSet(coldStart);
        serf::SerfLocalCluster cluster(config);
        return serveCluster(cluster);
    }
    swim::LocalClusterConfig config;
    config.nodes = count;
    config.basePort = static_cast<quint16>(base);
    config.extraMetadata = options.metadata;
    config.extraPeers = options.peers;
    config.secret = options.secret;
    config.protocolVersion = options.swim.protocolVersion;
    config.timings = options.swim.timings;
    // Served members stand in for real ones: participants unless --role says otherwise.
    config.role
        = parser.isSet(QStringLiteral("role")) ? options.swim.role : swim::Role::Participant;
    config.mtu = options.mtu;
    config.tokenIntervalMs = static_cast<int>(tokenMs);
    config.preJoin = count > 50 && !parser.isSet(coldStart);
    swim::LocalCluster cluster(config);
    return serveCluster(cluster);
}

QString rejectLine(quint64 count, const QString &source, const QString &reason, QString cause)
{
    const bool tcp = reason.startsWith(QLatin1String("tcp-"));
    const QString noun = tcp
        ? (count == 1 ? QStringLiteral("TCP connection") : QStringLiteral("TCP connections"))
        : (count == 1 ? QStringLiteral("datagram") : QStringLiteral("datagrams"));
    if (count == 1 && cause.startsWith(QLatin1String("were ")))
        cause = QStringLiteral("was ") + cause.mid(5);
    return QStringLiteral("%1 %2 from %3 %4").arg(count).arg(noun, source, cause);
}

} // namespace shoal::app
