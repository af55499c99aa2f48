// Measures how late the GUI event loop runs a timer: the user feels this lag as a frozen window.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QVector>

namespace shoal::ui {

class EventLoopLag final : public QObject
{
    Q_OBJECT
public:
    struct Figures
    {
        qint64 samples = 0;
        double p50Ms = 0;
        double p99Ms = 0;
        double maxMs = 0;
    };

    // intervalMs: how often to probe; window: how many recent samples the figures cover.
    explicit EventLoopLag(int intervalMs = 50, int window = 2000, QObject *parent = nullptr);

    void start();
    void stop();
    Figures figures() const;
    // Every sample since start (bounded by window), for a final report.
    QString summary() const;

signals:
    void sampled(double lagMs);

private:
    void onTimeout();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_expectedNs = 0;
    qint64 m_intervalNs;
    int m_window;
    QVector<double> m_samples; // ring buffer of the last m_window lags, in ms
    qsizetype m_next = 0;
    qint64 m_total = 0;
    double m_max = 0;
};

} // namespace shoal::ui
