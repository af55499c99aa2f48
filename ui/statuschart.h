// A small live chart of how many members are in each status, over the last few minutes.
#pragma once

#include "model/statuscounts.h"

#include <QDateTime>
#include <QVector>
#include <QWidget>

namespace shoal::ui {

class StatusChart final : public QWidget
{
    Q_OBJECT
public:
    using Counts = StatusCounts;

    explicit StatusChart(QWidget *parent = nullptr);

    // One sample per call (the window calls it once a second); older samples scroll left.
    void addSample(const Counts &counts);
    void clear();
    // The counts the legend says: the window sets them with its filter buttons' counts, so
    // both always agree (samples come once a second).
    void setCurrent(const Counts &counts);
    Counts legendCounts() const { return m_hasCurrent ? m_current : lastSample(); }
    qsizetype sampleCount() const { return m_samples.size(); }
    Counts lastSample() const { return m_samples.isEmpty() ? Counts {} : m_samples.constLast(); }
    int capacity() const { return m_capacity; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_capacity = 300; // five minutes at one sample a second
    QVector<Counts> m_samples;
    Counts m_current;
    bool m_hasCurrent = false;
};

} // namespace shoal::ui
