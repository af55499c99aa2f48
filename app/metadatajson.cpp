#include "app/metadatajson.h"

#include <QStringDecoder>

namespace shoal::app {

// Until the codec's shared JSON value helper lands, this is the one place that applies the rule.
QJsonValue metadataValueToJson(const QByteArray &value)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(value);
    if (!decoder.hasError())
        return text;
    QJsonObject object;
    object.insert(QStringLiteral("base64"), QString::fromLatin1(value.toBase64()));
    return object;
}

QJsonObject metadataToJson(const Metadata &metadata)
{
    QJsonObject object;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        object.insert(it.key(), metadataValueToJson(it.value()));
    return object;
}

} // namespace shoal::app
