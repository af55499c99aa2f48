// `shoal decode` and `shoal encode` (docs/CLI.md): the codec on stdin/stdout,
// for captured traffic and for interoperability checks from outside.
#include "app/clusteroptions.h"
#include "app/commands.h"
#include "app/usage.h"

#include "net/swim/codec.h"
#include "net/swim/packetjson.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstdio>
#include <optional>

namespace shoal::app {

namespace {

struct CodecOptions
{
    QByteArray secret;
    QByteArray version = swim::Codec::defaultVersion();
    std::optional<QByteArray> salt; // encode only
};

// Parses the arguments after the subcommand; on a usage error or --help returns
// the exit status in *exitStatus.
std::optional<CodecOptions> parseOptions(const QStringList &arguments, const char *command,
    const QString &description, bool withSalt, int *exitStatus)
{
    const QString name = QStringLiteral("shoal ") + QLatin1String(command);
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version(QStringLiteral("protocol-version"),
        QStringLiteral("Version string inside every signature (default 0.6.3)."),
        QStringLiteral("V"), QString::fromLatin1(swim::Codec::defaultVersion()));
    const QCommandLineOption salt(QStringLiteral("salt"),
        QStringLiteral("Sign with this salt (hex, up to 255 bytes) instead of "
                       "16 random bytes: reproducible output for tests."),
        QStringLiteral("HEX"));
    addSecretOptions(parser);
    parser.addOption(version);
    if (withSalt)
        parser.addOption(salt);

    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1); // the subcommand
    QTextStream err(stderr);
    QString usageError;
    if (!parseArguments(parser, args, &usageError)) {
        err << name << ": " << usageError << "\n";
        *exitStatus = ExitUsage;
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        // The first line names the program path; name the subcommand instead.
        QString text = parser.helpText();
        text.replace(0, text.indexOf(QLatin1Char('\n')),
            QStringLiteral("Usage: %1 [options] < input").arg(name));
        QTextStream(stdout) << text << "\n" << docsPointer() << "\n";
        *exitStatus = ExitOk;
        return std::nullopt;
    }
    const auto usage = [&](const QString &what) -> std::optional<CodecOptions> {
        err << name << ": " << what << "\n";
        *exitStatus = ExitUsage;
        return std::nullopt;
    };
    if (!parser.positionalArguments().isEmpty())
        // Not echoed: a stray argument is often a value that lost its option (a secret).
        return usage(QStringLiteral("%1 argument(s) that belong to no option; input comes from "
                                    "stdin, every value follows its option")
                         .arg(parser.positionalArguments().size()));

    CodecOptions options;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString error;
    const std::optional<Secret> secret = readSecretOptions(parser, env, &error);
    if (!secret)
        return usage(error);
    for (const QString &warning : secret->warnings)
        err << name << ": " << warning << "\n";
    options.secret = secret->secret;
    if (options.secret.isEmpty())
        return usage(QStringLiteral("no secret: give --secret-file, SWIM_SECRET, SWIM_SECRET_FILE "
                                    "or --secret (the cluster's shared secret)"));

    options.version = parser.value(version).toUtf8();
    if (options.version.isEmpty())
        return usage(QStringLiteral("--protocol-version is empty"));
    if (withSalt && parser.isSet(salt)) {
        const QByteArray hex = parser.value(salt).toLatin1();
        bool ok = hex.size() % 2 == 0 && hex.size() <= 2 * 255;
        for (const char c : hex)
            ok = ok && std::isxdigit(static_cast<unsigned char>(c));
        if (!ok)
            return usage(QStringLiteral("--salt must be hex digits in pairs, at most 255 bytes"));
        options.salt = QByteArray::fromHex(hex);
    }
    return options;
}

// The longest input line read (issue 14, finding 9): the hex of the largest datagram a
// member accepts (1 MiB over TCP) with room to spare; the JSON of such a packet fits too.
constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024;

// Reads one whole line from stdin, NUL bytes included (QFile::readLine on a pipe may return
// part of a long line). False at the end of input. A line longer than kMaxLineBytes is read
// to its end but not kept: *tooLong is set and line is empty.
bool readLine(QByteArray &line, bool *tooLong)
{
    line.clear();
    *tooLong = false;
    int c = 0;
    bool any = false;
    while ((c = std::getc(stdin)) != EOF) {
        any = true;
        if (c == '\n')
            return true;
        if (*tooLong)
            continue;
        if (line.size() >= kMaxLineBytes) {
            *tooLong = true;
            line = QByteArray();
            continue;
        }
        line.append(static_cast<char>(c));
    }
    return any;
}

void writeLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QByteArray errorLine(const QString &reason, const QString &detail)
{
    return QJsonDocument(
        QJsonObject { { QStringLiteral("error"), reason }, { QStringLiteral("detail"), detail } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

int runDecode(const QStringList &arguments)
{
    int status = ExitOk;
    const auto options = parseOptions(arguments, "decode",
        QStringLiteral("Reads datagrams from stdin as hex, one per line, and prints one JSON line "
                       "each: the packet, or {\"error\": REASON, \"detail\": ...} where REASON is "
                       "framing, signature, pickle, or hex for a line that is not hex. Every "
                       "input line gives one output line; refusals do not change the exit status."),
        false, &status);
    if (!options)
        return status;
    const swim::Codec codec(options->secret, options->version);
    QByteArray raw;
    bool tooLong = false;
    while (readLine(raw, &tooLong)) {
        if (tooLong) {
            writeLine(errorLine(QStringLiteral("line"),
                QStringLiteral("the line is longer than %1 bytes").arg(kMaxLineBytes)));
            continue;
        }
        const QByteArray line = raw.trimmed();
        bool hex = line.size() % 2 == 0;
        for (const char c : line)
            hex = hex && std::isxdigit(static_cast<unsigned char>(c));
        if (!hex) {
            writeLine(errorLine(QStringLiteral("hex"),
                QStringLiteral("the line is not an even number of hex digits")));
            continue;
        }
        const swim::DecodeResult result = codec.decode(QByteArray::fromHex(line));
        if (const auto *error = std::get_if<swim::DecodeError>(&result))
            writeLine(errorLine(error->reason(), error->detail));
        else
            writeLine(swim::packetToJsonLine(std::get<swim::Packet>(result)));
    }
    return ExitOk;
}

int runEncode(const QStringList &arguments)
{
    int status = ExitOk;
    const auto options = parseOptions(arguments, "encode",
        QStringLiteral("Reads packet JSON lines (the form `shoal decode` prints) from stdin and "
                       "prints one signed datagram as hex per line. Blank lines are skipped. "
                       "A line that is not a valid packet stops the command: the reason goes "
                       "to stderr with the line number, and the exit status is 2."),
        true, &status);
    if (!options)
        return status;
    const swim::Codec codec(options->secret, options->version);
    qint64 number = 0;
    QByteArray raw;
    bool tooLong = false;
    while (readLine(raw, &tooLong)) {
        ++number;
        if (tooLong) {
            QTextStream(stderr) << "shoal encode: line " << number << ": longer than "
                                << kMaxLineBytes << " bytes\n";
            return ExitUsage;
        }
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const swim::PacketJsonResult parsed = swim::packetFromJsonText(line);
        if (const auto *error = std::get_if<QString>(&parsed)) {
            QTextStream(stderr) << "shoal encode: line " << number << ": " << *error << "\n";
            return ExitUsage;
        }
        const auto &packet = std::get<swim::Packet>(parsed);
        writeLine(
            (options->salt ? codec.encode(packet, *options->salt) : codec.encode(packet)).toHex());
    }
    return ExitOk;
}

} // namespace shoal::app
