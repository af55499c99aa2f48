// Packets as the JSON of `shoal decode` / `shoal encode` (docs/CLI.md, "Packet"):
// validity as hex, metadata values as strings or {"base64": ...}, null metadata
// while unknown.
#pragma once

#include "net/swim/packet.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <variant>

namespace shoal::swim {

QJsonObject packetToJson(const Packet &packet);
// One compact line, no newline. Object keys come out in Qt's (sorted) order.
QByteArray packetToJsonLine(const Packet &packet);

// Either the packet or one line saying what is wrong (field and problem).
using PacketJsonResult = std::variant<Packet, QString>;
PacketJsonResult packetFromJson(const QJsonObject &object);
PacketJsonResult packetFromJsonText(const QByteArray &text);

} // namespace shoal::swim
