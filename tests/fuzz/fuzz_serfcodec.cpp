// libFuzzer target for the memberlist/Serf codec (net/serf): the bytes are
// tried as a datagram (plain and under a known key, so the layers past the
// cipher are reached), as an incremental stream fed in two pieces, as a Serf
// message, push/pull state and tags. Whatever decodes must re-encode to bytes
// that decode to the same value.
#include "net/serf/crypto.h"
#include "net/serf/lzw.h"
#include "net/serf/memberlist.h"
#include "net/serf/serfmessages.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace shoal::serf;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void roundTripPacket(const DecodedPacket &packet)
{
    for (const Message &m : packet.messages) {
        const PacketResult again = decodeMessages(encodeMessage(m));
        check(std::holds_alternative<DecodedPacket>(again));
        const auto &messages = std::get<DecodedPacket>(again).messages;
        check(messages.size() == 1 && messages.first() == m);
        if (const auto *user = std::get_if<UserMessage>(&m)) {
            const SerfResult serf = decodeSerfMessage(user->payload);
            if (const auto *s = std::get_if<SerfMessage>(&serf)) {
                const SerfResult back = decodeSerfMessage(encodeSerfMessage(*s));
                check(
                    std::holds_alternative<SerfMessage>(back) && std::get<SerfMessage>(back) == *s);
            }
        }
        if (const auto *alive = std::get_if<Alive>(&m)) {
            if (const std::optional<TagList> tags = decodeTags(alive->meta))
                check(decodeTags(encodeTags(*tags)) == tags);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Keyring ring({ QByteArray::fromHex("000102030405060708090a0b0c0d0e0f") });
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    // 1. A plain datagram, and the same bytes sealed with the known key.
    const PacketResult plain = decodePacket(input);
    if (const auto *p = std::get_if<DecodedPacket>(&plain))
        roundTripPacket(*p);
    const QByteArray sealed = encrypt(1, ring.primary(), input, {}, QByteArray(12, '\0'));
    const PacketResult opened = decodePacket(sealed, ring);
    check(plain.index() == opened.index() || size > 65536 - 29);

    // 2. A stream, fed whole and in two pieces: same outcome.
    StreamReader whole;
    whole.feed(input);
    StreamReader split;
    split.feed(input.first(size / 2));
    split.feed(input.sliced(qsizetype(size / 2)));
    check(whole.state() == split.state());
    if (whole.state() == StreamReader::State::Done) {
        check(*whole.message() == *split.message());
        StreamOptions options;
        options.compress = false;
        StreamReader again;
        check(again.feed(encodeStream(*whole.message(), options)) == StreamReader::State::Done);
        check(*again.message() == *whole.message());
    }

    // 3. Serf's own layers directly.
    const SerfPushPullResult state = decodeSerfPushPull(input);
    if (const auto *s = std::get_if<SerfPushPull>(&state)) {
        const SerfPushPullResult back = decodeSerfPushPull(encodeSerfPushPull(*s));
        check(std::holds_alternative<SerfPushPull>(back) && std::get<SerfPushPull>(back) == *s);
    }
    (void)decodeTags(input.toByteArray());
    (void)decodeKeyResponse(input);
    (void)decodeConflictResponse(input);
    (void)decodeFilter(input);

    // 4. LZW both ways, bounded.
    QString why;
    (void)lzw::decompress(input, 1 << 16, &why);
    if (size <= 4096) {
        const auto back = lzw::decompress(lzw::compress(input), qsizetype(size), &why);
        check(back && *back == input);
    }
    return 0;
}
