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

// Metadata events read "key = value"; while values are hidden only the key shows.
class EventDetailDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    bool hidden = false;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!hidden || index.column() != EventLogModel::DetailColumn)
            return;
        const QModelIndex kind = index.siblingAtColumn(EventLogModel::KindColumn);
        if (kind.data().toString() != eventKindName(EventKind::MetadataChange))
            return;
        const qsizetype equals = option->text.indexOf(QLatin1String(" = "));
        if (equals >= 0)
            option->text = option->text.left(equals)
                + QStringLiteral(" = \u2022\u2022\u2022\u2022\u2022\u2022 (hidden)");
    }
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
        EventKind::Restart, EventKind::Rejected };
    for (const EventKind kind : kinds) {
        auto *box = new QCheckBox(eventKindName(kind), this);
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
    // Widths once the columns exist: a full host:port and a millisecond time, never elided.
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(
        EventLogModel::TimeColumn, metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + 24);
    m_view->setColumnWidth(
        EventLogModel::KindColumn, metrics.horizontalAdvance(QStringLiteral("metadata")) + 24);
    m_view->setColumnWidth(EventLogModel::MemberColumn,
        metrics.horizontalAdvance(QStringLiteral("255.255.255.255:65535")) + 24);
}

void EventLogView::exportInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events"),
        QStringLiteral("shoal-events.csv"), tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export events"), error);
}

void EventLogView::setValuesHidden(bool hidden)
{
    m_detail->hidden = hidden;
    m_view->viewport()->update();
}

bool EventLogView::exportTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    const bool json = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    const bool ok = file.open(QIODevice::WriteOnly)
        && (json ? m_filter->exportJson(&file) : m_filter->exportCsv(&file)) && file.commit();
    if (!ok && error)
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return ok;
}

} // namespace shoal::ui
