#include "net/swim/pickle.h"

#include <QHash>
#include <QList>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace shoal::swim {

namespace {

// Opcodes of pickle protocols 2-5 (Lib/pickle.py).
namespace op {
constexpr quint8 Mark = '(';
constexpr quint8 Stop = '.';
constexpr quint8 Pop = '0';
constexpr quint8 PopMark = '1';
constexpr quint8 Dup = '2';
constexpr quint8 BinInt = 'J';
constexpr quint8 BinInt1 = 'K';
constexpr quint8 BinInt2 = 'M';
constexpr quint8 None = 'N';
constexpr quint8 BinUnicode = 'X';
constexpr quint8 Reduce = 'R';
constexpr quint8 Global = 'c';
constexpr quint8 EmptyDict = '}';
constexpr quint8 Dict = 'd';
constexpr quint8 SetItem = 's';
constexpr quint8 SetItems = 'u';
constexpr quint8 EmptyTuple = ')';
constexpr quint8 Tuple = 't';
constexpr quint8 Build = 'b';
constexpr quint8 BinGet = 'h';
constexpr quint8 LongBinGet = 'j';
constexpr quint8 BinPut = 'q';
constexpr quint8 LongBinPut = 'r';
constexpr quint8 BinBytes = 'B';
constexpr quint8 ShortBinBytes = 'C';
constexpr quint8 Proto = 0x80;
constexpr quint8 NewObj = 0x81;
constexpr quint8 Tuple1 = 0x85;
constexpr quint8 Tuple2 = 0x86;
constexpr quint8 Tuple3 = 0x87;
constexpr quint8 Long1 = 0x8a;
constexpr quint8 Long4 = 0x8b;
constexpr quint8 ShortBinUnicode = 0x8c;
constexpr quint8 BinUnicode8 = 0x8d;
constexpr quint8 BinBytes8 = 0x8e;
constexpr quint8 NewObjEx = 0x92;
constexpr quint8 StackGlobal = 0x93;
constexpr quint8 Memoize = 0x94;
constexpr quint8 Frame = 0x95;
} // namespace op

// Names of opcodes outside the subset, so a refusal says what was seen.
const char *forbiddenOpcodeName(quint8 code)
{
    switch (code) {
    case 'P':
        return "PERSID";
    case 'Q':
        return "BINPERSID";
    case 0x82:
        return "EXT1";
    case 0x83:
        return "EXT2";
    case 0x84:
        return "EXT4";
    case 'i':
        return "INST";
    case 'o':
        return "OBJ";
    case 'I':
        return "INT";
    case 'L':
        return "LONG";
    case 'F':
        return "FLOAT";
    case 'G':
        return "BINFLOAT";
    case 'S':
        return "STRING";
    case 'T':
        return "BINSTRING";
    case 'U':
        return "SHORT_BINSTRING";
    case 'V':
        return "UNICODE";
    case 'g':
        return "GET";
    case 'p':
        return "PUT";
    case ']':
        return "EMPTY_LIST";
    case 'l':
        return "LIST";
    case 'a':
        return "APPEND";
    case 'e':
        return "APPENDS";
    case 0x88:
        return "NEWTRUE";
    case 0x89:
        return "NEWFALSE";
    case 0x8f:
        return "EMPTY_SET";
    case 0x90:
        return "ADDITEMS";
    case 0x91:
        return "FROZENSET";
    case 0x96:
        return "BYTEARRAY8";
    case 0x97:
        return "NEXT_BUFFER";
    case 0x98:
        return "READONLY_BUFFER";
    default:
        return nullptr;
    }
}

// The only callables a packet pickle may name.
enum class Global : quint8 {
    Source,
    Ping,
    PingReq,
    Ack,
    Gossip,
    GossipAck,
    Status,
    CodecsEncode, // protocol 2 pickles bytes as _codecs.encode(str, 'latin1')
    Bytes, // ... and b'' as bytes()
    // CPython 3.11.0-3.11.3 (Debian 12's 3.11.2) pickle a Flag member as getattr(Status, NAME);
    // allowed only in exactly that call (see call()).
    Getattr,
};

const char *globalName(Global g)
{
    switch (g) {
    case Global::Source:
        return "swimprotocol.packet.Source";
    case Global::Ping:
        return "swimprotocol.packet.Ping";
    case Global::PingReq:
        return "swimprotocol.packet.PingReq";
    case Global::Ack:
        return "swimprotocol.packet.Ack";
    case Global::Gossip:
        return "swimprotocol.packet.Gossip";
    case Global::GossipAck:
        return "swimprotocol.packet.GossipAck";
    case Global::Status:
        return "swimprotocol.status.Status";
    case Global::CodecsEncode:
        return "_codecs.encode";
    case Global::Bytes:
        return "builtins.bytes";
    case Global::Getattr:
        return "builtins.getattr";
    }
    return "?";
}

bool isDataclass(Global g)
{
    return g <= Global::GossipAck;
}

enum class Kind : quint8 { None, Int, Str, Bytes, Tuple, Dict, Global, Instance, Status };

const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Int:
        return "int";
    case Kind::Str:
        return "str";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple";
    case Kind::Dict:
        return "dict";
    case Kind::Global:
        return "global";
    case Kind::Instance:
        return "instance";
    case Kind::Status:
        return "Status";
    }
    return "?";
}

// A value is a kind plus an index into one of the reader's arenas (or the
// integer itself). Containers refer to each other by index, so self-references
// and cycles cost nothing and tear-down never recurses.
struct Value
{
    Kind kind = Kind::None;
    quint32 index = 0;
    qint64 integer = 0;
};

// A dict scans its few keys; an index is built only past SmallDict items, so
// a flood of tiny dicts costs a few bytes each, not a hash table each.
constexpr size_t SmallDict = 16;
struct DictObject
{
    std::vector<std::pair<quint32, Value>> items; // key: index of a str, in insertion order
    QHash<QByteArray, quint32> position; // key bytes -> position in items, when large
};

struct InstanceObject
{
    Global cls;
    quint32 fields; // a DictObject: the instance's __dict__
};

// A tuple's items: a slice of ReaderArena::tupleItems.
struct TupleRef
{
    quint32 begin;
    quint32 size;
};
struct Values
{
    const Value *data;
    std::size_t count;
    std::size_t size() const { return count; }
    bool empty() const { return count == 0; }
    const Value &operator[](std::size_t i) const { return data[i]; }
};

struct MemoSlot
{
    Value value;
    bool set = false;
};

// The reader's storage, kept per thread between datagrams so a packet costs no allocation
// but the packet's own strings; dropped after a pickle that made it large (see isLarge).
struct ReaderArena
{
    static constexpr std::size_t DirectMemo = 1024; // memo indices below it index `memo`
    std::vector<Value> stack;
    std::vector<qsizetype> marks;
    std::vector<MemoSlot> memo;
    QHash<quint64, Value> farMemo; // indices from DirectMemo up
    std::vector<QByteArray> strings;
    std::vector<Value> tupleItems;
    std::vector<TupleRef> tuples;
    std::vector<DictObject> dicts; // the first Reader::m_dictCount are in use
    std::vector<InstanceObject> instances;
    std::vector<Value> items; // popMark's result

    void clear()
    {
        stack.clear();
        marks.clear();
        memo.clear();
        farMemo.clear();
        strings.clear();
        tupleItems.clear();
        tuples.clear();
        instances.clear();
        items.clear();
    }
    bool isLarge(qsizetype objects) const
    {
        constexpr std::size_t keep = 4096;
        return objects > qsizetype(keep) || stack.capacity() > keep || strings.capacity() > keep
            || tupleItems.capacity() > keep || dicts.size() > 64 || !farMemo.isEmpty()
            || items.capacity() > keep;
    }
};

class Reader final
{
public:
    Reader(QByteArrayView data, const PickleLimits &limits, ReaderArena &arena)
        : m_data(data)
        , m_limits(limits)
        , m_stack(arena.stack)
        , m_marks(arena.marks)
        , m_memo(arena.memo)
        , m_farMemo(arena.farMemo)
        , m_strings(arena.strings)
        , m_tupleItems(arena.tupleItems)
        , m_tuples(arena.tuples)
        , m_dicts(arena.dicts)
        , m_instances(arena.instances)
        , m_items(arena.items)
    {
        arena.clear();
    }

    PickleResult run();
    qsizetype objects() const { return m_objects; }

private:
    bool fail(const QString &detail)
    {
        if (m_error.isEmpty())
            m_error = detail;
        return false;
    }
    QString at() const
    {
        const QString name = m_opName
            ? QLatin1String(m_opName)
            : QStringLiteral("opcode 0x%1").arg(m_opCode, 2, 16, QLatin1Char('0'));
        return QStringLiteral(" (%1 at byte %2)").arg(name).arg(m_opOffset);
    }
    bool failAt(const QString &what) { return fail(what + at()); }

    bool need(quint64 n)
    {
        const auto left = static_cast<quint64>(m_data.size() - m_pos);
        if (n > left)
            return failAt(QStringLiteral("truncated: needs %1 bytes, %2 left").arg(n).arg(left));
        return true;
    }
    quint64 readLittle(int n)
    {
        quint64 v = 0;
        for (int i = 0; i < n; ++i)
            v |= quint64(quint8(m_data[m_pos + i])) << (8 * i);
        m_pos += n;
        return v;
    }
    QByteArrayView take(qsizetype n)
    {
        const QByteArrayView v = m_data.sliced(m_pos, n);
        m_pos += n;
        return v;
    }

    bool count(qsizetype n = 1)
    {
        m_objects += n;
        if (m_objects > m_limits.maxObjects)
            return failAt(QStringLiteral("more than %1 objects").arg(m_limits.maxObjects));
        return true;
    }
    qsizetype fence() const { return m_marks.empty() ? 0 : m_marks.back(); }
    bool push(Value v)
    {
        if (qsizetype(m_stack.size()) >= m_limits.maxStack)
            return failAt(QStringLiteral("stack deeper than %1").arg(m_limits.maxStack));
        m_stack.push_back(v);
        return true;
    }
    bool pop(Value &v)
    {
        if (qsizetype(m_stack.size()) <= fence())
            return failAt(QStringLiteral("stack underflow"));
        v = m_stack.back();
        m_stack.pop_back();
        return true;
    }
    // The top of the stack, or null (and the error set) when it is empty.
    Value *top()
    {
        if (qsizetype(m_stack.size()) <= fence()) {
            failAt(QStringLiteral("stack underflow"));
            return nullptr;
        }
        return &m_stack.back();
    }
    // The items above the last MARK, removed from the stack.
    // (Into m_items, which the caller uses before the next popMark.)
    bool popMark()
    {
        if (m_marks.empty())
            return failAt(QStringLiteral("no MARK on the stack"));
        const qsizetype mark = m_marks.back();
        m_marks.pop_back();
        m_items.assign(m_stack.begin() + mark, m_stack.end());
        m_stack.resize(size_t(mark));
        return true;
    }

    bool pushString(Kind kind, QByteArray bytes)
    {
        if (kind == Kind::Str && !QByteArrayView(bytes).isValidUtf8())
            return failAt(QStringLiteral("string is not valid UTF-8"));
        if (!count())
            return false;
        m_strings.push_back(std::move(bytes));
        return push({ kind, quint32(m_strings.size() - 1), 0 });
    }
    bool readString(Kind kind, int lengthBytes)
    {
        if (!need(quint64(lengthBytes)))
            return false;
        const quint64 n = readLittle(lengthBytes);
        if (!need(n))
            return false;
        // Raw data: the input outlives the reader; the packet gets deep copies.
        const QByteArrayView v = take(qsizetype(n));
        return pushString(kind, QByteArray::fromRawData(v.data(), v.size()));
    }
    bool pushInt(qint64 v) { return push({ Kind::Int, 0, v }); }
    bool readLong(int lengthBytes);
    bool newDict(quint32 &index)
    {
        if (!count())
            return false;
        if (m_dictCount < m_dicts.size()) {
            DictObject &reused = m_dicts[m_dictCount];
            reused.items.clear();
            reused.position.clear();
        } else {
            m_dicts.emplace_back();
        }
        index = quint32(m_dictCount++);
        return true;
    }
    bool setItem(quint32 dict, const Value &key, const Value &value);
    qsizetype find(const DictObject &d, const QByteArray &key) const; // position or -1
    bool newTuple(const Value *items, std::size_t n)
    {
        if (!count(1 + qsizetype(n)))
            return false;
        m_tuples.push_back({ quint32(m_tupleItems.size()), quint32(n) });
        m_tupleItems.insert(m_tupleItems.end(), items, items + n);
        return push({ Kind::Tuple, quint32(m_tuples.size() - 1), 0 });
    }
    Values tuple(quint32 index) const
    {
        const TupleRef t = m_tuples[index];
        return { m_tupleItems.data() + t.begin, t.size };
    }
    bool resolveGlobal(QByteArrayView module, QByteArrayView name);
    bool readLine(QByteArrayView &line);
    bool memoPut(quint64 index);
    bool memoGet(quint64 index);
    bool call(const Value &callable, const Value &args, bool newObj);
    bool build();
    bool step();

    QString str(const Value &v) const { return QString::fromUtf8(m_strings[v.index]); }
    bool toPacket(const Value &v, Packet &packet);
    using Fields = std::array<Value, 5>;
    bool fieldsOf(
        const Value &v, Global cls, std::initializer_list<const char *> names, Fields &out);
    bool toStr(const Value &v, const char *what, QString &out);
    bool toSource(const Value &v, Source &out);
    bool toClock(const Value &v, quint64 &out);

    QByteArrayView m_data;
    const PickleLimits &m_limits;
    qsizetype m_pos = 0;
    qsizetype m_opOffset = 0;
    const char *m_opName = nullptr;
    quint8 m_opCode = 0;
    QString m_error;
    int m_proto = 0;
    bool m_stopped = false;
    Value m_result;
    qsizetype m_objects = 0;

    std::vector<Value> &m_stack;
    std::vector<qsizetype> &m_marks;
    std::vector<MemoSlot> &m_memo;
    QHash<quint64, Value> &m_farMemo;
    qsizetype m_memoCount = 0; // distinct memo indices set
    std::vector<QByteArray> &m_strings;
    std::vector<Value> &m_tupleItems;
    std::vector<TupleRef> &m_tuples;
    std::vector<DictObject> &m_dicts;
    std::size_t m_dictCount = 0;
    std::vector<InstanceObject> &m_instances;
    std::vector<Value> &m_items;
};

bool Reader::readLong(int lengthBytes)
{
    if (!need(quint64(lengthBytes)))
        return false;
    const quint64 n = readLittle(lengthBytes);
    if (!need(n))
        return false;
    const QByteArrayView bytes = take(qsizetype(n));
    if (n == 0)
        return pushInt(0);
    // Little-endian two's complement; wider than 8 bytes only with sign padding.
    const bool negative = quint8(bytes.back()) & 0x80;
    const auto padding = static_cast<char>(negative ? 0xff : 0x00);
    for (qsizetype i = 8; i < bytes.size(); ++i) {
        if (bytes[i] != padding)
            return failAt(QStringLiteral("integer of %1 bytes out of range").arg(n));
    }
    const qsizetype used = qMin<qsizetype>(bytes.size(), 8);
    quint64 v = negative ? ~quint64(0) : 0;
    for (qsizetype i = 0; i < used; ++i) {
        v &= ~(quint64(0xff) << (8 * i));
        v |= quint64(quint8(bytes[i])) << (8 * i);
    }
    // With 8 bytes the top bit must agree with the sign of the padding.
    if (bytes.size() > 8 && (bool(v >> 63) != negative))
        return failAt(QStringLiteral("integer of %1 bytes out of range").arg(n));
    return pushInt(static_cast<qint64>(v));
}

bool Reader::setItem(quint32 dict, const Value &key, const Value &value)
{
    if (key.kind != Kind::Str)
        return failAt(QStringLiteral("dict key of type %1").arg(QLatin1String(kindName(key.kind))));
    if (!count())
        return false;
    DictObject &d = m_dicts[dict];
    const QByteArray &k = m_strings[key.index];
    if (const qsizetype at = find(d, k); at >= 0) {
        // Like a Python dict: a repeated key keeps its place, takes the new value.
        d.items[size_t(at)].second = value;
        return true;
    }
    d.items.emplace_back(key.index, value);
    if (d.items.size() == SmallDict + 1) {
        for (size_t i = 0; i < d.items.size(); ++i)
            d.position.insert(m_strings[d.items[i].first], quint32(i));
    } else if (d.items.size() > SmallDict + 1) {
        d.position.insert(k, quint32(d.items.size() - 1));
    }
    return true;
}

qsizetype Reader::find(const DictObject &d, const QByteArray &key) const
{
    if (d.items.size() > SmallDict) {
        const auto it = d.position.constFind(key);
        return it == d.position.constEnd() ? -1 : qsizetype(*it);
    }
    for (size_t i = 0; i < d.items.size(); ++i) {
        if (m_strings[d.items[i].first] == key)
            return qsizetype(i);
    }
    return -1;
}

bool Reader::readLine(QByteArrayView &line)
{
    const qsizetype left = m_data.size() - m_pos;
    const qsizetype scan = qMin(left, m_limits.maxGlobalLine + 1);
    const char *start = m_data.data() + m_pos;
    const void *nl = scan > 0 ? std::memchr(start, '\n', size_t(scan)) : nullptr;
    if (!nl) {
        if (scan == left)
            return failAt(QStringLiteral("truncated: GLOBAL line without newline"));
        return failAt(
            QStringLiteral("GLOBAL line longer than %1 bytes").arg(m_limits.maxGlobalLine));
    }
    const qsizetype n = static_cast<const char *>(nl) - start;
    line = m_data.sliced(m_pos, n);
    m_pos += n + 1;
    return true;
}

bool Reader::resolveGlobal(QByteArrayView module, QByteArrayView name)
{
    struct Known
    {
        const char *module;
        const char *name;
        Global global;
        bool oldProtocolsOnly;
    };
    static const Known known[] = {
        { "swimprotocol.packet", "Source", Global::Source, false },
        { "swimprotocol.packet", "Ping", Global::Ping, false },
        { "swimprotocol.packet", "PingReq", Global::PingReq, false },
        { "swimprotocol.packet", "Ack", Global::Ack, false },
        { "swimprotocol.packet", "Gossip", Global::Gossip, false },
        { "swimprotocol.packet", "GossipAck", Global::GossipAck, false },
        { "swimprotocol.status", "Status", Global::Status, false },
        { "_codecs", "encode", Global::CodecsEncode, true },
        { "builtins", "bytes", Global::Bytes, true },
        { "builtins", "getattr", Global::Getattr, false },
        // Protocols < 3 name the builtins module as in Python 2 (fix_imports).
        { "__builtin__", "bytes", Global::Bytes, true },
        { "__builtin__", "getattr", Global::Getattr, true },
    };
    for (const Known &k : known) {
        if (module == QByteArrayView(k.module) && name == QByteArrayView(k.name)) {
            if (k.oldProtocolsOnly && m_proto >= 3)
                break;
            if (!count())
                return false;
            return push({ Kind::Global, 0, qint64(k.global) });
        }
    }
    QString shown = QString::fromUtf8(module.first(qMin<qsizetype>(module.size(), 64)))
        + QLatin1Char('.') + QString::fromUtf8(name.first(qMin<qsizetype>(name.size(), 64)));
    return failAt(QStringLiteral("forbidden global %1").arg(shown));
}

bool Reader::memoPut(quint64 index)
{
    const Value *v = top();
    if (!v)
        return false;
    const bool direct = index < ReaderArena::DirectMemo;
    if (direct && index >= m_memo.size())
        m_memo.resize(std::size_t(index) + 1);
    const bool known = direct ? m_memo[std::size_t(index)].set : m_farMemo.contains(index);
    if (!known) {
        if (m_memoCount >= m_limits.maxMemo)
            return failAt(QStringLiteral("memo larger than %1 entries").arg(m_limits.maxMemo));
        ++m_memoCount;
    }
    if (direct)
        m_memo[std::size_t(index)] = { *v, true };
    else
        m_farMemo.insert(index, *v);
    return true;
}

bool Reader::memoGet(quint64 index)
{
    if (index < ReaderArena::DirectMemo) {
        if (index < m_memo.size() && m_memo[std::size_t(index)].set)
            return push(m_memo[std::size_t(index)].value);
    } else if (const auto it = m_farMemo.constFind(index); it != m_farMemo.constEnd()) {
        return push(*it);
    }
    return failAt(QStringLiteral("memo index %1 out of range").arg(index));
}

bool Reader::call(const Value &callable, const Value &args, bool newObj)
{
    if (callable.kind != Kind::Global)
        return failAt(QStringLiteral("call of a %1").arg(QLatin1String(kindName(callable.kind))));
    const auto g = static_cast<Global>(callable.integer);
    if (args.kind != Kind::Tuple)
        return failAt(QStringLiteral("arguments of %1 are a %2, not a tuple")
                          .arg(QLatin1String(globalName(g)))
                          .arg(QLatin1String(kindName(args.kind))));
    const Values a = tuple(args.index);
    if (g == Global::Status) {
        // Status(value) by REDUCE, or Status.__new__(Status, value) by NEWOBJ.
        if (a.size() != 1 || a[0].kind != Kind::Int)
            return failAt(QStringLiteral("Status takes one int"));
        const qint64 s = a[0].integer;
        if (s != 1 && s != 2 && s != 4)
            return failAt(
                QStringLiteral("status value %1 is not ONLINE, OFFLINE or SUSPECT").arg(s));
        return push({ Kind::Status, 0, s });
    }
    if (g == Global::Getattr) {
        // getattr(Status, 'ONLINE'|'OFFLINE'|'SUSPECT') and nothing else: no other object, no
        // other attribute (the aggregates AVAILABLE, UNAVAILABLE, ALL are never sent).
        if (newObj || a.size() != 2 || a[0].kind != Kind::Global
            || static_cast<Global>(a[0].integer) != Global::Status || a[1].kind != Kind::Str)
            return failAt(QStringLiteral("getattr is allowed only as Status.<member name>"));
        const QByteArray &member = m_strings[a[1].index];
        const qint64 value = member == "ONLINE" ? 1
            : member == "OFFLINE"               ? 2
            : member == "SUSPECT"               ? 4
                                                : 0;
        if (value == 0)
            return failAt(
                QStringLiteral("Status.%1 is not ONLINE, OFFLINE or SUSPECT")
                    .arg(QString::fromUtf8(member.first(qMin<qsizetype>(member.size(), 64)))));
        return push({ Kind::Status, 0, value });
    }
    if (newObj && isDataclass(g)) {
        if (!a.empty())
            return failAt(
                QStringLiteral("%1.__new__ with arguments").arg(QLatin1String(globalName(g))));
        quint32 fields = 0;
        if (!newDict(fields) || !count())
            return false;
        m_instances.push_back({ g, fields });
        return push({ Kind::Instance, quint32(m_instances.size() - 1), 0 });
    }
    if (!newObj && g == Global::Bytes && a.empty())
        return pushString(Kind::Bytes, QByteArray());
    if (!newObj && g == Global::CodecsEncode && a.size() == 2 && a[0].kind == Kind::Str
        && a[1].kind == Kind::Str) {
        const QByteArray &enc = m_strings[a[1].index];
        if (enc != "latin1" && enc != "latin-1")
            return failAt(QStringLiteral("_codecs.encode to an encoding other than latin1"));
        const QString text = str(a[0]);
        QByteArray bytes;
        bytes.reserve(text.size());
        for (const QChar c : text) {
            if (c.unicode() > 0xff)
                return failAt(QStringLiteral("_codecs.encode of a character beyond latin1"));
            bytes.append(char(c.unicode()));
        }
        return pushString(Kind::Bytes, bytes);
    }
    return failAt(QStringLiteral("%1 of %2 not allowed")
                      .arg(QLatin1String(newObj ? "NEWOBJ" : "REDUCE"))
                      .arg(QLatin1String(globalName(g))));
}

bool Reader::build()
{
    Value state;
    if (!pop(state))
        return false;
    const Value *inst = top();
    if (!inst)
        return false;
    if (inst->kind != Kind::Instance)
        return failAt(QStringLiteral("BUILD of a %1").arg(QLatin1String(kindName(inst->kind))));
    // A (state, slotstate) pair: slot state cannot be set on a frozen dataclass.
    if (state.kind == Kind::Tuple && tuple(state.index).size() == 2) {
        const Values pair = tuple(state.index);
        if (pair[1].kind != Kind::None)
            return failAt(QStringLiteral("BUILD with slot state"));
        state = pair[0];
    }
    if (state.kind == Kind::None)
        return true;
    if (state.kind != Kind::Dict)
        return failAt(
            QStringLiteral("BUILD state is a %1").arg(QLatin1String(kindName(state.kind))));
    const quint32 fields = m_instances[inst->index].fields;
    // The state dict may be the instance's own field dict: each item then sets itself (its
    // value and place unchanged), and setItem only appends when the key is new, so reading by
    // index sees the items as they were.
    const std::size_t n = m_dicts[state.index].items.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto item = m_dicts[state.index].items[i];
        if (!setItem(fields, { Kind::Str, item.first, 0 }, item.second))
            return false;
    }
    return true;
}

bool Reader::step()
{
    m_opOffset = m_pos;
    const auto code = quint8(m_data[m_pos++]);
    m_opCode = code;
    m_opName = nullptr;
    if (m_proto == 0 && code != op::Proto)
        return failAt(QStringLiteral("no PROTO: only protocols 2 to 5 are accepted"));

    Value a, b, c;
    Value *t = nullptr;
    const std::vector<Value> &items = m_items;
    switch (code) {
    case op::Proto: {
        m_opName = "PROTO";
        if (m_proto != 0)
            return failAt(QStringLiteral("second PROTO"));
        if (!need(1))
            return false;
        const auto proto = int(readLittle(1));
        if (proto < 2 || proto > 5)
            return failAt(QStringLiteral("protocol %1 not supported (2 to 5 are)").arg(proto));
        m_proto = proto;
        return true;
    }
    case op::Frame: {
        // As CPython's C unpickler: the frame must be present; boundaries are not enforced.
        m_opName = "FRAME";
        if (!need(8))
            return false;
        return need(readLittle(8));
    }
    case op::Stop:
        m_opName = "STOP";
        if (!pop(m_result))
            return false;
        m_stopped = true;
        return true;
    case op::Mark:
        m_opName = "MARK";
        if (qsizetype(m_marks.size()) >= m_limits.maxMarks)
            return failAt(QStringLiteral("MARKs nested deeper than %1").arg(m_limits.maxMarks));
        m_marks.push_back(qsizetype(m_stack.size()));
        return true;
    case op::Pop:
        m_opName = "POP";
        if (!m_marks.empty() && m_marks.back() == qsizetype(m_stack.size())) {
            m_marks.pop_back(); // as CPython: POP right after MARK drops the mark
            return true;
        }
        return pop(a);
    case op::PopMark:
        m_opName = "POP_MARK";
        return popMark();
    case op::Dup:
        m_opName = "DUP";
        if (!(t = top()))
            return false;
        return push(Value(*t));
    case op::None:
        m_opName = "NONE";
        return push({});
    case op::BinInt1:
        m_opName = "BININT1";
        return need(1) && pushInt(qint64(readLittle(1)));
    case op::BinInt2:
        m_opName = "BININT2";
        return need(2) && pushInt(qint64(readLittle(2)));
    case op::BinInt:
        m_opName = "BININT";
        return need(4) && pushInt(qint64(qint32(quint32(readLittle(4)))));
    case op::Long1:
        m_opName = "LONG1";
        return readLong(1);
    case op::Long4:
        m_opName = "LONG4";
        return readLong(4);
    case op::ShortBinUnicode:
        m_opName = "SHORT_BINUNICODE";
        return readString(Kind::Str, 1);
    case op::BinUnicode:
        m_opName = "BINUNICODE";
        return readString(Kind::Str, 4);
    case op::BinUnicode8:
        m_opName = "BINUNICODE8";
        return readString(Kind::Str, 8);
    case op::ShortBinBytes:
        m_opName = "SHORT_BINBYTES";
        return readString(Kind::Bytes, 1);
    case op::BinBytes:
        m_opName = "BINBYTES";
        return readString(Kind::Bytes, 4);
    case op::BinBytes8:
        m_opName = "BINBYTES8";
        return readString(Kind::Bytes, 8);
    case op::EmptyTuple:
        m_opName = "EMPTY_TUPLE";
        return newTuple(nullptr, 0);
    case op::Tuple:
        m_opName = "TUPLE";
        return popMark() && newTuple(items.data(), items.size());
    case op::Tuple1:
        m_opName = "TUPLE1";
        return pop(a) && newTuple(&a, 1);
    case op::Tuple2:
        m_opName = "TUPLE2";
        if (!pop(b) || !pop(a))
            return false;
        {
            const Value pair[] = { a, b };
            return newTuple(pair, 2);
        }
    case op::Tuple3:
        m_opName = "TUPLE3";
        if (!pop(c) || !pop(b) || !pop(a))
            return false;
        {
            const Value triple[] = { a, b, c };
            return newTuple(triple, 3);
        }
    case op::EmptyDict: {
        m_opName = "EMPTY_DICT";
        quint32 d = 0;
        return newDict(d) && push({ Kind::Dict, d, 0 });
    }
    case op::Dict: {
        m_opName = "DICT";
        quint32 d = 0;
        if (!popMark() || !newDict(d))
            return false;
        if (items.size() % 2)
            return failAt(QStringLiteral("odd number of items"));
        for (size_t i = 0; i < items.size(); i += 2) {
            if (!setItem(d, items[i], items[i + 1]))
                return false;
        }
        return push({ Kind::Dict, d, 0 });
    }
    case op::SetItem:
        m_opName = "SETITEM";
        if (!pop(b) || !pop(a) || !(t = top()))
            return false;
        if (t->kind != Kind::Dict)
            return failAt(QStringLiteral("SETITEM on a %1").arg(QLatin1String(kindName(t->kind))));
        return setItem(t->index, a, b);
    case op::SetItems:
        m_opName = "SETITEMS";
        if (!popMark() || !(t = top()))
            return false;
        if (t->kind != Kind::Dict)
            return failAt(QStringLiteral("SETITEMS on a %1").arg(QLatin1String(kindName(t->kind))));
        if (items.size() % 2)
            return failAt(QStringLiteral("odd number of items"));
        for (size_t i = 0; i < items.size(); i += 2) {
            if (!setItem(t->index, items[i], items[i + 1]))
                return false;
        }
        return true;
    case op::Global: {
        m_opName = "GLOBAL";
        QByteArrayView module, name;
        return readLine(module) && readLine(name) && resolveGlobal(module, name);
    }
    case op::StackGlobal:
        m_opName = "STACK_GLOBAL";
        if (!pop(b) || !pop(a))
            return false;
        if (a.kind != Kind::Str || b.kind != Kind::Str)
            return failAt(QStringLiteral("STACK_GLOBAL of a non-string"));
        return resolveGlobal(m_strings[a.index], m_strings[b.index]);
    case op::NewObj:
        m_opName = "NEWOBJ";
        return pop(b) && pop(a) && call(a, b, true);
    case op::NewObjEx:
        m_opName = "NEWOBJ_EX";
        if (!pop(c) || !pop(b) || !pop(a))
            return false;
        if (c.kind != Kind::Dict || !m_dicts[c.index].items.empty())
            return failAt(QStringLiteral("keyword arguments"));
        return call(a, b, true);
    case op::Reduce:
        m_opName = "REDUCE";
        return pop(b) && pop(a) && call(a, b, false);
    case op::Build:
        m_opName = "BUILD";
        return build();
    case op::Memoize:
        m_opName = "MEMOIZE";
        return memoPut(quint64(m_memoCount));
    case op::BinPut:
        m_opName = "BINPUT";
        return need(1) && memoPut(readLittle(1));
    case op::LongBinPut:
        m_opName = "LONG_BINPUT";
        return need(4) && memoPut(readLittle(4));
    case op::BinGet:
        m_opName = "BINGET";
        return need(1) && memoGet(readLittle(1));
    case op::LongBinGet:
        m_opName = "LONG_BINGET";
        return need(4) && memoGet(readLittle(4));
    default:
        break;
    }
    if (const char *name = forbiddenOpcodeName(code)) {
        m_opName = name;
        return failAt(QStringLiteral("opcode %1 not allowed").arg(QLatin1String(name)));
    }
    return failAt(QStringLiteral("unknown opcode"));
}

bool Reader::fieldsOf(
    const Value &v, Global cls, std::initializer_list<const char *> names, Fields &out)
{
    const QLatin1String clsName(globalName(cls));
    if (v.kind != Kind::Instance || m_instances[v.index].cls != cls)
        return fail(
            QStringLiteral("expected a %1, found a %2")
                .arg(clsName)
                .arg(v.kind == Kind::Instance ? QLatin1String(globalName(m_instances[v.index].cls))
                                              : QLatin1String(kindName(v.kind))));
    const DictObject &d = m_dicts[m_instances[v.index].fields];
    std::size_t filled = 0;
    for (const char *name : names) {
        const qsizetype at = find(d, QByteArray::fromRawData(name, qsizetype(std::strlen(name))));
        if (at < 0)
            return fail(
                QStringLiteral("missing field %1 in %2").arg(QLatin1String(name)).arg(clsName));
        out[filled++] = d.items[size_t(at)].second;
    }
    if (d.items.size() != names.size()) {
        for (const auto &item : d.items) {
            const QByteArray &key = m_strings[item.first];
            bool expected = false;
            for (const char *name : names)
                expected = expected || key == name;
            if (!expected)
                return fail(QStringLiteral("unexpected field %1 in %2")
                                .arg(QString::fromUtf8(key.left(64)))
                                .arg(clsName));
        }
    }
    return true;
}

bool Reader::toStr(const Value &v, const char *what, QString &out)
{
    if (v.kind != Kind::Str)
        return fail(QStringLiteral("%1 is a %2, not a str")
                        .arg(QLatin1String(what))
                        .arg(QLatin1String(kindName(v.kind))));
    out = str(v);
    return true;
}

bool Reader::toSource(const Value &v, Source &out)
{
    Fields f;
    if (!fieldsOf(v, Global::Source, { "name", "validity" }, f)
        || !toStr(f[0], "Source.name", out.name))
        return false;
    if (f[1].kind != Kind::Bytes)
        return fail(QStringLiteral("Source.validity is a %1, not bytes")
                        .arg(QLatin1String(kindName(f[1].kind))));
    const QByteArray &validity = m_strings[f[1].index];
    out.validity = QByteArray(validity.constData(), validity.size());
    return true;
}

bool Reader::toClock(const Value &v, quint64 &out)
{
    if (v.kind != Kind::Int)
        return fail(
            QStringLiteral("clock is a %1, not an int").arg(QLatin1String(kindName(v.kind))));
    if (v.integer < 0)
        return fail(QStringLiteral("clock %1 out of range 0..2^63-1").arg(v.integer));
    out = quint64(v.integer);
    return true;
}

bool Reader::toPacket(const Value &v, Packet &packet)
{
    if (v.kind != Kind::Instance)
        return fail(QStringLiteral("the pickle holds a %1, not a packet")
                        .arg(QLatin1String(kindName(v.kind))));
    Fields f;
    switch (m_instances[v.index].cls) {
    case Global::Ping: {
        Ping p;
        if (!fieldsOf(v, Global::Ping, { "source" }, f) || !toSource(f[0], p.source))
            return false;
        packet = std::move(p);
        return true;
    }
    case Global::Ack: {
        Ack p;
        if (!fieldsOf(v, Global::Ack, { "source" }, f) || !toSource(f[0], p.source))
            return false;
        packet = std::move(p);
        return true;
    }
    case Global::PingReq: {
        PingReq p;
        if (!fieldsOf(v, Global::PingReq, { "source", "target" }, f) || !toSource(f[0], p.source)
            || !toStr(f[1], "PingReq.target", p.target))
            return false;
        packet = std::move(p);
        return true;
    }
    case Global::GossipAck: {
        GossipAck p;
        if (!fieldsOf(v, Global::GossipAck, { "source", "name", "clock" }, f)
            || !toSource(f[0], p.source) || !toStr(f[1], "GossipAck.name", p.name)
            || !toClock(f[2], p.clock))
            return false;
        packet = std::move(p);
        return true;
    }
    case Global::Gossip: {
        Gossip p;
        if (!fieldsOf(v, Global::Gossip, { "source", "name", "clock", "status", "metadata" }, f)
            || !toSource(f[0], p.source) || !toStr(f[1], "Gossip.name", p.name)
            || !toClock(f[2], p.clock))
            return false;
        if (f[3].kind != Kind::Status)
            return fail(QStringLiteral("Gossip.status is a %1, not a Status")
                            .arg(QLatin1String(kindName(f[3].kind))));
        p.status = static_cast<WireStatus>(f[3].integer);
        if (f[4].kind == Kind::Dict) {
            WireMetadata metadata;
            const DictObject &d = m_dicts[f[4].index];
            metadata.reserve(qsizetype(d.items.size()));
            for (const auto &[key, value] : d.items) {
                if (value.kind != Kind::Bytes)
                    return fail(QStringLiteral("metadata value is a %1, not bytes")
                                    .arg(QLatin1String(kindName(value.kind))));
                const QByteArray &bytes = m_strings[value.index];
                metadata.append({ QString::fromUtf8(m_strings[key]),
                    QByteArray(bytes.constData(), bytes.size()) });
            }
            p.metadata = std::move(metadata);
        } else if (f[4].kind != Kind::None) {
            return fail(QStringLiteral("Gossip.metadata is a %1, not a dict or None")
                            .arg(QLatin1String(kindName(f[4].kind))));
        }
        packet = std::move(p);
        return true;
    }
    case Global::Source:
    case Global::Status:
    case Global::CodecsEncode:
    case Global::Bytes:
    case Global::Getattr:
        break;
    }
    return fail(QStringLiteral("the pickle holds a %1, not a packet")
                    .arg(QLatin1String(globalName(m_instances[v.index].cls))));
}

// The canonical reader: the exact protocol-4/5 layout CPython's pickler and writePacketPickle
// give a packet (one FRAME after PROTO, str and bytes each followed by MEMOIZE, fields in
// dataclass order, Status(value) by REDUCE). It reads in one pass with no stack and no
// allocation but the packet's own; anything else (another opcode, order or encoding, a
// negative or long clock, invalid UTF-8, a repeated metadata key) makes it give up, and the
// general Reader reads the pickle from the start, so its refusals and limits stay the only
// ones. Only pickles far inside the default limits are tried (see readPacketPickle).
class CanonicalReader final
{
public:
    explicit CanonicalReader(QByteArrayView data)
        : m_p(reinterpret_cast<const quint8 *>(data.data()))
        , m_end(m_p + data.size())
    { }

    bool read(Packet &packet);

private:
    enum class Memo : quint8 { Str, Bytes, Other };
    struct MemoEntry
    {
        const char *data;
        qsizetype size;
        Memo kind;
    };
    static constexpr std::size_t MaxMemo = 256; // BINGET reaches 256 entries

    bool opcode(quint8 code)
    {
        if (m_p == m_end || *m_p != code)
            return false;
        ++m_p;
        return true;
    }
    bool memoize(const char *data, qsizetype size, Memo kind)
    {
        if (!opcode(op::Memoize) || m_memoCount == MaxMemo)
            return false;
        m_memo[m_memoCount++] = { data, size, kind };
        return true;
    }
    // A str or bytes value: a short or 4-byte-length form then MEMOIZE, or BINGET of one.
    bool value(Memo kind, QByteArrayView &out)
    {
        if (m_p == m_end)
            return false;
        const quint8 code = *m_p++;
        if (code == op::BinGet) {
            if (m_p == m_end || *m_p >= m_memoCount || m_memo[*m_p].kind != kind)
                return false;
            const MemoEntry &e = m_memo[*m_p++];
            out = QByteArrayView(e.data, e.size);
            return true;
        }
        quint64 n = 0;
        const bool isStr = kind == Memo::Str;
        if (code == (isStr ? op::ShortBinUnicode : op::ShortBinBytes)) {
            if (m_p == m_end)
                return false;
            n = *m_p++;
        } else if (code == (isStr ? op::BinUnicode : op::BinBytes)) {
            if (m_end - m_p < 4)
                return false;
            n = quint64(m_p[0]) | quint64(m_p[1]) << 8 | quint64(m_p[2]) << 16
                | quint64(m_p[3]) << 24;
            m_p += 4;
        } else {
            return false;
        }
        if (quint64(m_end - m_p) < n)
            return false;
        out = QByteArrayView(reinterpret_cast<const char *>(m_p), qsizetype(n));
        m_p += n;
        if (isStr && !out.isValidUtf8())
            return false;
        return memoize(out.data(), out.size(), kind);
    }
    bool str(QByteArrayView &out) { return value(Memo::Str, out); }
    bool key(const char *name)
    {
        QByteArrayView k;
        return str(k) && k == QByteArrayView(name);
    }
    bool global(const char *module, const char *name)
    {
        return key(module) && key(name) && opcode(op::StackGlobal)
            && memoize(nullptr, 0, Memo::Other);
    }
    // cls() with no arguments, then the state dict opened: MARK for several fields.
    bool instanceStart(const char *cls, bool severalFields)
    {
        return global("swimprotocol.packet", cls) && opcode(op::EmptyTuple) && opcode(op::NewObj)
            && memoize(nullptr, 0, Memo::Other) && opcode(op::EmptyDict)
            && memoize(nullptr, 0, Memo::Other) && (!severalFields || opcode(op::Mark));
    }
    bool instanceEnd(bool severalFields)
    {
        return opcode(severalFields ? op::SetItems : op::SetItem) && opcode(op::Build);
    }
    bool text(QString &out)
    {
        QByteArrayView v;
        if (!str(v))
            return false;
        out = QString::fromUtf8(v);
        return true;
    }
    bool source(Source &out)
    {
        QByteArrayView validity;
        if (!key("source") || !instanceStart("Source", true) || !key("name") || !text(out.name)
            || !key("validity") || !value(Memo::Bytes, validity) || !instanceEnd(true))
            return false;
        out.validity = validity.toByteArray();
        return true;
    }
    bool clock(quint64 &out)
    {
        if (m_p == m_end)
            return false;
        const quint8 code = *m_p++;
        const int size = code == op::BinInt1 ? 1
            : code == op::BinInt2            ? 2
            : code == op::BinInt             ? 4
                                             : 0;
        if (size == 0 || m_end - m_p < size)
            return false;
        quint64 v = 0;
        for (int i = 0; i < size; ++i)
            v |= quint64(m_p[i]) << (8 * i);
        m_p += size;
        if (size == 4 && (v >> 31)) // BININT is signed: a negative clock is refused
            return false;
        out = v;
        return true;
    }
    bool status(WireStatus &out)
    {
        if (!global("swimprotocol.status", "Status") || !opcode(op::BinInt1) || m_p == m_end)
            return false;
        const quint8 v = *m_p++;
        if (v != 1 && v != 2 && v != 4)
            return false;
        out = static_cast<WireStatus>(v);
        return opcode(op::Tuple1) && memoize(nullptr, 0, Memo::Other) && opcode(op::Reduce)
            && memoize(nullptr, 0, Memo::Other);
    }
    bool metadataItem(WireMetadata &out)
    {
        QByteArrayView k, v;
        if (!str(k) || !value(Memo::Bytes, v) || m_keyCount == m_keys.size())
            return false;
        for (std::size_t i = 0; i < m_keyCount; ++i) { // a repeated key: the machine's case
            if (m_keys[i] == k)
                return false;
        }
        m_keys[m_keyCount++] = k;
        out.append({ QString::fromUtf8(k), v.toByteArray() });
        return true;
    }
    bool metadata(std::optional<WireMetadata> &out)
    {
        if (!key("metadata"))
            return false;
        if (opcode(op::None))
            return true;
        if (!opcode(op::EmptyDict) || !memoize(nullptr, 0, Memo::Other))
            return false;
        WireMetadata items;
        if (m_p != m_end && *m_p != op::Mark && *m_p != op::SetItems) {
            // One item: SETITEM. (SETITEMS closes the Gossip's own fields: no metadata.)
            if (!metadataItem(items) || !opcode(op::SetItem))
                return false;
        } else if (opcode(op::Mark)) {
            // A few items in one batch; a thousand or more are the general reader's.
            while (m_p != m_end && *m_p != op::SetItems) {
                if (!metadataItem(items))
                    return false;
            }
            if (items.size() < 2 || !opcode(op::SetItems))
                return false;
        }
        out = std::move(items);
        return true;
    }

    const quint8 *m_p;
    const quint8 *m_end;
    std::array<MemoEntry, MaxMemo> m_memo;
    std::size_t m_memoCount = 0;
    std::array<QByteArrayView, 16> m_keys; // metadata keys read; more go to the machine
    std::size_t m_keyCount = 0;
};

bool CanonicalReader::read(Packet &packet)
{
    if (!opcode(op::Proto) || m_p == m_end || (*m_p != 4 && *m_p != 5))
        return false;
    ++m_p;
    if (opcode(op::Frame)) {
        // The frame must be there, as the general reader checks; its end is not enforced.
        if (m_end - m_p < 8)
            return false;
        quint64 frame = 0;
        for (int i = 0; i < 8; ++i)
            frame |= quint64(m_p[i]) << (8 * i);
        m_p += 8;
        if (quint64(m_end - m_p) < frame)
            return false;
    }
    // The class name decides the layout.
    const quint8 *start = m_p;
    QByteArrayView module, cls;
    if (!str(module) || module != QByteArrayView("swimprotocol.packet") || !str(cls))
        return false;
    m_p = start;
    m_memoCount = 0;
    bool ok = false;
    if (cls == QByteArrayView("Ping") || cls == QByteArrayView("Ack")) {
        Source src;
        ok = instanceStart(cls == QByteArrayView("Ping") ? "Ping" : "Ack", false) && source(src)
            && instanceEnd(false);
        if (ok && cls == QByteArrayView("Ping"))
            packet = Ping { std::move(src) };
        else if (ok)
            packet = Ack { std::move(src) };
    } else if (cls == QByteArrayView("PingReq")) {
        PingReq p;
        ok = instanceStart("PingReq", true) && source(p.source) && key("target") && text(p.target)
            && instanceEnd(true);
        if (ok)
            packet = std::move(p);
    } else if (cls == QByteArrayView("GossipAck")) {
        GossipAck p;
        ok = instanceStart("GossipAck", true) && source(p.source) && key("name") && text(p.name)
            && key("clock") && clock(p.clock) && instanceEnd(true);
        if (ok)
            packet = std::move(p);
    } else if (cls == QByteArrayView("Gossip")) {
        Gossip p;
        ok = instanceStart("Gossip", true) && source(p.source) && key("name") && text(p.name)
            && key("clock") && clock(p.clock) && key("status") && status(p.status)
            && metadata(p.metadata) && instanceEnd(true);
        if (ok)
            packet = std::move(p);
    }
    return ok && opcode(op::Stop);
}

PickleResult Reader::run()
{
    if (m_data.size() > m_limits.maxSize)
        return PickleError { QStringLiteral("pickle of %1 bytes exceeds the limit of %2")
                                 .arg(m_data.size())
                                 .arg(m_limits.maxSize) };
    while (!m_stopped) {
        if (m_pos >= m_data.size()) {
            m_opName = "end";
            m_opOffset = m_pos;
            fail(QStringLiteral("truncated: no STOP") + at());
            break;
        }
        if (!step())
            break;
    }
    Packet packet;
    if (m_error.isEmpty() && toPacket(m_result, packet))
        return packet;
    return PickleError { m_error };
}

// Writes like Lib/pickle.py's _Pickler with protocol 5, whose output the C
// pickler matches byte for byte (checked against CPython 3.11). Appends straight to the
// caller's buffer: each frame's 9-byte FRAME header is reserved when the frame opens and
// filled (or dropped, under 4 bytes) when it closes.
class Writer final
{
public:
    // What a writer keeps between packets on one thread (see appendPacketPickle).
    struct Scratch;

    Writer(std::string &out, Scratch &scratch);
    ~Writer() { m_out.resize(m_size); }
    void write(const Packet &packet);

private:
    static constexpr qsizetype FrameTarget = 64 * 1024;
    static constexpr qsizetype FrameMin = 4;
    static constexpr std::size_t FrameHeader = 9;
    static constexpr int BatchSize = 1000;
    // Memo lookups scan this many strings; past it they go through a hash.
    static constexpr std::size_t LinearMemo = 32;

    // m_out is written up to m_size through grow(), and cut to it at the end: a byte costs a
    // store, not a call.
    char *grow(std::size_t n)
    {
        if (m_size + n > m_out.size())
            m_out.resize(std::max(2 * m_out.size(), m_size + n + 512));
        char *at = m_out.data() + m_size;
        m_size += n;
        return at;
    }
    qsizetype frameSize() const { return qsizetype(m_size - m_frameStart); }
    void openFrame()
    {
        std::memset(grow(FrameHeader), 0, FrameHeader);
        m_frameStart = m_size;
    }
    void closeFrame()
    {
        const std::size_t header = m_frameStart - FrameHeader;
        const auto size = quint64(frameSize());
        if (qsizetype(size) >= FrameMin) {
            m_out[header] = char(op::Frame);
            for (std::size_t i = 0; i < 8; ++i)
                m_out[header + 1 + i] = char((size >> (8 * i)) & 0xff);
        } else {
            // No string lies in a frame this small (any memoized one takes 4 bytes or is
            // empty), so the memo's offsets stay right.
            std::memmove(m_out.data() + header, m_out.data() + m_frameStart, std::size_t(size));
            m_size -= FrameHeader;
        }
    }
    void commitFrame(bool force = false)
    {
        if (frameSize() < FrameTarget && !force)
            return;
        closeFrame();
        openFrame();
    }
    void appendLittle(quint64 v, int n)
    {
        char *at = grow(std::size_t(n));
        for (int i = 0; i < n; ++i)
            at[i] = char((v >> (8 * i)) & 0xff);
    }
    void put(quint8 code) { *grow(1) = char(code); }
    void memoize()
    {
        put(op::Memoize);
        ++m_memoCount;
    }
    void get(quint32 index)
    {
        if (index < 256) {
            put(op::BinGet);
            appendLittle(index, 1);
        } else {
            put(op::LongBinGet);
            appendLittle(index, 4);
        }
    }
    void saveData(QByteArrayView data, bool isStr);
    void saveStr(const QString &s);
    void saveKey(const char *ascii) { saveData(QByteArrayView(ascii), true); }
    void saveBytes(const QByteArray &b) { saveData(b, false); }
    void saveInt(quint64 v);
    void saveGlobal(const char *module, const char *name)
    {
        commitFrame();
        saveKey(module);
        saveKey(name);
        put(op::StackGlobal);
        memoize();
    }
    // An instance of a swim-protocol dataclass whose state dict has n fields;
    // fields() saves key/value pairs.
    template<typename Fields> void saveInstance(const char *name, int n, Fields fields)
    {
        commitFrame(); // save(obj)
        saveGlobal("swimprotocol.packet", name); // save(cls)
        commitFrame(); // save(args)
        put(op::EmptyTuple);
        put(op::NewObj);
        memoize();
        commitFrame(); // save(state)
        put(op::EmptyDict);
        memoize();
        if (n > 1)
            put(op::Mark);
        fields();
        put(n > 1 ? op::SetItems : op::SetItem);
        put(op::Build);
    }
    void saveSource(const Source &s)
    {
        saveInstance("Source", 2, [&] {
            saveKey("name");
            saveStr(s.name);
            saveKey("validity");
            saveBytes(s.validity);
        });
    }
    void saveStatus(WireStatus status)
    {
        commitFrame();
        saveGlobal("swimprotocol.status", "Status");
        commitFrame(); // save(args): the tuple (value,)
        saveInt(quint64(status));
        put(op::Tuple1);
        memoize();
        put(op::Reduce);
        memoize();
    }
    void saveMetadata(const std::optional<WireMetadata> &metadata);

    // A str or bytes value already written: its bytes are at `offset` in m_out.
    struct Memoized
    {
        std::size_t offset;
        qsizetype size;
        quint32 index;
        bool isStr;
    };
    QByteArrayView memoBytes(const Memoized &m) const
    {
        return QByteArrayView(m_out.data() + m.offset, m.size);
    }
    static std::size_t memoHash(QByteArrayView data, bool isStr)
    {
        return qHash(data) ^ std::size_t(isStr);
    }
    const Memoized *findMemo(QByteArrayView data, bool isStr) const;

    std::string &m_out;
    std::size_t m_size;
    std::size_t m_frameStart = 0;
    quint32 m_memoCount = 0;
    std::vector<Memoized> &m_memo;
    QMultiHash<std::size_t, std::size_t> &m_memoByHash; // used past LinearMemo entries
    std::string &m_ascii; // saveStr's scratch
};

struct Writer::Scratch
{
    std::vector<Memoized> memo;
    QMultiHash<std::size_t, std::size_t> memoByHash;
    std::string ascii;
    // Kept unless a large packet made it large.
    bool isLarge() const { return memo.capacity() > 1024 || ascii.capacity() > 4096; }
};

Writer::Writer(std::string &out, Scratch &scratch)
    : m_out(out)
    , m_size(out.size())
    , m_memo(scratch.memo)
    , m_memoByHash(scratch.memoByHash)
    , m_ascii(scratch.ascii)
{
    m_memo.clear();
    m_memoByHash.clear();
}

const Writer::Memoized *Writer::findMemo(QByteArrayView data, bool isStr) const
{
    if (m_memo.size() <= LinearMemo) {
        const char first = data.isEmpty() ? '\0' : data.front();
        for (const Memoized &m : m_memo) {
            if (m.size == data.size() && m.isStr == isStr
                && (m.size == 0
                    || (m_out[m.offset] == first
                        && std::memcmp(m_out.data() + m.offset, data.data(), std::size_t(m.size))
                            == 0)))
                return &m;
        }
        return nullptr;
    }
    for (auto it = m_memoByHash.constFind(memoHash(data, isStr));
         it != m_memoByHash.cend() && it.key() == memoHash(data, isStr); ++it) {
        const Memoized &m = m_memo[*it];
        if (m.size == data.size() && m.isStr == isStr && memoBytes(m) == data)
            return &m;
    }
    return nullptr;
}

void Writer::saveStr(const QString &s)
{
    // ASCII (every name and key swim-protocol sends) is copied as is; anything else goes
    // through QString's UTF-8 encoder.
    const QChar *chars = s.constData();
    char16_t any = 0;
    for (qsizetype i = 0; i < s.size(); ++i)
        any |= chars[i].unicode();
    if (any < 0x80) {
        m_ascii.resize(std::size_t(s.size()));
        for (qsizetype i = 0; i < s.size(); ++i)
            m_ascii[std::size_t(i)] = char(chars[i].unicode());
        saveData(QByteArrayView(m_ascii.data(), qsizetype(m_ascii.size())), true);
        return;
    }
    const QByteArray utf8 = s.toUtf8();
    saveData(utf8, true);
}

void Writer::saveData(QByteArrayView data, bool isStr)
{
    commitFrame();
    if (const Memoized *m = findMemo(data, isStr)) {
        get(m->index);
        return;
    }
    const auto n = quint64(data.size());
    const bool outsideFrame = data.size() >= FrameTarget;
    if (outsideFrame) {
        // Large values go outside any frame.
        closeFrame();
    }
    if (n <= 0xff) {
        put(isStr ? op::ShortBinUnicode : op::ShortBinBytes);
        appendLittle(n, 1);
    } else if (n > 0xffffffffu) {
        put(isStr ? op::BinUnicode8 : op::BinBytes8);
        appendLittle(n, 8);
    } else {
        put(isStr ? op::BinUnicode : op::BinBytes);
        appendLittle(n, 4);
    }
    const std::size_t offset = m_size;
    if (!data.isEmpty())
        std::memcpy(grow(std::size_t(data.size())), data.data(), std::size_t(data.size()));
    if (outsideFrame)
        openFrame();
    m_memo.push_back({ offset, data.size(), m_memoCount, isStr });
    if (m_memo.size() == LinearMemo + 1) {
        for (std::size_t i = 0; i < m_memo.size(); ++i)
            m_memoByHash.insert(memoHash(memoBytes(m_memo[i]), m_memo[i].isStr), i);
    } else if (m_memo.size() > LinearMemo + 1) {
        m_memoByHash.insert(memoHash(data, isStr), m_memo.size() - 1);
    }
    memoize();
}

void Writer::saveInt(quint64 v)
{
    commitFrame();
    if (v <= 0xff) {
        put(op::BinInt1);
        appendLittle(v, 1);
    } else if (v <= 0xffff) {
        put(op::BinInt2);
        appendLittle(v, 2);
    } else if (v <= 0x7fffffff) {
        put(op::BinInt);
        appendLittle(v, 4);
    } else {
        // LONG1: (bit_length >> 3) + 1 bytes of little-endian two's complement.
        int bits = 0;
        for (quint64 x = v; x; x >>= 1)
            ++bits;
        const int n = (bits >> 3) + 1;
        put(op::Long1);
        appendLittle(quint64(n), 1);
        appendLittle(v, qMin(n, 8));
        if (n > 8)
            put(0);
    }
}

void Writer::saveMetadata(const std::optional<WireMetadata> &metadata)
{
    commitFrame();
    if (!metadata) {
        put(op::None);
        return;
    }
    put(op::EmptyDict);
    memoize();
    // A dict keeps one value per key, in first-insertion order. Keys are unique in every
    // packet Shoal builds: a few keys are checked pairwise, and only a repeat (or many keys)
    // pays for the merged copy.
    const WireMetadata *items = &*metadata;
    WireMetadata merged;
    bool unique = metadata->size() <= 8;
    for (qsizetype i = 0; unique && i < metadata->size(); ++i) {
        for (qsizetype j = 0; unique && j < i; ++j)
            unique = (*metadata)[i].first != (*metadata)[j].first;
    }
    if (!unique) {
        QHash<QString, qsizetype> seen;
        for (const auto &[key, value] : *metadata) {
            const auto it = seen.constFind(key);
            if (it != seen.constEnd()) {
                merged[*it].second = value;
            } else {
                seen.insert(key, merged.size());
                merged.append({ key, value });
            }
        }
        items = &merged;
    }
    // As _pickle.c's batch_dict_exact (which differs from pickle.py here): one
    // item is a SETITEM; otherwise MARK ... SETITEMS batches of 1000, and a
    // full last batch is followed by an empty one.
    if (items->size() == 1) {
        saveStr(items->front().first);
        saveBytes(items->front().second);
        put(op::SetItem);
        return;
    }
    if (items->isEmpty())
        return;
    qsizetype i = 0;
    qsizetype inBatch = 0;
    do {
        put(op::Mark);
        for (inBatch = 0; inBatch < BatchSize && i < items->size(); ++inBatch, ++i) {
            saveStr((*items)[i].first);
            saveBytes((*items)[i].second);
        }
        put(op::SetItems);
    } while (inBatch == BatchSize);
}

void Writer::write(const Packet &packet)
{
    put(op::Proto);
    put(5);
    openFrame();
    std::visit(
        [this](const auto &p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, Ping> || std::is_same_v<T, Ack>) {
                saveInstance(std::is_same_v<T, Ping> ? "Ping" : "Ack", 1, [&] {
                    saveKey("source");
                    saveSource(p.source);
                });
            } else if constexpr (std::is_same_v<T, PingReq>) {
                saveInstance("PingReq", 2, [&] {
                    saveKey("source");
                    saveSource(p.source);
                    saveKey("target");
                    saveStr(p.target);
                });
            } else if constexpr (std::is_same_v<T, GossipAck>) {
                saveInstance("GossipAck", 3, [&] {
                    saveKey("source");
                    saveSource(p.source);
                    saveKey("name");
                    saveStr(p.name);
                    saveKey("clock");
                    saveInt(p.clock);
                });
            } else {
                static_assert(std::is_same_v<T, Gossip>);
                saveInstance("Gossip", 5, [&] {
                    saveKey("source");
                    saveSource(p.source);
                    saveKey("name");
                    saveStr(p.name);
                    saveKey("clock");
                    saveInt(p.clock);
                    saveKey("status");
                    saveStatus(p.status);
                    saveKey("metadata");
                    saveMetadata(p.metadata);
                });
            }
        },
        packet);
    put(op::Stop);
    closeFrame();
}

} // namespace

std::optional<Packet> readCanonicalPacketPickle(QByteArrayView pickle)
{
    Packet packet;
    if (CanonicalReader(pickle).read(packet))
        return packet;
    return std::nullopt;
}

PickleResult readPacketPickle(QByteArrayView pickle, const PickleLimits &limits)
{
    // Within these bounds no canonical pickle comes near a default limit (it has at most a
    // few dozen objects, 2 MARKs and 256 memo entries), so both readers accept the same.
    const PickleLimits defaults;
    if (pickle.size() <= CanonicalSizeLimit && limits.maxSize >= defaults.maxSize
        && limits.maxStack >= defaults.maxStack && limits.maxMarks >= defaults.maxMarks
        && limits.maxMemo >= defaults.maxMemo && limits.maxObjects >= defaults.maxObjects) {
        if (std::optional<Packet> packet = readCanonicalPacketPickle(pickle))
            return std::move(*packet);
    }
    return readPacketPickleByMachine(pickle, limits);
}

PickleResult readPacketPickleByMachine(QByteArrayView pickle, const PickleLimits &limits)
{
    thread_local ReaderArena arena;
    Reader reader(pickle, limits, arena);
    PickleResult result = reader.run();
    if (arena.isLarge(reader.objects()))
        arena = ReaderArena();
    return result;
}

void appendPacketPickle(std::string &out, const Packet &packet)
{
    thread_local Writer::Scratch scratch;
    Writer(out, scratch).write(packet);
    if (scratch.isLarge())
        scratch = Writer::Scratch();
}

QByteArray writePacketPickle(const Packet &packet)
{
    std::string out;
    appendPacketPickle(out, packet);
    return QByteArray(out.data(), qsizetype(out.size()));
}

} // namespace shoal::swim
