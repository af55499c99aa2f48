// ValuesModel: keys x members, fed by ClusterMetadata's signals, coalesced and range-precise.
#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/valuesmodel.h"
#include "model/valuetext.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <memory>

using namespace shoal;

namespace {

QString key(const char *text)
{
    return QString::fromLatin1(text);
}

} // namespace

class TestValuesModel final : public QObject
{
    Q_OBJECT

    std::unique_ptr<ClusterMetadata> m_metadata;
    std::unique_ptr<ValuesModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QString text(const QString &k, int column) const
    {
        return m_model->index(m_model->rowOf(k), column).data().toString();
    }
    QModelIndex cell(const QString &k, const QString &member) const
    {
        return m_model->index(m_model->rowOf(k), m_model->columnOf(member));
    }

private slots:
    void init()
    {
        m_metadata = std::make_unique<ClusterMetadata>();
        // Three members agree on "role", one differs; "token" varies.
        m_metadata->add(key("m0"), { { key("role"), "imap" }, { key("token"), "a" } });
        m_metadata->add(key("m1"), { { key("role"), "imap" }, { key("token"), "b" } });
        m_metadata->add(key("m2"), { { key("role"), "smtp" }, { key("token"), "a" } });
        m_metadata->setLocal(key("role"), "imap");
        m_model = std::make_unique<ValuesModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setClusterMetadata(m_metadata.get());
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_metadata.reset();
    }

    void buildsFromTheMetadata()
    {
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->columnCount(), ValuesModel::FixedColumnCount + 3);
        QCOMPARE(m_model->keyAt(0), key("role"));
        QCOMPARE(m_model->memberAt(ValuesModel::FixedColumnCount + 2), key("m2"));
        QCOMPARE(m_model->headerData(m_model->columnOf(key("m1")), Qt::Horizontal).toString(),
            key("m1"));
        QCOMPARE(text(key("role"), ValuesModel::KeyColumn), key("role"));
        QCOMPARE(text(key("role"), ValuesModel::LocalColumn), key("imap"));
        QCOMPARE(text(key("token"), ValuesModel::LocalColumn), QString());
        QCOMPARE(cell(key("token"), key("m1")).data().toString(), key("b"));
    }

    void distinctIsGetAllSize()
    {
        for (const QString &k : { key("role"), key("token") })
            QCOMPARE(m_model->index(m_model->rowOf(k), ValuesModel::DistinctColumn)
                         .data(SortRole)
                         .toInt(),
                int(m_metadata->getAll(k).size()));
        QCOMPARE(text(key("role"), ValuesModel::DistinctColumn), key("2"));
    }

    void flagsCellsThatDisagreeWithTheMajority()
    {
        QCOMPARE(m_model->majority(key("role")), std::optional(QByteArray("imap")));
        QVERIFY(cell(key("role"), key("m2")).data(DisagreeRole).toBool());
        QCOMPARE(cell(key("role"), key("m2")).data(ToneRole).toInt(), int(Tone::Warning));
        QVERIFY(!cell(key("role"), key("m0")).data(DisagreeRole).toBool());
        QVERIFY(!m_model->index(0, ValuesModel::LocalColumn).data(DisagreeRole).toBool());
        // token: a, b, a -> b is the odd one.
        QVERIFY(cell(key("token"), key("m1")).data(DisagreeRole).toBool());
        QVERIFY(cell(key("token"), key("m1"))
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(key("majority")));

        // A tie at the top flags nobody.
        m_metadata->add(key("m0"), { { key("role"), "imap" }, { key("token"), "c" } });
        m_model->flush();
        QCOMPARE(m_model->majority(key("token")), std::nullopt);
        for (const char *member : { "m0", "m1", "m2" })
            QVERIFY(!cell(key("token"), key(member)).data(DisagreeRole).toBool());
    }

    // pymap's `admin` holds each node's own secret: different values are expected there, so
    // the key is per-node by default; any key can be made per-node (and back) live.
    void perNodeKeysAreNotFlagged()
    {
        QVERIFY(m_model->isPerNodeKey(key("admin")));
        m_metadata->add(key("m0"), { { key("role"), "imap" }, { key("admin"), "s0" } });
        m_metadata->add(key("m1"), { { key("role"), "imap" }, { key("admin"), "s0" } });
        m_metadata->add(key("m2"), { { key("role"), "smtp" }, { key("admin"), "s2" } });
        m_model->flush();
        const QModelIndex distinct
            = m_model->index(m_model->rowOf(key("admin")), ValuesModel::DistinctColumn);
        QCOMPARE(distinct.data().toString(), key("2 per node"));
        QCOMPARE(distinct.data(SortRole).toInt(), 2);
        QCOMPARE(distinct.data(ToneRole).toInt(), int(Tone::Normal));
        QVERIFY(distinct.data(Qt::ToolTipRole).toString().contains(key("per-node")));
        QVERIFY(!cell(key("admin"), key("m2")).data(DisagreeRole).toBool());
        QCOMPARE(m_model->majority(key("admin")), std::nullopt);

        // role: m2 differs; made per-node, the flag goes, in a change of that row only.
        QVERIFY(cell(key("role"), key("m2")).data(DisagreeRole).toBool());
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setPerNodeKeys({ key("admin"), key("role") });
        m_model->flush();
        QVERIFY(!cell(key("role"), key("m2")).data(DisagreeRole).toBool());
        QCOMPARE(text(key("role"), ValuesModel::DistinctColumn), key("2 per node"));
        QVERIFY(!changed.isEmpty());
        for (const QList<QVariant> &signal : std::as_const(changed)) {
            QCOMPARE(signal.at(0).toModelIndex().row(), m_model->rowOf(key("role")));
            QCOMPARE(signal.at(1).toModelIndex().row(), m_model->rowOf(key("role")));
        }
        QCOMPARE(reset.size(), 0);

        // admin made a plain key: s2 is the odd one out again.
        m_model->setPerNodeKeys({ key("role") });
        m_model->flush();
        QVERIFY(cell(key("admin"), key("m2")).data(DisagreeRole).toBool());
        QCOMPARE(text(key("admin"), ValuesModel::DistinctColumn), key("2"));
        QCOMPARE(m_model->index(m_model->rowOf(key("admin")), ValuesModel::DistinctColumn)
                     .data(ToneRole)
                     .toInt(),
            int(Tone::Warning));
    }

    void valueChangeEmitsJustThatCell()
    {
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy layout(m_model.get(), &QAbstractItemModel::layoutChanged);
        QSignalSpy rows(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy columns(m_model.get(), &QAbstractItemModel::columnsInserted);
        // smtp -> pop: still two distinct values, majority still imap.
        m_metadata->add(key("m2"), { { key("role"), "pop" }, { key("token"), "a" } });
        QCOMPARE(changed.size(), 0);
        QTRY_COMPARE(changed.size(), 1); // flushed by the event loop
        const QModelIndex expected = cell(key("role"), key("m2"));
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), expected);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>(), expected);
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QVERIFY(roles.contains(Qt::DisplayRole));
        QVERIFY(roles.contains(RawValueRole));
        QVERIFY(roles.contains(DisagreeRole));
        QVERIFY(!roles.isEmpty());
        QCOMPARE(expected.data().toString(), key("pop"));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(layout.size(), 0);
        QCOMPARE(rows.size(), 0);
        QCOMPARE(columns.size(), 0);
    }

    void newMajorityReflagsTheRow()
    {
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        // role: imap, imap, smtp + local imap. Two members move to smtp: smtp 3, imap 1.
        m_metadata->add(key("m0"), { { key("role"), "smtp" }, { key("token"), "a" } });
        m_metadata->add(key("m1"), { { key("role"), "smtp" }, { key("token"), "b" } });
        m_model->flush();
        QCOMPARE(m_model->majority(key("role")), std::optional(QByteArray("smtp")));
        QVERIFY(m_model->index(m_model->rowOf(key("role")), ValuesModel::LocalColumn)
                    .data(DisagreeRole)
                    .toBool());
        QVERIFY(!cell(key("role"), key("m2")).data(DisagreeRole).toBool());
        // One row: the value cells and the flags share the row; no other row touched.
        for (const auto &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).value<QModelIndex>().row(), m_model->rowOf(key("role")));
            QCOMPARE(args.at(1).value<QModelIndex>().row(), m_model->rowOf(key("role")));
        }
    }

    void keysComeAndGo()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        m_metadata->setLocal(key("zeta"), "only here");
        m_metadata->setLocal(key("alpha"), "also");
        m_model->flush();
        QCOMPARE(inserted.size(), 1); // both in one go, appended
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);
        QCOMPARE(inserted.at(0).at(2).toInt(), 3);
        QCOMPARE(m_model->keyAt(2), key("alpha"));
        // A key only local: a row with the local value and one distinct value.
        QCOMPARE(text(key("zeta"), ValuesModel::LocalColumn), key("only here"));
        QCOMPARE(text(key("zeta"), ValuesModel::DistinctColumn), key("1"));
        QVERIFY(!cell(key("zeta"), key("m0")).data().isValid());

        m_metadata->removeLocal(key("zeta"));
        m_metadata->removeLocal(key("alpha"));
        m_model->flush();
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 2);
        QCOMPARE(removed.at(0).at(2).toInt(), 3);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->rowOf(key("zeta")), -1);

        // A key held remotely and locally stays while either holds it.
        m_metadata->removeLocal(key("role"));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(text(key("role"), ValuesModel::LocalColumn), QString());
    }

    void membersAreColumns()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::columnsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::columnsRemoved);
        m_metadata->add(key("m3"), { { key("role"), "imap" } });
        m_metadata->add(key("m4"), { { key("extra"), "x" } });
        m_model->flush();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), ValuesModel::FixedColumnCount + 3);
        QCOMPARE(inserted.at(0).at(2).toInt(), ValuesModel::FixedColumnCount + 4);
        QCOMPARE(cell(key("extra"), key("m4")).data().toString(), key("x"));

        m_metadata->discard(key("m0"));
        m_metadata->discard(key("m1"));
        m_metadata->discard(key("m4"));
        m_model->flush();
        // Right to left: m4 alone, then m0..m1 together.
        QCOMPARE(removed.size(), 2);
        QCOMPARE(removed.at(0).at(1).toInt(), ValuesModel::FixedColumnCount + 4);
        QCOMPARE(removed.at(1).at(1).toInt(), ValuesModel::FixedColumnCount);
        QCOMPARE(removed.at(1).at(2).toInt(), ValuesModel::FixedColumnCount + 1);
        QCOMPARE(m_model->columnOf(key("m2")), int(ValuesModel::FixedColumnCount));
        QCOMPARE(m_model->columnOf(key("m3")), ValuesModel::FixedColumnCount + 1);
        QCOMPARE(m_model->rowOf(key("extra")), -1); // only m4 had it
        QCOMPARE(cell(key("role"), key("m3")).data().toString(), key("imap"));

        // Added and discarded before a flush: never shows.
        inserted.clear();
        m_metadata->add(key("blink"), { { key("role"), "imap" } });
        m_metadata->discard(key("blink"));
        m_model->flush();
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(m_model->columnOf(key("blink")), -1);
    }

    void bulkChangesCoalesce()
    {
        for (int i = 3; i < 12; ++i)
            m_metadata->add(QStringLiteral("m%1").arg(i), { { key("token"), "a" } });
        m_model->flush();
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        // Every member's token changes (to distinct values, so the majority goes too).
        for (int i = 0; i < 12; ++i) {
            const QString name = QStringLiteral("m%1").arg(i);
            Metadata metadata = *m_metadata->memberMetadata(name);
            metadata.insert(key("token"), QByteArray::number(i));
            m_metadata->add(name, metadata);
        }
        m_model->flush();
        // One row: the value cells are contiguous with the flag columns: one rectangle.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), m_model->rowOf(key("token")));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), m_model->columnCount() - 1);
    }

    void hidingMasksEveryValue()
    {
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setValuesHidden(true);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(
            changed.at(0).at(0).value<QModelIndex>(), m_model->index(0, ValuesModel::LocalColumn));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>(),
            m_model->index(m_model->rowCount() - 1, m_model->columnCount() - 1));
        for (int row = 0; row < m_model->rowCount(); ++row) {
            for (int column = ValuesModel::LocalColumn; column < m_model->columnCount(); ++column) {
                if (column == ValuesModel::DistinctColumn)
                    continue;
                const QModelIndex index = m_model->index(row, column);
                const QString shown = index.data().toString();
                QVERIFY(!shown.contains(key("imap")) && !shown.contains(key("smtp")));
                QVERIFY(!index.data(RawValueRole).isValid());
                QVERIFY(!index.data(Qt::ToolTipRole).toString().contains(key("imap")));
            }
        }
        QCOMPARE(text(key("role"), ValuesModel::KeyColumn), key("role")); // keys stay
        m_model->setValuesHidden(true);
        QCOMPARE(changed.size(), 1);
        m_model->setValuesHidden(false);
        QCOMPARE(text(key("role"), ValuesModel::LocalColumn), key("imap"));
    }

    void binaryValuesShowAsHex()
    {
        m_metadata->add(key("m0"), { { key("admin"), QByteArray::fromHex("00ff10") } });
        m_metadata->setLocal(key("admin"), "h\xc3\xa9llo");
        m_model->flush();
        QCOMPARE(cell(key("admin"), key("m0")).data().toString(), key("0x00ff10"));
        QCOMPARE(cell(key("admin"), key("m0")).data(RawValueRole).toByteArray(),
            QByteArray::fromHex("00ff10"));
        QCOMPARE(text(key("admin"), ValuesModel::LocalColumn), QStringLiteral("h\u00e9llo"));
    }

    void sortsOnRawValues()
    {
        for (int i = 3; i < 13; ++i)
            m_metadata->add(
                QStringLiteral("m%1").arg(i), { { key("token"), QByteArray::number(i) } });
        m_metadata->setLocal(key("aa"), "x");
        m_model->flush();
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(m_model.get());
        proxy.setSortRole(SortRole);
        proxy.sort(ValuesModel::DistinctColumn, Qt::DescendingOrder);
        // token has 12 distinct values, role 2, aa 1: 12 before 2 (not "2" before "12").
        QCOMPARE(proxy.index(0, ValuesModel::KeyColumn).data().toString(), key("token"));
        QCOMPARE(proxy.index(1, ValuesModel::KeyColumn).data().toString(), key("role"));
        QCOMPARE(proxy.index(2, ValuesModel::KeyColumn).data().toString(), key("aa"));
    }

    // Random metadata changes (fixed seed) under the model tester: after every flush the table
    // says what a table built from scratch says.
    void randomOperationsStayConsistent()
    {
        QRandomGenerator random(20261128);
        const QList<QByteArray> values { "", "a", "b", QByteArray::fromHex("00ff") };
        auto pick = [&](qsizetype n) { return int(random.bounded(int(n))); };
        for (int step = 0; step < 2000; ++step) {
            const QString name = QStringLiteral("m%1").arg(pick(6));
            const QString k = QStringLiteral("k%1").arg(pick(5));
            switch (pick(6)) {
            case 0:
            case 1: {
                Metadata data;
                for (int i = 0; i < 5; ++i) {
                    if (random.bounded(2))
                        data.insert(QStringLiteral("k%1").arg(i), values.at(pick(values.size())));
                }
                m_metadata->add(name, data);
                break;
            }
            case 2:
                m_metadata->discard(name);
                break;
            case 3:
                m_metadata->setLocal(k, values.at(pick(values.size())));
                break;
            case 4:
                m_metadata->removeLocal(k);
                break;
            default: {
                m_model->flush();
                ValuesModel fresh;
                fresh.setClusterMetadata(m_metadata.get());
                QCOMPARE(m_model->rowCount(), fresh.rowCount());
                QCOMPARE(m_model->columnCount(), fresh.columnCount());
                for (int row = 0; row < fresh.rowCount(); ++row) {
                    const QString rowKey = fresh.keyAt(row);
                    const int mine = m_model->rowOf(rowKey);
                    QVERIFY(mine >= 0);
                    QCOMPARE(m_model->keyAt(mine), rowKey);
                    for (int column = ValuesModel::LocalColumn; column < fresh.columnCount();
                         ++column) {
                        const int myColumn = column < ValuesModel::FixedColumnCount
                            ? column
                            : m_model->columnOf(fresh.memberAt(column));
                        QVERIFY(myColumn >= 0);
                        const QModelIndex a = fresh.index(row, column);
                        const QModelIndex b = m_model->index(mine, myColumn);
                        QCOMPARE(b.data(), a.data());
                        QCOMPARE(b.data(DisagreeRole), a.data(DisagreeRole));
                    }
                }
                break;
            }
            }
        }
    }

    void followsTheMetadataLifetime()
    {
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_metadata.reset();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->columnCount(), int(ValuesModel::FixedColumnCount));
    }

    void noFlushWithoutChange()
    {
        m_metadata->setLocal(key("role"), "imap"); // unchanged: no signal at all
        QVERIFY(!m_model->hasPendingChanges());
    }
};

QTEST_GUILESS_MAIN(TestValuesModel)
#include "tst_valuesmodel.moc"
