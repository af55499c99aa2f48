// The join dialog: inline validation, the protocol page from the backend (presets, fields), and
// recent clusters kept without secrets unless asked.
#include "app/joinoptions.h"
#include "net/serf/serfbackendfactory.h"
#include "net/swim/swimbackendfactory.h"
#include "ui/joindialog.h"
#include "ui/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace shoal::ui;

namespace {

// No desktop keyring in these tests, whatever the machine runs: a session bus that is not
// there fails at once (set before anything connects to D-Bus).
const bool kNoSessionBus
    = qputenv("DBUS_SESSION_BUS_ADDRESS", QByteArrayLiteral("unix:path=/nonexistent/shoal-bus"));

// A store that answers when the test says: the dialog must not wait for it.
class FakeSecretStore final : public SecretStore
{
public:
    Place kept = Place::Unknown;
    QMap<QString, QString> secrets;
    QStringList reads; // keys asked, unanswered

    Place place() const override { return kept; }
    QString filePath() const override { return QStringLiteral("/home/u/.config/shoal/s.conf"); }
    void read(const QString &key) override { reads.append(key); }
    void write(const QString &key, const QString &secret) override { secrets.insert(key, secret); }
    void remove(const QString &key) override { secrets.remove(key); }

    void settle(Place place)
    {
        kept = place;
        emit placeChanged();
    }
    void answer()
    {
        const QStringList keys = std::exchange(reads, {});
        for (const QString &key : keys)
            emit secretRead(key, secrets.value(key));
    }
};

} // namespace

class TestJoinDialog final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    // The dialog as the app opens it: swim-protocol's page and Serf's.
    static void offerBoth(JoinDialog &dialog)
    {
        dialog.setProtocolForms(shoal::app::joinProtocolForms());
    }

    static void choose(JoinDialog &dialog, const QString &protocol)
    {
        const int index = dialog.protocolBox()->findData(protocol);
        QVERIFY(index >= 0);
        dialog.protocolBox()->setCurrentIndex(index);
    }

    static JoinRequest serfRequest()
    {
        JoinRequest request;
        request.protocol = QStringLiteral("serf");
        request.name = QStringLiteral("127.0.0.1:7999");
        request.peers = { QStringLiteral("127.0.0.1:7946") };
        request.protocolOptions.insert(QStringLiteral("role"), QStringLiteral("member"));
        return request;
    }

    QPushButton *joinButton(JoinDialog &dialog)
    {
        return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }

private slots:
    void hostPortRules_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("allowZero");
        QTest::addColumn<QString>("problem"); // a word the message must hold; empty: valid
        QTest::newRow("ok") << QStringLiteral("127.0.0.1:7000") << false << QString();
        QTest::newRow("name") << QStringLiteral("node-1.example:65535") << false << QString();
        QTest::newRow("ipv6 last colon") << QStringLiteral("::1:7000") << false << QString();
        QTest::newRow("empty") << QString() << false << QStringLiteral("empty");
        QTest::newRow("no port") << QStringLiteral("127.0.0.1") << false << QStringLiteral("port");
        QTest::newRow("no host") << QStringLiteral(":7000") << false << QStringLiteral("host");
        QTest::newRow("letters") << QStringLiteral("h:abc") << false
                                 << QStringLiteral("not a number");
        QTest::newRow("too big") << QStringLiteral("h:70000") << false << QStringLiteral("65535");
        QTest::newRow("zero peer") << QStringLiteral("h:0") << false << QStringLiteral("1 to");
        QTest::newRow("zero local") << QStringLiteral("h:0") << true << QString();
    }
    void hostPortRules()
    {
        QFETCH(QString, text);
        QFETCH(bool, allowZero);
        QFETCH(QString, problem);
        const QString message = checkHostPort(text, allowZero);
        if (problem.isEmpty())
            QVERIFY2(message.isEmpty(), qPrintable(message));
        else
            QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void validationIsInlineAndBlocksJoin()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("a.ini")), QSettings::IniFormat);
        JoinDialog dialog(&settings);
        dialog.setProtocolForm(shoal::swim::swimProtocolForm());
        dialog.show();
        // Fresh: no peers yet.
        QVERIFY(dialog.validationMessage().contains(QLatin1String("Peers")));
        QVERIFY(!joinButton(dialog)->isEnabled());
        QVERIFY(dialog.messageLabel()->isVisible());

        QTest::keyClicks(dialog.peersEdit(), QStringLiteral("127.0.0.1"));
        QVERIFY(dialog.messageLabel()->text().contains(QLatin1String("needs a port")));
        QTest::keyClicks(dialog.peersEdit(), QStringLiteral(":99999"));
        QVERIFY(dialog.messageLabel()->text().contains(QLatin1String("65535")));
        dialog.peersEdit()->setPlainText(QStringLiteral("127.0.0.1:17001\n127.0.0.1:17002"));
        QVERIFY(dialog.validationMessage().contains(QLatin1String("Secret")));
        QVERIFY(!joinButton(dialog)->isEnabled());

        QTest::keyClicks(dialog.secretEdit(), QStringLiteral("s3cret"));
        QCOMPARE(dialog.validationMessage(), QString());
        QVERIFY(joinButton(dialog)->isEnabled());
        QVERIFY(!dialog.messageLabel()->isVisible());

        dialog.hostBox()->setCurrentText(QString());
        QVERIFY(dialog.validationMessage().contains(QLatin1String("Local name")));
        dialog.hostBox()->setCurrentText(QStringLiteral("127.0.0.1"));

        const JoinRequest request = dialog.request();
        // swim-protocol's fixed port by default: the same member on every run.
        QCOMPARE(request.name, QStringLiteral("127.0.0.1:%1").arg(shoal::swim::kDialogSwimPort));
        QCOMPARE(request.peers,
            (QStringList { QStringLiteral("127.0.0.1:17001"), QStringLiteral("127.0.0.1:17002") }));
        QCOMPARE(request.secret, QStringLiteral("s3cret"));
        QCOMPARE(request.protocolOptions.value(QStringLiteral("role")),
            QStringLiteral("observer")); // by default
    }

    void profilesFillTheTimings()
    {
        JoinDialog dialog(nullptr);
        dialog.setProtocolForm(shoal::swim::swimProtocolForm());
        dialog.profileBox()->setCurrentIndex(
            dialog.profileBox()->findData(QStringLiteral("pymap")));
        // The page comes from the backend: swim's presets fill its six timings.
        JoinRequest request = dialog.request();
        QCOMPARE(request.preset, QStringLiteral("pymap"));
        const auto field = [&dialog](const char *option) {
            return dialog.fieldBox(QLatin1String(option))->value();
        };
        QCOMPARE(field("ping-interval"), 10.0);
        QCOMPARE(field("suspect-timeout"), 300.0);
        QCOMPARE(field("sync-interval"), 30.0);
        QVERIFY(!dialog.fieldBox(QStringLiteral("ping-interval"))->isEnabled());
        QVERIFY(
            !request.protocolOptions.contains(QStringLiteral("ping-interval"))); // the preset says
        dialog.profileBox()->setCurrentIndex(dialog.profileBox()->findData(QStringLiteral("swim")));
        QCOMPARE(field("ping-interval"), 1.0);
        QCOMPARE(field("ping-timeout"), 0.3);
        // Custom: the fields are the answer, as options.
        dialog.profileBox()->setCurrentIndex(
            dialog.profileBox()->findData(QStringLiteral("custom")));
        dialog.fieldBox(QStringLiteral("ping-interval"))->setValue(2.5);
        request = dialog.request();
        QCOMPARE(
            request.protocolOptions.value(QStringLiteral("ping-interval")), QStringLiteral("2.5"));
        QCOMPARE(
            request.protocolOptions.value(QStringLiteral("ping-req-count")), QStringLiteral("1"));
        dialog.choiceBox(QStringLiteral("role"))->setCurrentIndex(1);
        QCOMPARE(dialog.request().protocolOptions.value(QStringLiteral("role")),
            QStringLiteral("participant"));
    }

    void recentClustersKeepNoSecretUnlessAsked()
    {
        QVERIFY(kNoSessionBus);
        const QString path = m_dir.filePath(QStringLiteral("recent.ini"));
        // The fallback itself (the desktop store's choice is tested below).
        FileSecretStore store(JoinDialog::secretsFilePath(path));
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings, nullptr, &store);
            dialog.setProtocolForm(shoal::swim::swimProtocolForm());
            JoinRequest request;
            request.name = QStringLiteral("127.0.0.1:0");
            request.peers = { QStringLiteral("127.0.0.1:17001") };
            request.secret = QStringLiteral("not-stored");
            dialog.setRequest(request);
            QVERIFY(dialog.isValid());
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings, nullptr, &store);
            dialog.setProtocolForm(shoal::swim::swimProtocolForm());
            const QList<JoinRequest> recent = dialog.recentClusters();
            QCOMPARE(recent.size(), 1);
            QCOMPARE(recent.first().peers, QStringList { QStringLiteral("127.0.0.1:17001") });
            QVERIFY(recent.first().secret.isEmpty());
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(!file.readAll().contains("not-stored"));

            JoinRequest kept = recent.first();
            kept.peers = { QStringLiteral("127.0.0.1:17009") };
            kept.secret = QStringLiteral("kept-secret");
            kept.rememberSecret = true;
            dialog.remember(kept);
            QCOMPARE(dialog.recentClusters().size(), 2);
            QCOMPARE(store.readNow(JoinDialog::secretKey(kept)), QStringLiteral("kept-secret"));

            // The same cluster again under another local name (a free port): one entry.
            JoinRequest again = kept;
            again.name = QStringLiteral("127.0.0.1:40000");
            dialog.remember(again);
            QCOMPARE(dialog.recentClusters().size(), 2);
            QCOMPARE(dialog.recentClusters().first().name, QStringLiteral("127.0.0.1:40000"));
            // Kept under the new name only: the replaced entry's secret is gone.
            QCOMPARE(store.readNow(JoinDialog::secretKey(again)), QStringLiteral("kept-secret"));
            QCOMPARE(store.readNow(JoinDialog::secretKey(kept)), QString());
            // A failed attempt is undone.
            const QList<JoinRequest> before = dialog.recentClusters();
            JoinRequest failed = kept;
            failed.peers = { QStringLiteral("10.9.9.9:7946") };
            dialog.remember(failed);
            QCOMPARE(dialog.recentClusters().size(), 3);
            dialog.restoreRecentClusters(before);
            QCOMPARE(dialog.recentClusters().size(), 2);
            QCOMPARE(dialog.recentClusters().first().peers, again.peers);
            QCOMPARE(store.readNow(JoinDialog::secretKey(failed)), QString());
            QCOMPARE(store.readNow(JoinDialog::secretKey(again)), QStringLiteral("kept-secret"));
        }
        {
            // The next dialog starts from the last cluster joined, its secret read from the
            // store (never in recentClusters()) and filled in when it comes.
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings, nullptr, &store);
            dialog.setProtocolForm(shoal::swim::swimProtocolForm());
            QCOMPARE(dialog.request().peers, QStringList { QStringLiteral("127.0.0.1:17009") });
            QVERIFY(dialog.recentClusters().first().secret.isEmpty());
            QVERIFY(dialog.rememberSecretBox()->text().contains(
                QLatin1String("in a file only you can read: ") + store.filePath()));
            QTRY_COMPARE(dialog.secretEdit()->text(), QStringLiteral("kept-secret"));
        }
        // Issue 14, finding 7: never in the (world-readable) settings, only in a 0600 file.
        QFile settingsFile(path);
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains("kept-secret"));
        const QString secretsPath = JoinDialog::secretsFilePath(path);
        QFile secrets(secretsPath);
        QVERIFY(secrets.open(QIODevice::ReadOnly));
        QVERIFY(secrets.readAll().contains("kept-secret"));
        QCOMPARE(secrets.permissions()
                & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                    | QFileDevice::WriteUser),
            QFileDevice::Permissions());
        // A secrets file someone made readable is tightened before the next secret goes in.
        QVERIFY(secrets.setPermissions(secrets.permissions() | QFileDevice::ReadOther));
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings, nullptr, &store);
            JoinRequest other;
            other.name = QStringLiteral("127.0.0.1:0");
            other.peers = { QStringLiteral("127.0.0.1:17010") };
            other.secret = QStringLiteral("second-secret");
            other.rememberSecret = true;
            dialog.remember(other);
            QCOMPARE(store.readNow(JoinDialog::secretKey(other)), QStringLiteral("second-secret"));
        }
        QVERIFY(!(QFileInfo(secretsPath).permissions() & QFileDevice::ReadOther));
    }

    // The dialog says where a remembered secret goes, and never waits for the store: the
    // recent cluster's secret is filled in when the store answers, not before.
    void secretPlaceAndAsynchronousRead()
    {
        const QString path = m_dir.filePath(QStringLiteral("fake.ini"));
        FakeSecretStore store;
        JoinRequest kept;
        kept.name = QStringLiteral("127.0.0.1:0");
        kept.peers = { QStringLiteral("127.0.0.1:17020") };
        kept.secret = QStringLiteral("from-keyring");
        kept.rememberSecret = true;
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog(&settings, nullptr, &store).remember(kept);
        }
        QCOMPARE(store.secrets.value(JoinDialog::secretKey(kept)), QStringLiteral("from-keyring"));

        QSettings settings(path, QSettings::IniFormat);
        JoinDialog dialog(&settings, nullptr, &store);
        dialog.setProtocolForm(shoal::swim::swimProtocolForm());
        QVERIFY(dialog.rememberSecretBox()->text().contains(QLatin1String("looking for")));
        store.settle(SecretStore::Place::Keyring);
        QVERIFY(
            dialog.rememberSecretBox()->text().contains(QLatin1String("in the desktop keyring")));
        QVERIFY(!dialog.rememberSecretBox()->text().contains(store.filePath()));
        store.settle(SecretStore::Place::File);
        QVERIFY(dialog.rememberSecretBox()->text().contains(
            QLatin1String("in a file only you can read: ") + store.filePath()));

        // Asked at once for the preselected recent cluster; until it answers, the form says so.
        QCOMPARE(store.reads, QStringList { JoinDialog::secretKey(kept) });
        QVERIFY(dialog.secretEdit()->text().isEmpty());
        QVERIFY(dialog.validationMessage().contains(QLatin1String("reading the remembered")));
        store.answer();
        QCOMPARE(dialog.secretEdit()->text(), QStringLiteral("from-keyring"));
        QCOMPARE(dialog.validationMessage(), QString());

        // Chosen again, a secret typed before the store answers: the typed one stays.
        QComboBox *recent = dialog.recentBox();
        QCOMPARE(recent->count(), 2);
        emit recent->activated(1);
        QCOMPARE(dialog.secretEdit()->text(), QString());
        QCOMPARE(store.reads.size(), 1);
        QTest::keyClicks(dialog.secretEdit(), QStringLiteral("typed"));
        store.answer();
        QCOMPARE(dialog.secretEdit()->text(), QStringLiteral("typed"));

        // Another choice before the secret comes: it is not filled into that one.
        emit recent->activated(1);
        emit recent->activated(0);
        store.answer();
        QVERIFY(dialog.secretEdit()->text().isEmpty());
    }

    // Without a reachable keyring (no D-Bus session here), the desktop store chooses the 0600
    // file, and its secrets land there and nowhere in the settings.
    void desktopStoreFallsBackToTheFile()
    {
        QVERIFY(kNoSessionBus);
        const QString path = m_dir.filePath(QStringLiteral("desktop-secrets.conf"));
        DesktopSecretStore store(path);
        QSignalSpy read(&store, &SecretStore::secretRead);
        // Calls made before it knows wait, in order.
        store.write(QStringLiteral("k"), QStringLiteral("desk-secret"));
        store.read(QStringLiteral("k"));
        QTRY_COMPARE_WITH_TIMEOUT(int(store.place()), int(SecretStore::Place::File),
            DesktopSecretStore::kProbeTimeoutMs * 2);
        QCOMPARE(store.filePath(), path);
        QTRY_COMPARE(read.size(), 1);
        QCOMPARE(read.first().at(1).toString(), QStringLiteral("desk-secret"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("desk-secret"));
        QCOMPARE(file.permissions()
                & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                    | QFileDevice::WriteUser),
            QFileDevice::Permissions());
        store.remove(QStringLiteral("k"));
        QVERIFY(FileSecretStore(path).readNow(QStringLiteral("k")).isEmpty());
    }

    void proposesThisHostAndTheProtocolsFixedPort()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        JoinDialog dialog(&settings);
        dialog.setProtocolForm(shoal::swim::swimProtocolForm());
        dialog.setAddresses({ QStringLiteral("192.0.2.7"), QStringLiteral("127.0.0.1") });
        // Not a free port each run (a new OFFLINE member every time): the protocol's own.
        QCOMPARE(dialog.portBox()->value(), int(shoal::swim::kDialogSwimPort));
        QCOMPARE(dialog.hostBox()->currentText(), QStringLiteral("192.0.2.7"));
        // A request without a name (none on the command line) keeps both.
        JoinRequest given;
        given.peers = { QStringLiteral("192.0.2.9:7950") };
        dialog.setRequest(given);
        QCOMPARE(dialog.request().name, QStringLiteral("192.0.2.7:7950"));
        // Another protocol's form moves the proposed port along; a port the user chose stays.
        shoal::cluster::ProtocolForm other = shoal::swim::swimProtocolForm();
        other.localPort = 7946;
        dialog.setProtocolForm(other);
        QCOMPARE(dialog.portBox()->value(), 7946);
        dialog.portBox()->setValue(8000);
        dialog.setProtocolForm(shoal::swim::swimProtocolForm());
        QCOMPARE(dialog.portBox()->value(), 8000);
    }

    void switchingProtocolSwapsPageAndPort()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        JoinDialog dialog(&settings);
        offerBoth(dialog);
        QVERIFY(!dialog.protocolBox()->isHidden());
        QCOMPARE(dialog.protocolBox()->count(), 2);
        QCOMPARE(dialog.protocolBox()->currentData().toString(), QStringLiteral("swim"));
        QCOMPARE(dialog.portBox()->value(), int(shoal::swim::kDialogSwimPort));
        QVERIFY(dialog.fieldBox(QStringLiteral("ping-interval")));
        QCOMPARE(dialog.profileBox()->count(), 3);
        QCOMPARE(dialog.request().protocol, QStringLiteral("swim"));

        choose(dialog, QStringLiteral("serf"));
        // Serf's page: no timings, its own role choice, its port, its key.
        QCOMPARE(dialog.portBox()->value(), 7946);
        QVERIFY(!dialog.fieldBox(QStringLiteral("ping-interval")));
        QVERIFY(dialog.profileBox()->isHidden());
        QComboBox *role = dialog.choiceBox(QStringLiteral("role"));
        QVERIFY(role);
        QVERIFY(role->findData(QStringLiteral("member")) >= 0);
        QVERIFY(role->findData(QStringLiteral("participant")) < 0);
        QCOMPARE(dialog.secretLabel()->text(), QStringLiteral("Encryption key:"));
        QVERIFY(dialog.secretEdit()->placeholderText().contains(QStringLiteral("base64")));
        // No key: an unencrypted Serf cluster is a valid choice (swim needs its secret).
        dialog.peersEdit()->setPlainText(QStringLiteral("127.0.0.1:7946"));
        QVERIFY2(dialog.isValid(), qPrintable(dialog.validationMessage()));
        const JoinRequest request = dialog.request();
        QCOMPARE(request.protocol, QStringLiteral("serf"));
        QCOMPARE(request.name.section(QLatin1Char(':'), -1), QStringLiteral("7946"));
        QCOMPARE(request.protocolOptions.value(QStringLiteral("role")), QStringLiteral("observer"));

        choose(dialog, QStringLiteral("swim"));
        QCOMPARE(dialog.portBox()->value(), int(shoal::swim::kDialogSwimPort));
        QCOMPARE(dialog.secretLabel()->text(), QStringLiteral("Secret:"));
        QVERIFY(!dialog.isValid()); // swim's shared secret is required
        // A port the user typed stays through a switch.
        dialog.portBox()->setValue(8123);
        choose(dialog, QStringLiteral("serf"));
        QCOMPARE(dialog.portBox()->value(), 8123);
    }

    void serfKeyIsCheckedAsEncryptChecksIt()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        JoinDialog dialog(&settings);
        offerBoth(dialog);
        choose(dialog, QStringLiteral("serf"));
        dialog.peersEdit()->setPlainText(QStringLiteral("127.0.0.1:7946"));
        dialog.secretEdit()->setText(QStringLiteral("not base64!"));
        QVERIFY(!dialog.isValid());
        QVERIFY2(dialog.validationMessage().startsWith(
                     QStringLiteral("Encryption key: not a base64 key")),
            qPrintable(dialog.validationMessage()));
        QVERIFY(!joinButton(dialog)->isEnabled());
        QVERIFY(!dialog.messageLabel()->isHidden());
        // Base64, but 10 bytes: the length named.
        dialog.secretEdit()->setText(QString::fromLatin1(QByteArray(10, 'k').toBase64()));
        QVERIFY2(dialog.validationMessage().contains(QStringLiteral("decodes to 10 bytes")),
            qPrintable(dialog.validationMessage()));
        for (const int size : { 16, 24, 32 }) {
            dialog.secretEdit()->setText(QString::fromLatin1(QByteArray(size, 'k').toBase64()));
            QVERIFY2(dialog.isValid(), qPrintable(dialog.validationMessage()));
        }
        QVERIFY(joinButton(dialog)->isEnabled());
        // swim's secret is any text: the same one is fine there, and so is "not base64!".
        choose(dialog, QStringLiteral("swim"));
        dialog.secretEdit()->setText(QStringLiteral("not base64!"));
        QVERIFY2(dialog.isValid(), qPrintable(dialog.validationMessage()));
    }

    void recentSerfClusterComesBackWithItsProtocol()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("recent.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings);
            offerBoth(dialog);
            dialog.remember(serfRequest());
            QCOMPARE(dialog.recentClusters().first().protocol, QStringLiteral("serf"));
        }
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings);
            offerBoth(dialog);
            // Preselected as the last cluster joined: Serf's page, its port and role.
            QCOMPARE(dialog.protocolBox()->currentData().toString(), QStringLiteral("serf"));
            QCOMPARE(dialog.portBox()->value(), 7999);
            QVERIFY(!dialog.fieldBox(QStringLiteral("ping-interval")));
            QCOMPARE(dialog.choiceBox(QStringLiteral("role"))->currentData().toString(),
                QStringLiteral("member"));
            QCOMPARE(dialog.request().protocol, QStringLiteral("serf"));
            // A swim cluster remembered after it; choosing the Serf one again restores Serf.
            JoinRequest swimCluster;
            swimCluster.name = QStringLiteral("127.0.0.1:7950");
            swimCluster.peers = { QStringLiteral("127.0.0.1:17001") };
            swimCluster.secret = QStringLiteral("s");
            dialog.remember(swimCluster);
        }
        {
            QSettings settings(path, QSettings::IniFormat);
            JoinDialog dialog(&settings);
            offerBoth(dialog);
            QCOMPARE(dialog.protocolBox()->currentData().toString(), QStringLiteral("swim"));
            QVERIFY(dialog.fieldBox(QStringLiteral("ping-interval")));
            const int serfEntry = 2; // after "(new cluster)" and the swim one
            QComboBox *recent = dialog.recentBox();
            QVERIFY(recent->itemText(serfEntry).contains(QStringLiteral("serf")));
            recent->setCurrentIndex(serfEntry);
            emit recent->activated(serfEntry);
            QCOMPARE(dialog.protocolBox()->currentData().toString(), QStringLiteral("serf"));
            QCOMPARE(dialog.portBox()->value(), 7999);
            QCOMPARE(dialog.request().peers, serfRequest().peers);
        }
    }

    void oldRecentEntryWithoutProtocolIsSwim()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.ini"));
        {
            // As a Shoal before the protocol choice wrote it.
            QSettings settings(path, QSettings::IniFormat);
            settings.beginWriteArray(QStringLiteral("recentClusters"), 1);
            settings.setArrayIndex(0);
            settings.setValue(QStringLiteral("name"), QStringLiteral("127.0.0.1:7950"));
            settings.setValue(
                QStringLiteral("peers"), QStringList { QStringLiteral("127.0.0.1:17001") });
            settings.setValue(QStringLiteral("profile"), QStringLiteral("pymap"));
            settings.endArray();
        }
        QSettings settings(path, QSettings::IniFormat);
        JoinDialog dialog(&settings);
        QCOMPARE(dialog.recentClusters().first().protocol, QStringLiteral("swim"));
        offerBoth(dialog);
        QCOMPARE(dialog.protocolBox()->currentData().toString(), QStringLiteral("swim"));
        QCOMPARE(dialog.profileBox()->currentData().toString(), QStringLiteral("pymap"));
        QCOMPARE(dialog.request().protocol, QStringLiteral("swim"));
    }
};

QTEST_MAIN(TestJoinDialog)
#include "tst_joindialog.moc"
