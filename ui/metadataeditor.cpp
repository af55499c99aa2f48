#include "ui/metadataeditor.h"

#include "model/clustermetadata.h"
#include "model/valuetext.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace shoal::ui {

namespace {
// Where a row keeps the mode its value text is written in, to convert on a toggle.
constexpr int kModeRole = Qt::UserRole + 1;
} // namespace

MetadataEditor::MetadataEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_message(new QLabel(this))
    , m_size(new QProgressBar(this))
    , m_sizeNote(new QLabel(this))
    , m_add(new QPushButton(tr("&Add key"), this))
    , m_remove(new QPushButton(tr("&Delete key"), this))
    , m_apply(new QPushButton(tr("A&pply"), this))
    , m_revert(new QPushButton(tr("&Revert"), this))
    , m_spread(new QProgressBar(this))
    , m_spreadLabel(new QLabel(this))
    , m_estimator(&MetadataEditor::defaultEstimate)
{
    auto *intro = new QLabel(
        tr("The local member's metadata, gossiped to every member. Edit a key or value in place "
           "(double-click), tick <b>Hex</b> for binary values, then <b>Apply</b>."),
        this);
    intro->setWordWrap(true);

    m_table->setHorizontalHeaderLabels({ tr("Key"), tr("Hex"), tr("Value"), tr("Bytes") });
    m_table->horizontalHeader()->setSectionResizeMode(KeyColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(HexColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(KeyColumn, 200);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);

    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_size->setTextVisible(true);
    m_sizeNote->setWordWrap(true);
    m_spread->setTextVisible(true);
    m_spreadLabel->setWordWrap(true);
    m_apply->setDefault(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *sizeRow = new QHBoxLayout;
    auto *sizeTitle = new QLabel(tr("Packet size:"), this);
    sizeRow->addWidget(sizeTitle);
    sizeRow->addWidget(m_size, 1);
    auto *spreadRow = new QHBoxLayout;
    auto *spreadTitle = new QLabel(tr("Spread:"), this);
    spreadRow->addWidget(spreadTitle);
    spreadRow->addWidget(m_spread, 1);
    // Both titles as wide as the wider one so the bars line up.
    const int titleWidth = std::max(sizeTitle->sizeHint().width(), spreadTitle->sizeHint().width());
    sizeTitle->setMinimumWidth(titleWidth);
    spreadTitle->setMinimumWidth(titleWidth);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addLayout(sizeRow);
    layout->addWidget(m_sizeNote);
    layout->addLayout(spreadRow);
    layout->addWidget(m_spreadLabel);

    connect(m_add, &QPushButton::clicked, this, [this] {
        const int row = addKey();
        m_table->setCurrentCell(row, KeyColumn);
        m_table->editItem(m_table->item(row, KeyColumn));
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            removeRow(m_table->currentRow());
    });
    connect(m_apply, &QPushButton::clicked, this, &MetadataEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &MetadataEditor::revert);
    connect(m_table, &QTableWidget::itemChanged, this, &MetadataEditor::onItemChanged);
    connect(m_table, &QTableWidget::currentCellChanged, this,
        [this] { m_remove->setEnabled(m_table->currentRow() >= 0); });
    reload();
    updateSpread();
}

void MetadataEditor::setClusterMetadata(ClusterMetadata *metadata)
{
    if (m_metadata)
        disconnect(m_metadata, nullptr, this, nullptr);
    m_metadata = metadata;
    if (m_metadata)
        connect(m_metadata, &ClusterMetadata::localChanged, this, &MetadataEditor::onLocalChanged);
    reload();
}

void MetadataEditor::setMtu(int bytes)
{
    m_mtu = std::max(1, bytes);
    validate();
}

void MetadataEditor::setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator)
{
    m_estimator = estimator ? std::move(estimator) : &MetadataEditor::defaultEstimate;
    validate();
}

qsizetype MetadataEditor::defaultEstimate(const Metadata &metadata)
{
    // Framing (prefix, salt, HMAC) plus a pickled Gossip with a typical name, then each entry:
    // its UTF-8 key, its bytes and a few opcodes. Within a few bytes of the codec's figure.
    qsizetype size = 6 + 16 + 32 + 190;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        size += it.key().toUtf8().size() + it.value().size() + 12;
    return size;
}

Metadata MetadataEditor::appliedLocal() const
{
    // One read of the guarded pointer: a second one could (in the compiler's eyes) be null.
    const ClusterMetadata *metadata = m_metadata.data();
    return metadata ? metadata->local() : Metadata {};
}

void MetadataEditor::onLocalChanged()
{
    // Someone else (the command line, a test) changed the mapping: show it unless the user has
    // unapplied edits, which are not thrown away behind their back.
    if (!isModified())
        reload();
    else
        validate();
}

void MetadataEditor::reload()
{
    m_filling = true;
    m_table->setRowCount(0);
    {
        const Metadata local = appliedLocal();
        m_baseline = local;
        for (auto it = local.cbegin(); it != local.cend(); ++it) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            fillRow(row, it.key(), it.value());
        }
    }
    m_filling = false;
    validate();
}

void MetadataEditor::fillRow(int row, const QString &key, const QByteArray &value)
{
    const bool filling = std::exchange(m_filling, true);
    const bool hex = !isTextValue(value);
    m_table->setItem(row, KeyColumn, new QTableWidgetItem(key));
    auto *hexItem = new QTableWidgetItem;
    hexItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    hexItem->setCheckState(hex ? Qt::Checked : Qt::Unchecked);
    hexItem->setData(kModeRole, hex);
    hexItem->setToolTip(tr("Ticked: the value is written in hex (binary bytes)"));
    m_table->setItem(row, HexColumn, hexItem);
    m_table->setItem(
        row, ValueColumn, new QTableWidgetItem(hex ? hexValue(value) : QString::fromUtf8(value)));
    auto *sizeItem = new QTableWidgetItem(QString::number(value.size()));
    sizeItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    sizeItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_table->setItem(row, SizeColumn, sizeItem);
    m_filling = filling;
}

int MetadataEditor::addKey(const QString &key, const QByteArray &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    fillRow(row, key, value);
    validate();
    return row;
}

void MetadataEditor::setRowValue(int row, const QString &text, bool hex)
{
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_filling = true;
    m_table->item(row, HexColumn)->setCheckState(hex ? Qt::Checked : Qt::Unchecked);
    m_table->item(row, HexColumn)->setData(kModeRole, hex);
    m_filling = false;
    m_table->item(row, ValueColumn)->setText(text);
}

void MetadataEditor::removeRow(int row)
{
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_table->removeRow(row);
    validate();
}

int MetadataEditor::rowOfKey(const QString &key) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, KeyColumn) && m_table->item(row, KeyColumn)->text() == key)
            return row;
    }
    return -1;
}

void MetadataEditor::onItemChanged()
{
    if (m_filling)
        return;
    // Convert a value whose Hex box was just toggled, so the bytes stay the same.
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QTableWidgetItem *hexItem = m_table->item(row, HexColumn);
        QTableWidgetItem *valueItem = m_table->item(row, ValueColumn);
        if (!hexItem || !valueItem)
            continue;
        const bool wanted = hexItem->checkState() == Qt::Checked;
        const bool current = hexItem->data(kModeRole).toBool();
        if (wanted == current)
            continue;
        m_filling = true;
        if (wanted) {
            valueItem->setText(hexValue(valueItem->text().toUtf8()));
            hexItem->setData(kModeRole, true);
        } else {
            const auto bytes = parseHexValue(valueItem->text());
            if (bytes && isTextValue(*bytes)) {
                valueItem->setText(QString::fromUtf8(*bytes));
                hexItem->setData(kModeRole, false);
            } else {
                // Not text: stay in hex rather than mangle the bytes.
                hexItem->setCheckState(Qt::Checked);
            }
        }
        m_filling = false;
    }
    validate();
}

std::optional<Metadata> MetadataEditor::draft(QString *problem) const
{
    Metadata result;
    const auto fail = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *keyItem = m_table->item(row, KeyColumn);
        const QTableWidgetItem *valueItem = m_table->item(row, ValueColumn);
        const QTableWidgetItem *hexItem = m_table->item(row, HexColumn);
        if (!keyItem || !valueItem || !hexItem)
            continue;
        const QString key = keyItem->text();
        if (key.trimmed().isEmpty())
            return fail(tr("Row %1: the key is empty.").arg(row + 1));
        if (result.contains(key))
            return fail(tr("Row %1: the key \u201c%2\u201d appears twice.").arg(row + 1).arg(key));
        QByteArray bytes;
        if (hexItem->checkState() == Qt::Checked) {
            const auto parsed = parseHexValue(valueItem->text());
            if (!parsed)
                return fail(tr("Row %1 (\u201c%2\u201d): the value is not hex (pairs of 0-9, a-f).")
                                .arg(row + 1)
                                .arg(key));
            bytes = *parsed;
        } else {
            bytes = valueItem->text().toUtf8();
        }
        result.insert(key, bytes);
    }
    if (problem)
        problem->clear();
    return result;
}

bool MetadataEditor::isModified() const
{
    const auto current = draft();
    return !current || *current != m_baseline;
}

void MetadataEditor::validate()
{
    QString problem;
    const auto current = draft(&problem);
    // Row sizes first, so they follow every edit.
    const bool filling = std::exchange(m_filling, true);
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QTableWidgetItem *valueItem = m_table->item(row, ValueColumn);
        QTableWidgetItem *hexItem = m_table->item(row, HexColumn);
        QTableWidgetItem *sizeItem = m_table->item(row, SizeColumn);
        if (!valueItem || !hexItem || !sizeItem)
            continue;
        const auto bytes = hexItem->checkState() == Qt::Checked
            ? parseHexValue(valueItem->text())
            : std::optional<QByteArray>(valueItem->text().toUtf8());
        sizeItem->setText(bytes ? QString::number(bytes->size()) : tr("bad hex"));
    }
    m_filling = filling;

    const Metadata applied = appliedLocal();
    const bool modified = !current || *current != m_baseline;
    const bool changedUnderneath = m_baseline != applied;
    if (!current) {
        m_message->setText(QStringLiteral("<b>\u26A0 %1</b>").arg(problem.toHtmlEscaped()));
        m_message->setStyleSheet(QStringLiteral("color: #a11;"));
    } else if (!m_metadata) {
        m_message->setText(tr("Not joined to a cluster yet."));
        m_message->setStyleSheet(QString());
    } else if (modified && changedUnderneath) {
        m_message->setText(tr("Unapplied changes; the applied mapping has also changed meanwhile "
                              "(Revert shows it)."));
        m_message->setStyleSheet(QString());
    } else if (modified) {
        m_message->setText(tr("Unapplied changes: Apply sends them to the cluster."));
        m_message->setStyleSheet(QString());
    } else {
        m_message->setText(tr("Applied: this is what the cluster is told."));
        m_message->setStyleSheet(QString());
    }
    m_apply->setEnabled(current.has_value() && modified && m_metadata);
    m_revert->setEnabled(modified);
    m_remove->setEnabled(m_table->currentRow() >= 0);

    const qsizetype size = m_estimator(current.value_or(applied));
    m_size->setRange(0, std::max(m_mtu, int(std::min<qsizetype>(size, 1 << 30))));
    m_size->setValue(int(std::min<qsizetype>(size, 1 << 30)));
    m_size->setFormat(tr("%1 of %2 bytes (MTU)").arg(size).arg(m_mtu));
    if (size > m_mtu) {
        m_sizeNote->setText(
            tr("\u26A0 Over the MTU: gossip about this member goes by TCP instead of UDP, which "
               "every member accepts but costs a connection per packet."));
        m_sizeNote->setStyleSheet(QStringLiteral("color: #8a4b00;"));
    } else {
        m_sizeNote->setText(
            tr("Fits in one UDP datagram (over %1 bytes it would go by TCP).").arg(m_mtu));
        m_sizeNote->setStyleSheet(QString());
    }
}

bool MetadataEditor::apply()
{
    QString problem;
    const auto current = draft(&problem);
    if (!current || !m_metadata)
        return false;
    ClusterMetadata *metadata = m_metadata.data();
    if (!metadata)
        return false;
    m_acked.clear();
    metadata->setLocalMetadata(*current);
    // Rewrite the rows from what was applied (sorted, normalised hex).
    reload();
    updateSpread();
    emit applied(*current);
    return true;
}

void MetadataEditor::revert()
{
    reload();
}

void MetadataEditor::setLocalClock(quint64 clock)
{
    m_localClock = clock;
    updateSpread();
}

void MetadataEditor::noteAcknowledged(const QString &member, quint64 clock)
{
    quint64 &known = m_acked[member];
    known = std::max(known, clock);
    updateSpread();
}

void MetadataEditor::setPeerCount(int count)
{
    m_peerCount = std::max(0, count);
    updateSpread();
}

QString MetadataEditor::spreadText() const
{
    return m_spreadLabel->text();
}

void MetadataEditor::updateSpread()
{
    int acked = 0;
    for (auto it = m_acked.cbegin(); it != m_acked.cend(); ++it) {
        if (m_localClock > 0 && it.value() >= m_localClock)
            ++acked;
    }
    const int total = std::max(m_peerCount, acked);
    m_spread->setRange(0, std::max(1, total));
    m_spread->setValue(acked);
    m_spread->setFormat(tr("%1 of %2 members").arg(acked).arg(total));
    if (m_localClock == 0)
        m_spreadLabel->setText(tr("The local clock is not known yet."));
    else if (total == 0)
        m_spreadLabel->setText(tr("Clock %1: no other member to tell yet.").arg(m_localClock));
    else if (acked >= total)
        m_spreadLabel->setText(
            tr("Clock %1: every available member has acknowledged it.").arg(m_localClock));
    else
        m_spreadLabel->setText(tr("Clock %1: acknowledged by %2 of %3 available members "
                                  "(each GossipAck counts).")
                                   .arg(m_localClock)
                                   .arg(acked)
                                   .arg(total));
}

} // namespace shoal::ui
