// Serf 0.9.4's messages inside memberlist user messages, its tags in an alive
// node's Meta, and its push/pull user state (MEMBERLIST-SERF.md section 7).
// Maps keep their wire order (Go writes them in random order), so a decoded
// message re-encodes to the same bytes; new messages are written sorted.
#pragma once

#include "model/member.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>
#include <tuple>
#include <variant>

namespace shoal::serf {

enum class SerfType : quint8 {
    Leave = 0,
    Join = 1,
    PushPull = 2,
    UserEvent = 3,
    Query = 4,
    QueryResponse = 5,
    ConflictResponse = 6,
    KeyRequest = 7,
    KeyResponse = 8,
    Relay = 9,
};

// Serf tags in wire order (keys unique on a valid wire).
using TagList = QList<QPair<QString, QByteArray>>;

struct LeaveIntent
{
    quint64 ltime = 0;
    QString node;
    bool prune = false;
    bool operator==(const LeaveIntent &o) const
    {
        return std::tie(ltime, node, prune) == std::tie(o.ltime, o.node, o.prune);
    }
};

struct JoinIntent
{
    quint64 ltime = 0;
    QString node;
    bool operator==(const JoinIntent &o) const
    {
        return std::tie(ltime, node) == std::tie(o.ltime, o.node);
    }
};

struct UserEvent
{
    bool cc = false; // may coalesce
    quint64 ltime = 0;
    QString name;
    std::optional<QByteArray> payload;
    bool operator==(const UserEvent &o) const
    {
        return std::tie(cc, ltime, name, payload) == std::tie(o.cc, o.ltime, o.name, o.payload);
    }
};

// Query flags (messages.go:28-35).
constexpr quint32 QueryFlagAck = 1;
constexpr quint32 QueryFlagNoBroadcast = 2;

struct Query
{
    QByteArray addr;
    std::optional<QList<QByteArray>> filters; // each: type byte + msgpack
    quint32 flags = 0;
    quint32 id = 0;
    quint64 ltime = 0;
    QString name;
    std::optional<QByteArray> payload;
    quint16 port = 0;
    quint8 relayFactor = 0;
    QString sourceNode;
    qint64 timeoutNs = 0;
    bool operator==(const Query &o) const
    {
        return std::tie(addr, filters, flags, id, ltime, name, payload, port, relayFactor,
                   sourceNode, timeoutNs)
            == std::tie(o.addr, o.filters, o.flags, o.id, o.ltime, o.name, o.payload, o.port,
                o.relayFactor, o.sourceNode, o.timeoutNs);
    }
};

struct QueryResponse
{
    quint32 flags = 0; // QueryFlagAck: an ack, not a response
    QString from;
    quint32 id = 0;
    quint64 ltime = 0;
    std::optional<QByteArray> payload;
    bool operator==(const QueryResponse &o) const
    {
        return std::tie(flags, from, id, ltime, payload)
            == std::tie(o.flags, o.from, o.id, o.ltime, o.payload);
    }
};

// A relay: forward `inner` (a whole Serf message) to DestAddr as a user message.
struct Relay
{
    QByteArray destIp;
    quint16 destPort = 0;
    QString destZone;
    QString destName;
    QByteArray inner;
    bool operator==(const Relay &o) const
    {
        return std::tie(destIp, destPort, destZone, destName, inner)
            == std::tie(o.destIp, o.destPort, o.destZone, o.destName, o.inner);
    }
};

using SerfMessage = std::variant<LeaveIntent, JoinIntent, UserEvent, Query, QueryResponse, Relay>;

struct SerfError
{
    QString reason;
};
using SerfResult = std::variant<SerfMessage, SerfError>;

// A memberlist user message's payload (Serf type byte + msgpack).
SerfResult decodeSerfMessage(QByteArrayView bytes, int maxDepth = 16);
QByteArray encodeSerfMessage(const SerfMessage &message);

// Tags <-> Meta. Meta not starting with 0xff (legacy Serf < 3, or nil/empty)
// means {"role": Meta}, as Serf reads it. nullopt: 0xff but not a string map.
std::optional<TagList> decodeTags(const std::optional<QByteArray> &meta, QString *why = nullptr);
QByteArray encodeTags(const TagList &tags); // 0xff + map in the given order
QByteArray encodeTags(const Metadata &tags); // sorted by key (deterministic)
Metadata tagsToMetadata(const TagList &tags);
constexpr qsizetype MetaMaxSize = 512;

// Serf's push/pull user state (delegate.go:173-297).
struct EventEntry
{
    QString name;
    std::optional<QByteArray> payload;
    bool operator==(const EventEntry &o) const
    {
        return std::tie(name, payload) == std::tie(o.name, o.payload);
    }
};
struct EventBucket
{
    QList<EventEntry> events;
    quint64 ltime = 0;
    bool operator==(const EventBucket &o) const
    {
        return std::tie(events, ltime) == std::tie(o.events, o.ltime);
    }
};
struct SerfPushPull
{
    quint64 eventLTime = 0;
    QList<std::optional<EventBucket>> events; // the event ring, mostly nil
    bool eventsNil = false;
    quint64 ltime = 0;
    QStringList leftMembers;
    bool leftMembersNil = false;
    quint64 queryLTime = 0;
    QList<QPair<QString, quint64>> statusLTimes; // wire order
    bool operator==(const SerfPushPull &o) const
    {
        return std::tie(eventLTime, events, eventsNil, ltime, leftMembers, leftMembersNil,
                   queryLTime, statusLTimes)
            == std::tie(o.eventLTime, o.events, o.eventsNil, o.ltime, o.leftMembers,
                o.leftMembersNil, o.queryLTime, o.statusLTimes);
    }
};
using SerfPushPullResult = std::variant<SerfPushPull, SerfError>;
SerfPushPullResult decodeSerfPushPull(QByteArrayView bytes, int maxDepth = 16); // with type byte
QByteArray encodeSerfPushPull(const SerfPushPull &state);

// Payloads of internal queries and their responses (7.8, 7.9).
struct KeyResponse
{
    std::optional<QStringList> keys; // base64
    QString message;
    QString primaryKey;
    bool result = false;
    bool operator==(const KeyResponse &o) const
    {
        return std::tie(keys, message, primaryKey, result)
            == std::tie(o.keys, o.message, o.primaryKey, o.result);
    }
};
struct ConflictMember
{
    QByteArray addr;
    quint8 delegateCur = 0, delegateMax = 0, delegateMin = 0;
    QString name;
    quint16 port = 0;
    quint8 protocolCur = 0, protocolMax = 0, protocolMin = 0;
    quint64 status = 0;
    TagList tags;
    bool operator==(const ConflictMember &o) const
    {
        return std::tie(addr, delegateCur, delegateMax, delegateMin, name, port, protocolCur,
                   protocolMax, protocolMin, status, tags)
            == std::tie(o.addr, o.delegateCur, o.delegateMax, o.delegateMin, o.name, o.port,
                o.protocolCur, o.protocolMax, o.protocolMin, o.status, o.tags);
    }
};
std::optional<QByteArray> decodeKeyRequest(QByteArrayView bytes, QString *why = nullptr);
QByteArray encodeKeyRequest(const QByteArray &key);
std::optional<KeyResponse> decodeKeyResponse(QByteArrayView bytes, QString *why = nullptr);
QByteArray encodeKeyResponse(const KeyResponse &response);
std::optional<ConflictMember> decodeConflictResponse(QByteArrayView bytes, QString *why = nullptr);
QByteArray encodeConflictResponse(const ConflictMember &member);

// Query filters (messages.go:41-44): a list of node names, or a tag regexp.
struct NodeFilter
{
    QStringList nodes;
};
struct TagFilter
{
    QString expr; // RE2, unanchored
    QString tag;
};
using QueryFilter = std::variant<NodeFilter, TagFilter>;
std::optional<QueryFilter> decodeFilter(QByteArrayView bytes, QString *why = nullptr);
QByteArray encodeFilter(const QueryFilter &filter);

} // namespace shoal::serf
