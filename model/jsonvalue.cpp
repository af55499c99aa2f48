#include "model/jsonvalue.h"

#include <QJsonObject>

namespace shoal {

QJsonValue jsonValueFromBytes(const QByteArray &bytes)
{
    if (QByteArrayView(bytes).isValidUtf8())
        return QString::fromUtf8(bytes);
    return QJsonObject { { QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64()) } };
}

std::optional<QByteArray> bytesFromJsonValue(const QJsonValue &value, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<QByteArray> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (value.isString()) {
        const QString text = value.toString();
        if (!QStringView(text).isValidUtf16())
            return fail(QStringLiteral("a string with an unpaired surrogate"));
        return text.toUtf8();
    }
    if (!value.isObject())
        return fail(QStringLiteral("expected a string or {\"base64\": \"...\"}"));
    const QJsonObject object = value.toObject();
    const QJsonValue base64 = object.value(QLatin1String("base64"));
    if (object.size() != 1 || !base64.isString())
        return fail(QStringLiteral("expected a string or {\"base64\": \"...\"}"));
    const auto decoded = QByteArray::fromBase64Encoding(
        base64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(QStringLiteral("invalid base64"));
    return decoded.decoded;
}

} // namespace shoal
