// Asks where and how to join a cluster when the command line did not say.
#pragma once

#include "cluster/protocolform.h"

#include <QDialog>
#include <QList>
#include <QMap>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QSettings;
class QSpinBox;

namespace shoal::ui {

class SecretStore;

// What the user chose; the app turns it into command-line options, checked like typed ones.
struct JoinRequest
{
    QString protocol = QStringLiteral("swim"); // the protocol form's --protocol value
    QString name; // host:port; port 0 asks for a free port
    QStringList peers; // host:port each
    QString secret; // typed, or read from secretFile by the caller (recentClusters(): none)
    QString secretFile;
    QString preset; // one of the protocol page's presets (empty: its default)
    // The protocol page's answers by option name ("ping-interval" -> "1"): every field while
    // the preset has no values of its own ("custom"), and every choice.
    QMap<QString, QString> protocolOptions;
    bool rememberSecret = false;
};

// "host:port" split with the last colon (as swim-protocol does); an empty string when valid,
// else what is wrong, for the user. allowPortZero: the local name may ask for a free port.
QString checkHostPort(const QString &text, bool allowPortZero);

class JoinDialog final : public QDialog
{
    Q_OBJECT
public:
    // settings: where recent clusters are kept (the app's QSettings by default); secrets: where
    // their remembered secrets are (by default the desktop keyring, else a 0600 file beside
    // the settings: DesktopSecretStore::shared).
    explicit JoinDialog(
        QSettings *settings = nullptr, QWidget *parent = nullptr, SecretStore *secrets = nullptr);

    // The machine's addresses to pick the local host from (the app lists them).
    void setAddresses(const QStringList &addresses);
    // The protocols to choose from (each backend's page, the first the default), offered in the
    // Protocol box; before setRequest. A recent cluster preselected comes back with its own.
    void setProtocolForms(const QList<cluster::ProtocolForm> &forms);
    // Shows this protocol's page (presets, fields, choices, port, secret's meaning).
    void setProtocolForm(const cluster::ProtocolForm &form);
    void setRequest(const JoinRequest &request);
    JoinRequest request() const;

    // The current problem shown inline, empty when the form is valid.
    QString validationMessage() const;
    bool isValid() const { return validationMessage().isEmpty(); }

    // Stores the request among the recent clusters (the secret only when asked to, in the
    // secret store), first; an entry for the same peers (the same cluster) is replaced, never
    // duplicated.
    void remember(const JoinRequest &request);
    // Where remembered secrets are kept without a keyring: beside the settings file, mode 0600
    // ("shoal.conf" -> "shoal-secrets.conf").
    static QString secretsFilePath(const QString &settingsPath);
    // Without their secrets: a remembered one is read from the store when its cluster is chosen.
    QList<JoinRequest> recentClusters() const;
    // Puts the recent clusters back as they were (a join that failed is not kept); the secrets
    // of clusters no longer listed are forgotten.
    void restoreRecentClusters(const QList<JoinRequest> &recent);
    // The key a cluster's secret is kept under: its local name and peers.
    static QString secretKey(const JoinRequest &request);

    // Test hooks.
    QComboBox *protocolBox() const { return m_protocolBox; }
    QComboBox *recentBox() const { return m_recent; }
    QLabel *secretLabel() const { return m_secretLabel; }
    QComboBox *hostBox() const { return m_host; }
    QSpinBox *portBox() const { return m_port; }
    QPlainTextEdit *peersEdit() const { return m_peers; }
    QLineEdit *secretEdit() const { return m_secret; }
    QComboBox *profileBox() const { return m_profile; }
    QDoubleSpinBox *fieldBox(const QString &option) const { return m_fields.value(option); }
    QComboBox *choiceBox(const QString &option) const { return m_choices.value(option); }
    QLabel *messageLabel() const { return m_message; }
    QCheckBox *rememberSecretBox() const { return m_rememberSecret; }

    void accept() override;

private:
    void applyProfile();
    void validate();
    void loadRecent(int index);
    void showSecretPlace();
    void secretRead(const QString &key, const QString &secret);

    QSettings *m_settings;
    SecretStore *m_secrets;
    QString m_secretReading; // the key of the secret asked of the store, until it answers
    QComboBox *m_recent;
    QComboBox *m_protocolBox;
    QList<cluster::ProtocolForm> m_forms;
    QLabel *m_secretLabel;
    QComboBox *m_host;
    QSpinBox *m_port;
    QPlainTextEdit *m_peers;
    QRadioButton *m_secretTyped;
    QRadioButton *m_secretFromFile;
    QLineEdit *m_secret;
    QLineEdit *m_secretFile;
    QCheckBox *m_rememberSecret;
    QComboBox *m_profile;
    QFormLayout *m_form;
    QGroupBox *m_fieldsBox;
    QGridLayout *m_fieldsGrid;
    QLabel *m_note;
    cluster::ProtocolForm m_protocol;
    QMap<QString, QDoubleSpinBox *> m_fields; // by option
    QMap<QString, QComboBox *> m_choices; // by option
    QLabel *m_message;
    QPushButton *m_join = nullptr;
    bool m_hostRequested = false; // setRequest named the local host
};

} // namespace shoal::ui
