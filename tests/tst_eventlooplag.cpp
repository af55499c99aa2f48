// The event-loop lag probe and the status chart's bounded history (no timing-based verdicts).
#include "ui/eventlooplag.h"
#include "ui/statuschart.h"

#include <QSignalSpy>
#include <QTest>

using namespace shoal;
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
        const auto counts = [](int online, int suspect, int offline) {
            StatusChart::Counts result;
            result.add(MemberStatus::Online, online);
            result.add(MemberStatus::Suspect, suspect);
            result.add(MemberStatus::Offline, offline);
            return result;
        };
        StatusChart chart;
        for (int i = 0; i < chart.capacity() + 50; ++i)
            chart.addSample(counts(i, 1, 2));
        QCOMPARE(chart.sampleCount(), qsizetype(chart.capacity()));
        QVERIFY(chart.lastSample() == counts(chart.capacity() + 49, 1, 2));
        // A status beyond the usual three is drawn while some sample holds it.
        StatusChart::Counts leaving = counts(1, 0, 0);
        leaving.add(MemberStatus::Leaving);
        chart.addSample(leaving);
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
