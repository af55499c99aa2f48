// Metadata as JSON for the command-line forms (docs/CLI.md): a value is a JSON string when
// its bytes are valid UTF-8, otherwise {"base64": "..."}.
#pragma once

#include "model/member.h"

#include <QJsonObject>
#include <QJsonValue>

namespace shoal::app {

QJsonValue metadataValueToJson(const QByteArray &value);
QJsonObject metadataToJson(const Metadata &metadata);

} // namespace shoal::app
