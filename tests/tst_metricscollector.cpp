// The Prometheus exposition text of MetricsCollector: counts by status, one series per member
// up to the cap, label values escaped and cut (cluster-sent names are hostile), cumulative
// histogram buckets, bounded label sets for packet types and reject reasons.
#include "cluster/metricscollector.h"

#include <QRegularExpression>
#include <QTest>

using shoal::MemberRecord;
using shoal::MemberStatus;
using shoal::ProbeResult;
using shoal::cluster::ChangeFlag;
using shoal::cluster::MemberUpdate;
using shoal::cluster::MetricsCollector;

namespace {

MemberUpdate added(const QString &name, MemberStatus status)
{
    MemberUpdate update;
    update.member.name = name;
    update.member.status = status;
    update.what = ChangeFlag::Added | ChangeFlag::Status;
    return update;
}

// The sample lines of one metric family (name followed by '{' or ' ').
QStringList samples(const QByteArray &text, const QString &name)
{
    QStringList lines;
    for (const QString &line : QString::fromUtf8(text).split(QLatin1Char('\n'))) {
        if (line.startsWith(name + QLatin1Char('{')) || line.startsWith(name + QLatin1Char(' ')))
            lines << line;
    }
    return lines;
}

MemberUpdate probed(const MemberRecord &before, qint64 rttMicros, int second)
{
    MemberUpdate update;
    update.previous = before;
    update.member = before;
    update.member.probe = ProbeResult::Answered;
    update.member.rttMicros = rttMicros;
    update.member.lastProbe = QDateTime::fromSecsSinceEpoch(second, Qt::UTC);
    update.what = ChangeFlag::Probe;
    return update;
}

} // namespace

class TestMetricsCollector : public QObject
{
    Q_OBJECT

private slots:
    void countsMembersByStatus()
    {
        MetricsCollector metrics;
        metrics.apply({ added(QStringLiteral("a:1"), MemberStatus::Online),
            added(QStringLiteral("b:1"), MemberStatus::Offline),
            added(QStringLiteral("c:1"), MemberStatus::Offline) });
        const QByteArray text = metrics.exposition();
        QVERIFY(samples(text, QStringLiteral("shoal_members"))
                    .contains(QStringLiteral("shoal_members{status=\"OFFLINE\"} 2")));
        QVERIFY(samples(text, QStringLiteral("shoal_members"))
                    .contains(QStringLiteral("shoal_members{status=\"ONLINE\"} 1")));
        QVERIFY(samples(text, QStringLiteral("shoal_members"))
                    .contains(QStringLiteral("shoal_members{status=\"LEFT\"} 0")));
        // A status change moves the member, it does not add one.
        MemberUpdate change = added(QStringLiteral("b:1"), MemberStatus::Online);
        change.what = ChangeFlag::Status;
        metrics.apply({ change });
        const QStringList after = samples(metrics.exposition(), QStringLiteral("shoal_members"));
        QVERIFY(after.contains(QStringLiteral("shoal_members{status=\"OFFLINE\"} 1")));
        QVERIFY(after.contains(QStringLiteral("shoal_members{status=\"ONLINE\"} 2")));
        QVERIFY(
            samples(metrics.exposition(), QStringLiteral("shoal_member_status"))
                .contains(QStringLiteral("shoal_member_status{name=\"b:1\",status=\"ONLINE\"} 1")));
        QVERIFY(samples(metrics.exposition(), QStringLiteral("shoal_member_status"))
                    .contains(
                        QStringLiteral("shoal_member_status{name=\"c:1\",status=\"OFFLINE\"} 0")));
    }

    void everyFamilyHasHelpAndType()
    {
        MetricsCollector metrics;
        metrics.setInfo(QStringLiteral("1.2.3"), QStringLiteral("swim"));
        shoal::cluster::TrafficCounters counters;
        counters.packetsIn.insert(QStringLiteral("ping"), 3);
        counters.rejectedByReason.insert(QStringLiteral("signature"), 7);
        metrics.setCounters(counters);
        metrics.apply({ added(QStringLiteral("a:1"), MemberStatus::Online) });
        const QByteArray text = metrics.exposition();
        QVERIFY(text.endsWith('\n'));
        QVERIFY(text.contains("shoal_build_info{version=\"1.2.3\",protocol=\"swim\"} 1\n"));
        QVERIFY(text.contains("shoal_packets_received_total{type=\"ping\"} 3\n"));
        QVERIFY(text.contains("shoal_rejected_datagrams_total{reason=\"signature\"} 7\n"));
        static const QRegularExpression sample(QStringLiteral("^([a-z_]+)[{ ]"));
        QSet<QString> typed;
        for (const QString &line : QString::fromUtf8(text).split(QLatin1Char('\n'))) {
            if (line.startsWith(QStringLiteral("# TYPE "))) {
                typed.insert(line.section(QLatin1Char(' '), 2, 2));
                continue;
            }
            const auto match = sample.match(line);
            if (!match.hasMatch())
                continue;
            QString family = match.captured(1);
            for (const char *suffix : { "_bucket", "_sum", "_count" }) {
                if (family.endsWith(QLatin1String(suffix))
                    && typed.contains(family.chopped(int(qstrlen(suffix)))))
                    family.chop(int(qstrlen(suffix)));
            }
            QVERIFY2(typed.contains(family), qPrintable(line));
        }
    }

    void labelValuesAreEscaped()
    {
        QCOMPARE(MetricsCollector::labelValue(QStringLiteral("a\\b\"c\nd")),
            QByteArray("a\\\\b\\\"c\\nd"));
        // Other control characters never reach a scrape; non-ASCII stays UTF-8.
        QCOMPARE(MetricsCollector::labelValue(QStringLiteral("x\ry\tz\u00e9")),
            QByteArray("x\xEF\xBF\xBDy\xEF\xBF\xBDz\xC3\xA9"));
        // A lone surrogate (invalid UTF-16 from a hostile peer) becomes valid UTF-8.
        const QString lone = QString(QChar(0xD800)) + QStringLiteral("x");
        const QByteArray label = MetricsCollector::labelValue(lone);
        QVERIFY(QString::fromUtf8(label).toUtf8() == label);
        QVERIFY(label.endsWith('x'));

        MetricsCollector metrics;
        metrics.apply({ added(
            QStringLiteral("evil\"} 1\nshoal_members{status=\"X\""), MemberStatus::Online) });
        const QByteArray text = metrics.exposition();
        QVERIFY(!text.contains("\nshoal_members{status=\"X\""));
        QVERIFY(text.contains(
            "shoal_member_status{name=\"evil\\\"} 1\\nshoal_members{status=\\\"X\\\"\",status="));
    }

    void longLabelsAreCutBetweenCharacters()
    {
        const QString longName = QString(200, QChar(0x00e9)); // 2 bytes each in UTF-8
        const QByteArray label = MetricsCollector::labelValue(longName);
        QVERIFY(label.size() <= MetricsCollector::maxLabelBytes);
        QVERIFY(label.endsWith("..."));
        QVERIFY(QString::fromUtf8(label).toUtf8() == label); // no character split
        // Nor an escape: a run of backslashes cut never leaves a lone one before the mark.
        const QByteArray slashes = MetricsCollector::labelValue(QString(200, QLatin1Char('\\')));
        QVERIFY(slashes.size() <= MetricsCollector::maxLabelBytes);
        QCOMPARE(slashes.chopped(3).size() % 2, 0);
        QCOMPARE(MetricsCollector::labelValue(QStringLiteral("short")), QByteArray("short"));

        // Two names cut to the same label: one series, the other counted as omitted.
        MetricsCollector metrics;
        metrics.apply({ added(QString(300, QLatin1Char('n')) + QStringLiteral("1"),
                            MemberStatus::Online),
            added(QString(300, QLatin1Char('n')) + QStringLiteral("2"), MemberStatus::Online) });
        const QByteArray text = metrics.exposition();
        QCOMPARE(samples(text, QStringLiteral("shoal_member_status")).size(), 1);
        QVERIFY(text.contains("shoal_member_status_omitted 1\n"));
    }

    void memberSeriesAreCapped()
    {
        MetricsCollector metrics;
        metrics.setMemberSeriesCap(3);
        QList<MemberUpdate> batch;
        for (int i = 0; i < 5; ++i)
            batch.append(added(QStringLiteral("m%1").arg(i), MemberStatus::Online));
        metrics.apply(batch);
        // A later flood cannot push out the members first seen.
        metrics.apply({ added(QStringLiteral("a-first-by-name"), MemberStatus::Online) });
        const QByteArray text = metrics.exposition();
        const QStringList series = samples(text, QStringLiteral("shoal_member_status"));
        QCOMPARE(series,
            QStringList({ QStringLiteral("shoal_member_status{name=\"m0\",status=\"ONLINE\"} 1"),
                QStringLiteral("shoal_member_status{name=\"m1\",status=\"ONLINE\"} 1"),
                QStringLiteral("shoal_member_status{name=\"m2\",status=\"ONLINE\"} 1") }));
        QVERIFY(text.contains("shoal_member_status_omitted 3\n"));
        QVERIFY(text.contains("shoal_members{status=\"ONLINE\"} 6\n"));
    }

    void rttHistogramIsCumulative()
    {
        MetricsCollector metrics;
        MemberUpdate first = added(QStringLiteral("a:1"), MemberStatus::Online);
        metrics.apply({ first });
        MemberRecord record = first.member;
        const qint64 rtts[] = { 300, 800, 800, 40000, 3000000 }; // microseconds
        int second = 0;
        for (const qint64 rtt : rtts) {
            const MemberUpdate update = probed(record, rtt, ++second);
            metrics.apply({ update });
            record = update.member;
        }
        // A batch that repeats the same probe (no new lastProbe) is not a new observation.
        MemberUpdate repeat = probed(record, 800, second);
        metrics.apply({ repeat });
        const QStringList buckets
            = samples(metrics.exposition(), QStringLiteral("shoal_probe_rtt_seconds_bucket"));
        QCOMPARE(buckets.size(), int(MetricsCollector::rttBucketsSeconds.size()) + 1);
        QCOMPARE(buckets.at(0), QStringLiteral("shoal_probe_rtt_seconds_bucket{le=\"0.0005\"} 1"));
        QCOMPARE(buckets.at(1), QStringLiteral("shoal_probe_rtt_seconds_bucket{le=\"0.001\"} 3"));
        QVERIFY(buckets.contains(QStringLiteral("shoal_probe_rtt_seconds_bucket{le=\"0.05\"} 4")));
        QVERIFY(buckets.contains(QStringLiteral("shoal_probe_rtt_seconds_bucket{le=\"2.5\"} 4")));
        QCOMPARE(buckets.last(), QStringLiteral("shoal_probe_rtt_seconds_bucket{le=\"+Inf\"} 5"));
        quint64 previous = 0;
        for (const QString &line : buckets) {
            const quint64 value = line.section(QLatin1Char(' '), -1).toULongLong();
            QVERIFY2(value >= previous, qPrintable(line));
            previous = value;
        }
        const QByteArray text = metrics.exposition();
        QVERIFY(text.contains("shoal_probe_rtt_seconds_count 5\n"));
        QVERIFY(text.contains("shoal_probe_rtt_seconds_sum 3.0419\n"));
    }

    void labelSetsOfCountersAreBounded()
    {
        MetricsCollector metrics;
        shoal::cluster::TrafficCounters counters;
        for (int i = 0; i < 500; ++i)
            counters.rejectedByReason.insert(
                QStringLiteral("reason %1").arg(i, 3, 10, QLatin1Char('0')), 2);
        metrics.setCounters(counters);
        const QStringList lines
            = samples(metrics.exposition(), QStringLiteral("shoal_rejected_datagrams_total"));
        QCOMPARE(lines.size(), int(MetricsCollector::maxLabelValues));
        quint64 total = 0;
        for (const QString &line : lines)
            total += line.section(QLatin1Char(' '), -1).toULongLong();
        QCOMPARE(total, quint64(1000)); // nothing lost: the rest is "(other)"
        QVERIFY(
            lines.contains(QStringLiteral("shoal_rejected_datagrams_total{reason=\"(other)\"} %1")
                               .arg(2 * (500 - 63))));
    }

    void lastChangeIsWhenSeenHere()
    {
        MetricsCollector metrics;
        QVERIFY(metrics.exposition().contains("shoal_last_change_timestamp_seconds 0\n"));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        metrics.apply({ added(QStringLiteral("a:1"), MemberStatus::Online) });
        const QString line
            = samples(metrics.exposition(), QStringLiteral("shoal_last_change_timestamp_seconds"))
                  .value(0);
        const double seconds = line.section(QLatin1Char(' '), -1).toDouble();
        QVERIFY2(seconds * 1000 >= double(before) - 1, qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestMetricsCollector)
#include "tst_metricscollector.moc"
