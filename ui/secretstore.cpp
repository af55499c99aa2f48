#include "ui/secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSettings>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace shoal::ui {

namespace {

// The secrets file, created at mode 0600 and tightened to it before use; QSettings rewrites
// it through QSaveFile, which keeps the mode of the file it replaces. nullptr when it cannot
// be kept private (or does not exist and create is false).
std::unique_ptr<QSettings> openSecretsFile(const QString &path, bool create)
{
    QFile file(path);
    if (!file.exists()) {
        if (!create)
            return nullptr;
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!file.open(QIODevice::WriteOnly))
            return nullptr;
        file.close();
    }
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    if ((file.permissions() & others)
        && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return nullptr; // never write a secret where others might read it
    return std::make_unique<QSettings>(path, QSettings::IniFormat);
}

// QSettings keys must not hold '/' or '\\'.
QString fileKey(const QString &key)
{
    return QString::fromLatin1(key.toUtf8().toHex());
}

// A job that deletes itself once finished: it outlives whoever asked. The caller starts it.
template<typename Job>
Job *makeJob(const QString &key, QObject *context, std::function<void(Job *)> done)
{
    auto *job = new Job(DesktopSecretStore::service());
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never QtKeychain's plain-text settings
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context,
        [done = std::move(done)](QKeychain::Job *finished) { done(static_cast<Job *>(finished)); });
    return job;
}

void warnFailed(const char *what, QKeychain::Job *job)
{
    qWarning("shoal: the desktop keyring could not %s a secret: %s", what,
        qPrintable(job->errorString()));
}

} // namespace

FileSecretStore::FileSecretStore(const QString &path, QObject *parent)
    : SecretStore(parent)
    , m_path(path)
{ }

QString FileSecretStore::readNow(const QString &key) const
{
    const auto secrets = openSecretsFile(m_path, false);
    return secrets ? secrets->value(fileKey(key)).toString() : QString();
}

void FileSecretStore::read(const QString &key)
{
    const QString secret = readNow(key);
    QMetaObject::invokeMethod(
        this, [this, key, secret] { emit secretRead(key, secret); }, Qt::QueuedConnection);
}

void FileSecretStore::write(const QString &key, const QString &secret)
{
    if (const auto secrets = openSecretsFile(m_path, true)) {
        secrets->setValue(fileKey(key), secret);
        secrets->sync();
    }
}

void FileSecretStore::remove(const QString &key)
{
    const auto secrets = openSecretsFile(m_path, false);
    if (secrets && secrets->contains(fileKey(key))) {
        secrets->remove(fileKey(key));
        secrets->sync();
    }
}

const QString &DesktopSecretStore::service()
{
    static const QString name = QStringLiteral("shoal");
    return name;
}

DesktopSecretStore::DesktopSecretStore(const QString &filePath, QObject *parent)
    : SecretStore(parent)
    , m_file(std::make_unique<FileSecretStore>(filePath))
    , m_probeTimeout(new QTimer(this))
{
    connect(m_file.get(), &SecretStore::secretRead, this, &SecretStore::secretRead);
    // A keyring that never answers (a hung D-Bus peer) must not keep secrets from the file.
    m_probeTimeout->setSingleShot(true);
    connect(m_probeTimeout, &QTimer::timeout, this, [this] { choose(Place::File); });
    m_probeTimeout->start(kProbeTimeoutMs);
    // Reading an entry that is never written: found or not found both mean a keyring
    // answered; no backend, no D-Bus session or no Secret Service fail at once.
    makeJob<QKeychain::ReadPasswordJob>(QStringLiteral("(keyring probe)"), this,
        [this](QKeychain::ReadPasswordJob *job) {
            const bool answered
                = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
            choose(answered ? Place::Keyring : Place::File);
        })
        ->start();
}

DesktopSecretStore::~DesktopSecretStore() = default;

QString DesktopSecretStore::filePath() const
{
    return m_file->filePath();
}

DesktopSecretStore *DesktopSecretStore::shared(const QString &filePath)
{
    static QHash<QString, DesktopSecretStore *> stores;
    DesktopSecretStore *&store = stores[filePath];
    if (!store) {
        store = new DesktopSecretStore(filePath, QCoreApplication::instance());
        // Tests create and destroy applications; the next one asks again.
        QObject::connect(store, &QObject::destroyed, [filePath] { stores.remove(filePath); });
    }
    return store;
}

void DesktopSecretStore::choose(Place place)
{
    if (m_place != Place::Unknown)
        return; // the probe answered after the timeout, or the other way round
    m_probeTimeout->stop();
    m_place = place;
    emit placeChanged();
    const QList<std::function<void()>> waiting = std::exchange(m_waiting, {});
    for (const auto &call : waiting)
        call();
}

void DesktopSecretStore::whenChosen(std::function<void()> call)
{
    if (m_place == Place::Unknown)
        m_waiting.append(std::move(call));
    else
        call();
}

void DesktopSecretStore::read(const QString &key)
{
    whenChosen([this, key] {
        if (m_place == Place::Keyring)
            readKeyring(key);
        else
            m_file->read(key);
    });
}

void DesktopSecretStore::readKeyring(const QString &key)
{
    makeJob<QKeychain::ReadPasswordJob>(key, this, [this, key](QKeychain::ReadPasswordJob *job) {
        if (job->error() == QKeychain::NoError) {
            emit secretRead(key, job->textData());
            return;
        }
        if (job->error() != QKeychain::EntryNotFound) {
            warnFailed("read", job); // locked and not unlocked, or refused: left where it is
            emit secretRead(key, QString());
            return;
        }
        // Kept in the file before a keyring answered: moved into the keyring.
        const QString fromFile = m_file->readNow(key);
        if (!fromFile.isEmpty())
            write(key, fromFile);
        emit secretRead(key, fromFile);
    })->start();
}

void DesktopSecretStore::write(const QString &key, const QString &secret)
{
    whenChosen([this, key, secret] {
        if (m_place != Place::Keyring) {
            m_file->write(key, secret);
            return;
        }
        auto *job = makeJob<QKeychain::WritePasswordJob>(
            key, this, [this, key, secret](QKeychain::WritePasswordJob *finished) {
                if (finished->error() != QKeychain::NoError) {
                    // Refused (a locked keyring whose prompt was dismissed, no default
                    // collection): kept in the 0600 file rather than lost; the next read
                    // finds it there and tries the keyring again.
                    qWarning("shoal: the desktop keyring could not store a secret: %s; kept in "
                             "%s instead",
                        qPrintable(finished->errorString()), qPrintable(m_file->filePath()));
                    m_file->write(key, secret);
                } else {
                    m_file->remove(key); // no plain copy left behind
                }
            });
        job->setTextData(secret);
        job->start();
    });
}

void DesktopSecretStore::remove(const QString &key)
{
    whenChosen([this, key] {
        m_file->remove(key);
        if (m_place == Place::Keyring)
            makeJob<QKeychain::DeletePasswordJob>(key, this, [](QKeychain::DeletePasswordJob *job) {
                if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
                    warnFailed("remove", job);
            })->start();
    });
}

} // namespace shoal::ui
