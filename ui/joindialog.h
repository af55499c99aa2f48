// Asks where and how to join a cluster when the command line did not say.
#pragma once

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QSettings;
class QSpinBox;

namespace shoal::ui {

// What the user chose; the app turns it into the service's configuration.
struct JoinRequest
{
    QString name; // host:port; port 0 asks for a free port
    QStringList peers; // host:port each
    QString secret; // typed, or read from secretFile by the caller
    QString secretFile;
    QString profile = QStringLiteral("swim"); // swim | pymap | custom
    // The six timings of the profile, seconds (ping_req_count is a count).
    double pingInterval = 1.0;
    double pingTimeout = 0.3;
    int pingReqCount = 1;
    double pingReqTimeout = 0.9;
    double suspectTimeout = 5.0;
    double syncInterval = 0.5;
    bool participant = false;
    bool rememberSecret = false;
};

// "host:port" split with the last colon (as swim-protocol does); an empty string when valid,
// else what is wrong, for the user. allowPortZero: the local name may ask for a free port.
QString checkHostPort(const QString &text, bool allowPortZero);

class JoinDialog final : public QDialog
{
    Q_OBJECT
public:
    // settings: where recent clusters are kept (the app's QSettings by default).
    explicit JoinDialog(QSettings *settings = nullptr, QWidget *parent = nullptr);

    // The machine's addresses to pick the local host from (the app lists them).
    void setAddresses(const QStringList &addresses);
    void setRequest(const JoinRequest &request);
    JoinRequest request() const;

    // The current problem shown inline, empty when the form is valid.
    QString validationMessage() const;
    bool isValid() const { return validationMessage().isEmpty(); }

    // Stores the request among the recent clusters (the secret only when asked to).
    void remember(const JoinRequest &request);
    QList<JoinRequest> recentClusters() const;

    // Test hooks.
    QComboBox *hostBox() const { return m_host; }
    QSpinBox *portBox() const { return m_port; }
    QPlainTextEdit *peersEdit() const { return m_peers; }
    QLineEdit *secretEdit() const { return m_secret; }
    QComboBox *profileBox() const { return m_profile; }
    QLabel *messageLabel() const { return m_message; }

    void accept() override;

private:
    void applyProfile();
    void validate();
    void loadRecent(int index);

    QSettings *m_settings;
    QComboBox *m_recent;
    QComboBox *m_host;
    QSpinBox *m_port;
    QPlainTextEdit *m_peers;
    QRadioButton *m_secretTyped;
    QRadioButton *m_secretFromFile;
    QLineEdit *m_secret;
    QLineEdit *m_secretFile;
    QCheckBox *m_rememberSecret;
    QComboBox *m_profile;
    QDoubleSpinBox *m_pingInterval;
    QDoubleSpinBox *m_pingTimeout;
    QSpinBox *m_pingReqCount;
    QDoubleSpinBox *m_pingReqTimeout;
    QDoubleSpinBox *m_suspectTimeout;
    QDoubleSpinBox *m_syncInterval;
    QComboBox *m_role;
    QLabel *m_message;
    QPushButton *m_join = nullptr;
};

} // namespace shoal::ui
