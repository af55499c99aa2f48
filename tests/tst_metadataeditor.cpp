// The local metadata editor: typed edits reach ClusterMetadata and another in-process member,
// hex values, the MTU note, the spread line.
#include "model/clustermetadata.h"
#include "model/localmetadatamodel.h"
#include "model/spreadtracker.h"
#include "net/swim/swimservice.h"
#include "ui/metadataeditor.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace shoal;
using namespace shoal::ui;

namespace {
swim::ServiceConfig serviceConfig(const QStringList &peers)
{
    swim::ServiceConfig config;
    config.member.localName = QStringLiteral("127.0.0.1:0");
    config.member.peers = peers;
    config.member.role = swim::Role::Participant;
    config.member.timings.pingIntervalMs = 200;
    config.member.timings.syncIntervalMs = 100;
    config.secret = QByteArrayLiteral("editor-test");
    return config;
}

// Types text into the cell's editor as a user would: open it, type, press Enter.
void typeInto(QTableView *view, const QModelIndex &index, const QString &text)
{
    // The open editor is the visible one (a closed editor lingers until deleteLater).
    const auto openEditor = [view]() -> QLineEdit * {
        const auto lines = view->viewport()->findChildren<QLineEdit *>();
        for (QLineEdit *candidate : lines) {
            if (candidate->isVisible())
                return candidate;
        }
        return nullptr;
    };
    view->setCurrentIndex(index);
    if (!openEditor())
        view->edit(index);
    QLineEdit *line = openEditor();
    QVERIFY(line);
    line->selectAll();
    QTest::keyClicks(line, text);
    QTest::keyClick(line, Qt::Key_Return);
    // The delegate commits on Enter through a queued call.
    QTRY_COMPARE(index.data(Qt::EditRole).toString(), text);
}
} // namespace

class TestMetadataEditor final : public QObject
{
    Q_OBJECT
private slots:
    void filterHidesOtherKeysAndTypingNeverRenames()
    {
        ClusterMetadata metadata;
        metadata.setLocalMetadata({ { QStringLiteral("imap-port"), "143" },
            { QStringLiteral("imap-host"), "mail" }, { QStringLiteral("admin"), "k" } });
        MetadataEditor editor;
        editor.setClusterMetadata(&metadata);
        editor.show();
        const int admin = editor.rowOfKey(QStringLiteral("admin"));
        const int port = editor.rowOfKey(QStringLiteral("imap-port"));
        QVERIFY(admin >= 0 && port >= 0);
        editor.filterEdit()->setText(QStringLiteral("IMAP"));
        QVERIFY(editor.view()->isRowHidden(admin));
        QVERIFY(!editor.view()->isRowHidden(port));
        QVERIFY(!editor.view()->isRowHidden(editor.rowOfKey(QStringLiteral("imap-host"))));
        // A new key stays shown while the filter is on (a staged edit).
        const int rows = editor.model()->rowCount();
        QVERIFY(editor.model()->insertRows(rows, 1));
        QVERIFY(!editor.view()->isRowHidden(rows));
        editor.filterEdit()->clear();
        QVERIFY(!editor.view()->isRowHidden(admin));

        // Typing on a selected row opens no editor and renames nothing (double-click/F2 only).
        editor.view()->setFocus();
        editor.view()->setCurrentIndex(editor.model()->index(port, LocalMetadataModel::KeyColumn));
        QTest::keyClicks(editor.view(), QStringLiteral("zz"));
        QVERIFY(editor.view()->viewport()->findChildren<QLineEdit *>().isEmpty());
        QCOMPARE(editor.model()->index(port, LocalMetadataModel::KeyColumn).data(Qt::EditRole),
            QVariant(QStringLiteral("imap-port")));
        QTest::keyClick(editor.view(), Qt::Key_F2);
        QCOMPARE(editor.view()->viewport()->findChildren<QLineEdit *>().size(), 1);
    }

    void typedKeyAndValueReachClusterMetadata()
    {
        ClusterMetadata metadata;
        metadata.setLocal(QStringLiteral("existing"), QByteArrayLiteral("1"));
        MetadataEditor editor;
        editor.setClusterMetadata(&metadata);
        editor.show();
        QVERIFY(!editor.applyButton()->isEnabled());

        // The Add button opens a new row; the user types the key, then the value.
        const int before = editor.model()->rowCount();
        const auto buttons = editor.findChildren<QPushButton *>();
        QPushButton *add = nullptr;
        for (QPushButton *button : buttons) {
            if (button->text().contains(QLatin1String("Add")))
                add = button;
        }
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(editor.model()->rowCount(), before + 1);
        const int row = before;
        typeInto(editor.view(), editor.model()->index(row, LocalMetadataModel::KeyColumn),
            QStringLiteral("colour"));
        typeInto(editor.view(), editor.model()->index(row, LocalMetadataModel::ValueColumn),
            QStringLiteral("blue"));
        QCOMPARE(editor.staged().value(QStringLiteral("colour")), QByteArrayLiteral("blue"));
        QVERIFY(editor.isModified());
        QVERIFY(editor.applyButton()->isEnabled());
        // Nothing reaches the cluster before Apply.
        QVERIFY(!metadata.local().contains(QStringLiteral("colour")));

        QTest::mouseClick(editor.applyButton(), Qt::LeftButton);
        QCOMPARE(metadata.local().value(QStringLiteral("colour")), QByteArrayLiteral("blue"));
        QCOMPARE(metadata.local().value(QStringLiteral("existing")), QByteArrayLiteral("1"));
        QVERIFY(!editor.isModified());
        QVERIFY(!editor.applyButton()->isEnabled());
    }

    void escapeInOneCellKeepsOtherStagedEdits()
    {
        ClusterMetadata metadata;
        metadata.setLocalMetadata({ { QStringLiteral("a"), QByteArrayLiteral("x") },
            { QStringLiteral("b"), QByteArrayLiteral("y") } });
        MetadataEditor editor;
        editor.setClusterMetadata(&metadata);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const QModelIndex valueA = editor.model()->index(0, LocalMetadataModel::ValueColumn);
        typeInto(editor.view(), valueA, QStringLiteral("staged"));
        QVERIFY(editor.isModified());
        // The user opens another cell and changes their mind: Escape closes that editor with
        // QAbstractItemDelegate::RevertModelCache, which makes the view call the model's
        // revert(). It must cancel that one cell, not throw away every staged edit.
        const QModelIndex valueB = editor.model()->index(1, LocalMetadataModel::ValueColumn);
        editor.view()->setCurrentIndex(valueB);
        editor.view()->edit(valueB);
        QLineEdit *line = nullptr;
        const auto lines = editor.view()->viewport()->findChildren<QLineEdit *>();
        for (QLineEdit *candidate : lines) {
            if (candidate->isVisible())
                line = candidate;
        }
        QVERIFY(line);
        QTest::keyClicks(line, QStringLiteral("discarded"));
        QTest::keyClick(line, Qt::Key_Escape);
        QTRY_VERIFY(!line->isVisible());
        QCOMPARE(valueB.data(Qt::EditRole).toString(), QStringLiteral("y"));
        QCOMPARE(valueA.data(Qt::EditRole).toString(), QStringLiteral("staged"));
        QVERIFY(editor.isModified());
        QCOMPARE(editor.staged().value(QStringLiteral("a")), QByteArrayLiteral("staged"));
    }

    void renameDeleteRevertAndHex()
    {
        ClusterMetadata metadata;
        metadata.setLocalMetadata({ { QStringLiteral("a"), QByteArrayLiteral("x") },
            { QStringLiteral("b"), QByteArrayLiteral("y") } });
        MetadataEditor editor;
        editor.setClusterMetadata(&metadata);
        QVERIFY(editor.renameRow(editor.rowOfKey(QStringLiteral("a")), QStringLiteral("alpha")));
        editor.removeRow(editor.rowOfKey(QStringLiteral("b")));
        const int bin = editor.addKey(QStringLiteral("bin"));
        QVERIFY(bin >= 0);
        QVERIFY(editor.setRowText(bin, QStringLiteral("00 ff 10"), true));
        // A refused edit says why, inline.
        QVERIFY(!editor.renameRow(bin, QStringLiteral("alpha")));
        QVERIFY(editor.messageLabel()->text().contains(QLatin1String("exists")));

        editor.revert();
        QCOMPARE(editor.staged(), metadata.local());

        QVERIFY(editor.renameRow(editor.rowOfKey(QStringLiteral("a")), QStringLiteral("alpha")));
        editor.removeRow(editor.rowOfKey(QStringLiteral("b")));
        const int again = editor.addKey(QStringLiteral("bin"));
        QVERIFY(editor.setRowText(again, QStringLiteral("00 ff 10"), true));
        QVERIFY(editor.apply());
        const Metadata expected { { QStringLiteral("alpha"), QByteArrayLiteral("x") },
            { QStringLiteral("bin"), QByteArray("\x00\xff\x10", 3) } };
        QCOMPARE(metadata.local(), expected);
    }

    void sizeNoteSaysTcpOverTheMtu()
    {
        ClusterMetadata metadata;
        MetadataEditor editor;
        editor.setClusterMetadata(&metadata);
        editor.setMtu(1500);
        QVERIFY(!editor.sizeNote()->text().contains(QLatin1String("Over the MTU")));
        editor.addKey(QStringLiteral("big"), QByteArray(2000, 'z'));
        QTRY_VERIFY(editor.sizeNote()->text().contains(QLatin1String("Over the MTU")));
        QVERIFY(editor.sizeNote()->text().contains(QLatin1String("TCP")));
    }

    void spreadCountsMembersHoldingTheClock()
    {
        MetadataEditor editor;
        SpreadTracker spread;
        editor.setSpreadTracker(&spread);
        spread.setPeerCount(3);
        spread.setLocalClock(7);
        spread.acknowledge(QStringLiteral("m1"), 7);
        spread.acknowledge(QStringLiteral("m2"), 6); // an older version: not yet
        QVERIFY(editor.spreadText().contains(QLatin1String("1 of 3")));
        QTRY_COMPARE(editor.model()->acknowledged(), 1); // the model follows the same tracker
        spread.acknowledge(QStringLiteral("m2"), 8);
        spread.acknowledge(QStringLiteral("m3"), 7);
        QVERIFY(editor.spreadText().contains(QLatin1String("every available member")));
        QTRY_COMPARE(editor.model()->acknowledged(), 3);
    }

    void appliedEditReachesAnotherMember()
    {
        // Two real members on 127.0.0.1: the editor edits A, B must learn it by gossip.
        ClusterMetadata metadataA;
        ClusterMetadata metadataB;
        swim::SwimService b(serviceConfig({}), &metadataB);
        QString error;
        QVERIFY2(b.start(&error), qPrintable(error));
        swim::SwimService a(serviceConfig({ b.localName() }), &metadataA);
        QVERIFY2(a.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(metadataB.contains(a.localName()), 10000);

        MetadataEditor editor;
        editor.setClusterMetadata(&metadataA);
        const int row = editor.addKey(QStringLiteral("colour"));
        QVERIFY(editor.setRowText(row, QStringLiteral("blue"), false));
        QVERIFY(editor.apply());
        QTRY_COMPARE_WITH_TIMEOUT(metadataB.memberMetadata(a.localName())
                                      .value_or(Metadata {})
                                      .value(QStringLiteral("colour")),
            QByteArrayLiteral("blue"), 10000);
        QCOMPARE(metadataB.remote(QStringLiteral("colour")).value(a.localName()),
            QByteArrayLiteral("blue"));
    }
};

QTEST_MAIN(TestMetadataEditor)
#include "tst_metadataeditor.moc"
