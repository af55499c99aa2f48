#include "model/valuetext.h"

#include <QCoreApplication>
#include <QStringDecoder>
#include <QStringList>

#include <algorithm>

#include <algorithm>

namespace shoal {

namespace {

std::optional<QString> decodeUtf8(const QByteArray &value)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(value);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

bool isTextValue(const QByteArray &value)
{
    const auto text = decodeUtf8(value);
    if (!text)
        return false;
    for (const QChar ch : *text) {
        if (ch == u'\t' || ch == u'\n')
            continue;
        // Controls (C0, DEL, C1) and unassigned/format tricks such as a BOM would hide bytes.
        const auto category = ch.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            return false;
    }
    return true;
}

QString displayValue(const QByteArray &value, qsizetype maxChars)
{
    if (value.isEmpty())
        return QStringLiteral("(empty)");
    const qsizetype limit = maxChars < 4 ? 4 : maxChars;
    QString text;
    if (isTextValue(value)) {
        text = QString::fromUtf8(value);
        text.replace(u'\n', u'\u21b5'); // one line per cell
        text.replace(u'\t', u' ');
    } else {
        // Only as many bytes as can show: never hex-encode a huge value to cut it afterwards.
        const qsizetype bytes = qMin(value.size(), limit / 2 + 1);
        text = QStringLiteral("0x") + QString::fromLatin1(value.left(bytes).toHex());
    }
    if (text.size() > limit)
        text = text.left(limit - 1) + QChar(0x2026);
    return text;
}

namespace {

bool needsEscape(char32_t ucs)
{
    if (ucs < 0x20 || (ucs >= 0x7f && ucs < 0xa0))
        return true;
    if (ucs >= 0xd800 && ucs <= 0xdfff) // a lone surrogate
        return true;
    switch (QChar::category(ucs)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

void appendEscape(QString &out, char32_t ucs)
{
    if (ucs < 0x100)
        out += QStringLiteral("\\x%1").arg(static_cast<uint>(ucs), 2, 16, QLatin1Char('0'));
    else if (ucs < 0x10000)
        out += QStringLiteral("\\u%1").arg(static_cast<uint>(ucs), 4, 16, QLatin1Char('0'));
    else
        out += QStringLiteral("\\U%1").arg(static_cast<uint>(ucs), 8, 16, QLatin1Char('0'));
}

} // namespace

QString printableText(const QString &text, qsizetype maxChars)
{
    const qsizetype limit = maxChars < 0 ? -1 : std::max<qsizetype>(maxChars, 2);
    QString out;
    out.reserve(limit < 0 ? text.size() : std::min(text.size(), limit) + 1);
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        // Never escape more than can show: a huge name costs at most maxChars of work.
        if (limit >= 0 && out.size() > limit)
            break;
        const QChar ch = text[i];
        char32_t ucs = ch.unicode();
        qsizetype units = 1;
        if (ch.isHighSurrogate() && i + 1 < size && text[i + 1].isLowSurrogate()) {
            ucs = QChar::surrogateToUcs4(ch, text[i + 1]);
            units = 2;
        }
        if (ucs == u'\\')
            out += QStringLiteral("\\\\");
        else if (needsEscape(ucs))
            appendEscape(out, ucs);
        else
            out.append(QStringView(text).mid(i, units));
        i += units - 1;
    }
    if (limit >= 0 && out.size() > limit) {
        qsizetype cut = limit - 1;
        if (cut > 0 && out.at(cut - 1).isHighSurrogate())
            --cut; // never leave half a pair
        out.truncate(cut);
        out += QChar(0x2026);
    }
    return out;
}

QString hexValue(const QByteArray &value)
{
    return QString::fromLatin1(value.toHex(' '));
}

std::optional<QByteArray> parseHexValue(const QString &text)
{
    QString digits = text.trimmed();
    if (digits.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        digits.remove(0, 2);
    QByteArray compact;
    compact.reserve(digits.size());
    for (const QChar ch : std::as_const(digits)) {
        if (ch.isSpace() || ch == u':' || ch == u'-')
            continue;
        const char16_t c = ch.unicode();
        const bool hex
            = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return std::nullopt;
        compact.append(static_cast<char>(c));
    }
    if (compact.size() % 2 != 0)
        return std::nullopt;
    return QByteArray::fromHex(compact);
}

bool isValidKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    const auto back = decodeUtf8(key.toUtf8());
    return back && *back == key;
}

QString relativeTime(const QDateTime &then, const QDateTime &now)
{
    if (!then.isValid())
        return QCoreApplication::translate("shoal::ValueText", "never");
    const qint64 seconds = then.secsTo(now);
    if (seconds < 1)
        return QCoreApplication::translate("shoal::ValueText", "now");
    if (seconds < 60)
        return QCoreApplication::translate("shoal::ValueText", "%1 s ago").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("shoal::ValueText", "%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return QCoreApplication::translate("shoal::ValueText", "%1 h ago").arg(seconds / 3600);
    return QCoreApplication::translate("shoal::ValueText", "%1 d ago").arg(seconds / 86400);
}

QString tooltipText(const QString &plain, qsizetype lineChars)
{
    lineChars = std::max<qsizetype>(lineChars, 8);
    QStringList lines;
    const QStringList paragraphs = plain.split(QLatin1Char('\n'));
    for (QString rest : paragraphs) {
        while (rest.size() > lineChars) {
            // At the last blank in the second half of the line, else a hard break.
            qsizetype cut = rest.lastIndexOf(QLatin1Char(' '), lineChars);
            if (cut < lineChars / 2)
                cut = lineChars;
            lines.append(rest.left(cut).toHtmlEscaped());
            rest = rest.mid(cut).trimmed();
        }
        lines.append(rest.toHtmlEscaped());
    }
    return QStringLiteral("<p style=\"white-space:pre-wrap\">") + lines.join(QStringLiteral("<br>"))
        + QStringLiteral("</p>");
}

} // namespace shoal
