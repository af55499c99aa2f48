// `shoal history`: the stored events of the clusters this user's windows (and `watch --history`)
// joined, oldest first, without a display (docs/CLI.md).
#include "app/clusteroptions.h"
#include "app/commands.h"
#include "app/console.h"
#include "app/usage.h"
#include "history/historystore.h"
#include "model/jsonvalue.h"
#include "model/secretkeys.h"
#include "model/valuetext.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

namespace shoal::app {

namespace {

std::optional<QDateTime> parseSince(const QString &text, const QDateTime &now)
{
    static const QRegularExpression relative(QStringLiteral("^(\\d{1,9})([smhdw])$"));
    const QRegularExpressionMatch match = relative.match(text.trimmed());
    if (match.hasMatch()) {
        const qint64 amount = match.captured(1).toLongLong();
        static const QHash<QChar, qint64> unitSeconds { { u's', 1 }, { u'm', 60 }, { u'h', 3600 },
            { u'd', 86400 }, { u'w', 7 * 86400 } };
        return now.addSecs(-amount * unitSeconds.value(match.captured(2).at(0)));
    }
    QDateTime time = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    if (!time.isValid())
        return std::nullopt;
    return time.toUTC();
}

} // namespace

int runHistory(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("shoal history: the stored events of the joined clusters, oldest first "
                       "(shoal --help lists every form)."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption since(QStringLiteral("since"),
        QStringLiteral("Only events at or after TIME: ISO 8601 (2026-11-30T10:00:00Z) or a "
                       "time ago (90s, 15m, 2h, 3d, 1w)."),
        QStringLiteral("TIME"));
    const QCommandLineOption member(QStringLiteral("member"),
        QStringLiteral("Only events about this member."), QStringLiteral("NAME"));
    const QCommandLineOption cluster(QStringLiteral("cluster"),
        QStringLiteral("Only this cluster: its identity (protocol:seeds, as the output shows it) "
                       "or a part that names one. Default: every cluster."),
        QStringLiteral("ID"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("One JSON object a line."));
    parser.addOptions({ since, member, cluster, json });
    addValueMaskOptions(parser);
    QStringList list = arguments;
    if (list.size() >= 2)
        list.removeAt(1);
    QString usage;
    if (!parseArguments(parser, list, &usage)) {
        standardError() << "shoal history: " << usage << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        standardOutput() << helpText(parser, QStringLiteral("shoal history")) << Qt::flush;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        standardError() << "shoal history: takes no words besides options (word "
                        << parser.positionalArguments().size() << " is not one)" << Qt::endl;
        return ExitUsage;
    }
    history::HistoryQuery query;
    if (parser.isSet(since)) {
        const auto time = parseSince(parser.value(since), QDateTime::currentDateTimeUtc());
        if (!time) {
            standardError() << "shoal history: --since: \"" << parser.value(since)
                            << "\" is neither an ISO 8601 time nor a time ago such as 2h"
                            << Qt::endl;
            return ExitUsage;
        }
        query.since = *time;
    }
    query.member = parser.value(member);

    const QString path = history::defaultHistoryPath();
    history::HistoryStore store;
    QString error;
    if (!store.open(path, &error, true)) {
        // Nothing recorded yet is no failure: an empty history.
        if (!QFileInfo::exists(path))
            return ExitOk;
        standardError() << "shoal history: " << error << Qt::endl;
        return ExitRuntime;
    }
    if (parser.isSet(cluster)) {
        const QString wanted = parser.value(cluster);
        const QStringList known = store.clusters();
        QStringList matching;
        for (const QString &identity : known) {
            if (identity == wanted) {
                matching = QStringList { identity };
                break;
            }
            if (identity.contains(wanted))
                matching << identity;
        }
        if (matching.size() != 1) {
            standardError() << "shoal history: --cluster \"" << wanted << "\" "
                            << (matching.isEmpty() ? "names no recorded cluster" : "names several")
                            << "; recorded: "
                            << (known.isEmpty() ? QStringLiteral("none")
                                                : known.join(QStringLiteral(", ")))
                            << Qt::endl;
            return ExitUsage;
        }
        query.cluster = matching.constFirst();
    }

    const ValueMask mask = readValueMaskOptions(parser);
    const QList<history::HistoryEvent> events = store.read(query);
    const bool severalClusters = query.cluster.isEmpty() && store.clusters().size() > 1;
    for (const history::HistoryEvent &event : events) {
        const QString time = event.time.toString(Qt::ISODateWithMs);
        if (parser.isSet(json)) {
            QJsonObject object { { QStringLiteral("time"), time },
                { QStringLiteral("event"), event.kind },
                { QStringLiteral("cluster"), event.cluster } };
            const bool protocolEvent
                = event.kind == QLatin1String("user-event") || event.kind == QLatin1String("query");
            if (event.kind == QLatin1String("rejected")) {
                object.insert(QStringLiteral("from"), event.member);
            } else if (protocolEvent) { // as watch prints them; ltime comes with extra
                object.insert(QStringLiteral("name"), event.key);
                object.insert(QStringLiteral("payload"),
                    jsonValueFromBytes(event.value.value_or(QByteArray())));
                if (!event.member.isEmpty())
                    object.insert(QStringLiteral("source"), event.member);
            } else if (!event.member.isEmpty())
                object.insert(QStringLiteral("name"), event.member);
            if (!event.to.isEmpty())
                object.insert(QStringLiteral("status"), event.to);
            if (event.kind == QLatin1String("status"))
                object.insert(QStringLiteral("previous"),
                    event.from.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(event.from));
            if (event.kind == QLatin1String("metadata")) {
                object.insert(QStringLiteral("key"), event.key);
                object.insert(QStringLiteral("value"),
                    event.value ? jsonValueFromBytes(*event.value) : QJsonValue(QJsonValue::Null));
            }
            if (event.kind == QLatin1String("restart"))
                object.insert(QStringLiteral("restarted"), true);
            if (event.kind == QLatin1String("rejected") || event.kind == QLatin1String("probe"))
                object.insert(QStringLiteral("count"), event.count);
            for (auto it = event.extra.constBegin(); it != event.extra.constEnd(); ++it)
                object.insert(it.key(), it.value());
            object.insert(QStringLiteral("detail"), event.detail);
            standardOutput() << QString::fromUtf8(
                QJsonDocument(object).toJson(QJsonDocument::Compact))
                             << '\n';
            continue;
        }
        QString detail = event.detail;
        if (event.kind == QLatin1String("metadata") && event.value && mask.hides(event.key))
            detail = event.key + QStringLiteral(" = ") + maskedValueText();
        if (event.kind == QLatin1String("rejected"))
            detail = QStringLiteral("%1 datagram%2 (%3)")
                         .arg(event.count)
                         .arg(event.count == 1 ? QString() : QStringLiteral("s"), event.detail);
        standardOutput() << time << "  ";
        if (severalClusters)
            standardOutput() << printableText(event.cluster) << "  ";
        const QString about = event.member.isEmpty() ? QStringLiteral("-") : event.member;
        standardOutput() << event.kind.leftJustified(9) << ' ' << printableText(about) << "  "
                         << printableText(detail) << '\n';
    }
    standardOutput() << Qt::flush;
    return ExitOk;
}

} // namespace shoal::app
