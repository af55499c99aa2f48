#include "ui/eventlogview.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace shoal::ui {

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

int EventFilterProxy::kindColumn() const
{
    const QAbstractItemModel *model = sourceModel();
    if (!model)
        return -1;
    for (int column = 0; column < model->columnCount(); ++column) {
        const QString header = model->headerData(column, Qt::Horizontal).toString();
        if (header.compare(QLatin1String("Kind"), Qt::CaseInsensitive) == 0
            || header.compare(QLatin1String("Event"), Qt::CaseInsensitive) == 0)
            return column;
    }
    return -1;
}

void EventFilterProxy::setKind(const QString &kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

void EventFilterProxy::setText(const QString &text)
{
    if (text.trimmed() == m_text)
        return;
    m_text = text.trimmed();
    invalidateFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!m_kind.isEmpty()) {
        const int column = kindColumn();
        if (column >= 0
            && model->index(sourceRow, column, sourceParent)
                    .data()
                    .toString()
                    .compare(m_kind, Qt::CaseInsensitive)
                != 0)
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < model->columnCount(sourceParent); ++column) {
        if (model->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

namespace {
QByteArray csvField(const QString &text)
{
    QString field = text;
    if (field.contains(QLatin1Char('"')) || field.contains(QLatin1Char(','))
        || field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r'))) {
        field.replace(QLatin1String("\""), QLatin1String("\"\""));
        field = QLatin1Char('"') + field + QLatin1Char('"');
    }
    return field.toUtf8();
}
} // namespace

QByteArray exportCsv(const QAbstractItemModel &model)
{
    QByteArray out;
    const int columns = model.columnCount();
    for (int column = 0; column < columns; ++column) {
        if (column > 0)
            out += ',';
        out += csvField(model.headerData(column, Qt::Horizontal).toString());
    }
    out += "\r\n";
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < columns; ++column) {
            if (column > 0)
                out += ',';
            out += csvField(model.index(row, column).data().toString());
        }
        out += "\r\n";
    }
    return out;
}

QByteArray exportJson(const QAbstractItemModel &model)
{
    QJsonArray rows;
    const int columns = model.columnCount();
    QStringList keys;
    for (int column = 0; column < columns; ++column)
        keys.append(model.headerData(column, Qt::Horizontal).toString().toLower());
    for (int row = 0; row < model.rowCount(); ++row) {
        QJsonObject object;
        for (int column = 0; column < columns; ++column)
            object.insert(keys.at(column), model.index(row, column).data().toString());
        rows.append(object);
    }
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

EventLogView::EventLogView(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new EventFilterProxy(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_kind(new QComboBox(this))
{
    m_filter->setPlaceholderText(tr("Filter events by text (member, key, reason)\u2026"));
    m_filter->setClearButtonEnabled(true);
    m_kind->addItem(tr("All kinds"), QString());
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *exportButton = new QPushButton(tr("&Export\u2026"), this);
    exportButton->setToolTip(tr("Save the events shown (after filtering) as CSV or JSON"));

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Kind:"), this));
    bar->addWidget(m_kind);
    bar->addWidget(m_filter, 1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EventFilterProxy::setText);
    connect(m_kind, &QComboBox::currentIndexChanged, this,
        [this] { m_proxy->setKind(m_kind->currentData().toString()); });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        QString selected;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export events"),
            QStringLiteral("shoal-events.csv"), tr("CSV (*.csv);;JSON (*.json)"), &selected);
        if (path.isEmpty())
            return;
        QString error;
        if (!exportTo(path, &error))
            QMessageBox::warning(this, tr("Export events"), error);
    });
    // Follow new events at the bottom unless the user scrolled up to read.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
        [this](int value) { m_follow = value >= m_view->verticalScrollBar()->maximum(); });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_view->scrollToBottom();
    });
}

void EventLogView::setModel(QAbstractItemModel *model, int sortRole)
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(sortRole);
    refreshKinds();
    if (model) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &EventLogView::refreshKinds,
            Qt::UniqueConnection);
        for (int column = 0; column + 1 < model->columnCount(); ++column)
            m_view->resizeColumnToContents(column);
    }
}

void EventLogView::refreshKinds()
{
    // The kinds seen so far, added as they first appear (a handful; bounded by the model).
    const QAbstractItemModel *model = m_proxy->sourceModel();
    const int column = m_proxy->kindColumn();
    if (!model || column < 0)
        return;
    const int rows = model->rowCount();
    // Only the newest rows can bring a new kind; scanning a bounded tail keeps this cheap.
    for (int row = std::max(0, rows - 200); row < rows; ++row) {
        const QString kind = model->index(row, column).data().toString();
        if (!kind.isEmpty() && m_kind->findData(kind) < 0 && m_kind->count() < 32)
            m_kind->addItem(kind, kind);
    }
}

bool EventLogView::exportTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const bool json = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    file.write(json ? exportJson(*m_proxy) : exportCsv(*m_proxy));
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace shoal::ui
