// Tray notifications are rate-limited (issue 13, defect 8): one per interval, the rest summed
// up in the next.
#include "model/alertthrottle.h"

#include <QTest>

using namespace shoal;

class TestAlertThrottle final : public QObject
{
    Q_OBJECT
private slots:
    void onePerInterval()
    {
        AlertThrottle throttle(10000);
        QCOMPARE(throttle.offer(1000, QStringLiteral("a SUSPECT")), QStringLiteral("a SUSPECT"));
        QVERIFY(!throttle.offer(2000, QStringLiteral("b SUSPECT")));
        QVERIFY(!throttle.offer(3000, QStringLiteral("b OFFLINE")));
        QVERIFY(!throttle.offer(4000, QStringLiteral("c OFFLINE")));
        QVERIFY(throttle.hasHeld());
        QVERIFY(!throttle.due(10999));
        QCOMPARE(throttle.due(11000), QStringLiteral("c OFFLINE (and 2 more changes)"));
        QVERIFY(!throttle.hasHeld());
        QVERIFY(!throttle.due(30000)); // nothing held: nothing to say
        // Quiet for longer than the interval: the next one shows at once.
        QCOMPARE(throttle.offer(30000, QStringLiteral("a ONLINE")), QStringLiteral("a ONLINE"));
        QVERIFY(!throttle.offer(30001, QStringLiteral("b ONLINE")));
        QCOMPARE(throttle.due(40000), QStringLiteral("b ONLINE"));
    }

    // A flood of a thousand changes gives one alert per interval, never more.
    void floodStaysBounded()
    {
        AlertThrottle throttle(5000);
        int shown = 0;
        for (qint64 ms = 0; ms < 60000; ms += 60) {
            if (throttle.offer(ms, QStringLiteral("x")))
                ++shown;
            if (throttle.due(ms))
                ++shown;
        }
        QVERIFY2(shown <= 60000 / 5000 + 1, qPrintable(QString::number(shown)));
        QVERIFY(shown >= 60000 / 5000 - 1);
    }
};

QTEST_GUILESS_MAIN(TestAlertThrottle)
#include "tst_alertthrottle.moc"
