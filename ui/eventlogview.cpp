#include "ui/eventlogview.h"

#include "model/eventlogfilter.h"
#include "model/eventlogmodel.h"
#include "model/itemroles.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace shoal::ui {

// The detail column's delegate (the model masks hidden values itself, in every role).
class EventDetailDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
};

EventLogView::EventLogView(QWidget *parent)
    : QWidget(parent)
    , m_filter(new EventLogFilter(this))
    , m_view(new QTableView(this))
    , m_text(new QLineEdit(this))
    , m_detail(new EventDetailDelegate(this))
{
    m_text->setPlaceholderText(tr("Filter events by member, key or reason\u2026"));
    m_text->setClearButtonEnabled(true);
    auto *exportButton = new QPushButton(tr("E&xport\u2026"), this);
    exportButton->setToolTip(tr("Save the events shown (after filtering) as CSV or JSON"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 1);
    bar->addWidget(new QLabel(tr("Show:"), this));
    const EventKind kinds[] = { EventKind::Join, EventKind::Status, EventKind::MetadataChange,
        EventKind::Restart, EventKind::Rejected, EventKind::UserEvent, EventKind::Query };
    for (const EventKind kind : kinds) {
        auto *box = new QCheckBox(eventKindText(kind), this);
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this,
            [this, kind](bool on) { m_filter->setKindVisible(kind, on); });
        m_kinds[std::size_t(kind)] = box;
        bar->addWidget(box);
    }
    bar->addWidget(exportButton);

    m_view->setModel(m_filter);
    m_view->setItemDelegate(m_detail);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_text, &QLineEdit::textChanged, m_filter, &EventLogFilter::setText);
    connect(exportButton, &QPushButton::clicked, this, &EventLogView::exportInteractively);
    // Follow new events at the bottom unless the user scrolled up to read.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
        [this](int value) { m_follow = value >= m_view->verticalScrollBar()->maximum(); });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_view->scrollToBottom();
    });
}

void EventLogView::setModel(EventLogModel *model)
{
    m_filter->setSourceModel(model);
    if (model)
        model->setValueMask(m_mask);
    // Widths once the columns exist: a full host:port and a millisecond time, never elided.
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(EventLogModel::TimeColumn,
        metrics.horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000")) + 24);
    m_view->setColumnWidth(EventLogModel::KindColumn,
        metrics.horizontalAdvance(eventKindText(EventKind::MetadataChange)) + 24);
    m_view->setColumnWidth(EventLogModel::MemberColumn,
        metrics.horizontalAdvance(QStringLiteral("255.255.255.255:65535")) + 24);
}

bool EventLogView::selectEvent(
    const QString &member, qint64 timeMs, const QString &kind, qint64 toleranceMs)
{
    const auto *log = qobject_cast<const EventLogModel *>(m_filter->sourceModel());
    const std::optional<EventKind> wanted = eventKindFromName(kind);
    if (!log || !wanted)
        return false;
    int best = -1;
    qint64 bestDistance = toleranceMs + 1;
    for (int row = log->rowCount() - 1; row >= 0; --row) {
        const EventRecord &event = log->eventAt(row);
        const qint64 distance = event.time.toMSecsSinceEpoch() - timeMs;
        if (distance < -toleranceMs)
            break; // older rows only get further away
        if (event.kind != *wanted || event.member != member)
            continue;
        if (std::abs(distance) < bestDistance) {
            bestDistance = std::abs(distance);
            best = row;
        }
    }
    if (best < 0)
        return false;
    QModelIndex index = m_filter->mapFromSource(log->index(best, EventLogModel::TimeColumn));
    if (!index.isValid()) {
        // Hidden by the filter: show everything again so the event can be seen.
        m_text->clear();
        for (QCheckBox *box : m_kinds)
            box->setChecked(true);
        index = m_filter->mapFromSource(log->index(best, EventLogModel::TimeColumn));
    }
    if (!index.isValid())
        return false;
    m_follow = false;
    m_view->setCurrentIndex(index);
    m_view->selectRow(index.row());
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void EventLogView::exportInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events"),
        QStringLiteral("shoal-events.csv"), tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    ExportValues values = ExportValues::AsShown;
    if (m_mask.hideAll() || !m_mask.secretKeys().isEmpty()) {
        const auto answer = QMessageBox::question(this, tr("Export events"),
            tr("Some values are hidden (Hide values, or secret keys such as pymap's admin). "
               "Include them in the file in clear?"),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No);
        if (answer == QMessageBox::Cancel)
            return;
        values = answer == QMessageBox::Yes ? ExportValues::Include : ExportValues::AsShown;
    }
    QString error;
    if (!exportTo(path, &error, values)) {
        QMessageBox::warning(this, tr("Export events"), error);
        return;
    }
    QMessageBox::information(this, tr("Export events"),
        tr("%n event(s) written to %1%2.", nullptr, m_filter->rowCount())
            .arg(path,
                values == ExportValues::Include ? tr(", values included")
                                                : tr(", hidden values masked")));
}

void EventLogView::setValuesHidden(bool hidden)
{
    ValueMask mask = m_mask;
    mask.setHideAll(hidden);
    setValueMask(mask);
}

void EventLogView::setValueMask(const ValueMask &mask)
{
    m_mask = mask;
    if (auto *log = qobject_cast<EventLogModel *>(m_filter->sourceModel()))
        log->setValueMask(mask);
    m_view->viewport()->update();
}

bool EventLogView::exportTo(const QString &path, QString *error, ExportValues values) const
{
    QSaveFile file(path);
    const bool json = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    const bool ok = file.open(QIODevice::WriteOnly)
        && (json ? m_filter->exportJson(&file, values) : m_filter->exportCsv(&file, values))
        && file.commit();
    if (!ok && error)
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return ok;
}

} // namespace shoal::ui
