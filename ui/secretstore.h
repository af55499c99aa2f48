// Where remembered cluster secrets are kept: the desktop keyring when one answers, else a file
// only the user can read (issue 14, finding 7). Every call returns at once: the keyring is a
// D-Bus service that may be slow or prompt to unlock, and the window never waits for it.
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QTimer;

namespace shoal::ui {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Place {
        Unknown, // still asking whether a keyring answers
        Keyring, // the desktop's Secret Service (GNOME Keyring, KWallet), through QtKeychain
        File, // filePath(), mode 0600
    };

    using QObject::QObject;

    virtual Place place() const = 0;
    // The file secrets go to when there is no keyring (also for the dialog's wording).
    virtual QString filePath() const = 0;
    // secretRead(key, ...) follows, never within this call.
    virtual void read(const QString &key) = 0;
    virtual void write(const QString &key, const QString &secret) = 0;
    virtual void remove(const QString &key) = 0;

signals:
    // secret is empty when none is kept under key (or the keyring refused).
    void secretRead(const QString &key, const QString &secret);
    void placeChanged();
};

// Secrets in an INI file created and kept at mode 0600, apart from the settings.
class FileSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit FileSecretStore(const QString &path, QObject *parent = nullptr);

    Place place() const override { return Place::File; }
    QString filePath() const override { return m_path; }
    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;
    // The secret kept under key, read now (the store's own callers use read()).
    QString readNow(const QString &key) const;

private:
    QString m_path;
};

// The keyring when a job finds one (QtKeychain 0.13 has no isAvailable()), else the file.
// Until that is known, calls wait in order; a keyring silent for kProbeTimeoutMs counts as
// none. With the keyring, a secret found only in the file (kept before one answered) moves in.
class DesktopSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    static constexpr int kProbeTimeoutMs = 10000;
    // The keyring's service name: the secrets show as "shoal" in Seahorse or KWalletManager.
    static const QString &service();

    explicit DesktopSecretStore(const QString &filePath, QObject *parent = nullptr);
    ~DesktopSecretStore() override;

    Place place() const override { return m_place; }
    QString filePath() const override;
    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;

    // One per secrets file for the whole process: jobs outlive the dialog that asked.
    static DesktopSecretStore *shared(const QString &filePath);

private:
    void choose(Place place);
    void whenChosen(std::function<void()> call);

    void readKeyring(const QString &key);

    std::unique_ptr<FileSecretStore> m_file;
    Place m_place = Place::Unknown;
    QTimer *m_probeTimeout;
    QList<std::function<void()>> m_waiting;
};

} // namespace shoal::ui
