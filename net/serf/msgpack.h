// The msgpack flavour of go-msgpack 0.5.5's zero MsgpackHandle (MEMBERLIST-SERF.md
// section 1): a strict bounded reader over untrusted bytes and a writer that
// emits what Go emits (old-spec raw strings, smallest ints).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

namespace shoal::serf {

// Reads values from a byte view (which must outlive the reader: nothing is
// copied). The first failure sticks: every later read
// fails too, so callers may check ok() once at the end. A failure is either
// "truncated" (the bytes ended inside a value: a stream may still complete
// it) or malformed. Lengths and counts are checked against the bytes present
// before anything is allocated, so nothing larger than the input is built.
class MsgReader final
{
public:
    explicit MsgReader(QByteArrayView data, int maxDepth = 16);

    bool ok() const { return m_error.isEmpty(); }
    bool truncated() const { return m_truncated; }
    // When truncated: how many bytes of the view would at least be needed.
    qsizetype required() const { return m_required; }
    QString error() const { return m_error; }
    qsizetype position() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    QByteArrayView rest() const { return m_data.sliced(qMin(m_pos, m_data.size())); }

    bool isNilNext() const; // without consuming
    bool readNil();
    bool readBool(bool &value);
    bool readUInt(quint64 &value); // any int encoding; negative values are refused
    bool readUInt32(quint32 &value); // range-checked
    bool readUInt16(quint16 &value);
    bool readUInt8(quint8 &value);
    bool readInt(qint64 &value); // any int encoding that fits
    bool readFloat(double &value); // float32 or float64
    bool readStringBytes(QByteArray &value); // raw/str only (what Go's string accepts)
    bool readString(QString &value); // the same, as UTF-8
    // []byte: raw, str or bin; nil gives nullopt.
    bool readBytes(std::optional<QByteArray> &value);
    bool readBytes(QByteArray &value); // nil gives empty
    bool readMapHeader(quint32 &count); // nil gives 0 (Go: nil map)
    bool readArrayHeader(quint32 &count); // nil gives 0 (Go: nil slice)
    bool readArrayHeader(quint32 &count, bool &isNil);
    bool skip(); // one value of any type, nesting bounded
    // A Go struct: a map with string keys, any order, unknown keys skipped.
    // field(key) reads the value and returns true, or returns false to skip it.
    bool readStruct(const std::function<bool(QByteArrayView key)> &field);

    bool fail(const QString &why); // malformed; returns false
    bool failTruncated(qsizetype required = -1);

private:
    bool need(qsizetype n); // n more bytes present, else truncated
    bool readLength(quint8 lead, quint8 fixBase, quint8 fixMask, quint8 l16, quint8 l32, quint8 l8,
        quint32 &length);
    quint8 byteAt(qsizetype i) const { return quint8(m_data[i]); }
    quint64 bigEndian(qsizetype offset, int bytes) const;
    bool skipDepth(int depth);

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    int m_maxDepth;
    int m_depth = 0;
    QString m_error;
    bool m_truncated = false;
    qsizetype m_required = 0;
};

// Appends values as go-msgpack 0.5.5 writes them.
class MsgWriter final
{
public:
    void nil();
    void boolean(bool value);
    void uint(quint64 value);
    void integer(qint64 value);
    void float64(double value);
    void raw(QByteArrayView bytes); // old-spec raw: a0|n, da u16, db u32
    void string(const QString &value) { raw(value.toUtf8()); }
    void key(const char *name) { raw(QByteArrayView(name)); }
    void bytesOrNil(const std::optional<QByteArray> &bytes);
    void mapHeader(quint32 count);
    void arrayHeader(quint32 count);
    void append(QByteArrayView encoded) { m_out.append(encoded); } // a value already encoded

    const QByteArray &data() const { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    void bigEndian(quint64 value, int bytes);
    QByteArray m_out;
};

} // namespace shoal::serf
