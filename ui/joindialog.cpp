#include "ui/joindialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace shoal::ui {

namespace {
constexpr int kMaxRecent = 8;

QStringList splitPeers(const QString &text)
{
    QStringList peers;
    const auto parts = QStringView(text).split(
        QRegularExpression(QStringLiteral("[\\s,;]+")), Qt::SkipEmptyParts);
    for (const auto part : parts)
        peers.append(part.toString());
    return peers;
}

QDoubleSpinBox *secondsBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0.05, 3600.0);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    box->setSuffix(QStringLiteral(" s"));
    return box;
}
} // namespace

QString checkHostPort(const QString &text, bool allowPortZero)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return JoinDialog::tr("is empty");
    const qsizetype colon = trimmed.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return JoinDialog::tr("\u201c%1\u201d needs a port, as host:port").arg(trimmed);
    const QString host = trimmed.left(colon);
    const QString portText = trimmed.mid(colon + 1);
    if (host.isEmpty())
        return JoinDialog::tr("\u201c%1\u201d has no host before the colon").arg(trimmed);
    if (host.contains(QLatin1Char(' ')))
        return JoinDialog::tr("\u201c%1\u201d: a host has no spaces").arg(trimmed);
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok)
        return JoinDialog::tr("\u201c%1\u201d: the port is not a number").arg(trimmed);
    if (port < (allowPortZero ? 0 : 1) || port > 65535)
        return JoinDialog::tr("\u201c%1\u201d: the port must be %2 to 65535")
            .arg(trimmed)
            .arg(allowPortZero ? 0 : 1);
    return QString();
}

JoinDialog::JoinDialog(QSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_recent(new QComboBox(this))
    , m_host(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_peers(new QPlainTextEdit(this))
    , m_secretTyped(new QRadioButton(tr("Typed:"), this))
    , m_secretFromFile(new QRadioButton(tr("From file:"), this))
    , m_secret(new QLineEdit(this))
    , m_secretFile(new QLineEdit(this))
    , m_rememberSecret(new QCheckBox(this))
    , m_profile(new QComboBox(this))
    , m_pingInterval(secondsBox(this))
    , m_pingTimeout(secondsBox(this))
    , m_pingReqCount(new QSpinBox(this))
    , m_pingReqTimeout(secondsBox(this))
    , m_suspectTimeout(secondsBox(this))
    , m_syncInterval(secondsBox(this))
    , m_role(new QComboBox(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Join a cluster \u2014 Shoal"));

    m_recent->addItem(tr("(new cluster)"));
    m_host->setEditable(true);
    m_host->addItem(QStringLiteral("127.0.0.1"));
    m_host->setToolTip(tr("The address other members reach this one at; it is also bound."));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(0);
    m_peers->setPlaceholderText(tr("host:port of one or more members, one per line"));
    m_peers->setTabChangesFocus(true);
    m_peers->setFixedHeight(m_peers->fontMetrics().lineSpacing() * 4 + 12);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("the cluster's shared secret"));
    m_secretFile->setPlaceholderText(tr("path of a file holding the secret"));
    m_secretTyped->setChecked(true);
    m_profile->addItem(tr("swim-protocol defaults (fast)"), QStringLiteral("swim"));
    m_profile->addItem(
        tr("pymap (slow: ping every 10 s, gossip every 30 s)"), QStringLiteral("pymap"));
    m_profile->addItem(tr("custom"), QStringLiteral("custom"));
    m_pingReqCount->setRange(1, 16);
    m_role->addItem(tr("Observer: watches, never spreads its own verdicts (recommended)"), false);
    m_role->addItem(tr("Participant: a full swim-protocol member"), true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #a11; font-weight: bold;"));

    const QString settingsPath = m_settings ? m_settings->fileName() : QSettings().fileName();
    m_rememberSecret->setText(tr("Remember the secret (in plain text, in %1)").arg(settingsPath));
    m_rememberSecret->setToolTip(settingsPath);

    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(m_host, 1);
    nameRow->addWidget(new QLabel(QStringLiteral(":"), this));
    nameRow->addWidget(m_port);

    auto *browse = new QPushButton(tr("Browse\u2026"), this);
    auto *secretGrid = new QGridLayout;
    secretGrid->addWidget(m_secretTyped, 0, 0);
    secretGrid->addWidget(m_secret, 0, 1, 1, 2);
    secretGrid->addWidget(m_secretFromFile, 1, 0);
    secretGrid->addWidget(m_secretFile, 1, 1);
    secretGrid->addWidget(browse, 1, 2);
    secretGrid->addWidget(m_rememberSecret, 2, 0, 1, 3);

    auto *form = new QFormLayout;
    form->addRow(tr("&Recent:"), m_recent);
    auto *nameLabel = new QLabel(tr("Local &name:"), this);
    nameLabel->setBuddy(m_host);
    form->addRow(nameLabel, nameRow);
    form->addRow(tr("&Peers:"), m_peers);
    form->addRow(tr("Secret:"), secretGrid);
    form->addRow(tr("R&ole:"), m_role);
    form->addRow(tr("&Timing:"), m_profile);

    // Two columns of three: the six timings fit beside each other at a glance.
    auto *timings = new QGroupBox(tr("Timings"), this);
    auto *timingGrid = new QGridLayout(timings);
    const std::pair<QString, QWidget *> timingRows[] = {
        { tr("Ping interval:"), m_pingInterval },
        { tr("Ping timeout:"), m_pingTimeout },
        { tr("Ping-req count:"), m_pingReqCount },
        { tr("Ping-req timeout:"), m_pingReqTimeout },
        { tr("Suspect timeout:"), m_suspectTimeout },
        { tr("Sync interval:"), m_syncInterval },
    };
    for (int i = 0; i < 6; ++i) {
        const int row = i % 3;
        const int column = (i / 3) * 2;
        timingGrid->addWidget(new QLabel(timingRows[i].first, timings), row, column);
        timingGrid->addWidget(timingRows[i].second, row, column + 1);
    }
    timingGrid->setColumnStretch(1, 1);
    timingGrid->setColumnStretch(3, 1);

    auto *note = new QLabel(
        tr("Note: swim-protocol never forgets a member. After this monitor leaves, the cluster "
           "keeps it as OFFLINE, and pymap reports itself unhealthy while any member is "
           "OFFLINE, until its nodes restart."),
        this);
    note->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_join = buttons->button(QDialogButtonBox::Ok);
    m_join->setText(tr("&Join"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(timings);
    layout->addWidget(note);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &JoinDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &JoinDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Secret file"));
        if (!path.isEmpty()) {
            m_secretFile->setText(path);
            m_secretFromFile->setChecked(true);
        }
    });
    connect(m_profile, &QComboBox::currentIndexChanged, this, &JoinDialog::applyProfile);
    connect(m_recent, &QComboBox::activated, this, &JoinDialog::loadRecent);
    connect(
        m_secretFile, &QLineEdit::textEdited, this, [this] { m_secretFromFile->setChecked(true); });
    connect(m_secret, &QLineEdit::textEdited, this, [this] { m_secretTyped->setChecked(true); });
    const auto revalidate = [this] { validate(); };
    connect(m_host, &QComboBox::editTextChanged, this, revalidate);
    connect(m_port, &QSpinBox::valueChanged, this, revalidate);
    connect(m_peers, &QPlainTextEdit::textChanged, this, revalidate);
    connect(m_secret, &QLineEdit::textChanged, this, revalidate);
    connect(m_secretFile, &QLineEdit::textChanged, this, revalidate);
    connect(m_secretTyped, &QRadioButton::toggled, this, revalidate);

    for (const JoinRequest &recent : recentClusters())
        m_recent->addItem(
            recent.peers.join(QStringLiteral(", ")) + QStringLiteral(" \u2014 ") + recent.profile);
    applyProfile();
    validate();
}

void JoinDialog::setAddresses(const QStringList &addresses)
{
    const QString current = m_host->currentText();
    m_host->clear();
    m_host->addItems(addresses);
    m_host->setCurrentText(current.isEmpty() && !addresses.isEmpty() ? addresses.first() : current);
}

void JoinDialog::applyProfile()
{
    const QString profile = m_profile->currentData().toString();
    const bool custom = profile == QLatin1String("custom");
    for (QWidget *box :
        { static_cast<QWidget *>(m_pingInterval), static_cast<QWidget *>(m_pingTimeout),
            static_cast<QWidget *>(m_pingReqCount), static_cast<QWidget *>(m_pingReqTimeout),
            static_cast<QWidget *>(m_suspectTimeout), static_cast<QWidget *>(m_syncInterval) })
        box->setEnabled(custom);
    if (profile == QLatin1String("swim")) {
        m_pingInterval->setValue(1.0);
        m_pingTimeout->setValue(0.3);
        m_pingReqCount->setValue(1);
        m_pingReqTimeout->setValue(0.9);
        m_suspectTimeout->setValue(5.0);
        m_syncInterval->setValue(0.5);
    } else if (profile == QLatin1String("pymap")) {
        m_pingInterval->setValue(10.0);
        m_pingTimeout->setValue(1.0);
        m_pingReqCount->setValue(1);
        m_pingReqTimeout->setValue(0.9);
        m_suspectTimeout->setValue(300.0);
        m_syncInterval->setValue(30.0);
    }
}

void JoinDialog::setRequest(const JoinRequest &request)
{
    const qsizetype colon = request.name.lastIndexOf(QLatin1Char(':'));
    m_host->setCurrentText(colon < 0 ? request.name : request.name.left(colon));
    m_port->setValue(colon < 0 ? 0 : request.name.mid(colon + 1).toInt());
    m_peers->setPlainText(request.peers.join(QLatin1Char('\n')));
    m_secret->setText(request.secret);
    m_secretFile->setText(request.secretFile);
    if (!request.secretFile.isEmpty() && request.secret.isEmpty())
        m_secretFromFile->setChecked(true);
    else
        m_secretTyped->setChecked(true);
    m_rememberSecret->setChecked(request.rememberSecret);
    const int profile = m_profile->findData(request.profile);
    m_profile->setCurrentIndex(profile < 0 ? 0 : profile);
    if (request.profile == QLatin1String("custom")) {
        m_pingInterval->setValue(request.pingInterval);
        m_pingTimeout->setValue(request.pingTimeout);
        m_pingReqCount->setValue(request.pingReqCount);
        m_pingReqTimeout->setValue(request.pingReqTimeout);
        m_suspectTimeout->setValue(request.suspectTimeout);
        m_syncInterval->setValue(request.syncInterval);
    }
    m_role->setCurrentIndex(request.participant ? 1 : 0);
    validate();
}

JoinRequest JoinDialog::request() const
{
    JoinRequest request;
    request.name
        = m_host->currentText().trimmed() + QLatin1Char(':') + QString::number(m_port->value());
    request.peers = splitPeers(m_peers->toPlainText());
    if (m_secretTyped->isChecked())
        request.secret = m_secret->text();
    else
        request.secretFile = m_secretFile->text().trimmed();
    request.rememberSecret = m_rememberSecret->isChecked();
    request.profile = m_profile->currentData().toString();
    request.pingInterval = m_pingInterval->value();
    request.pingTimeout = m_pingTimeout->value();
    request.pingReqCount = m_pingReqCount->value();
    request.pingReqTimeout = m_pingReqTimeout->value();
    request.suspectTimeout = m_suspectTimeout->value();
    request.syncInterval = m_syncInterval->value();
    request.participant = m_role->currentData().toBool();
    return request;
}

QString JoinDialog::validationMessage() const
{
    const JoinRequest r = request();
    if (m_host->currentText().trimmed().isEmpty())
        return tr("Local name: choose or type this machine's address.");
    if (const QString problem = checkHostPort(r.name, true); !problem.isEmpty())
        return tr("Local name %1.").arg(problem);
    if (r.peers.isEmpty())
        return tr("Peers: give at least one member as host:port.");
    for (const QString &peer : r.peers) {
        if (const QString problem = checkHostPort(peer, false); !problem.isEmpty())
            return tr("Peer %1.").arg(problem);
    }
    if (m_secretTyped->isChecked() && r.secret.isEmpty())
        return tr("Secret: type the cluster's secret (members with another secret reject "
                  "every packet).");
    if (m_secretFromFile->isChecked()) {
        if (r.secretFile.isEmpty())
            return tr("Secret: give the path of the file holding it.");
        const QFileInfo info(r.secretFile);
        if (!info.isFile() || !info.isReadable())
            return tr("Secret: cannot read the file %1.").arg(r.secretFile);
    }
    return QString();
}

void JoinDialog::validate()
{
    const QString message = validationMessage();
    m_message->setText(message.isEmpty() ? QString() : QStringLiteral("\u26A0 ") + message);
    m_message->setVisible(!message.isEmpty());
    if (m_join)
        m_join->setEnabled(message.isEmpty());
}

void JoinDialog::accept()
{
    validate();
    if (!isValid())
        return;
    remember(request());
    QDialog::accept();
}

void JoinDialog::remember(const JoinRequest &request)
{
    if (!m_settings)
        return;
    QList<JoinRequest> recent = recentClusters();
    recent.erase(std::remove_if(recent.begin(), recent.end(),
                     [&request](const JoinRequest &r) {
                         return r.peers == request.peers && r.name == request.name;
                     }),
        recent.end());
    recent.prepend(request);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    m_settings->beginWriteArray(QStringLiteral("recentClusters"), int(recent.size()));
    for (int i = 0; i < int(recent.size()); ++i) {
        const JoinRequest &r = recent.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("name"), r.name);
        m_settings->setValue(QStringLiteral("peers"), r.peers);
        m_settings->setValue(QStringLiteral("secretFile"), r.secretFile);
        // A secret is written only when the user ticked the box for this cluster.
        if (r.rememberSecret && !r.secret.isEmpty())
            m_settings->setValue(QStringLiteral("secret"), r.secret);
        else
            m_settings->remove(QStringLiteral("secret"));
        m_settings->setValue(QStringLiteral("rememberSecret"), r.rememberSecret);
        m_settings->setValue(QStringLiteral("profile"), r.profile);
        m_settings->setValue(QStringLiteral("timings"),
            QVariantList { r.pingInterval, r.pingTimeout, r.pingReqCount, r.pingReqTimeout,
                r.suspectTimeout, r.syncInterval });
        m_settings->setValue(QStringLiteral("participant"), r.participant);
    }
    m_settings->endArray();
    m_settings->sync();
}

QList<JoinRequest> JoinDialog::recentClusters() const
{
    QList<JoinRequest> recent;
    if (!m_settings)
        return recent;
    const int size = m_settings->beginReadArray(QStringLiteral("recentClusters"));
    for (int i = 0; i < std::min(size, kMaxRecent); ++i) {
        m_settings->setArrayIndex(i);
        JoinRequest r;
        r.name = m_settings->value(QStringLiteral("name")).toString();
        r.peers = m_settings->value(QStringLiteral("peers")).toStringList();
        r.secretFile = m_settings->value(QStringLiteral("secretFile")).toString();
        r.secret = m_settings->value(QStringLiteral("secret")).toString();
        r.rememberSecret = m_settings->value(QStringLiteral("rememberSecret")).toBool();
        r.profile = m_settings->value(QStringLiteral("profile"), QStringLiteral("swim")).toString();
        const QVariantList timings = m_settings->value(QStringLiteral("timings")).toList();
        if (timings.size() == 6) {
            r.pingInterval = timings.at(0).toDouble();
            r.pingTimeout = timings.at(1).toDouble();
            r.pingReqCount = timings.at(2).toInt();
            r.pingReqTimeout = timings.at(3).toDouble();
            r.suspectTimeout = timings.at(4).toDouble();
            r.syncInterval = timings.at(5).toDouble();
        }
        r.participant = m_settings->value(QStringLiteral("participant")).toBool();
        recent.append(r);
    }
    m_settings->endArray();
    return recent;
}

void JoinDialog::loadRecent(int index)
{
    const QList<JoinRequest> recent = recentClusters();
    if (index >= 1 && index - 1 < recent.size())
        setRequest(recent.at(index - 1));
}

} // namespace shoal::ui
