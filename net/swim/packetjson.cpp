#include "net/swim/packetjson.h"

#include "model/jsonvalue.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace shoal::swim {

namespace {

QString statusName(WireStatus status)
{
    switch (status) {
    case WireStatus::Online:
        return QStringLiteral("ONLINE");
    case WireStatus::Offline:
        return QStringLiteral("OFFLINE");
    case WireStatus::Suspect:
        return QStringLiteral("SUSPECT");
    }
    return QString();
}

QJsonObject sourceToJson(const Source &source)
{
    return { { QStringLiteral("name"), source.name },
        { QStringLiteral("validity"), QString::fromLatin1(source.validity.toHex()) } };
}

// Reads fields of one JSON object, remembering the first problem.
class Fields final
{
public:
    Fields(const QJsonObject &object, QString where)
        : m_object(object)
        , m_where(std::move(where))
    { }

    bool fail(const QString &what)
    {
        if (m_error.isEmpty())
            m_error = m_where + what;
        return false;
    }
    const QString &error() const { return m_error; }

    bool string(const char *key, QString &out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (!v.isString())
            return fail(QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
        out = v.toString();
        // JSON may escape half a surrogate pair; UTF-8 cannot carry it.
        if (!QStringView(out).isValidUtf16())
            return fail(QStringLiteral("\"%1\" has an unpaired surrogate").arg(QLatin1String(key)));
        return true;
    }
    bool hex(const char *key, QByteArray &out)
    {
        QString text;
        if (!string(key, text))
            return false;
        const QByteArray latin = text.toLatin1();
        bool ok = latin.size() % 2 == 0;
        for (const char c : latin)
            ok = ok && std::isxdigit(static_cast<unsigned char>(c));
        if (!ok)
            return fail(
                QStringLiteral("\"%1\" must be hex digits in pairs").arg(QLatin1String(key)));
        out = QByteArray::fromHex(latin);
        return true;
    }
    bool clock(const char *key, quint64 &out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        // toInteger() falls back on its argument for non-integers and values beyond qint64.
        const qint64 a = v.toInteger(-1);
        const qint64 b = v.toInteger(-2);
        if (!v.isDouble() || a != b || a < 0)
            return fail(QStringLiteral("\"%1\" must be an integer from 0 to %2")
                            .arg(QLatin1String(key))
                            .arg(std::numeric_limits<qint64>::max()));
        out = quint64(a);
        return true;
    }
    // Every key must be one of these: a typo should not pass silently.
    bool only(std::initializer_list<const char *> keys)
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            bool known = false;
            for (const char *k : keys)
                known = known || it.key() == QLatin1String(k);
            if (!known)
                return fail(QStringLiteral("unknown field \"%1\"").arg(it.key()));
        }
        return true;
    }

private:
    QJsonObject m_object;
    QString m_where;
    QString m_error;
};

} // namespace

QJsonObject packetToJson(const Packet &packet)
{
    QJsonObject o;
    o.insert(QStringLiteral("type"), QLatin1String(packetTypeName(packet)));
    o.insert(QStringLiteral("source"), sourceToJson(packetSource(packet)));
    if (const auto *p = std::get_if<PingReq>(&packet))
        o.insert(QStringLiteral("target"), p->target);
    if (const auto *p = std::get_if<GossipAck>(&packet)) {
        o.insert(QStringLiteral("name"), p->name);
        o.insert(QStringLiteral("clock"), qint64(p->clock));
    }
    if (const auto *p = std::get_if<Gossip>(&packet)) {
        o.insert(QStringLiteral("name"), p->name);
        o.insert(QStringLiteral("clock"), qint64(p->clock));
        o.insert(QStringLiteral("status"), statusName(p->status));
        if (p->metadata) {
            QJsonObject m;
            for (const auto &[key, value] : *p->metadata)
                m.insert(key, jsonValueFromBytes(value));
            o.insert(QStringLiteral("metadata"), m);
        } else {
            o.insert(QStringLiteral("metadata"), QJsonValue::Null);
        }
    }
    return o;
}

QByteArray packetToJsonLine(const Packet &packet)
{
    return QJsonDocument(packetToJson(packet)).toJson(QJsonDocument::Compact);
}

PacketJsonResult packetFromJson(const QJsonObject &object)
{
    Fields top(object, QString());
    QString type;
    if (!top.string("type", type))
        return top.error();
    const QJsonValue sourceValue = object.value(QLatin1String("source"));
    if (!sourceValue.isObject())
        return QStringLiteral("\"source\" must be an object with \"name\" and \"validity\"");
    Fields src(sourceValue.toObject(), QStringLiteral("source: "));
    Source source;
    if (!src.only({ "name", "validity" }) || !src.string("name", source.name)
        || !src.hex("validity", source.validity))
        return src.error();

    if (type == QLatin1String("Ping") || type == QLatin1String("Ack")) {
        if (!top.only({ "type", "source" }))
            return top.error();
        if (type == QLatin1String("Ping"))
            return Packet(Ping { source });
        return Packet(Ack { source });
    }
    if (type == QLatin1String("PingReq")) {
        PingReq p { source, QString() };
        if (!top.only({ "type", "source", "target" }) || !top.string("target", p.target))
            return top.error();
        return Packet(p);
    }
    if (type == QLatin1String("GossipAck")) {
        GossipAck p { source, QString(), 0 };
        if (!top.only({ "type", "source", "name", "clock" }) || !top.string("name", p.name)
            || !top.clock("clock", p.clock))
            return top.error();
        return Packet(p);
    }
    if (type == QLatin1String("Gossip")) {
        Gossip p { source, QString(), 0, WireStatus::Online, std::nullopt };
        QString status;
        if (!top.only({ "type", "source", "name", "clock", "status", "metadata" })
            || !top.string("name", p.name) || !top.clock("clock", p.clock)
            || !top.string("status", status))
            return top.error();
        if (status == QLatin1String("ONLINE"))
            p.status = WireStatus::Online;
        else if (status == QLatin1String("OFFLINE"))
            p.status = WireStatus::Offline;
        else if (status == QLatin1String("SUSPECT"))
            p.status = WireStatus::Suspect;
        else
            return QStringLiteral("\"status\" must be ONLINE, OFFLINE or SUSPECT, not \"%1\"")
                .arg(status);
        const QJsonValue metadata = object.value(QLatin1String("metadata"));
        if (metadata.isObject()) {
            WireMetadata m;
            const QJsonObject mo = metadata.toObject();
            for (auto it = mo.begin(); it != mo.end(); ++it) {
                if (!QStringView(it.key()).isValidUtf16())
                    return QStringLiteral("a metadata key has an unpaired surrogate");
                QString why;
                const std::optional<QByteArray> value = bytesFromJsonValue(it.value(), &why);
                if (!value)
                    return QStringLiteral("metadata \"%1\": %2").arg(it.key(), why);
                m.append({ it.key(), *value });
            }
            p.metadata = std::move(m);
        } else if (!metadata.isNull()) {
            return QStringLiteral("\"metadata\" must be an object, or null while unknown");
        }
        return Packet(p);
    }
    return QStringLiteral("\"type\" must be Ping, PingReq, Ack, Gossip or GossipAck, not \"%1\"")
        .arg(type);
}

PacketJsonResult packetFromJsonText(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("invalid JSON at offset %1: %2")
            .arg(error.offset)
            .arg(error.errorString());
    if (!doc.isObject())
        return QStringLiteral("expected a JSON object");
    return packetFromJson(doc.object());
}

} // namespace shoal::swim
