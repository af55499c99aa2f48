#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QUdpSocket>

namespace shoal::net {

// The largest UDP payload, and then some: one read buffer fits any datagram.
inline constexpr qsizetype kMaxUdpDatagram = 65536;

// Reads what waits on a QUdpSocket, at most `budget` datagrams, into one reused buffer, handing
// each to deliver(const char *data, qsizetype size, const QHostAddress &from, quint16 port),
// which returns false to stop (the socket closed by a receiver: not touched again). True when
// the budget ran out: datagrams may still wait, and the caller comes back after other events.
//
// It always reads, even when nothing seems pending, and stops only on a failed read that no
// peek contradicts. QUdpSocket turns its read notifier off before each readyRead and on again
// only on a read of its own: a wake-up answered without one (the socket already drained by the
// read that continues a long one) left a socket deaf for good. A failed read is EAGAIN or an
// ICMP error surfacing; Qt 6.4 reports both as -1, so only the peek tells them apart.
template<typename Deliver>
bool readPendingDatagrams(QUdpSocket &socket, QByteArray &buffer, int budget, Deliver deliver)
{
    if (buffer.size() < kMaxUdpDatagram)
        buffer.resize(kMaxUdpDatagram);
    QHostAddress sender;
    quint16 senderPort = 0;
    for (; budget > 0; --budget) {
        const qint64 size
            = socket.readDatagram(buffer.data(), kMaxUdpDatagram, &sender, &senderPort);
        if (size < 0) {
            if (!socket.hasPendingDatagrams())
                return false;
            continue;
        }
        if (!deliver(buffer.constData(), static_cast<qsizetype>(size), sender, senderPort))
            return false;
    }
    return true;
}

} // namespace shoal::net
