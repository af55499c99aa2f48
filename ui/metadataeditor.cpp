#include "ui/metadataeditor.h"
#include "ui/palettecolors.h"

#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/localmetadatamodel.h"
#include "model/spreadtracker.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace shoal::ui {

MetadataEditor::MetadataEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new LocalMetadataModel(this))
    , m_view(new QTableView(this))
    , m_message(new QLabel(this))
    , m_size(new QProgressBar(this))
    , m_sizeNote(new QLabel(this))
    , m_add(new QPushButton(tr("&Add key"), this))
    , m_remove(new QPushButton(tr("&Delete key"), this))
    , m_hex(new QCheckBox(tr("Edit value as he&x"), this))
    , m_apply(new QPushButton(tr("A&pply"), this))
    , m_revert(new QPushButton(tr("&Revert"), this))
    , m_spread(new QProgressBar(this))
    , m_spreadLabel(new QLabel(this))
    , m_ownTracker(new SpreadTracker(this))
{
    auto *intro = new QLabel(
        tr("The local member's metadata, gossiped to every member. Double-click a key to rename "
           "it or a value to edit it; edits are staged (marked *) until you <b>Apply</b>."),
        this);
    intro->setWordWrap(true);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter keys\u2026"));
    m_filter->setToolTip(tr("Show only the keys that contain this text (staged edits stay shown)"));
    m_filter->setClearButtonEnabled(true);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // Double-click or F2 only: typing on a selected row must not silently rename its key.
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(LocalMetadataModel::KeyColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(LocalMetadataModel::ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(LocalMetadataModel::SizeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LocalMetadataModel::SpreadColumn, QHeaderView::ResizeToContents);
    header->resizeSection(LocalMetadataModel::KeyColumn, 220);

    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;")
                                 .arg(readableColor(0, 190, { palette().color(QPalette::Window) },
                                     isDarkPalette(palette()))
                                          .name()));
    m_message->hide();
    m_size->setTextVisible(true);
    m_sizeNote->setWordWrap(true);
    m_spread->setTextVisible(true);
    m_spreadLabel->setWordWrap(true);
    m_apply->setDefault(true);
    m_hex->setToolTip(tr("Show and edit the selected value as hex bytes (binary values stay hex)"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_hex);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *sizeTitle = new QLabel(tr("Packet size:"), this);
    auto *spreadTitle = new QLabel(tr("Spread:"), this);
    m_spreadTitle = spreadTitle;
    // Both titles as wide as the wider one so the bars line up.
    const int titleWidth = std::max(sizeTitle->sizeHint().width(), spreadTitle->sizeHint().width());
    sizeTitle->setMinimumWidth(titleWidth);
    spreadTitle->setMinimumWidth(titleWidth);
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(sizeTitle);
    sizeRow->addWidget(m_size, 1);
    auto *spreadRow = new QHBoxLayout;
    spreadRow->addWidget(spreadTitle);
    spreadRow->addWidget(m_spread, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addLayout(sizeRow);
    layout->addWidget(m_sizeNote);
    layout->addLayout(spreadRow);
    layout->addWidget(m_spreadLabel);

    connect(m_add, &QPushButton::clicked, this, [this] {
        const int row = m_model->rowCount();
        if (!m_model->insertRows(row, 1))
            return;
        const QModelIndex key = m_model->index(row, LocalMetadataModel::KeyColumn);
        m_view->setCurrentIndex(key);
        m_view->edit(key);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_view->currentIndex().isValid())
            removeRow(m_view->currentIndex().row());
    });
    connect(m_hex, &QCheckBox::clicked, this, [this](bool on) {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            m_model->setData(
                current.siblingAtColumn(LocalMetadataModel::ValueColumn), on, HexModeRole);
        syncHexBox();
    });
    // Rows stay the model's (tests and scripts address them so): the filter hides rows.
    connect(m_filter, &QLineEdit::textChanged, this, &MetadataEditor::applyFilter);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MetadataEditor::applyFilter);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MetadataEditor::applyFilter);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MetadataEditor::applyFilter);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MetadataEditor::applyFilter);
    connect(m_apply, &QPushButton::clicked, this, &MetadataEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &MetadataEditor::revert);
    connect(m_model, &LocalMetadataModel::modifiedChanged, this, &MetadataEditor::updateButtons);
    connect(m_model, &LocalMetadataModel::encodedSizeChanged, this, &MetadataEditor::updateSize);
    connect(m_model, &LocalMetadataModel::editRefused, this, [this](const QString &reason) {
        m_message->setText(QStringLiteral("\u26A0 ") + reason);
        m_message->show();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        m_message->hide();
        syncHexBox();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &MetadataEditor::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateButtons();
        syncHexBox();
    });
    updateButtons();
    updateSize();
    setSpreadTracker(m_ownTracker);
}

MetadataEditor::~MetadataEditor() = default;

void MetadataEditor::setSpreadShown(bool shown)
{
    m_spreadTitle->setVisible(shown);
    m_spread->setVisible(shown);
    m_spreadLabel->setVisible(shown);
}

void MetadataEditor::setSpreadTracker(SpreadTracker *tracker)
{
    if (!tracker)
        tracker = m_ownTracker;
    disconnect(m_trackerConnection);
    m_tracker = tracker;
    m_model->setSpreadTracker(tracker);
    m_trackerConnection
        = connect(tracker, &SpreadTracker::changed, this, &MetadataEditor::updateSpread);
    updateSpread();
}

void MetadataEditor::setClusterMetadata(ClusterMetadata *metadata)
{
    m_model->setClusterMetadata(metadata);
    updateButtons();
    updateSize();
}

void MetadataEditor::setMtu(int bytes)
{
    m_model->setMtu(bytes);
    updateSize();
}

void MetadataEditor::setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator)
{
    m_model->setSizeEstimator(std::move(estimator));
    updateSize();
}

bool MetadataEditor::isModified() const
{
    return m_model->isModified();
}

Metadata MetadataEditor::staged() const
{
    return m_model->staged();
}

int MetadataEditor::addKey(const QString &key, const QByteArray &value)
{
    return m_model->addEntry(key, value);
}

bool MetadataEditor::setRowText(int row, const QString &text, bool hex)
{
    const QModelIndex value = m_model->index(row, LocalMetadataModel::ValueColumn);
    if (!value.isValid())
        return false;
    if (hex)
        m_model->setData(value, true, HexModeRole);
    if (!m_model->setData(value, text, Qt::EditRole))
        return false;
    if (!hex)
        m_model->setData(value, false, HexModeRole);
    return true;
}

bool MetadataEditor::renameRow(int row, const QString &key)
{
    return m_model->setData(m_model->index(row, LocalMetadataModel::KeyColumn), key, Qt::EditRole);
}

void MetadataEditor::removeRow(int row)
{
    m_model->removeRows(row, 1);
    updateButtons();
}

int MetadataEditor::rowOfKey(const QString &key) const
{
    return m_model->rowOf(key);
}

bool MetadataEditor::apply()
{
    // A cell still being edited holds the user's last keystrokes: commit them first.
    m_view->setCurrentIndex(m_view->currentIndex());
    if (!m_model->apply())
        return false;
    // Acknowledgements of the old clock no longer count; the backend reports the new one.
    if (m_tracker)
        m_tracker->forgetAcknowledgements();
    return true;
}

void MetadataEditor::revert()
{
    m_model->discardStaged();
    m_message->hide();
}

void MetadataEditor::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, LocalMetadataModel::KeyColumn);
        // Staged rows (a key just added, being renamed) stay shown: the user is working there.
        const bool staged = index.data(DirtyRole).toBool();
        const QString key = index.data(Qt::EditRole).toString();
        m_view->setRowHidden(
            row, !text.isEmpty() && !staged && !key.contains(text, Qt::CaseInsensitive));
    }
}

void MetadataEditor::updateButtons()
{
    const bool modified = m_model->isModified();
    m_apply->setEnabled(modified && m_model->clusterMetadata());
    m_revert->setEnabled(modified);
    m_remove->setEnabled(m_view->currentIndex().isValid());
    m_hex->setEnabled(m_view->currentIndex().isValid());
}

void MetadataEditor::syncHexBox()
{
    const QModelIndex current = m_view->currentIndex();
    m_hex->setChecked(current.isValid() && current.data(HexModeRole).toBool());
}

void MetadataEditor::updateSize()
{
    const qsizetype size = m_model->encodedSize();
    const int mtu = m_model->mtu();
    const int shown = int(std::min<qsizetype>(size, 1 << 30));
    m_size->setRange(0, std::max(mtu, shown));
    m_size->setValue(shown);
    m_size->setFormat(tr("about %1 of %2 bytes (MTU)").arg(size).arg(mtu));
    if (m_model->exceedsMtu()) {
        m_sizeNote->setText(tr("\u26A0 Over the MTU: gossip about this member goes by TCP instead "
                               "of UDP (every member accepts it, at one connection per packet)."));
        m_sizeNote->setStyleSheet(
            QStringLiteral("color: %1; font-weight: bold;")
                .arg(readableColor(
                    35, 255, { palette().color(QPalette::Window) }, isDarkPalette(palette()))
                         .name()));
    } else {
        m_sizeNote->setText(
            tr("Fits in one UDP datagram (over %1 bytes it would go by TCP).").arg(mtu));
        m_sizeNote->setStyleSheet(QString());
    }
}

QString MetadataEditor::spreadText() const
{
    return m_spreadLabel->text();
}

void MetadataEditor::updateSpread()
{
    // Through a plain pointer: GCC -O2 warns on QPointer's operator-> after a null check.
    const SpreadTracker *tracker = m_tracker.data();
    if (!tracker)
        return;
    const int acked = tracker->acknowledged();
    const int total = tracker->total();
    const quint64 clock = tracker->localClock();
    m_spread->setRange(0, std::max(1, total));
    m_spread->setValue(acked);
    m_spread->setFormat(tr("%1 of %2 members").arg(acked).arg(total));
    if (clock == 0)
        m_spreadLabel->setText(tr("The local clock is not known yet."));
    else if (total == 0)
        m_spreadLabel->setText(tr("Clock %1: no other member to tell yet.").arg(clock));
    else if (acked >= total)
        m_spreadLabel->setText(tr("Clock %1: every available member has it.").arg(clock));
    else
        m_spreadLabel->setText(tr("Clock %1: %2 of %3 available members have it so far.")
                                   .arg(clock)
                                   .arg(acked)
                                   .arg(total));
}

} // namespace shoal::ui
