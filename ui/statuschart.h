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
};

} // namespace shoal::ui
