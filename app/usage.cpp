#include "app/usage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <vector>

namespace shoal::app {

namespace {

enum class OptionKind { Unknown, Flag, Value };

// What the parser makes of one word alone: the parser keeps no list of its options, so ask it.
OptionKind probe(QCommandLineParser &parser, const QString &word)
{
    if (word == QLatin1String("-") || word == QLatin1String("--"))
        return OptionKind::Unknown;
    if (parser.parse({ QStringLiteral("shoal"), word }))
        return OptionKind::Flag;
    return parser.unknownOptionNames().isEmpty() ? OptionKind::Value : OptionKind::Unknown;
}

bool isOptionWord(const QString &word)
{
    return word.size() > 1 && word.startsWith(QLatin1Char('-'));
}

// The options --help lists, as written there (e.g. "--peer", "-v").
QStringList visibleOptions(const QCommandLineParser &parser)
{
    static const QRegularExpression pattern(QStringLiteral("(?:^|[ ,])(--?[A-Za-z][A-Za-z0-9-]*)"));
    QStringList names;
    const QStringList lines = parser.helpText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.startsWith(QLatin1String("  -")))
            continue;
        const QString head = line.trimmed().section(QLatin1String("  "), 0, 0);
        auto it = pattern.globalMatch(QLatin1Char(' ') + head);
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            if (!names.contains(name))
                names << name;
        }
    }
    return names;
}

QString stripDashes(QString word)
{
    while (word.startsWith(QLatin1Char('-')))
        word.remove(0, 1);
    return word.section(QLatin1Char('='), 0, 0);
}

} // namespace

QStringList formNames()
{
    return { QStringLiteral("members"), QStringLiteral("watch"), QStringLiteral("serve"),
        QStringLiteral("decode"), QStringLiteral("encode"), QStringLiteral("history") };
}

int editDistance(const QString &a, const QString &b)
{
    // Optimal string alignment: insertions, deletions, substitutions and swaps of two
    // neighbours (wacth for watch) cost 1 each.
    const size_t n = size_t(a.size());
    const size_t m = size_t(b.size());
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
    for (size_t i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (size_t j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (size_t i = 1; i <= n; ++i) {
        for (size_t j = 1; j <= m; ++j) {
            const int cost = a.at(qsizetype(i - 1)) == b.at(qsizetype(j - 1)) ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && a.at(qsizetype(i - 1)) == b.at(qsizetype(j - 2))
                && a.at(qsizetype(i - 2)) == b.at(qsizetype(j - 1)))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

QString nearestWord(const QString &word, const QStringList &candidates)
{
    const QString bare = stripDashes(word);
    if (bare.isEmpty())
        return {};
    QString best;
    int bestDistance = 0;
    for (const QString &candidate : candidates) {
        const QString name = stripDashes(candidate);
        int distance = editDistance(bare.toLower(), name.toLower()) * 2;
        if (bare != name && bare.compare(name, Qt::CaseInsensitive) == 0)
            distance = 1; // -V for -v
        // A prefix of a long name is a likely intent too (--max-w for --max-wait).
        if (bare.size() >= 3 && name.startsWith(bare) && distance > 2)
            distance = 2;
        if (best.isEmpty() || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    const int allowed = 2 * std::max<int>(1, int(std::min(bare.size(), qsizetype(12))) / 3);
    return bestDistance <= allowed ? best : QString();
}

bool parseArguments(QCommandLineParser &parser, const QStringList &arguments, QString *error)
{
    // A walk through the words as the parser will see them: which are values, which stray.
    QList<qsizetype> stray;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &word = arguments.at(i);
        if (word == QLatin1String("--")) {
            for (qsizetype j = i + 1; j < arguments.size(); ++j)
                stray << j;
            break;
        }
        if (!isOptionWord(word)) {
            stray << i;
            continue;
        }
        if (word.contains(QLatin1Char('=')) || probe(parser, word) != OptionKind::Value)
            continue;
        if (i + 1 >= arguments.size())
            break; // the parser says which value is missing
        const QString &next = arguments.at(i + 1);
        if (isOptionWord(next)
            && probe(parser, next.section(QLatin1Char('='), 0, 0)) != OptionKind::Unknown) {
            *error = QStringLiteral("%1 needs a value, but the next word is the option %2")
                         .arg(word, next.section(QLatin1Char('='), 0, 0));
            return false;
        }
        ++i; // the value
    }
    if (!parser.parse(arguments)) {
        const QStringList unknown = parser.unknownOptionNames();
        if (unknown.isEmpty()) {
            *error = parser.errorText();
            return false;
        }
        // The word as typed: -V or --membrs, not the parser's bare name.
        QString typed = unknown.first().size() == 1 ? QStringLiteral("-") + unknown.first()
                                                    : QStringLiteral("--") + unknown.first();
        for (const QString &word : arguments) {
            if (isOptionWord(word) && stripDashes(word) == unknown.first()) {
                typed = word.section(QLatin1Char('='), 0, 0);
                break;
            }
        }
        *error = QStringLiteral("unknown option %1").arg(typed);
        const QString near = nearestWord(typed, visibleOptions(parser));
        if (!near.isEmpty())
            *error += QStringLiteral("; did you mean %1?").arg(near);
        return false;
    }
    if (stray.isEmpty())
        return true;
    const qsizetype at = stray.first();
    const QString &word = arguments.at(at);
    if (formNames().contains(word)) {
        *error = QStringLiteral("the form %1 comes first: shoal %1 [OPTIONS]").arg(word);
        return false;
    }
    // A typo of a form is named; any other stray word is not echoed: it is often a value that
    // lost its option, a secret among them. Its place is named instead.
    const QString form = nearestWord(word, formNames());
    if (!form.isEmpty()) {
        *error = QStringLiteral("\"%1\" belongs to no option; did you mean the form %2? (forms "
                                "come first: shoal %2 [OPTIONS])")
                     .arg(word, form);
        return false;
    }
    QString place = QStringLiteral("the first word");
    if (at >= 2 && isOptionWord(arguments.at(at - 2))
        && !arguments.at(at - 2).contains(QLatin1Char('=')) && !isOptionWord(arguments.at(at - 1)))
        place = QStringLiteral("the word after %1's value").arg(arguments.at(at - 2));
    else if (at >= 1 && isOptionWord(arguments.at(at - 1)))
        place = QStringLiteral("the word after %1")
                    .arg(arguments.at(at - 1).section(QLatin1Char('='), 0, 0));
    else if (at >= 2)
        place = QStringLiteral("word %1").arg(at);
    *error = QStringLiteral("%1 belongs to no option (not shown: it may be a secret that lost its "
                            "option); every value follows its option, e.g. --secret-file PATH")
                 .arg(place);
    return false;
}

QStringList takeQtOptions(const QStringList &arguments, QStringList *qtOptions)
{
    static const QStringList withValue { QStringLiteral("platform"),
        QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
        QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"), QStringLiteral("qwindowicon"),
        QStringLiteral("qwindowtitle"), QStringLiteral("session"), QStringLiteral("style"),
        QStringLiteral("stylesheet"), QStringLiteral("display"), QStringLiteral("geometry") };
    static const QStringList flags { QStringLiteral("reverse"), QStringLiteral("widgetcount"),
        QStringLiteral("nograb"), QStringLiteral("dograb"), QStringLiteral("sync") };
    QStringList rest;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &word = arguments.at(i);
        if (word == QLatin1String("--")) {
            rest << arguments.mid(i);
            break;
        }
        if (i == 0 || !isOptionWord(word)) {
            rest << word;
            continue;
        }
        const QString name = stripDashes(word);
        if (flags.contains(name) && !word.contains(QLatin1Char('='))) {
            *qtOptions << QStringLiteral("-") + name;
        } else if (withValue.contains(name) && word.contains(QLatin1Char('='))) {
            *qtOptions << QStringLiteral("-") + name << word.section(QLatin1Char('='), 1);
        } else if (withValue.contains(name) && i + 1 < arguments.size()) {
            *qtOptions << QStringLiteral("-") + name << arguments.at(i + 1);
            ++i;
        } else {
            rest << word; // a missing value: the parser names it
        }
    }
    return rest;
}

QString docsPointer()
{
    return QStringLiteral("See `man shoal`, or /usr/share/doc/shoal/CLI.md, for the whole "
                          "command line.");
}

QString helpText(const QCommandLineParser &parser, const QString &program)
{
    QString text = parser.helpText();
    const QString path = QCoreApplication::arguments().value(0);
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
    QString first = text.left(lineEnd);
    if (!path.isEmpty())
        first.replace(path, program);
    if (!first.contains(program))
        first = QStringLiteral("Usage: %1 [options]").arg(program);
    text = first + text.mid(lineEnd);
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    return text + QLatin1Char('\n') + docsPointer() + QLatin1Char('\n');
}

} // namespace shoal::app
