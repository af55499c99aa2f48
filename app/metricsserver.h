// `--metrics-listen HOST:PORT` (watch and the window): /metrics over HTTP through Qt HTTP
// Server, in the thread that runs the cluster's event loop. Nothing in it waits: sockets are
// asynchronous and a scrape is one render of MetricsCollector. Bounded: at most maxConnections
// open (more are closed at once), at most maxRequestBytes received between two answers on one
// connection, and a connection unanswered for idleTimeoutMs is closed.
#pragma once

#include "app/clusteroptions.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QHttpServer>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace shoal::app {

class LimitedTcpServer;

class MetricsServer final : public QObject
{
public:
    static constexpr int maxConnections = 16;
    static constexpr qint64 maxRequestBytes = 16 * 1024;
    static constexpr int idleTimeoutMs = 30000;

    // render: the exposition text, called once per scrape.
    explicit MetricsServer(std::function<QByteArray()> render, QObject *parent = nullptr);
    ~MetricsServer() override;

    // hostPort: "HOST:PORT", HOST an IP address or localhost, PORT 0 for one the OS picks.
    // False with a one-line *error (what and where).
    bool listen(const QString &hostPort, QString *error);
    // http://HOST:PORT/metrics as bound (the real port); empty before listen.
    QString url() const;

private:
    std::function<QByteArray()> m_render;
    QHttpServer m_http;
    LimitedTcpServer *m_tcp = nullptr; // owned by m_http once bound
};

// The option itself, shared by watch and the window.
QCommandLineOption metricsListenOption();
// shoal_build_info's protocol label: "swim" or "serf".
QString protocolLabel(Protocol protocol);

} // namespace shoal::app
