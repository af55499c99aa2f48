// Bytes as JSON for every machine-readable output (docs/CLI.md): a JSON string
// when the bytes are valid UTF-8, otherwise {"base64": "..."}.
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace shoal {

QJsonValue jsonValueFromBytes(const QByteArray &bytes);

// The inverse: a string (its UTF-8 bytes) or {"base64": "..."} (strict
// base64). Anything else is nullopt with one line in *error.
std::optional<QByteArray> bytesFromJsonValue(const QJsonValue &value, QString *error = nullptr);

} // namespace shoal
