#include "ui/joindialog.h"

#include "model/valuetext.h"
#include "ui/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
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
#include <QSet>
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

// A number as an option value: "10", "0.3" (what the command line would take).
QString optionValue(double value, int decimals)
{
    return QString::number(value, 'f', decimals)
        .remove(QRegularExpression(QStringLiteral("\\.?0+$")));
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

JoinDialog::JoinDialog(QSettings *settings, QWidget *parent, SecretStore *secrets)
    : QDialog(parent)
    , m_settings(settings)
    , m_secrets(secrets ? secrets
                        : DesktopSecretStore::shared(secretsFilePath(
                            settings ? settings->fileName() : QSettings().fileName())))
    , m_recent(new QComboBox(this))
    , m_protocolBox(new QComboBox(this))
    , m_secretLabel(new QLabel(tr("Secret:"), this))
    , m_host(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_peers(new QPlainTextEdit(this))
    , m_secretTyped(new QRadioButton(tr("Typed:"), this))
    , m_secretFromFile(new QRadioButton(tr("From file:"), this))
    , m_secret(new QLineEdit(this))
    , m_secretFile(new QLineEdit(this))
    , m_rememberSecret(new QCheckBox(this))
    , m_profile(new QComboBox(this))
    , m_form(new QFormLayout)
    , m_fieldsBox(new QGroupBox(this))
    , m_fieldsGrid(new QGridLayout(m_fieldsBox))
    , m_note(new QLabel(this))
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
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #a11; font-weight: bold;"));

    showSecretPlace();
    connect(m_secrets, &SecretStore::placeChanged, this, &JoinDialog::showSecretPlace);
    connect(m_secrets, &SecretStore::secretRead, this, &JoinDialog::secretRead);

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

    auto *form = m_form;
    form->addRow(tr("Proto&col:"), m_protocolBox);
    form->setRowVisible(m_protocolBox, false); // until there is a choice
    form->addRow(tr("&Recent:"), m_recent);
    auto *nameLabel = new QLabel(tr("Local &name:"), this);
    nameLabel->setBuddy(m_host);
    form->addRow(nameLabel, nameRow);
    form->addRow(tr("&Peers:"), m_peers);
    form->addRow(m_secretLabel, secretGrid);
    form->addRow(tr("&Timing:"), m_profile);
    m_fieldsGrid->setColumnStretch(1, 1);
    m_fieldsGrid->setColumnStretch(3, 1);
    m_note->setWordWrap(true);
    m_fieldsBox->hide();
    m_note->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_join = buttons->button(QDialogButtonBox::Ok);
    m_join->setText(tr("&Join"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_fieldsBox);
    layout->addWidget(m_note);
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
    connect(m_protocolBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        // setProtocolForm selects its own entry too: only another protocol swaps the page.
        if (index >= 0 && index < m_forms.size()
            && m_forms.at(index).protocol != m_protocol.protocol)
            setProtocolForm(m_forms.at(index));
    });
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

    const QList<JoinRequest> recents = recentClusters();
    for (const JoinRequest &recent : recents)
        m_recent->addItem(recent.peers.join(QStringLiteral(", ")) + QStringLiteral(" \u2014 ")
            + (recent.preset.isEmpty() ? recent.protocol : recent.preset));
    // The last cluster joined, preselected.
    if (!recents.isEmpty()) {
        m_recent->setCurrentIndex(1);
        loadRecent(1);
    }
    validate();
}

void JoinDialog::setProtocolForms(const QList<cluster::ProtocolForm> &forms)
{
    m_forms = forms;
    m_protocolBox->clear();
    for (const cluster::ProtocolForm &form : forms)
        m_protocolBox->addItem(form.name, form.protocol);
    m_form->setRowVisible(m_protocolBox, forms.size() > 1);
    if (!forms.isEmpty())
        setProtocolForm(forms.first());
    // The recent cluster preselected before the forms came: again, now with its protocol.
    if (m_recent->currentIndex() >= 1)
        loadRecent(m_recent->currentIndex());
}

void JoinDialog::setProtocolForm(const cluster::ProtocolForm &form)
{
    const int previousPort = m_protocol.localPort;
    m_protocol = form;
    const int formIndex = m_protocolBox->findData(form.protocol);
    if (formIndex >= 0)
        m_protocolBox->setCurrentIndex(formIndex);
    // What the secret is for this protocol: swim's shared secret, or Serf's encryption key.
    m_secretLabel->setText(form.secretLabel.isEmpty() ? tr("Secret:") : form.secretLabel);
    m_secret->setPlaceholderText(form.secretPlaceholder.isEmpty()
            ? tr("the cluster's shared secret")
            : form.secretPlaceholder);
    m_secretFile->setPlaceholderText(form.secretFilePlaceholder.isEmpty()
            ? tr("path of a file holding the secret")
            : form.secretFilePlaceholder);
    m_profile->clear();
    for (const cluster::ProtocolPreset &preset : form.presets)
        m_profile->addItem(preset.label, preset.id);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_profile)))
        label->setText(form.presetLabel);
    m_form->setRowVisible(m_profile, !form.presets.isEmpty());
    while (QLayoutItem *item = m_fieldsGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_fields.clear();
    const int columns = 2; // two columns of fields: six timings fit beside each other at a glance
    const qsizetype rows = (form.fields.size() + columns - 1) / columns;
    for (qsizetype i = 0; i < form.fields.size(); ++i) {
        const cluster::ProtocolField &field = form.fields.at(i);
        auto *box = new QDoubleSpinBox(m_fieldsBox);
        box->setRange(field.minimum, field.maximum);
        box->setDecimals(field.decimals);
        box->setSingleStep(field.decimals > 0 ? 0.1 : 1.0);
        box->setSuffix(field.suffix);
        const int row = int(i % rows);
        const int column = int(i / rows) * 2;
        m_fieldsGrid->addWidget(new QLabel(field.label, m_fieldsBox), row, column);
        m_fieldsGrid->addWidget(box, row, column + 1);
        m_fields.insert(field.option, box);
    }
    m_fieldsBox->setTitle(form.title);
    m_fieldsBox->setVisible(!form.fields.isEmpty());
    for (QComboBox *box : std::as_const(m_choices)) {
        m_form->removeRow(box);
    }
    m_choices.clear();
    for (const cluster::ProtocolChoice &choice : form.choices) {
        auto *box = new QComboBox(this);
        for (const auto &item : choice.items)
            box->addItem(item.second, item.first);
        // Before the preset row, as the role always stood.
        m_form->insertRow(m_form->rowCount() - 1, choice.label, box);
        m_choices.insert(choice.option, box);
    }
    m_note->setText(form.note);
    m_note->setVisible(!form.note.isEmpty());
    // The protocol's fixed port, unless the user (or a request) chose another one.
    if (m_port->value() == 0 || m_port->value() == previousPort)
        m_port->setValue(form.localPort);
    applyProfile();
    validate();
    // Serf's page is shorter than swim's: fit, rather than spread its rows over the old height.
    if (isVisible())
        adjustSize();
}

void JoinDialog::setAddresses(const QStringList &addresses)
{
    const QString current = m_host->currentText();
    m_host->clear();
    m_host->addItems(addresses);
    // This host's first (routable) address, unless a request (a recent cluster) named one.
    m_host->setCurrentText(!m_hostRequested && !addresses.isEmpty() ? addresses.first() : current);
}

void JoinDialog::applyProfile()
{
    const QString id = m_profile->currentData().toString();
    const auto preset = std::find_if(m_protocol.presets.cbegin(), m_protocol.presets.cend(),
        [&id](const cluster::ProtocolPreset &p) { return p.id == id; });
    // A preset without values of its own ("custom") leaves the fields to the user.
    const bool custom = preset == m_protocol.presets.cend() || preset->values.isEmpty();
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        it.value()->setEnabled(custom);
        if (!custom && preset->values.contains(it.key()))
            it.value()->setValue(preset->values.value(it.key()));
    }
}

void JoinDialog::setRequest(const JoinRequest &request)
{
    m_secretReading.clear();
    // The request's protocol page first: its presets, fields and choices take the answers.
    if (request.protocol != m_protocol.protocol) {
        const auto form = std::find_if(m_forms.cbegin(), m_forms.cend(),
            [&request](const cluster::ProtocolForm &f) { return f.protocol == request.protocol; });
        if (form != m_forms.cend())
            setProtocolForm(*form);
    }
    // No name: this host's address and the protocol's port stay proposed.
    if (!request.name.isEmpty()) {
        m_hostRequested = true;
        const qsizetype colon = request.name.lastIndexOf(QLatin1Char(':'));
        m_host->setCurrentText(colon < 0 ? request.name : request.name.left(colon));
        m_port->setValue(colon < 0 ? 0 : request.name.mid(colon + 1).toInt());
    }
    m_peers->setPlainText(request.peers.join(QLatin1Char('\n')));
    m_secret->setText(request.secret);
    m_secretFile->setText(request.secretFile);
    if (!request.secretFile.isEmpty() && request.secret.isEmpty())
        m_secretFromFile->setChecked(true);
    else
        m_secretTyped->setChecked(true);
    m_rememberSecret->setChecked(request.rememberSecret);
    const int preset = m_profile->findData(request.preset);
    m_profile->setCurrentIndex(preset < 0 ? 0 : preset);
    applyProfile();
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        bool ok = false;
        const double value = request.protocolOptions.value(it.key()).toDouble(&ok);
        if (ok && it.value()->isEnabled())
            it.value()->setValue(value);
    }
    for (auto it = m_choices.cbegin(); it != m_choices.cend(); ++it) {
        const int index = it.value()->findData(request.protocolOptions.value(it.key()));
        it.value()->setCurrentIndex(index < 0 ? 0 : index);
    }
    validate();
}

JoinRequest JoinDialog::request() const
{
    JoinRequest request;
    if (!m_protocol.protocol.isEmpty())
        request.protocol = m_protocol.protocol;
    request.name
        = m_host->currentText().trimmed() + QLatin1Char(':') + QString::number(m_port->value());
    request.peers = splitPeers(m_peers->toPlainText());
    if (m_secretTyped->isChecked())
        request.secret = m_secret->text();
    else
        request.secretFile = m_secretFile->text().trimmed();
    request.rememberSecret = m_rememberSecret->isChecked();
    request.preset = m_profile->currentData().toString();
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        if (it.value()->isEnabled())
            request.protocolOptions.insert(
                it.key(), optionValue(it.value()->value(), it.value()->decimals()));
    }
    for (auto it = m_choices.cbegin(); it != m_choices.cend(); ++it)
        request.protocolOptions.insert(it.key(), it.value()->currentData().toString());
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
    if (m_secretTyped->isChecked() && r.secret.isEmpty() && !m_secretReading.isEmpty())
        return m_secrets->place() == SecretStore::Place::Keyring
            ? tr("Secret: reading the remembered one from the desktop keyring\u2026")
            : tr("Secret: reading the remembered one\u2026");
    if (m_secretTyped->isChecked() && !r.secret.isEmpty() && m_protocol.checkSecret) {
        if (const QString problem = m_protocol.checkSecret(r.secret); !problem.isEmpty())
            return tr("%1 %2.").arg(m_secretLabel->text(), problem);
    }
    if (m_secretTyped->isChecked() && r.secret.isEmpty() && !m_protocol.secretOptional)
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

QString JoinDialog::secretsFilePath(const QString &settingsPath)
{
    const QFileInfo info(settingsPath);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral("-secrets.conf"));
}

QString JoinDialog::secretKey(const JoinRequest &r)
{
    return r.name + QLatin1Char('|') + r.peers.join(QLatin1Char(','));
}

void JoinDialog::showSecretPlace()
{
    switch (m_secrets->place()) {
    case SecretStore::Place::Unknown:
        m_rememberSecret->setText(
            tr("Remember the secret (looking for the desktop keyring\u2026)"));
        m_rememberSecret->setToolTip(QString());
        break;
    case SecretStore::Place::Keyring:
        m_rememberSecret->setText(tr("Remember the secret (in the desktop keyring)"));
        m_rememberSecret->setToolTip(
            tr("Kept by the desktop's Secret Service (GNOME Keyring, KWallet) as \u201c%1\u201d.")
                .arg(DesktopSecretStore::service()));
        break;
    case SecretStore::Place::File:
        m_rememberSecret->setText(
            tr("Remember the secret (in a file only you can read: %1)").arg(m_secrets->filePath()));
        m_rememberSecret->setToolTip(tooltipText(
            tr("No desktop keyring answered: the secret is kept in plain text in %1, mode 0600.")
                .arg(m_secrets->filePath())));
        break;
    }
}

void JoinDialog::secretRead(const QString &key, const QString &secret)
{
    if (key != m_secretReading)
        return; // another cluster's, chosen before
    m_secretReading.clear();
    // What the user typed or chose meanwhile stays.
    if (!secret.isEmpty() && m_secretTyped->isChecked() && m_secret->text().isEmpty())
        m_secret->setText(secret);
    validate();
}

void JoinDialog::remember(const JoinRequest &request)
{
    if (!m_settings)
        return;
    QList<JoinRequest> recent = recentClusters();
    // The same cluster is the same peers, whatever local name (a free port differs each run).
    recent.erase(std::remove_if(recent.begin(), recent.end(),
                     [&request](const JoinRequest &r) { return r.peers == request.peers; }),
        recent.end());
    recent.prepend(request);
    restoreRecentClusters(recent);
}

void JoinDialog::restoreRecentClusters(const QList<JoinRequest> &list)
{
    if (!m_settings)
        return;
    const QList<JoinRequest> recent = list.mid(0, kMaxRecent);
    QSet<QString> listed;
    for (const JoinRequest &r : recent)
        listed.insert(secretKey(r));
    // Secrets of the clusters that drop out (or were replaced under another local name).
    const QList<JoinRequest> before = recentClusters();
    for (const JoinRequest &r : before) {
        if (r.rememberSecret && !listed.contains(secretKey(r)))
            m_secrets->remove(secretKey(r));
    }
    m_settings->remove(QStringLiteral("recentClusters"));
    m_settings->beginWriteArray(QStringLiteral("recentClusters"), int(recent.size()));
    for (int i = 0; i < int(recent.size()); ++i) {
        const JoinRequest &r = recent.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("protocol"), r.protocol);
        m_settings->setValue(QStringLiteral("name"), r.name);
        m_settings->setValue(QStringLiteral("peers"), r.peers);
        m_settings->setValue(QStringLiteral("secretFile"), r.secretFile);
        // A secret is kept only when the user ticked the box for this cluster, and only in
        // the secret store; one found in the settings (an older version) is moved. A cluster
        // listed without its secret (recentClusters() gives none) keeps the stored one.
        m_settings->remove(QStringLiteral("secret"));
        if (!r.rememberSecret || !r.secretFile.isEmpty()) // a secret file holds it now
            m_secrets->remove(secretKey(r));
        else if (!r.secret.isEmpty())
            m_secrets->write(secretKey(r), r.secret);
        m_settings->setValue(QStringLiteral("rememberSecret"), r.rememberSecret);
        m_settings->setValue(QStringLiteral("profile"), r.preset);
        QVariantMap options;
        for (auto it = r.protocolOptions.cbegin(); it != r.protocolOptions.cend(); ++it)
            options.insert(it.key(), it.value());
        m_settings->setValue(QStringLiteral("protocolOptions"), options);
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
        // Entries from before the protocol choice are swim-protocol ones.
        r.protocol
            = m_settings->value(QStringLiteral("protocol"), QStringLiteral("swim")).toString();
        r.name = m_settings->value(QStringLiteral("name")).toString();
        r.peers = m_settings->value(QStringLiteral("peers")).toStringList();
        r.secretFile = m_settings->value(QStringLiteral("secretFile")).toString();
        r.rememberSecret = m_settings->value(QStringLiteral("rememberSecret")).toBool();
        r.secret = m_settings->value(QStringLiteral("secret")).toString(); // older versions
        r.preset = m_settings->value(QStringLiteral("profile")).toString();
        const QVariantMap options = m_settings->value(QStringLiteral("protocolOptions")).toMap();
        for (auto it = options.cbegin(); it != options.cend(); ++it)
            r.protocolOptions.insert(it.key(), it.value().toString());
        recent.append(r);
    }
    m_settings->endArray();
    return recent;
}

void JoinDialog::loadRecent(int index)
{
    m_secretReading.clear(); // a secret still on its way belongs to the cluster left
    const QList<JoinRequest> recent = recentClusters();
    if (index < 1 || index - 1 >= recent.size())
        return;
    const JoinRequest &chosen = recent.at(index - 1);
    setRequest(chosen);
    // Its remembered secret arrives later (the keyring is asked, never waited for).
    if (chosen.rememberSecret && chosen.secret.isEmpty() && chosen.secretFile.isEmpty()) {
        m_secretReading = secretKey(chosen);
        m_secrets->read(m_secretReading);
        validate();
    }
}

} // namespace shoal::ui
