// How far the local record spread: acknowledgements of the current clock among the peers.
#include "model/spreadtracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace shoal;

class TestSpreadTracker final : public QObject
{
    Q_OBJECT
private slots:
    void countsPeersHoldingTheCurrentClock()
    {
        SpreadTracker spread;
        QSignalSpy changed(&spread, &SpreadTracker::changed);
        spread.setPeerCount(3);
        spread.acknowledge(QStringLiteral("a"), 7); // before the clock is known: not yet
        QCOMPARE(spread.acknowledged(), 0);
        spread.setLocalClock(7);
        QCOMPARE(spread.acknowledged(), 1);
        spread.acknowledge(QStringLiteral("b"), 6); // an older version
        QCOMPARE(spread.acknowledged(), 1);
        spread.acknowledge(QStringLiteral("b"), 9);
        QCOMPARE(spread.acknowledged(), 2);
        QCOMPARE(spread.total(), 3);
        QVERIFY(changed.count() >= 4);
    }

    void totalNeverBelowAcknowledged()
    {
        SpreadTracker spread;
        spread.setLocalClock(2);
        spread.acknowledge(QStringLiteral("a"), 2);
        spread.acknowledge(QStringLiteral("b"), 2);
        spread.setPeerCount(1); // a peer went away after acknowledging
        QCOMPARE(spread.total(), 2);
    }

    void newVersionForgetsOldAcknowledgements()
    {
        SpreadTracker spread;
        spread.setPeerCount(2);
        spread.setLocalClock(4);
        spread.acknowledge(QStringLiteral("a"), 4);
        spread.forgetAcknowledgements();
        QCOMPARE(spread.acknowledged(), 0);
        spread.setLocalClock(5);
        spread.acknowledge(QStringLiteral("a"), 5);
        QCOMPARE(spread.acknowledged(), 1);
        spread.clear();
        QCOMPARE(spread.localClock(), 0u);
        QCOMPARE(spread.total(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSpreadTracker)
#include "tst_spreadtracker.moc"
