#include "app/metricsserver.h"

#include "net/transport.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <unistd.h>

#include <memory>

namespace shoal::app {

// A QTcpServer that caps open connections and watches each one's input: Qt HTTP Server itself
// bounds neither how many clients it keeps nor how much a request may send.
class LimitedTcpServer final : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr handle) override
    {
        if (m_open >= MetricsServer::maxConnections) {
            ::close(int(handle)); // the client sees the connection closed; nothing is read
            return;
        }
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            ::close(int(handle));
            return;
        }
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        // Never more than a request's worth waits in memory, whatever the client sends; one
        // byte more, so that a client that stalls the buffer is seen going over the limit.
        socket->setReadBufferSize(MetricsServer::maxRequestBytes + 1);
        auto *idle = new QTimer(socket);
        idle->setSingleShot(true);
        idle->start(MetricsServer::idleTimeoutMs);
        connect(idle, &QTimer::timeout, socket, &QTcpSocket::abort);
        // Connected before Qt HTTP Server's own slot, so this sees each chunk before it is
        // parsed: what arrived since the last answer, counted.
        auto received = std::make_shared<qint64>(0);
        connect(socket, &QTcpSocket::readyRead, socket, [socket, received] {
            *received += socket->bytesAvailable();
            if (*received > MetricsServer::maxRequestBytes) {
                // Queued: the HTTP server's slot for this same signal still runs on the socket.
                QMetaObject::invokeMethod(socket, &QTcpSocket::abort, Qt::QueuedConnection);
            }
        });
        connect(socket, &QTcpSocket::bytesWritten, socket, [received, idle](qint64) {
            *received = 0; // an answer went out: the next request starts afresh
            idle->start(MetricsServer::idleTimeoutMs);
        });
        addPendingConnection(socket);
    }

private:
    int m_open = 0;
};

MetricsServer::MetricsServer(std::function<QByteArray()> render, QObject *parent)
    : QObject(parent)
    , m_render(std::move(render))
{
    m_http.route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get,
        [this](const QHttpServerRequest &) {
            return QHttpServerResponse(
                QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), m_render());
        });
}

MetricsServer::~MetricsServer() = default;

bool MetricsServer::listen(const QString &hostPort, QString *error)
{
    QString reason;
    const auto parsed = net::parseHostPort(hostPort, true, &reason);
    if (!parsed) {
        *error = QStringLiteral("--metrics-listen: %1").arg(reason);
        return false;
    }
    QHostAddress address(parsed->host);
    if (parsed->host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    if (address.isNull()) {
        *error = QStringLiteral("--metrics-listen: \"%1\" is not an IP address (or localhost)")
                     .arg(parsed->host);
        return false;
    }
    auto tcp = std::make_unique<LimitedTcpServer>();
    if (!tcp->listen(address, parsed->port)) {
        *error = QStringLiteral("--metrics-listen: cannot listen on %1: %2")
                     .arg(hostPort, tcp->errorString());
        return false;
    }
    m_tcp = tcp.release();
    m_http.bind(m_tcp); // takes ownership
    return true;
}

QString MetricsServer::url() const
{
    if (!m_tcp)
        return {};
    const QHostAddress address = m_tcp->serverAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("http://%1:%2/metrics").arg(host).arg(m_tcp->serverPort());
}

QCommandLineOption metricsListenOption()
{
    return QCommandLineOption(QStringLiteral("metrics-listen"),
        QStringLiteral("Serve Prometheus metrics at http://HOST:PORT/metrics (PORT 0: one the "
                       "OS picks, printed on stderr)."),
        QStringLiteral("HOST:PORT"));
}

QString protocolLabel(Protocol protocol)
{
    return protocol == Protocol::Serf ? QStringLiteral("serf") : QStringLiteral("swim");
}

} // namespace shoal::app
