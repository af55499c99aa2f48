// Usage errors of every form, found before any QApplication exists (no display needed): one
// line naming the offending word and, where one is close, the form or option meant.
#pragma once

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace shoal::app {

// The headless forms, in the order --help lists them.
QStringList formNames();

// Levenshtein distance (case-sensitive).
int editDistance(const QString &a, const QString &b);

// The candidate nearest to word, when close enough to be a typo (case differences count
// little); empty otherwise.
QString nearestWord(const QString &word, const QStringList &candidates);

// Parses arguments ([program, options...]) like parser.parse(), and on a usage error returns
// false with one line in *error: the unknown option and the nearest known one, an option whose
// value is missing because the next word is an option, a stray word (named, unless it may be
// part of a secret), a form name given after an option (forms come first).
bool parseArguments(QCommandLineParser &parser, const QStringList &arguments, QString *error);

// parser.helpText() with the program's path replaced by `program` (e.g. "shoal members")
// and a pointer to the manual and the installed docs.
QString helpText(const QCommandLineParser &parser, const QString &program);

// Takes Qt's own options (-style S, -platform P, -stylesheet F, -display D, -reverse, ...: one
// or two dashes, a value after a space or '=') out of arguments into *qtOptions, for the
// QApplication. Qt's -name is not among them: it is Shoal's --name.
QStringList takeQtOptions(const QStringList &arguments, QStringList *qtOptions);

// Where --help points for the whole contract.
QString docsPointer();

} // namespace shoal::app
