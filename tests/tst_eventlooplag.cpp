// The event-loop lag probe and the status chart's bounded history (no timing-based verdicts).
#include "ui/eventlooplag.h"
#include "ui/statuschart.h"

#include <QSignalSpy>
#include <QTest>

using namespace shoal::ui;

class TestEventLoopLag final : public QObject
{
    Q_OBJECT
private slots:
    void collectsBoundedSamples()
    {
        EventLoopLag lag(5, 4);
        QSignalSpy sampled(&lag, &EventLoopLag::sampled);
        lag.start();
        QTRY_VERIFY(sampled.size() >= 6);
        lag.stop();
        const EventLoopLag::Figures figures = lag.figures();
        QVERIFY(figures.samples >= 6); // every sample counted...
        QVERIFY(figures.p50Ms >= 0.0);
        QVERIFY(figures.p50Ms <= figures.p99Ms); // ...while the percentiles use the last 4
        QVERIFY(figures.p99Ms <= figures.maxMs);
        QVERIFY(lag.summary().contains(QLatin1String("p99")));
    }

    void chartKeepsItsCapacity()
    {
        StatusChart chart;
        for (int i = 0; i < chart.capacity() + 50; ++i)
            chart.addSample({ i, 1, 2 });
        QCOMPARE(chart.sampleCount(), qsizetype(chart.capacity()));
        QCOMPARE(chart.lastSample(), (StatusChart::Counts { chart.capacity() + 49, 1, 2 }));
        // Paints at small and large sizes without trouble.
        chart.resize(120, 60);
        QVERIFY(!chart.grab().isNull());
        chart.resize(400, 200);
        QVERIFY(!chart.grab().isNull());
        chart.clear();
        QCOMPARE(chart.sampleCount(), qsizetype(0));
    }
};

QTEST_MAIN(TestEventLoopLag)
#include "tst_eventlooplag.moc"
