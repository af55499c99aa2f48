#include "net/serf/msgpack.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace shoal::serf {

MsgReader::MsgReader(QByteArrayView data, int maxDepth)
    : m_data(data)
    , m_maxDepth(maxDepth)
{ }

bool MsgReader::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = why + QStringLiteral(" (at byte %1)").arg(m_pos);
    return false;
}

bool MsgReader::failTruncated(qsizetype required)
{
    if (m_error.isEmpty()) {
        m_truncated = true;
        m_required = std::max(required, m_pos + 1);
        m_error = QStringLiteral("truncated msgpack (at byte %1)").arg(m_pos);
    }
    return false;
}

bool MsgReader::need(qsizetype n)
{
    if (!ok())
        return false;
    if (n < 0 || m_data.size() - m_pos < n)
        return failTruncated(n < 0 ? -1 : m_pos + n);
    return true;
}

quint64 MsgReader::bigEndian(qsizetype offset, int bytes) const
{
    quint64 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | byteAt(offset + i);
    return v;
}

bool MsgReader::isNilNext() const
{
    return ok() && m_pos < m_data.size() && byteAt(m_pos) == 0xc0;
}

bool MsgReader::readNil()
{
    if (!need(1))
        return false;
    if (byteAt(m_pos) != 0xc0)
        return fail(QStringLiteral("expected nil"));
    ++m_pos;
    return true;
}

bool MsgReader::readBool(bool &value)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b != 0xc2 && b != 0xc3)
        return fail(QStringLiteral("expected a bool"));
    value = b == 0xc3;
    ++m_pos;
    return true;
}

bool MsgReader::readInt(qint64 &value)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b <= 0x7f) {
        value = b;
        ++m_pos;
        return true;
    }
    if (b >= 0xe0) {
        value = qint64(qint8(b));
        ++m_pos;
        return true;
    }
    int width = 0;
    bool isSigned = false;
    switch (b) {
    case 0xcc:
        width = 1;
        break;
    case 0xcd:
        width = 2;
        break;
    case 0xce:
        width = 4;
        break;
    case 0xcf:
        width = 8;
        break;
    case 0xd0:
        width = 1;
        isSigned = true;
        break;
    case 0xd1:
        width = 2;
        isSigned = true;
        break;
    case 0xd2:
        width = 4;
        isSigned = true;
        break;
    case 0xd3:
        width = 8;
        isSigned = true;
        break;
    default:
        return fail(QStringLiteral("expected an integer"));
    }
    if (!need(1 + width))
        return false;
    const quint64 raw = bigEndian(m_pos + 1, width);
    if (isSigned) {
        // Sign-extend from width bytes.
        const int shift = 64 - 8 * width;
        value = qint64(raw << shift) >> shift;
    } else {
        if (raw > quint64(std::numeric_limits<qint64>::max()))
            return fail(QStringLiteral("integer out of range"));
        value = qint64(raw);
    }
    m_pos += 1 + width;
    return true;
}

bool MsgReader::readUInt(quint64 &value)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b == 0xcf) { // the only encoding beyond qint64
        if (!need(9))
            return false;
        value = bigEndian(m_pos + 1, 8);
        m_pos += 9;
        return true;
    }
    qint64 v = 0;
    if (!readInt(v))
        return false;
    if (v < 0)
        return fail(QStringLiteral("negative value for an unsigned field"));
    value = quint64(v);
    return true;
}

bool MsgReader::readUInt32(quint32 &value)
{
    quint64 v = 0;
    if (!readUInt(v))
        return false;
    if (v > 0xffffffffu)
        return fail(QStringLiteral("value does not fit 32 bits"));
    value = quint32(v);
    return true;
}

bool MsgReader::readUInt16(quint16 &value)
{
    quint64 v = 0;
    if (!readUInt(v))
        return false;
    if (v > 0xffffu)
        return fail(QStringLiteral("value does not fit 16 bits"));
    value = quint16(v);
    return true;
}

bool MsgReader::readUInt8(quint8 &value)
{
    quint64 v = 0;
    if (!readUInt(v))
        return false;
    if (v > 0xffu)
        return fail(QStringLiteral("value does not fit 8 bits"));
    value = quint8(v);
    return true;
}

bool MsgReader::readFloat(double &value)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b == 0xcb) {
        if (!need(9))
            return false;
        const quint64 bits = bigEndian(m_pos + 1, 8);
        std::memcpy(&value, &bits, sizeof value);
        m_pos += 9;
        return true;
    }
    if (b == 0xca) {
        if (!need(5))
            return false;
        const auto bits = quint32(bigEndian(m_pos + 1, 4));
        float f = 0;
        std::memcpy(&f, &bits, sizeof f);
        value = double(f);
        m_pos += 5;
        return true;
    }
    return fail(QStringLiteral("expected a float"));
}

bool MsgReader::readLength(
    quint8 lead, quint8 fixBase, quint8 fixMask, quint8 l16, quint8 l32, quint8 l8, quint32 &length)
{
    if ((lead & quint8(~fixMask)) == fixBase) {
        length = lead & fixMask;
        m_pos += 1;
        return true;
    }
    int width = 0;
    if (lead == l16)
        width = 2;
    else if (lead == l32)
        width = 4;
    else if (l8 != 0 && lead == l8)
        width = 1;
    else
        return false;
    if (!need(1 + width))
        return false;
    length = quint32(bigEndian(m_pos + 1, width));
    m_pos += 1 + width;
    return true;
}

bool MsgReader::readStringBytes(QByteArray &value)
{
    if (!need(1))
        return false;
    quint32 length = 0;
    if (!readLength(byteAt(m_pos), 0xa0, 0x1f, 0xda, 0xdb, 0xd9, length))
        return ok() ? fail(QStringLiteral("expected a string")) : false;
    if (!need(qsizetype(length)))
        return false;
    value = m_data.sliced(m_pos, qsizetype(length)).toByteArray();
    m_pos += qsizetype(length);
    return true;
}

bool MsgReader::readString(QString &value)
{
    QByteArray bytes;
    if (!readStringBytes(bytes))
        return false;
    value = QString::fromUtf8(bytes);
    return true;
}

bool MsgReader::readBytes(std::optional<QByteArray> &value)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b == 0xc0) {
        ++m_pos;
        value.reset();
        return true;
    }
    if (b >= 0xc4 && b <= 0xc6) {
        const int width = 1 << (b - 0xc4);
        if (!need(1 + width))
            return false;
        const auto length = qsizetype(bigEndian(m_pos + 1, width));
        m_pos += 1 + width;
        if (!need(length))
            return false;
        value = m_data.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return true;
    }
    QByteArray bytes;
    if (!readStringBytes(bytes))
        return false;
    value = std::move(bytes);
    return true;
}

bool MsgReader::readBytes(QByteArray &value)
{
    std::optional<QByteArray> v;
    if (!readBytes(v))
        return false;
    value = v.value_or(QByteArray());
    return true;
}

bool MsgReader::readMapHeader(quint32 &count)
{
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b == 0xc0) {
        ++m_pos;
        count = 0;
        return true;
    }
    if (!readLength(b, 0x80, 0x0f, 0xde, 0xdf, 0, count))
        return ok() ? fail(QStringLiteral("expected a map")) : false;
    // Every entry takes at least two bytes: a count beyond the bytes left is
    // either a truncated stream or a lie, and is never allocated for.
    if (qsizetype(count) * 2 > m_data.size() - m_pos)
        return failTruncated(m_pos + qsizetype(count) * 2);
    return true;
}

bool MsgReader::readArrayHeader(quint32 &count, bool &isNil)
{
    isNil = false;
    if (!need(1))
        return false;
    const quint8 b = byteAt(m_pos);
    if (b == 0xc0) {
        ++m_pos;
        count = 0;
        isNil = true;
        return true;
    }
    if (!readLength(b, 0x90, 0x0f, 0xdc, 0xdd, 0, count))
        return ok() ? fail(QStringLiteral("expected an array")) : false;
    if (qsizetype(count) > m_data.size() - m_pos)
        return failTruncated(m_pos + qsizetype(count));
    return true;
}

bool MsgReader::readArrayHeader(quint32 &count)
{
    bool isNil = false;
    return readArrayHeader(count, isNil);
}

bool MsgReader::skip()
{
    return skipDepth(m_depth);
}

bool MsgReader::skipDepth(int depth)
{
    if (!need(1))
        return false;
    if (depth >= m_maxDepth)
        return fail(QStringLiteral("nesting deeper than %1").arg(m_maxDepth));
    const quint8 b = byteAt(m_pos);
    auto skipBytes = [this](qsizetype headerSize, qsizetype length) {
        if (!need(headerSize + length))
            return false;
        m_pos += headerSize + length;
        return true;
    };
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
        return skipBytes(1, 0);
    if ((b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf) {
        quint32 count = 0;
        if (!readMapHeader(count))
            return false;
        for (quint32 i = 0; i < 2 * quint64(count); ++i)
            if (!skipDepth(depth + 1))
                return false;
        return true;
    }
    if ((b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd) {
        quint32 count = 0;
        if (!readArrayHeader(count))
            return false;
        for (quint32 i = 0; i < count; ++i)
            if (!skipDepth(depth + 1))
                return false;
        return true;
    }
    if ((b >= 0xa0 && b <= 0xbf) || b == 0xd9 || b == 0xda || b == 0xdb
        || (b >= 0xc4 && b <= 0xc6)) {
        std::optional<QByteArray> ignored;
        return readBytes(ignored);
    }
    switch (b) {
    case 0xca:
        return skipBytes(5, 0);
    case 0xcb:
        return skipBytes(9, 0);
    case 0xcc:
    case 0xd0:
        return skipBytes(2, 0);
    case 0xcd:
    case 0xd1:
        return skipBytes(3, 0);
    case 0xce:
    case 0xd2:
        return skipBytes(5, 0);
    case 0xcf:
    case 0xd3:
        return skipBytes(9, 0);
    case 0xd4:
        return skipBytes(2, 1);
    case 0xd5:
        return skipBytes(2, 2);
    case 0xd6:
        return skipBytes(2, 4);
    case 0xd7:
        return skipBytes(2, 8);
    case 0xd8:
        return skipBytes(2, 16);
    case 0xc7:
    case 0xc8:
    case 0xc9: {
        const int width = 1 << (b - 0xc7);
        if (!need(1 + width))
            return false;
        return skipBytes(2 + width, qsizetype(bigEndian(m_pos + 1, width)));
    }
    default:
        return fail(QStringLiteral("reserved msgpack byte 0x%1").arg(b, 2, 16));
    }
}

bool MsgReader::readStruct(const std::function<bool(QByteArrayView key)> &field)
{
    if (!need(1))
        return false;
    if (m_depth >= m_maxDepth)
        return fail(QStringLiteral("nesting deeper than %1").arg(m_maxDepth));
    const quint8 b = byteAt(m_pos);
    if (!((b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf))
        return fail(QStringLiteral("expected a struct (map)"));
    quint32 count = 0;
    if (!readMapHeader(count))
        return false;
    ++m_depth;
    for (quint32 i = 0; i < count && ok(); ++i) {
        QByteArray key;
        if (!readStringBytes(key))
            break;
        if (!field(key) && ok())
            skip();
    }
    --m_depth;
    return ok();
}

void MsgWriter::bigEndian(quint64 value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        m_out.append(char(quint8(value >> (8 * i))));
}

void MsgWriter::nil()
{
    m_out.append(char(0xc0));
}

void MsgWriter::boolean(bool value)
{
    m_out.append(char(value ? 0xc3 : 0xc2));
}

void MsgWriter::uint(quint64 value)
{
    if (value <= 0x7f) {
        m_out.append(char(value));
    } else if (value <= 0xff) {
        m_out.append(char(0xcc));
        bigEndian(value, 1);
    } else if (value <= 0xffff) {
        m_out.append(char(0xcd));
        bigEndian(value, 2);
    } else if (value <= 0xffffffffu) {
        m_out.append(char(0xce));
        bigEndian(value, 4);
    } else {
        m_out.append(char(0xcf));
        bigEndian(value, 8);
    }
}

void MsgWriter::integer(qint64 value)
{
    if (value >= 0) {
        uint(quint64(value));
    } else if (value >= -32) {
        m_out.append(char(quint8(value)));
    } else if (value >= -128) {
        m_out.append(char(0xd0));
        bigEndian(quint64(value), 1);
    } else if (value >= -32768) {
        m_out.append(char(0xd1));
        bigEndian(quint64(value), 2);
    } else if (value >= std::numeric_limits<qint32>::min()) {
        m_out.append(char(0xd2));
        bigEndian(quint64(value), 4);
    } else {
        m_out.append(char(0xd3));
        bigEndian(quint64(value), 8);
    }
}

void MsgWriter::float64(double value)
{
    quint64 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    m_out.append(char(0xcb));
    bigEndian(bits, 8);
}

void MsgWriter::raw(QByteArrayView bytes)
{
    const auto n = quint64(bytes.size());
    if (n < 32) {
        m_out.append(char(0xa0 | n));
    } else if (n <= 0xffff) {
        m_out.append(char(0xda));
        bigEndian(n, 2);
    } else {
        m_out.append(char(0xdb));
        bigEndian(n, 4);
    }
    m_out.append(bytes);
}

void MsgWriter::bytesOrNil(const std::optional<QByteArray> &bytes)
{
    if (bytes)
        raw(*bytes);
    else
        nil();
}

void MsgWriter::mapHeader(quint32 count)
{
    if (count < 16) {
        m_out.append(char(0x80 | count));
    } else if (count <= 0xffff) {
        m_out.append(char(0xde));
        bigEndian(count, 2);
    } else {
        m_out.append(char(0xdf));
        bigEndian(count, 4);
    }
}

void MsgWriter::arrayHeader(quint32 count)
{
    if (count < 16) {
        m_out.append(char(0x90 | count));
    } else if (count <= 0xffff) {
        m_out.append(char(0xdc));
        bigEndian(count, 2);
    } else {
        m_out.append(char(0xdd));
        bigEndian(count, 4);
    }
}

} // namespace shoal::serf
