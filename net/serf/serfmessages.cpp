#include "net/serf/serfmessages.h"

#include "net/serf/msgpack.h"

namespace shoal::serf {

namespace {

bool is(QByteArrayView key, const char *name)
{
    return key == QByteArrayView(name);
}

// map[string]string in wire order; values are Go strings (raw bytes).
bool readTagMap(MsgReader &r, TagList &tags)
{
    quint32 count = 0;
    if (!r.readMapHeader(count))
        return false;
    tags.clear();
    for (quint32 i = 0; i < count; ++i) {
        QString key;
        QByteArray value;
        if (!r.readString(key) || !r.readStringBytes(value))
            return false;
        tags.append({ key, value });
    }
    return true;
}

void writeTagMap(MsgWriter &w, const TagList &tags)
{
    w.mapHeader(quint32(tags.size()));
    for (const auto &[key, value] : tags) {
        w.string(key);
        w.raw(value);
    }
}

bool readStringList(MsgReader &r, QStringList &list, bool *isNil = nullptr)
{
    quint32 count = 0;
    bool nil = false;
    if (!r.readArrayHeader(count, nil))
        return false;
    if (isNil)
        *isNil = nil;
    list.clear();
    for (quint32 i = 0; i < count; ++i) {
        QString s;
        if (!r.readString(s))
            return false;
        list.append(s);
    }
    return true;
}

bool readBody(MsgReader &r, LeaveIntent &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "LTime"))
            return r.readUInt(m.ltime);
        if (is(k, "Node"))
            return r.readString(m.node);
        if (is(k, "Prune"))
            return r.readBool(m.prune);
        return false;
    });
}

bool readBody(MsgReader &r, JoinIntent &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "LTime"))
            return r.readUInt(m.ltime);
        if (is(k, "Node"))
            return r.readString(m.node);
        return false;
    });
}

bool readBody(MsgReader &r, UserEvent &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "CC"))
            return r.readBool(m.cc);
        if (is(k, "LTime"))
            return r.readUInt(m.ltime);
        if (is(k, "Name"))
            return r.readString(m.name);
        if (is(k, "Payload"))
            return r.readBytes(m.payload);
        return false;
    });
}

bool readBody(MsgReader &r, Query &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Addr"))
            return r.readBytes(m.addr);
        if (is(k, "Filters")) {
            quint32 count = 0;
            bool nil = false;
            if (!r.readArrayHeader(count, nil))
                return false;
            if (nil) {
                m.filters.reset();
                return true;
            }
            m.filters = QList<QByteArray>();
            for (quint32 i = 0; i < count; ++i) {
                QByteArray f;
                if (!r.readBytes(f))
                    return false;
                m.filters->append(f);
            }
            return true;
        }
        if (is(k, "Flags"))
            return r.readUInt32(m.flags);
        if (is(k, "ID"))
            return r.readUInt32(m.id);
        if (is(k, "LTime"))
            return r.readUInt(m.ltime);
        if (is(k, "Name"))
            return r.readString(m.name);
        if (is(k, "Payload"))
            return r.readBytes(m.payload);
        if (is(k, "Port"))
            return r.readUInt16(m.port);
        if (is(k, "RelayFactor"))
            return r.readUInt8(m.relayFactor);
        if (is(k, "SourceNode"))
            return r.readString(m.sourceNode);
        if (is(k, "Timeout"))
            return r.readInt(m.timeoutNs);
        return false;
    });
}

bool readBody(MsgReader &r, QueryResponse &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "Flags"))
            return r.readUInt32(m.flags);
        if (is(k, "From"))
            return r.readString(m.from);
        if (is(k, "ID"))
            return r.readUInt32(m.id);
        if (is(k, "LTime"))
            return r.readUInt(m.ltime);
        if (is(k, "Payload"))
            return r.readBytes(m.payload);
        return false;
    });
}

bool readBody(MsgReader &r, Relay &m)
{
    return r.readStruct([&](QByteArrayView k) {
        if (is(k, "DestAddr"))
            return r.readStruct([&](QByteArrayView a) {
                if (is(a, "IP"))
                    return r.readBytes(m.destIp);
                if (is(a, "Port")) {
                    qint64 port = 0;
                    if (!r.readInt(port))
                        return false;
                    if (port < 0 || port > 0xffff)
                        return r.fail(QStringLiteral("relay port out of range"));
                    m.destPort = quint16(port);
                    return true;
                }
                if (is(a, "Zone"))
                    return r.readString(m.destZone);
                return false;
            });
        if (is(k, "DestName"))
            return r.readString(m.destName);
        return false;
    });
}

void writeBody(MsgWriter &w, const LeaveIntent &m)
{
    w.mapHeader(3);
    w.key("LTime");
    w.uint(m.ltime);
    w.key("Node");
    w.string(m.node);
    w.key("Prune");
    w.boolean(m.prune);
}

void writeBody(MsgWriter &w, const JoinIntent &m)
{
    w.mapHeader(2);
    w.key("LTime");
    w.uint(m.ltime);
    w.key("Node");
    w.string(m.node);
}

void writeBody(MsgWriter &w, const UserEvent &m)
{
    w.mapHeader(4);
    w.key("CC");
    w.boolean(m.cc);
    w.key("LTime");
    w.uint(m.ltime);
    w.key("Name");
    w.string(m.name);
    w.key("Payload");
    w.bytesOrNil(m.payload);
}

void writeBody(MsgWriter &w, const Query &m)
{
    w.mapHeader(11);
    w.key("Addr");
    w.raw(m.addr);
    w.key("Filters");
    if (m.filters) {
        w.arrayHeader(quint32(m.filters->size()));
        for (const QByteArray &f : *m.filters)
            w.raw(f);
    } else {
        w.nil();
    }
    w.key("Flags");
    w.uint(m.flags);
    w.key("ID");
    w.uint(m.id);
    w.key("LTime");
    w.uint(m.ltime);
    w.key("Name");
    w.string(m.name);
    w.key("Payload");
    w.bytesOrNil(m.payload);
    w.key("Port");
    w.uint(m.port);
    w.key("RelayFactor");
    w.uint(m.relayFactor);
    w.key("SourceNode");
    w.string(m.sourceNode);
    w.key("Timeout");
    w.integer(m.timeoutNs);
}

void writeBody(MsgWriter &w, const QueryResponse &m)
{
    w.mapHeader(5);
    w.key("Flags");
    w.uint(m.flags);
    w.key("From");
    w.string(m.from);
    w.key("ID");
    w.uint(m.id);
    w.key("LTime");
    w.uint(m.ltime);
    w.key("Payload");
    w.bytesOrNil(m.payload);
}

void writeBody(MsgWriter &w, const Relay &m)
{
    w.mapHeader(2);
    w.key("DestAddr");
    w.mapHeader(3);
    w.key("IP");
    w.raw(m.destIp);
    w.key("Port");
    w.uint(m.destPort);
    w.key("Zone");
    w.string(m.destZone);
    w.key("DestName");
    w.string(m.destName);
    w.append(m.inner);
}

template<typename T> SerfResult readMessage(MsgReader &r)
{
    T m;
    if (!readBody(r, m))
        return SerfError { r.error() };
    return SerfMessage(std::move(m));
}

bool setWhy(QString *why, const QString &text)
{
    if (why)
        *why = text;
    return false;
}

} // namespace

SerfResult decodeSerfMessage(QByteArrayView bytes, int maxDepth)
{
    if (bytes.isEmpty())
        return SerfError { QStringLiteral("empty Serf message") };
    const quint8 type = quint8(bytes[0]);
    MsgReader r(bytes.sliced(1), maxDepth);
    switch (SerfType(type)) {
    case SerfType::Leave:
        return readMessage<LeaveIntent>(r);
    case SerfType::Join:
        return readMessage<JoinIntent>(r);
    case SerfType::UserEvent:
        return readMessage<UserEvent>(r);
    case SerfType::Query:
        return readMessage<Query>(r);
    case SerfType::QueryResponse:
        return readMessage<QueryResponse>(r);
    case SerfType::Relay: {
        Relay m;
        if (!readBody(r, m))
            return SerfError { r.error() };
        m.inner = r.rest().toByteArray();
        if (m.inner.isEmpty())
            return SerfError { QStringLiteral("relay without a message") };
        return SerfMessage(std::move(m));
    }
    default:
        break;
    }
    return SerfError { QStringLiteral("Serf message type %1 not accepted here").arg(type) };
}

QByteArray encodeSerfMessage(const SerfMessage &message)
{
    MsgWriter w;
    const auto type = quint8(message.index() == 0 ? SerfType::Leave
            : message.index() == 1                ? SerfType::Join
            : message.index() == 2                ? SerfType::UserEvent
            : message.index() == 3                ? SerfType::Query
            : message.index() == 4                ? SerfType::QueryResponse
                                                  : SerfType::Relay);
    std::visit([&w](const auto &m) { writeBody(w, m); }, message);
    QByteArray out;
    out.append(char(type));
    out.append(w.data());
    return out;
}

std::optional<TagList> decodeTags(const std::optional<QByteArray> &meta, QString *why)
{
    if (!meta || meta->isEmpty() || quint8(meta->at(0)) != 0xff)
        return TagList { { QStringLiteral("role"), meta.value_or(QByteArray()) } };
    MsgReader r(QByteArrayView(*meta).sliced(1), 4);
    TagList tags;
    if (!readTagMap(r, tags)) {
        setWhy(why, QStringLiteral("tags: %1").arg(r.error()));
        return std::nullopt;
    }
    return tags;
}

QByteArray encodeTags(const TagList &tags)
{
    MsgWriter w;
    w.append(QByteArrayView("\xff", 1));
    writeTagMap(w, tags);
    return w.take();
}

QByteArray encodeTags(const Metadata &tags)
{
    TagList list;
    for (auto it = tags.begin(); it != tags.end(); ++it)
        list.append({ it.key(), it.value() });
    return encodeTags(list);
}

Metadata tagsToMetadata(const TagList &tags)
{
    Metadata m;
    for (const auto &[key, value] : tags)
        m.insert(key, value);
    return m;
}

SerfPushPullResult decodeSerfPushPull(QByteArrayView bytes, int maxDepth)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != quint8(SerfType::PushPull))
        return SerfError { QStringLiteral("not a Serf push/pull state") };
    MsgReader r(bytes.sliced(1), maxDepth);
    SerfPushPull s;
    const bool ok = r.readStruct([&](QByteArrayView k) {
        if (is(k, "EventLTime"))
            return r.readUInt(s.eventLTime);
        if (is(k, "Events")) {
            quint32 count = 0;
            if (!r.readArrayHeader(count, s.eventsNil))
                return false;
            s.events.clear();
            for (quint32 i = 0; i < count; ++i) {
                if (r.isNilNext()) {
                    r.readNil();
                    s.events.append(std::nullopt);
                    continue;
                }
                EventBucket bucket;
                const bool bucketOk = r.readStruct([&](QByteArrayView bk) {
                    if (is(bk, "LTime"))
                        return r.readUInt(bucket.ltime);
                    if (!is(bk, "Events"))
                        return false;
                    quint32 n = 0;
                    if (!r.readArrayHeader(n))
                        return false;
                    for (quint32 j = 0; j < n; ++j) {
                        EventEntry e;
                        if (!r.readStruct([&](QByteArrayView ek) {
                                if (is(ek, "Name"))
                                    return r.readString(e.name);
                                if (is(ek, "Payload"))
                                    return r.readBytes(e.payload);
                                return false;
                            }))
                            return false;
                        bucket.events.append(std::move(e));
                    }
                    return true;
                });
                if (!bucketOk)
                    return false;
                s.events.append(std::move(bucket));
            }
            return true;
        }
        if (is(k, "LTime"))
            return r.readUInt(s.ltime);
        if (is(k, "LeftMembers"))
            return readStringList(r, s.leftMembers, &s.leftMembersNil);
        if (is(k, "QueryLTime"))
            return r.readUInt(s.queryLTime);
        if (is(k, "StatusLTimes")) {
            quint32 count = 0;
            if (!r.readMapHeader(count))
                return false;
            s.statusLTimes.clear();
            for (quint32 i = 0; i < count; ++i) {
                QString name;
                quint64 ltime = 0;
                if (!r.readString(name) || !r.readUInt(ltime))
                    return false;
                s.statusLTimes.append({ name, ltime });
            }
            return true;
        }
        return false;
    });
    if (!ok)
        return SerfError { QStringLiteral("Serf push/pull: %1").arg(r.error()) };
    return s;
}

QByteArray encodeSerfPushPull(const SerfPushPull &s)
{
    MsgWriter w;
    w.append(QByteArrayView("\x02", 1));
    w.mapHeader(6);
    w.key("EventLTime");
    w.uint(s.eventLTime);
    w.key("Events");
    if (s.eventsNil && s.events.isEmpty()) {
        w.nil();
    } else {
        w.arrayHeader(quint32(s.events.size()));
        for (const std::optional<EventBucket> &bucket : s.events) {
            if (!bucket) {
                w.nil();
                continue;
            }
            w.mapHeader(2);
            w.key("Events");
            w.arrayHeader(quint32(bucket->events.size()));
            for (const EventEntry &e : bucket->events) {
                w.mapHeader(2);
                w.key("Name");
                w.string(e.name);
                w.key("Payload");
                w.bytesOrNil(e.payload);
            }
            w.key("LTime");
            w.uint(bucket->ltime);
        }
    }
    w.key("LTime");
    w.uint(s.ltime);
    w.key("LeftMembers");
    if (s.leftMembersNil && s.leftMembers.isEmpty()) {
        w.nil();
    } else {
        w.arrayHeader(quint32(s.leftMembers.size()));
        for (const QString &name : s.leftMembers)
            w.string(name);
    }
    w.key("QueryLTime");
    w.uint(s.queryLTime);
    w.key("StatusLTimes");
    w.mapHeader(quint32(s.statusLTimes.size()));
    for (const auto &[name, ltime] : s.statusLTimes) {
        w.string(name);
        w.uint(ltime);
    }
    return w.take();
}

std::optional<QByteArray> decodeKeyRequest(QByteArrayView bytes, QString *why)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != quint8(SerfType::KeyRequest)) {
        setWhy(why, QStringLiteral("not a key request"));
        return std::nullopt;
    }
    MsgReader r(bytes.sliced(1), 4);
    QByteArray key;
    if (!r.readStruct([&](QByteArrayView k) { return is(k, "Key") && r.readBytes(key); })) {
        setWhy(why, r.error());
        return std::nullopt;
    }
    return key;
}

QByteArray encodeKeyRequest(const QByteArray &key)
{
    MsgWriter w;
    w.append(QByteArrayView("\x07", 1));
    w.mapHeader(1);
    w.key("Key");
    w.raw(key);
    return w.take();
}

std::optional<KeyResponse> decodeKeyResponse(QByteArrayView bytes, QString *why)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != quint8(SerfType::KeyResponse)) {
        setWhy(why, QStringLiteral("not a key response"));
        return std::nullopt;
    }
    MsgReader r(bytes.sliced(1), 4);
    KeyResponse m;
    const bool ok = r.readStruct([&](QByteArrayView k) {
        if (is(k, "Keys")) {
            if (r.isNilNext()) {
                m.keys.reset();
                return r.readNil();
            }
            QStringList keys;
            if (!readStringList(r, keys))
                return false;
            m.keys = keys;
            return true;
        }
        if (is(k, "Message"))
            return r.readString(m.message);
        if (is(k, "PrimaryKey"))
            return r.readString(m.primaryKey);
        if (is(k, "Result"))
            return r.readBool(m.result);
        return false;
    });
    if (!ok) {
        setWhy(why, r.error());
        return std::nullopt;
    }
    return m;
}

QByteArray encodeKeyResponse(const KeyResponse &m)
{
    MsgWriter w;
    w.append(QByteArrayView("\x08", 1));
    w.mapHeader(4);
    w.key("Keys");
    if (m.keys) {
        w.arrayHeader(quint32(m.keys->size()));
        for (const QString &k : *m.keys)
            w.string(k);
    } else {
        w.nil();
    }
    w.key("Message");
    w.string(m.message);
    w.key("PrimaryKey");
    w.string(m.primaryKey);
    w.key("Result");
    w.boolean(m.result);
    return w.take();
}

std::optional<ConflictMember> decodeConflictResponse(QByteArrayView bytes, QString *why)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != quint8(SerfType::ConflictResponse)) {
        setWhy(why, QStringLiteral("not a conflict response"));
        return std::nullopt;
    }
    MsgReader r(bytes.sliced(1), 4);
    ConflictMember m;
    const bool ok = r.readStruct([&](QByteArrayView k) {
        if (is(k, "Addr"))
            return r.readBytes(m.addr);
        if (is(k, "DelegateCur"))
            return r.readUInt8(m.delegateCur);
        if (is(k, "DelegateMax"))
            return r.readUInt8(m.delegateMax);
        if (is(k, "DelegateMin"))
            return r.readUInt8(m.delegateMin);
        if (is(k, "Name"))
            return r.readString(m.name);
        if (is(k, "Port"))
            return r.readUInt16(m.port);
        if (is(k, "ProtocolCur"))
            return r.readUInt8(m.protocolCur);
        if (is(k, "ProtocolMax"))
            return r.readUInt8(m.protocolMax);
        if (is(k, "ProtocolMin"))
            return r.readUInt8(m.protocolMin);
        if (is(k, "Status"))
            return r.readUInt(m.status);
        if (is(k, "Tags"))
            return readTagMap(r, m.tags);
        return false;
    });
    if (!ok) {
        setWhy(why, r.error());
        return std::nullopt;
    }
    return m;
}

QByteArray encodeConflictResponse(const ConflictMember &m)
{
    MsgWriter w;
    w.append(QByteArrayView("\x06", 1));
    w.mapHeader(11);
    w.key("Addr");
    w.raw(m.addr);
    w.key("DelegateCur");
    w.uint(m.delegateCur);
    w.key("DelegateMax");
    w.uint(m.delegateMax);
    w.key("DelegateMin");
    w.uint(m.delegateMin);
    w.key("Name");
    w.string(m.name);
    w.key("Port");
    w.uint(m.port);
    w.key("ProtocolCur");
    w.uint(m.protocolCur);
    w.key("ProtocolMax");
    w.uint(m.protocolMax);
    w.key("ProtocolMin");
    w.uint(m.protocolMin);
    w.key("Status");
    w.uint(m.status);
    w.key("Tags");
    writeTagMap(w, m.tags);
    return w.take();
}

std::optional<QueryFilter> decodeFilter(QByteArrayView bytes, QString *why)
{
    if (bytes.isEmpty()) {
        setWhy(why, QStringLiteral("empty filter"));
        return std::nullopt;
    }
    MsgReader r(bytes.sliced(1), 4);
    if (quint8(bytes[0]) == 0) {
        NodeFilter f;
        if (readStringList(r, f.nodes))
            return f;
    } else if (quint8(bytes[0]) == 1) {
        TagFilter f;
        if (r.readStruct([&](QByteArrayView k) {
                if (is(k, "Expr"))
                    return r.readString(f.expr);
                if (is(k, "Tag"))
                    return r.readString(f.tag);
                return false;
            }))
            return f;
    } else {
        setWhy(why, QStringLiteral("unknown filter type %1").arg(quint8(bytes[0])));
        return std::nullopt;
    }
    setWhy(why, r.error());
    return std::nullopt;
}

QByteArray encodeFilter(const QueryFilter &filter)
{
    MsgWriter w;
    if (const auto *nodes = std::get_if<NodeFilter>(&filter)) {
        w.append(QByteArrayView("\x00", 1));
        w.arrayHeader(quint32(nodes->nodes.size()));
        for (const QString &n : nodes->nodes)
            w.string(n);
    } else {
        const auto &tag = std::get<TagFilter>(filter);
        w.append(QByteArrayView("\x01", 1));
        w.mapHeader(2);
        w.key("Expr");
        w.string(tag.expr);
        w.key("Tag");
        w.string(tag.tag);
    }
    return w.take();
}

} // namespace shoal::serf
