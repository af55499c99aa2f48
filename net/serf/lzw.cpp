#include "net/serf/lzw.h"

#include <array>
#include <memory>
#include <optional>

namespace shoal::serf::lzw {

namespace {

constexpr quint32 Clear = 256;
constexpr quint32 Eof = 257;
constexpr quint32 MaxCode = 4095;
constexpr int MaxWidth = 12;

// LSB-first bit packing shared by the encoder's state.
struct Encoder
{
    QByteArray out;
    quint32 bits = 0;
    int nBits = 0;
    int width = 9;
    quint32 hi = Eof;
    quint32 overflow = 512;
    // Go's table (compress/lzw writer.go): open addressing, entry = key << 12 | code, 0 empty.
    // A fixed array, not a QHash: a push/pull of 1000 nodes compresses 100 KB.
    static constexpr quint32 TableSize = 4 * (1u << 12);
    static constexpr quint32 TableMask = TableSize - 1;
    std::array<quint32, TableSize> table {};

    std::optional<quint32> find(quint32 key, quint32 *hash) const
    {
        quint32 h = ((key >> 12) ^ key) & TableMask;
        *hash = h;
        for (quint32 t = table[h]; t != 0; t = table[h]) {
            if (key == t >> 12)
                return t & MaxCode;
            h = (h + 1) & TableMask;
        }
        return std::nullopt;
    }
    void insert(quint32 key, quint32 hash, quint32 code)
    {
        while (table[hash] != 0)
            hash = (hash + 1) & TableMask;
        table[hash] = (key << 12) | code;
    }

    void write(quint32 code)
    {
        bits |= code << nBits;
        nBits += width;
        while (nBits >= 8) {
            out.append(char(quint8(bits)));
            bits >>= 8;
            nBits -= 8;
        }
    }
    // Go's incHi: false when the table was reset (then no entry is added).
    bool incHi()
    {
        ++hi;
        if (hi == overflow) {
            ++width;
            overflow <<= 1;
        }
        if (hi == MaxCode) {
            write(Clear);
            width = 9;
            hi = Eof;
            overflow = 512;
            table.fill(0);
            return false;
        }
        return true;
    }
};

} // namespace

QByteArray compress(QByteArrayView input)
{
    auto encoder = std::make_unique<Encoder>(); // 64 KiB of table: not on the stack
    Encoder &e = *encoder;
    e.out.reserve(input.size() / 2 + 8);
    e.write(Clear); // Go >= 1.17 always starts with a clear code
    if (input.isEmpty()) {
        e.write(Eof);
    } else {
        quint32 code = quint8(input[0]);
        for (qsizetype i = 1; i < input.size(); ++i) {
            const quint32 x = quint8(input[i]);
            const quint32 key = (code << 8) | x;
            quint32 hash = 0;
            if (const std::optional<quint32> found = e.find(key, &hash)) {
                code = *found;
                continue;
            }
            e.write(code);
            code = x;
            if (e.incHi())
                e.insert(key, hash, e.hi);
        }
        e.write(code);
        e.incHi();
        e.write(Eof);
    }
    if (e.nBits > 0)
        e.out.append(char(quint8(e.bits)));
    return e.out;
}

std::optional<QByteArray> decompress(QByteArrayView input, qsizetype maxOutput, QString *error)
{
    auto failed = [error](const QString &why) -> std::optional<QByteArray> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    std::array<quint16, MaxCode + 1> prefix {};
    std::array<quint8, MaxCode + 1> suffix {};
    std::array<quint8, MaxCode + 1> scratch {}; // one expansion, written backwards
    constexpr quint32 Invalid = 0xffff;

    QByteArray out;
    quint32 bits = 0;
    int nBits = 0;
    int width = 9;
    quint32 hi = Eof;
    quint32 overflow = 512;
    quint32 last = Invalid;
    qsizetype in = 0;
    for (;;) {
        while (nBits < width) {
            if (in >= input.size())
                return failed(QStringLiteral("lzw: data ends before the eof code"));
            bits |= quint32(quint8(input[in++])) << nBits;
            nBits += 8;
        }
        const quint32 code = bits & ((1u << width) - 1);
        bits >>= width;
        nBits -= width;

        if (code == Clear) {
            width = 9;
            hi = Eof;
            overflow = 512;
            last = Invalid;
            continue;
        }
        if (code == Eof)
            break;
        if (code > hi || (code == hi && last == Invalid))
            return failed(QStringLiteral("lzw: invalid code %1").arg(code));

        // Expand into scratch from the end; i is the first byte written.
        qsizetype i = qsizetype(scratch.size());
        quint32 c = code;
        if (code == hi) {
            // KwKwK: the expansion of last plus its own first byte.
            quint32 first = last;
            while (first >= Clear)
                first = prefix[first];
            scratch[size_t(--i)] = quint8(first);
            c = last;
        }
        while (c >= Clear) {
            if (i <= 1)
                return failed(QStringLiteral("lzw: corrupt table"));
            scratch[size_t(--i)] = suffix[c];
            c = prefix[c];
        }
        scratch[size_t(--i)] = quint8(c);
        const qsizetype length = qsizetype(scratch.size()) - i;
        if (out.size() + length > maxOutput)
            return failed(QStringLiteral("lzw: output beyond %1 bytes").arg(maxOutput));
        out.append(reinterpret_cast<const char *>(scratch.data()) + i, length);
        if (last != Invalid && hi <= MaxCode) {
            suffix[hi] = quint8(c);
            prefix[hi] = quint16(last);
        }
        last = code;
        ++hi;
        if (hi >= overflow) {
            if (width == MaxWidth) {
                last = Invalid;
                --hi;
            } else {
                ++width;
                overflow <<= 1;
            }
        }
    }
    return out;
}

} // namespace shoal::serf::lzw
