// Large clusters (issue 13, defect 6): names sort naturally, and the members filter takes
// expressions (free text on the name, key=value on metadata, status:...) that never match the
// columns that change by themselves.
#include "model/itemroles.h"
#include "model/memberfilter.h"
#include "model/membertablemodel.h"
#include "model/naturalcompare.h"
#include "ui/memberfilterproxy.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace shoal;

namespace {

MemberRecord member(const QString &name, MemberStatus status, const Metadata &metadata = {})
{
    MemberRecord record;
    record.name = name;
    record.status = status;
    record.metadata = metadata;
    return record;
}

QStringList column(const QAbstractItemModel &model, int role = KeyRole)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, MemberTableModel::NameColumn).data(role).toString();
    return names;
}

} // namespace

class TestMemberFilter final : public QObject
{
    Q_OBJECT
private slots:
    void naturalOrder()
    {
        QVERIFY(naturalCompare(u"10.0.0.9", u"10.0.0.10") < 0);
        QVERIFY(naturalCompare(u"10.0.0.10", u"10.0.0.9") > 0);
        QVERIFY(naturalCompare(u"10.0.0.1:7946", u"10.0.0.1:17000") < 0);
        QVERIFY(naturalCompare(u"host2", u"Host10") < 0);
        QVERIFY(naturalCompare(u"a", u"a") == 0);
        QVERIFY(naturalCompare(u"a", u"ab") < 0);
        QVERIFY(naturalCompare(u"node007", u"node7") != 0); // a total order: no false ties
        QVERIFY(naturalCompare(u"imap-b", u"imap-a") > 0);
    }

    void expressions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        const QString a = QStringLiteral("10.0.0.9:7946");
        const QString b = QStringLiteral("10.0.0.10:7946");
        const QString c = QStringLiteral("10.0.1.2:7946");
        QTest::newRow("empty") << QString() << QStringList { a, b, c };
        QTest::newRow("name") << QStringLiteral("10.0.0") << QStringList { a, b };
        QTest::newRow("two words") << QStringLiteral("10.0.0 :7946") << QStringList { a, b };
        QTest::newRow("tag") << QStringLiteral("role=imap") << QStringList { a, c };
        QTest::newRow("tag any case") << QStringLiteral("role=IMAP") << QStringList { a, c };
        QTest::newRow("has key") << QStringLiteral("admin=") << QStringList { c };
        QTest::newRow("status") << QStringLiteral("status:suspect") << QStringList { c };
        QTest::newRow("status prefix") << QStringLiteral("status:on") << QStringList { a };
        QTest::newRow("two statuses")
            << QStringLiteral("status:online status:unknown") << QStringList { a, b };
        QTest::newRow("unknown status") << QStringLiteral("status:sleepy") << QStringList {};
        QTest::newRow("combined") << QStringLiteral("role=imap status:online 10.0")
                                  << QStringList { a };
        QTest::newRow("quoted") << QStringLiteral("note=\"mail server\"") << QStringList { c };
        // Columns that change by themselves never match: "now", "ago", the status text.
        QTest::newRow("not the since column") << QStringLiteral("ago") << QStringList {};
        QTest::newRow("not the status text") << QStringLiteral("suspect") << QStringList {};
    }
    void expressions()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        MemberTableModel model;
        model.upsert({ member(QStringLiteral("10.0.1.2:7946"), MemberStatus::Suspect,
                           { { QStringLiteral("role"), "imap" }, { QStringLiteral("admin"), "s" },
                               { QStringLiteral("note"), "mail server" } }),
            member(QStringLiteral("10.0.0.10:7946"), MemberStatus::Unknown,
                { { QStringLiteral("role"), "smtp" } }),
            member(QStringLiteral("10.0.0.9:7946"), MemberStatus::Online,
                { { QStringLiteral("role"), "imap" } }) });
        model.flush();
        ui::MemberFilterProxy proxy;
        proxy.setSortRole(SortRole);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(MemberTableModel::NameColumn, Qt::AscendingOrder);
        proxy.setText(text);
        QCOMPARE(column(proxy), expected);
    }

    void naturalSortInTheProxy()
    {
        MemberTableModel model;
        for (const char *name : { "10.0.0.10:7946", "10.0.0.9:7946", "10.0.0.9:17000",
                 "10.0.0.100:7946", "10.0.0.9:800" })
            model.upsert(member(QLatin1String(name), MemberStatus::Online));
        model.flush();
        ui::MemberFilterProxy proxy;
        proxy.setSortRole(SortRole);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(MemberTableModel::NameColumn, Qt::AscendingOrder);
        QCOMPARE(column(proxy),
            QStringList({ QStringLiteral("10.0.0.9:800"), QStringLiteral("10.0.0.9:7946"),
                QStringLiteral("10.0.0.9:17000"), QStringLiteral("10.0.0.10:7946"),
                QStringLiteral("10.0.0.100:7946") }));
    }

    void tagWordQuotes()
    {
        QCOMPARE(MemberFilterExpression::tagWord(QStringLiteral("role"), QStringLiteral("imap")),
            QStringLiteral("role=imap"));
        const QString word
            = MemberFilterExpression::tagWord(QStringLiteral("note"), QStringLiteral("a b"));
        QCOMPARE(word, QStringLiteral("\"note=a b\""));
        MemberRecord record = member(
            QStringLiteral("x"), MemberStatus::Online, { { QStringLiteral("note"), "a b" } });
        QVERIFY(MemberFilterExpression::parse(word).matches(record));
    }
};

QTEST_GUILESS_MAIN(TestMemberFilter)
#include "tst_memberfilter.moc"
