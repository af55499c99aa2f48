// DesktopSecretStore against a real Secret Service: a private D-Bus session bus and
// gnome-keyring-daemon (its login keyring created and unlocked with a throwaway password, under a
// temporary HOME), so that remembered secrets are shown to land in the keyring, come back from
// it, move in from the 0600 file, and leave no copy in the file. Skipped, loudly, when
// dbus-daemon or gnome-keyring-daemon is not installed; fails instead when SHOAL_REQUIRE_KEYRING
// is set (CI: .ci/run).
#include "ui/secretstore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using shoal::ui::DesktopSecretStore;
using shoal::ui::FileSecretStore;
using shoal::ui::SecretStore;

class TestKeyring : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QProcess m_bus;
    QProcess m_keyring;

    // The secret the store reports for key, once it answers.
    static QString readBack(SecretStore &store, const QString &key)
    {
        QSignalSpy read(&store, &SecretStore::secretRead);
        store.read(key);
        if (!QTest::qWaitFor([&] { return !read.isEmpty(); }, 10000))
            return QStringLiteral("(no answer)");
        return read.first().at(1).toString();
    }

    static QByteArray fileBytes(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        const QString busDaemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        const QString keyringDaemon
            = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (busDaemon.isEmpty() || keyringDaemon.isEmpty()) {
            if (qEnvironmentVariableIsSet("SHOAL_REQUIRE_KEYRING"))
                QFAIL("SHOAL_REQUIRE_KEYRING is set (CI) but dbus-daemon or gnome-keyring-daemon "
                      "is not installed");
            QSKIP("dbus-daemon and gnome-keyring-daemon (Debian's dbus-daemon and gnome-keyring) "
                  "are not installed");
        }
        QVERIFY(m_home.isValid());
        const QString runtime = m_home.filePath(QStringLiteral("run"));
        QVERIFY(QDir().mkpath(runtime));
        QFile::setPermissions(
            runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        // Everything the daemons and this process touch lives in the temporary home.
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", runtime.toLocal8Bit());

        m_bus.start(busDaemon,
            { QStringLiteral("--session"), QStringLiteral("--nofork"),
                QStringLiteral("--print-address=1") });
        QVERIFY2(m_bus.waitForStarted(), qPrintable(m_bus.errorString()));
        QVERIFY(QTest::qWaitFor([&] { return m_bus.canReadLine(); }, 10000));
        const QByteArray address = m_bus.readLine().trimmed();
        QVERIFY2(!address.isEmpty(), m_bus.readAllStandardError().constData());
        // Before the first D-Bus call of this process: QtDBus connects lazily.
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);

        // --unlock reads the login keyring's password from stdin, creating the keyring.
        m_keyring.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        m_keyring.start(keyringDaemon,
            { QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                QStringLiteral("--components=secrets") });
        QVERIFY2(m_keyring.waitForStarted(), qPrintable(m_keyring.errorString()));
        m_keyring.write("throwaway-password");
        m_keyring.closeWriteChannel();
        // The login collection exists once its file is written; the service answers earlier.
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile::exists(m_home.filePath(QStringLiteral("data/keyrings/login.keyring"))), 20000);
    }

    void cleanupTestCase()
    {
        for (QProcess *process : { &m_keyring, &m_bus }) {
            if (process->state() != QProcess::NotRunning) {
                process->terminate();
                if (!process->waitForFinished(5000))
                    process->kill();
                process->waitForFinished();
            }
        }
    }

    void secretsLiveInTheKeyringNotTheFile()
    {
        const QString path = m_home.filePath(QStringLiteral("secrets.conf"));
        {
            DesktopSecretStore store(path);
            // The keyring daemon registers on the bus shortly after it starts.
            QTRY_COMPARE_WITH_TIMEOUT(int(store.place()), int(SecretStore::Place::Keyring),
                DesktopSecretStore::kProbeTimeoutMs * 2);
            store.write(QStringLiteral("swim:10.0.0.1:7001"), QStringLiteral("keyring-secret"));
            QCOMPARE(readBack(store, QStringLiteral("swim:10.0.0.1:7001")),
                QStringLiteral("keyring-secret"));
        }
        QVERIFY(!fileBytes(path).contains("keyring-secret"));
        // A new store (a later start of the window) finds it in the keyring.
        DesktopSecretStore again(path);
        QCOMPARE(readBack(again, QStringLiteral("swim:10.0.0.1:7001")),
            QStringLiteral("keyring-secret"));
        QCOMPARE(int(again.place()), int(SecretStore::Place::Keyring));
        again.remove(QStringLiteral("swim:10.0.0.1:7001"));
        QCOMPARE(readBack(again, QStringLiteral("swim:10.0.0.1:7001")), QString());
    }

    void aSecretKeptInTheFileMovesIntoTheKeyring()
    {
        const QString path = m_home.filePath(QStringLiteral("moved.conf"));
        // Kept while no keyring answered.
        FileSecretStore(path).write(QStringLiteral("serf:10.0.0.9:7946"), QStringLiteral("old"));
        QVERIFY(fileBytes(path).contains("old"));
        {
            DesktopSecretStore store(path);
            QCOMPARE(readBack(store, QStringLiteral("serf:10.0.0.9:7946")), QStringLiteral("old"));
            QCOMPARE(int(store.place()), int(SecretStore::Place::Keyring));
            // The move (a write to the keyring, then the file's copy removed) is asynchronous.
            QTRY_VERIFY(!fileBytes(path).contains("old"));
        }
        DesktopSecretStore later(path);
        QCOMPARE(readBack(later, QStringLiteral("serf:10.0.0.9:7946")), QStringLiteral("old"));
    }

    // Last: it stops the keyring. A secret the keyring refuses is kept in the file, not lost.
    void aRefusedSecretIsKeptInTheFile()
    {
        const QString path = m_home.filePath(QStringLiteral("refused.conf"));
        DesktopSecretStore store(path);
        QTRY_COMPARE_WITH_TIMEOUT(int(store.place()), int(SecretStore::Place::Keyring),
            DesktopSecretStore::kProbeTimeoutMs * 2);
        m_keyring.terminate();
        QVERIFY(m_keyring.waitForFinished(10000));
        store.write(QStringLiteral("swim:10.0.0.2:7001"), QStringLiteral("refused-secret"));
        QTRY_VERIFY_WITH_TIMEOUT(fileBytes(path).contains("refused-secret"), 30000);
    }
};

QTEST_GUILESS_MAIN(TestKeyring)
#include "tst_keyring.moc"
