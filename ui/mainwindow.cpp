#include "ui/mainwindow.h"

#include "model/clustermetadata.h"
#include "model/eventlogmodel.h"
#include "model/itemroles.h"
#include "model/localmetadatamodel.h"
#include "model/memberdetailsmodel.h"
#include "model/memberfilter.h"
#include "model/membertablemodel.h"
#include "model/naturalcompare.h"
#include "model/valuesmodel.h"
#include "model/valuetext.h"
#include "ui/eventlogview.h"
#include "ui/eventlooplag.h"
#include "ui/memberfilterproxy.h"
#include "ui/metadataeditor.h"
#include "ui/palettecolors.h"
#include "ui/statuschart.h"
#include "ui/statuscolors.h"
#include "ui/timelineview.h"
#include "ui/valuecelldelegate.h"
#include "ui/valuesproxy.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaMethod>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace shoal::ui {

namespace {

// The colours behind the models' tones: light fills under dark text, so they stay legible;
// each tone also has words or a symbol in the cell (the models see to that).
QVariant toneColorFor(Tone tone, int role)
{
    // From the application's palette at the time of asking: light and dark themes alike.
    const QPalette palette = QGuiApplication::palette();
    const QColor color = role == Qt::BackgroundRole ? toneBackground(tone, palette)
        : role == Qt::ForegroundRole                ? toneForeground(tone, palette)
                                                    : QColor();
    return color.isValid() ? QVariant(color) : QVariant();
}

// The whole value of a cell: the raw bytes when the model gives them (never cut with "…"), as
// text or hex; else what the cell shows (a masked value stays masked).
QString wholeText(const QModelIndex &index)
{
    const QVariant raw = index.data(RawValueRole);
    if (raw.isValid()) {
        const QByteArray bytes = raw.toByteArray();
        return isTextValue(bytes) ? QString::fromUtf8(bytes)
                                  : QStringLiteral("0x") + QString::fromLatin1(bytes.toHex());
    }
    return index.data(Qt::DisplayRole).toString();
}

// Right-click on a table: copy the value (whole), the row (tab-separated), the row as JSON,
// and filter the members by this value when filterWord gives a filter word for the cell.
void showCopyMenu(QTableView *view, const QPoint &position,
    const std::function<QString(const QModelIndex &)> &filterWord,
    const std::function<void(const QString &)> &applyFilter, QMenu *extra = nullptr)
{
    const QModelIndex index = view->indexAt(position);
    if (!index.isValid())
        return;
    const QAbstractItemModel *model = view->model();
    QMenu menu(view);
    menu.addAction(QObject::tr("Copy &value"), view,
        [index] { QGuiApplication::clipboard()->setText(wholeText(index)); });
    menu.addAction(QObject::tr("Copy &row"), view, [index, model] {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells << wholeText(index.siblingAtColumn(column));
        QGuiApplication::clipboard()->setText(cells.join(QLatin1Char('\t')));
    });
    menu.addAction(QObject::tr("Copy row as &JSON"), view, [index, model] {
        QJsonObject object;
        for (int column = 0; column < model->columnCount(); ++column)
            object.insert(model->headerData(column, Qt::Horizontal).toString(),
                wholeText(index.siblingAtColumn(column)));
        QGuiApplication::clipboard()->setText(
            QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    });
    const QString word = filterWord ? filterWord(index) : QString();
    if (!word.isEmpty()) {
        menu.addSeparator();
        menu.addAction(QObject::tr("&Filter members by %1").arg(word), view,
            [applyFilter, word] { applyFilter(word); });
    }
    if (extra) {
        menu.addSeparator();
        menu.addActions(extra->actions());
    }
    menu.exec(view->viewport()->mapToGlobal(position));
}

// Ctrl+C on a table copies the current cell's whole value (QAbstractItemView copies the
// display text, which long values cut with "…").
class WholeValueCopy final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
            return false;
        auto *key = static_cast<QKeyEvent *>(event);
        auto *view = qobject_cast<QAbstractItemView *>(watched);
        if (!view || !key->matches(QKeySequence::Copy) || !view->currentIndex().isValid())
            return false;
        if (event->type() == QEvent::ShortcutOverride) {
            event->accept(); // ours, not a menu shortcut's
            return true;
        }
        QGuiApplication::clipboard()->setText(wholeText(view->currentIndex()));
        return true;
    }
};

QTableView *makeTable(QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    // Rows as tall as the font needs, no more: 1,000 members should not mean endless scrolling.
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSectionsMovable(true);
    view->installEventFilter(new WholeValueCopy(view));
    return view;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_lag(new EventLoopLag(50, 2000, this))
{
    setToneColors(&toneColorFor);

    m_rejectBanner = new QLabel(this);
    m_rejectBanner->setWordWrap(true);
    m_rejectBanner->setTextFormat(Qt::RichText);
    m_rejectBanner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border: 2px solid %2;"
                       " border-radius: 4px; padding: 6px; }")
            .arg(toneBackground(Tone::Bad, palette()).name(),
                toneForeground(Tone::Bad, palette()).name()));
    m_rejectBanner->hide();
    connect(m_rejectBanner, &QLabel::linkActivated, this, &MainWindow::sessionLink);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildMembersTab(), tr("&Members"));
    m_tabs->addTab(buildValuesTab(), tr("Values by &key"));
    m_editor = new MetadataEditor(this);
    // The local metadata too: copy a whole value or row, filter the members by key=value.
    m_editor->view()->installEventFilter(new WholeValueCopy(m_editor->view()));
    m_editor->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_editor->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        showCopyMenu(
            m_editor->view(), at,
            [](const QModelIndex &index) -> QString {
                const QModelIndex value = index.siblingAtColumn(LocalMetadataModel::ValueColumn);
                const QVariant raw = value.data(RawValueRole);
                const QString key = value.data(KeyRole).toString();
                if (key.isEmpty() || !raw.isValid() || !isTextValue(raw.toByteArray()))
                    return {};
                return MemberFilterExpression::tagWord(key, QString::fromUtf8(raw.toByteArray()));
            },
            [this](const QString &word) { filterMembersBy(word); });
    });
    m_tabs->addTab(m_editor, tr("&Local metadata"));
    m_eventLog = new EventLogView(this);
    // Right-click on an event: copy it (cell, row, JSON) or filter the members by its member.
    m_eventLog->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        m_eventLog->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
            showCopyMenu(
                m_eventLog->view(), at,
                [](const QModelIndex &index) -> QString {
                    // A name is one free-text word (host:port); anything else is not offered.
                    const QString name
                        = index.siblingAtColumn(EventLogModel::MemberColumn).data().toString();
                    const bool word = !name.isEmpty() && !name.contains(QLatin1Char('='))
                        && !name.contains(QLatin1Char('"')) && name.simplified() == name
                        && !name.contains(QLatin1Char(' '));
                    return word ? name : QString();
                },
                [this](const QString &word) { filterMembersBy(word); });
        });
    m_tabs->addTab(m_eventLog, tr("&Event log"));
    m_timeline = new TimelineView(this);
    m_tabs->addTab(m_timeline, tr("&Timeline"));
    // A click on an event of the timeline shows it in the log.
    connect(m_timeline, &TimelineView::eventActivated, this,
        [this](const QString &member, qint64 timeMs, const QString &kind) {
            if (m_eventLog->selectEvent(member, timeMs, kind))
                m_tabs->setCurrentWidget(m_eventLog);
            else
                statusBar()->showMessage(tr("That event is older than the event log keeps."), 4000);
        });

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_rejectBanner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    buildStatusBar();
    buildMenus();
    setSessionState(SessionState::NotJoined);
    setLocalName(QString());
    // Small enough for a 1280x720 screen at scale 2 (640x360 logical) with room for the panel.
    setMinimumSize(560, 320);
    fitToScreen();

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MainWindow::tick);
    m_tick.start();
    m_tickClock.start();
    m_lag->start();
    updateCounts();
    applyHideValues();
    m_alertClock.start();
    setNotificationsEnabled(
        QSettings().value(QStringLiteral("window/notifications"), true).toBool());
}

MainWindow::~MainWindow()
{
    setToneColors(nullptr);
}

QWidget *MainWindow::buildMembersTab()
{
    auto *page = new QWidget(this);
    m_membersFilter = new QLineEdit(page);
    m_membersFilter->setPlaceholderText(
        tr("Filter (Ctrl+F): name, role=imap, status:suspect\u2026"));
    m_membersFilter->setToolTip(
        tr("<p>Words separated by blanks; every word must match.</p>"
           "<ul><li><b>imap</b>: the name contains it</li>"
           "<li><b>role=imap</b>: metadata key <i>role</i> is <i>imap</i> (<b>role=</b>: has the "
           "key)</li>"
           "<li><b>status:suspect</b>: the status (several: any of them)</li></ul>"
           "<p>Quote blanks: role=\"mail server\".</p>"));
    m_membersFilter->setClearButtonEnabled(true);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_membersFilter, 1);
    filterRow->addWidget(new QLabel(tr("Show:"), page));
    for (const MemberStatus status : kAllMemberStatuses) {
        auto *button = new QToolButton(page);
        button->setCheckable(true);
        button->setChecked(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setToolTip(tr("Show or hide %1 members").arg(memberStatusText(status)));
        button->setVisible(statusAlwaysShown(status));
        const QColor color = statusColor(status, palette());
        // Checked reads as a pressed, coloured button; unchecked as plain text, struck out; the
        // keyboard focus as a thick highlight-coloured frame. Colours from the palette.
        button->setStyleSheet(
            QStringLiteral("QToolButton { padding: 3px 8px; border: 1px solid palette(mid);"
                           " border-radius: 3px; color: palette(text);"
                           " text-decoration: line-through; }"
                           " QToolButton:checked { color: %1; font-weight: bold;"
                           " background: palette(base); border: 1px solid %1;"
                           " text-decoration: none; }"
                           " QToolButton:focus { border: 2px solid palette(highlight); }")
                .arg(color.name()));
        connect(button, &QToolButton::toggled, this,
            [this, status](bool on) { m_membersProxy->setStatusVisible(status, on); });
        m_statusToggles.at(std::size_t(status)) = button;
        filterRow->addWidget(button);
    }

    m_membersProxy = new MemberFilterProxy(this);
    m_membersProxy->setSortRole(SortRole);
    m_membersView = makeTable(page);
    m_membersView->setModel(m_membersProxy);
    m_membersView->sortByColumn(0, Qt::AscendingOrder);
    connect(m_membersFilter, &QLineEdit::textChanged, m_membersProxy, &MemberFilterProxy::setText);
    m_membersView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_membersView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        showCopyMenu(
            m_membersView, at,
            [](const QModelIndex &index) -> QString {
                if (index.column() == MemberTableModel::NameColumn)
                    return index.data(KeyRole).toString();
                if (index.column() == MemberTableModel::StatusColumn) {
                    const int status = index.data(StatusRole).toInt();
                    if (status >= 0 && status < kMemberStatusCount)
                        return QStringLiteral("status:")
                            + memberStatusName(MemberStatus(status)).toLower();
                }
                return {};
            },
            [this](const QString &word) { filterMembersBy(word); });
    });
    connect(m_membersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::showSelectedMember);

    auto *left = new QWidget(page);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(filterRow);
    leftLayout->addWidget(m_membersView, 1);

    // The side panel: the chart, then the selected member's details and metadata.
    auto *chartBox = new QGroupBox(tr("Members by status"), page);
    m_chart = new StatusChart(chartBox);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->addWidget(m_chart);

    auto *detailsBox = new QGroupBox(tr("Selected member"), page);
    m_detailsTitle = new QLabel(tr("Select a member to see its metadata."), detailsBox);
    m_detailsTitle->setWordWrap(true);
    m_detailsTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsInfo = new QLabel(detailsBox);
    m_detailsInfo->setWordWrap(true);
    m_detailsInfo->setTextFormat(Qt::PlainText); // holds cluster data
    m_detailsInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new MemberDetailsModel(this);
    m_detailsView = new QTableView(detailsBox);
    m_detailsView->setModel(m_details);
    m_detailsView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_detailsView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        showCopyMenu(
            m_detailsView, at,
            [](const QModelIndex &index) -> QString {
                const QModelIndex value = index.siblingAtColumn(MemberDetailsModel::ValueColumn);
                const QVariant raw = value.data(RawValueRole);
                const QString key
                    = index.siblingAtColumn(MemberDetailsModel::KeyColumn).data().toString();
                if (key.isEmpty() || !raw.isValid() || !isTextValue(raw.toByteArray()))
                    return {};
                return MemberFilterExpression::tagWord(key, QString::fromUtf8(raw.toByteArray()));
            },
            [this](const QString &word) { filterMembersBy(word); });
    });
    m_detailsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_detailsView->horizontalHeader()->setStretchLastSection(true);
    m_detailsView->verticalHeader()->hide();
    m_detailsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_detailsView->setWordWrap(true);
    connect(m_details, &MemberDetailsModel::summaryChanged, this, &MainWindow::showDetailsInfo);
    auto *detailsLayout = new QVBoxLayout(detailsBox);
    detailsLayout->addWidget(m_detailsTitle);
    detailsLayout->addWidget(m_detailsInfo);
    detailsLayout->addWidget(m_detailsView, 1);

    auto *right = new QWidget(page);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(chartBox);
    rightLayout->addWidget(detailsBox, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, page);
    splitter->setObjectName(QStringLiteral("membersSplitter"));
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 950, 330 });
    // The side pane folds away (drag the handle to the edge) on a small screen; the table stays.
    splitter->setCollapsible(0, false);
    splitter->setCollapsible(1, true);
    m_membersSplitter = splitter;

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(splitter);
    return page;
}

QWidget *MainWindow::buildValuesTab()
{
    auto *page = new QWidget(this);
    m_valuesFilter = new QLineEdit(page);
    m_valuesFilter->setPlaceholderText(tr("Filter keys\u2026"));
    m_valuesFilter->setClearButtonEnabled(true);
    m_hideValues = new QCheckBox(tr("Hi&de values"), page);
    m_hideValues->setToolTip(tr("Show dots instead of values, e.g. before sharing the screen: "
                                "pymap's \u201c"
                                "admin\u201d key holds a secret."));
    auto *legend = new QLabel(
        tr("Rows: keys; columns: members. <b>Distinct</b> counts the different values of a key "
           "(1 = the cluster agrees). A cell marked \u2260 on amber differs from the majority."),
        page);
    legend->setWordWrap(true);

    m_valuesMembersFilter = new QLineEdit(page);
    m_valuesMembersFilter->setPlaceholderText(
        tr("Filter members: name, role=imap, status:suspect\u2026"));
    m_valuesMembersFilter->setToolTip(tr("The member columns to show, with the members tab's "
                                         "filter words; members stay in name order"));
    m_valuesMembersFilter->setClearButtonEnabled(true);
    m_valuesProxy = new ValuesProxy(this);
    m_valuesProxy->setSortRole(SortRole);
    m_valuesView = makeTable(page);
    m_valuesView->setModel(m_valuesProxy);
    m_valuesView->sortByColumn(0, Qt::AscendingOrder);
    m_valuesView->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_valueMask = new ValueCellDelegate(this);
    m_valuesView->setItemDelegate(m_valueMask);
    connect(m_valuesFilter, &QLineEdit::textChanged, m_valuesProxy, &ValuesProxy::setKeyText);
    connect(
        m_valuesMembersFilter, &QLineEdit::textChanged, m_valuesProxy, &ValuesProxy::setMemberText);
    // Member columns in natural name order (10.0.0.9 before 10.0.0.10), whatever order they
    // arrived or a filter brought them back in; rearranged once per event-loop turn.
    const auto arrange = [this] {
        if (m_arrangeQueued)
            return;
        m_arrangeQueued = true;
        QMetaObject::invokeMethod(this, &MainWindow::arrangeMemberColumns, Qt::QueuedConnection);
    };
    connect(m_valuesProxy, &QAbstractItemModel::columnsInserted, this, arrange);
    connect(m_valuesProxy, &QAbstractItemModel::columnsRemoved, this, arrange);
    connect(m_valuesProxy, &QAbstractItemModel::modelReset, this, arrange);
    connect(m_valuesProxy, &QAbstractItemModel::layoutChanged, this, arrange);
    connect(m_hideValues, &QCheckBox::toggled, this, &MainWindow::applyHideValues);
    m_valuesView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_valuesView, &QWidget::customContextMenuRequested, this, &MainWindow::showValuesMenu);
    m_perNodeAction = new QAction(tr("Values differ per member (expected)"), this);
    m_perNodeAction->setCheckable(true);
    m_perNodeAction->setToolTip(tr("A per-member key, such as pymap's admin secret: its "
                                   "different values are not marked as disagreeing"));
    connect(m_perNodeAction, &QAction::triggered, this,
        [this](bool checked) { setKeyPerNode(m_perNodeAction->data().toString(), checked); });
    m_revealAction = new QAction(tr("Show this secret key's values"), this);
    m_revealAction->setCheckable(true);
    m_revealAction->setToolTip(tr("pymap's admin key holds a secret: hidden everywhere unless "
                                  "shown (remembered)"));
    connect(m_revealAction, &QAction::triggered, this,
        [this](bool checked) { setKeyRevealed(m_revealAction->data().toString(), checked); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_valuesFilter, 1);
    bar->addWidget(m_valuesMembersFilter, 1);
    bar->addWidget(m_hideValues);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(legend);
    layout->addWidget(m_valuesView, 1);
    return page;
}

void MainWindow::buildStatusBar()
{
    m_countsLabel = new QLabel(this);
    m_trafficLabel = new QLabel(this);
    m_rejectLabel = new QLabel(this);
    m_lagLabel = new QLabel(this);
    m_trafficLabel->setToolTip(tr("Datagrams (and TCP packets) received and sent per second"));
    m_rejectLabel->setTextFormat(Qt::RichText);
    statusBar()->addWidget(m_countsLabel);
    statusBar()->addWidget(m_trafficLabel);
    statusBar()->addWidget(m_rejectLabel, 1);
    m_waitingLabel = new QLabel(this);
    m_waitingLabel->hide();
    statusBar()->addWidget(m_waitingLabel);
    m_noteLabel = new QLabel(this);
    m_noteLabel->hide();
    statusBar()->addPermanentWidget(m_noteLabel);
    statusBar()->addPermanentWidget(m_lagLabel);
    m_lagLabel->setText(tr("UI lag \u2013"));
    m_lagLabel->setContentsMargins(12, 0, 4, 0);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_joinAction = file->addAction(
        tr("&Join\u2026"), QKeySequence(tr("Ctrl+J")), this, &MainWindow::joinRequested);
    m_joinAction->setStatusTip(tr("Leave this cluster and join another, or this one with other "
                                  "settings (the secret, the address)"));
    m_reconnectAction = file->addAction(
        tr("&Reconnect"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::reconnectRequested);
    m_reconnectAction->setStatusTip(
        tr("Leave and join again with the same settings (a secret file is read again)"));
    m_leaveAction = file->addAction(tr("&Leave"), this, [this] {
        if (confirmLeave())
            emit leaveRequested();
    });
    m_leaveAction->setStatusTip(tr("Leave the cluster; the members stay shown as they were"));
    file->addSeparator();
    file->addAction(tr("&Export events\u2026"), QKeySequence(tr("Ctrl+E")), m_eventLog,
        &EventLogView::exportInteractively);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Filter members"), QKeySequence::Find, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_membersFilter->setFocus(Qt::ShortcutFocusReason);
        m_membersFilter->selectAll();
    });
    // One switch for every place a value shows: values table, member details, event log.
    QAction *hide = view->addAction(tr("&Hide values"));
    hide->setCheckable(true);
    hide->setShortcut(QKeySequence(tr("Ctrl+H")));
    connect(hide, &QAction::toggled, m_hideValues, &QCheckBox::setChecked);
    connect(m_hideValues, &QCheckBox::toggled, hide, &QAction::setChecked);
    QAction *reveal = view->addAction(tr("Show the &admin key's values"));
    reveal->setCheckable(true);
    reveal->setToolTip(tr("pymap's admin key holds each member's secret: hidden unless shown"));
    connect(reveal, &QAction::triggered, this, [this](bool on) {
        for (const QString &key : ValueMask::defaultSecretKeys())
            setKeyRevealed(key, on);
    });
    connect(view, &QMenu::aboutToShow, this, [this, reveal] {
        reveal->setChecked(m_mask.revealed().contains(QStringLiteral("admin")));
    });
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *go = view->addAction(m_tabs->tabText(i));
        go->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
        connect(go, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
    }

    view->addSeparator();
    m_notifyAction = view->addAction(tr("Desktop &notifications"));
    m_notifyAction->setCheckable(true);
    m_notifyAction->setChecked(m_notify);
    m_notifyAction->setToolTip(tr("Notify when members turn SUSPECT or OFFLINE, and when they "
                                  "recover, while the window is not in front"));
    connect(m_notifyAction, &QAction::triggered, this, [this](bool on) {
        setNotificationsEnabled(on);
        QSettings().setValue(QStringLiteral("window/notifications"), on);
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Shoal"), this, [this] {
        QMessageBox::about(this, tr("About Shoal"),
            tr("<b>Shoal %1</b><p>A live monitor for swim-protocol (pymap) clusters.</p>"
               "<p>Colours always come with words or symbols: \u25CF ONLINE, \u25B2 SUSPECT, "
               "\u25CB OFFLINE; \u2260 marks a value that differs from the majority.</p>"
               "<p>swim-protocol never forgets a member: after Shoal leaves, the cluster keeps "
               "it as OFFLINE, and pymap reports itself unhealthy until its nodes restart.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
}

QToolButton *MainWindow::statusToggle(MemberStatus status) const
{
    return m_statusToggles[std::size_t(status)];
}

void MainWindow::setLocalName(const QString &name)
{
    m_localName = name;
    setWindowTitle(name.isEmpty() ? QStringLiteral("Shoal") : QStringLiteral("Shoal ") + name);
}

void MainWindow::setSources(const Sources &sources)
{
    m_sources = sources;
    m_membersProxy->setSourceModel(sources.members);
    m_valuesProxy->setMembers(sources.members);
    m_valuesProxy->setSourceModel(sources.values);
    {
        const QSettings settings;
        const QStringList revealed
            = settings.value(QStringLiteral("values/revealedKeys")).toStringList();
        m_mask.setRevealed(QSet<QString>(revealed.cbegin(), revealed.cend()));
    }
    if (auto *values = qobject_cast<ValuesModel *>(sources.values)) {
        const QSettings settings;
        if (settings.contains(QStringLiteral("values/perNodeKeys"))) {
            const QStringList keys
                = settings.value(QStringLiteral("values/perNodeKeys")).toStringList();
            values->setPerNodeKeys(QSet<QString>(keys.cbegin(), keys.cend()));
        }
    }
    m_editor->setClusterMetadata(sources.metadata);
    m_editor->setSpreadTracker(sources.spread);
    m_eventLog->setModel(sources.events);
    if (sources.events)
        connect(sources.events, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { noteStatusEvents(first, last); });
    m_details->setSources(sources.members, sources.metadata);
    applyHideValues();
    if (sources.members) {
        QHeaderView *header = m_membersView->horizontalHeader();
        header->setSectionResizeMode(QHeaderView::Interactive);
        // Each column as wide as its longest usual content, so nothing is elided at 1280 px.
        const QFontMetrics metrics = m_membersView->fontMetrics();
        // Samples in the window's language: the model's own texts for long usual values.
        const auto sample = [](int column) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            switch (column) {
            case MemberTableModel::NameColumn:
                return MemberTableModel::tr("%1 (local)")
                    .arg(QStringLiteral("255.255.255.255:65535"));
            case MemberTableModel::StatusColumn:
                return memberStatusText(MemberStatus::Unknown);
            case MemberTableModel::ProbeColumn:
                return MemberTableModel::tr("no answer %1").arg(QStringLiteral("00:00:00"));
            case MemberTableModel::ClockColumn:
                return QStringLiteral("0000000");
            case MemberTableModel::SinceColumn:
            case MemberTableModel::LastHeardColumn:
                return relativeTime(now.addSecs(-59 * 60), now);
            case MemberTableModel::RttColumn:
                return QStringLiteral("999.9 ms");
            default:
                return QString();
            }
        };
        for (int column = 0; column < sources.members->columnCount(); ++column) {
            const QString title = sources.members->headerData(column, Qt::Horizontal).toString();
            const int width = std::max(metrics.horizontalAdvance(title) + 30,
                metrics.horizontalAdvance(sample(column)) + 16);
            header->resizeSection(column, width);
        }
        header->setStretchLastSection(true);
        // The counts come with the table's flush: once per batch, however large.
        connect(sources.members, &MemberTableModel::countsChanged, this, [this] {
            if (!m_sinceJoin.isValid() && m_sources.members->rowCount() > 0)
                m_sinceJoin.start();
            updateCounts();
        });
        updateCounts();
    }
    if (sources.values) {
        m_valuesView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        // A member column as wide as a host:port header or a 16-digit token: five fit at 1280 px.
        const QFontMetrics metrics = m_valuesView->fontMetrics();
        m_valuesView->horizontalHeader()->setDefaultSectionSize(
            std::max(metrics.horizontalAdvance(QStringLiteral("127.0.0.1:65535")),
                metrics.horizontalAdvance(QStringLiteral("8888888888888888")))
            + 28);
        m_valuesView->horizontalHeader()->resizeSection(
            ValuesModel::KeyColumn, metrics.horizontalAdvance(QStringLiteral("a-longer-key")) + 28);
        m_valuesView->horizontalHeader()->setStretchLastSection(false);
    }
}

void MainWindow::setTrafficSource(TrafficSource source)
{
    m_traffic = std::move(source);
    if (m_traffic)
        m_lastTraffic = m_traffic();
}

void MainWindow::setNote(const QString &text)
{
    m_noteLabel->setText(text);
    m_noteLabel->setVisible(!text.isEmpty());
}

void MainWindow::setMtu(int bytes)
{
    m_editor->setMtu(bytes);
}

StatusCounts MainWindow::statusCounts() const
{
    return m_sources.members ? m_sources.members->counts() : StatusCounts {};
}

void MainWindow::updateCounts()
{
    const auto counts = statusCounts();
    QStringList parts;
    for (const MemberStatus status : kAllMemberStatuses) {
        const int count = counts.count(status);
        QToolButton *toggle = m_statusToggles.at(std::size_t(status));
        // A status leaves the bar once empty, unless its toggle hides rows: it must stay to
        // show them again.
        const bool shown = statusAlwaysShown(status) || count > 0 || !toggle->isChecked();
        toggle->setVisible(shown);
        toggle->setText(QStringLiteral("%1 %2 %3")
                            .arg(statusSymbol(status), memberStatusText(status))
                            .arg(count));
        if (!shown)
            continue;
        parts.append(QStringLiteral("<span style=\"color:%1\">%2 %3 %4</span>")
                         .arg(statusColor(status).name(), statusSymbol(status))
                         .arg(count)
                         .arg(memberStatusText(status).toLower()));
    }
    m_countsLabel->setText(parts.join(QStringLiteral(" &nbsp; ")));
    m_chart->setCurrent(counts);
    updateWaitingHint();
}

void MainWindow::updateWaitingHint()
{
    const int waiting = m_sources.members ? m_sources.members->awaitingMetadataCount() : 0;
    m_waitingLabel->setVisible(waiting > 0);
    if (waiting == 0)
        return;
    QString text
        = tr("\u23F3 Waiting for gossip: metadata of %n member(s) not received yet", "", waiting);
    QString tip = tr("Members pass metadata on only in their gossip rounds; until one reaches "
                     "Shoal, their Keys read \"?\".");
    if (m_gossipIntervalMs > 0) {
        const qint64 seconds = std::max<qint64>(1, m_gossipIntervalMs / 1000);
        text += tr(" (members gossip every %1 s").arg(seconds);
        if (m_sinceJoin.isValid())
            text += tr("; joined %1 s ago").arg(m_sinceJoin.elapsed() / 1000);
        text += QLatin1Char(')');
        tip += tr(" Each member gossips to one random member every %1 s, so the first round to "
                  "reach Shoal usually comes within one or two intervals.")
                   .arg(seconds);
    }
    m_waitingLabel->setText(text);
    m_waitingLabel->setToolTip(tip);
}

void MainWindow::noteRejected(const QString &from, const QString &reason, quint64 count)
{
    m_rejectedTotal += count;
    m_silenceShown = false;
    m_lastRejectFrom = from;
    m_lastRejectReason = reason;
    m_sinceReject.start();
    const QString hint = rejectHint(reason);
    m_rejectBanner->setText(
        tr("<b>\u26A0 %1 datagrams rejected</b> \u2014 the last from %2: <b>%3</b>. %4")
            .arg(m_rejectedTotal)
            .arg(from.toHtmlEscaped(), reason.toHtmlEscaped(), hint.toHtmlEscaped())
        + sessionLinks());
    m_rejectBanner->show();
    m_rejectLabel->setText(
        tr("<span style=\"color:%3; font-weight:bold\">\u26A0 %1 rejected (%2)</span>")
            .arg(m_rejectedTotal)
            .arg(reason.toHtmlEscaped(),
                readableColor(
                    0, 190, { palette().color(QPalette::Window) }, isDarkPalette(palette()))
                    .name()));
    m_rejectLabel->setToolTip(
        tooltipText(tr("Last rejected datagram: from %1, %2.\n%3").arg(from, reason, hint)));
}

void MainWindow::checkSilence()
{
    const int remote = m_sources.members ? m_sources.members->remoteCount() : 0;
    const int available = m_sources.members ? m_sources.members->answeringPeerCount() : 0;
    const bool silent = remote > 0 && available == 0 && m_sinceJoin.isValid()
        && m_sinceJoin.elapsed() >= m_silenceWarningMs;
    if (silent && m_rejectedTotal == 0) {
        m_silenceShown = true;
        m_rejectBanner->setText(
            tr("<b>\u26A0 No member has answered in %1 s</b> (%2 known). Check the secret and "
               "the protocol version: a member with another secret drops our packets without "
               "a trace. Else the peers are not running or not reachable at these addresses.")
                .arg(m_sinceJoin.elapsed() / 1000)
                .arg(remote)
            + sessionLinks());
        m_rejectBanner->show();
    } else if (m_silenceShown && !silent) {
        m_silenceShown = false;
        if (m_rejectedTotal == 0)
            m_rejectBanner->hide();
    }
}

QString MainWindow::rejectHint(const QString &reason)
{
    if (reason.contains(QLatin1String("signature"), Qt::CaseInsensitive)
        || reason.contains(QLatin1String("hmac"), Qt::CaseInsensitive)
        || reason.contains(QLatin1String("digest"), Qt::CaseInsensitive))
        return tr("That member uses a different secret (or protocol version): check --secret.");
    if (reason.contains(QLatin1String("size"), Qt::CaseInsensitive)
        || reason.contains(QLatin1String("large"), Qt::CaseInsensitive))
        return tr("A datagram exceeded Shoal's size limits.");
    return tr("Something on the network sends datagrams Shoal cannot read.");
}

void MainWindow::tick()
{
    if (m_notify && m_alerts.hasHeld()) {
        if (const auto text = m_alerts.due(m_alertClock.elapsed()))
            showAlert(*text);
    }
    const qint64 nowMs = m_tickClock.elapsed();
    const double seconds = std::max(0.001, double(nowMs - m_lastTickMs) / 1000.0);
    m_lastTickMs = nowMs;
    if (m_traffic) {
        const auto traffic = m_traffic();
        const double in = double(traffic.first - std::min(traffic.first, m_lastTraffic.first));
        const double out = double(traffic.second - std::min(traffic.second, m_lastTraffic.second));
        m_lastTraffic = traffic;
        m_trafficMinute.append({ nowMs, traffic.first, traffic.second });
        while (m_trafficMinute.size() > 2 && std::get<0>(m_trafficMinute.at(1)) <= nowMs - 60000)
            m_trafficMinute.removeFirst();
        const auto &[firstMs, firstIn, firstOut] = m_trafficMinute.constFirst();
        m_trafficLabel->setText(trafficText({ in, out, seconds },
            { double(traffic.first - std::min(traffic.first, firstIn)),
                double(traffic.second - std::min(traffic.second, firstOut)),
                double(nowMs - firstMs) / 1000.0 }));
        m_trafficLabel->setToolTip(tr("Datagrams (and TCP packets) received and sent: per "
                                      "second, or per minute when fewer than one a second.\n"
                                      "Since the join: %1 in, %2 out.")
                                       .arg(traffic.first)
                                       .arg(traffic.second));
    }
    // The chart starts with the join (not while the join dialog is open): no false zeros.
    if (m_sinceJoin.isValid())
        m_chart->addSample(statusCounts());

    // The banner stays while rejects keep coming; a minute of quiet folds it into the status bar.
    if (m_rejectBanner->isVisible() && !m_silenceShown && m_sinceReject.isValid()
        && m_sinceReject.elapsed() > 60000)
        m_rejectBanner->hide();
    checkSilence();
    updateWaitingHint();

    const auto figures = m_lag->figures();
    m_lagLabel->setText(tr("UI lag %1 ms").arg(figures.p99Ms, 0, 'f', 0));
    m_lagLabel->setToolTip(
        tr("Event-loop lag: how late a 50 ms timer fires (last %1 samples).\n"
           "p50 %2 ms, p99 %3 ms, max %4 ms. Above ~50 ms the window feels sluggish.")
            .arg(std::min<qint64>(figures.samples, 2000))
            .arg(figures.p50Ms, 0, 'f', 1)
            .arg(figures.p99Ms, 0, 'f', 1)
            .arg(figures.maxMs, 0, 'f', 1));
}

void MainWindow::showSelectedMember()
{
    const QModelIndex current = m_membersView->currentIndex();
    if (!current.isValid())
        return;
    const QModelIndex source = m_membersProxy->mapToSource(current);
    QString name = source.data(KeyRole).toString();
    if (name.isEmpty())
        name = source.siblingAtColumn(m_membersProxy->nameColumn()).data(SortRole).toString();
    showMember(name);
}

void MainWindow::showMember(const QString &name)
{
    m_selected = name;
    const bool local = name == m_localName;
    m_detailsTitle->setText(
        QStringLiteral("<b>%1</b>%2")
            .arg(name.toHtmlEscaped(), local ? tr(" (this member)") : QString()));
    m_details->setMember(name);
    showDetailsInfo();
    m_detailsView->resizeRowsToContents();
}

void MainWindow::showDetailsInfo()
{
    const MemberRecord *record = m_sources.members ? m_sources.members->find(m_selected) : nullptr;
    m_detailsInfo->setText(record
            ? statusSymbol(record->status) + QLatin1Char(' ') + m_details->summary()
            : QString());
}

QString MainWindow::trafficText(const Traffic &lastTick, const Traffic &lastMinute)
{
    // Below one a second both ways, after at least 10 s of history: per minute.
    if (lastMinute.seconds >= 10.0 && lastMinute.in < lastMinute.seconds
        && lastMinute.out < lastMinute.seconds) {
        return tr("\u2193 %1/min in  \u2191 %2/min out")
            .arg(lastMinute.in * 60.0 / lastMinute.seconds, 0, 'f', 0)
            .arg(lastMinute.out * 60.0 / lastMinute.seconds, 0, 'f', 0);
    }
    const double seconds = std::max(0.001, lastTick.seconds);
    return tr("\u2193 %1/s in  \u2191 %2/s out")
        .arg(lastTick.in / seconds, 0, 'f', 0)
        .arg(lastTick.out / seconds, 0, 'f', 0);
}

void MainWindow::showValuesMenu(const QPoint &position)
{
    auto *values = qobject_cast<ValuesModel *>(m_sources.values);
    const QModelIndex index = m_valuesView->indexAt(position);
    if (!values || !index.isValid())
        return;
    const QString key = index.data(KeyRole).toString();
    m_perNodeAction->setData(key);
    m_perNodeAction->setChecked(values->isPerNodeKey(key));
    QMenu extra;
    extra.addAction(m_perNodeAction);
    if (m_mask.secretKeys().contains(key)) {
        m_revealAction->setData(key);
        m_revealAction->setChecked(m_mask.revealed().contains(key));
        extra.addAction(m_revealAction);
    }
    showCopyMenu(
        m_valuesView, position,
        [key](const QModelIndex &cell) -> QString {
            const QVariant raw = cell.data(RawValueRole);
            if (!raw.isValid())
                return cell.column() == ValuesModel::KeyColumn ? key + QLatin1Char('=') : QString();
            if (!isTextValue(raw.toByteArray()))
                return {};
            return MemberFilterExpression::tagWord(key, QString::fromUtf8(raw.toByteArray()));
        },
        [this](const QString &word) { filterMembersBy(word); }, &extra);
}

void MainWindow::arrangeMemberColumns()
{
    m_arrangeQueued = false;
    QHeaderView *header = m_valuesView->horizontalHeader();
    QList<int> order;
    for (int column = 0; column < m_valuesProxy->columnCount(); ++column)
        order.append(column);
    QStringList names;
    for (int column = 0; column < m_valuesProxy->columnCount(); ++column)
        names.append(m_valuesProxy->headerData(column, Qt::Horizontal, KeyRole).toString());
    // The fixed columns first, as they are; then the members by name.
    std::stable_sort(
        order.begin() + std::min<qsizetype>(order.size(), ValuesModel::FixedColumnCount),
        order.end(),
        [&names](int a, int b) { return naturalCompare(names.at(a), names.at(b)) < 0; });
    for (int visual = 0; visual < order.size(); ++visual) {
        const int from = header->visualIndex(order.at(visual));
        if (from != visual)
            header->moveSection(from, visual);
    }
}

void MainWindow::setKeyPerNode(const QString &key, bool perNode)
{
    auto *values = qobject_cast<ValuesModel *>(m_sources.values);
    if (!values || key.isEmpty())
        return;
    QSet<QString> keys = values->perNodeKeys();
    if (perNode)
        keys.insert(key);
    else
        keys.remove(key);
    values->setPerNodeKeys(keys);
    // Remembered for the next session (the default marks pymap's admin).
    QStringList list(keys.cbegin(), keys.cend());
    list.sort();
    QSettings().setValue(QStringLiteral("values/perNodeKeys"), list);
}

void MainWindow::fitToScreen()
{
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen) {
        resize(1280, 800);
        return;
    }
    const QRect available = screen->availableGeometry();
    // Leave room for the window frame (title bar, borders) that geometry() does not include.
    const QSize fits(std::max(minimumWidth(), std::min(1280, available.width() - 16)),
        std::max(minimumHeight(), std::min(800, available.height() - 48)));
    resize(fits);
    move(available.center() - QPoint(fits.width() / 2, fits.height() / 2 + 16));
}

void MainWindow::saveLayout(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("tab"), m_tabs->currentIndex());
    settings.setValue(
        QStringLiteral("membersHeader"), m_membersView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("membersSplitter"), m_membersSplitter->saveState());
    settings.setValue(QStringLiteral("membersFilter"), m_membersFilter->text());
    QStringList hidden;
    for (const MemberStatus status : kAllMemberStatuses) {
        if (!m_membersProxy->isStatusVisible(status))
            hidden << memberStatusName(status);
    }
    settings.setValue(QStringLiteral("hiddenStatuses"), hidden);
    settings.setValue(QStringLiteral("valuesFilter"), m_valuesFilter->text());
    settings.setValue(QStringLiteral("valuesMembersFilter"), m_valuesMembersFilter->text());
    settings.setValue(QStringLiteral("eventsFilter"), m_eventLog->filterEdit()->text());
    settings.setValue(QStringLiteral("hideValues"), m_hideValues->isChecked());
    settings.endGroup();
}

void MainWindow::restoreLayout(const QSettings &settings)
{
    const auto value = [&settings](const char *key) {
        return settings.value(QStringLiteral("window/") + QLatin1String(key));
    };
    if (value("geometry").isValid())
        restoreGeometry(value("geometry").toByteArray());
    if (value("state").isValid())
        restoreState(value("state").toByteArray());
    // Never larger than the screen it is on, never off it (a screen that went away, a scale
    // that changed): restoreGeometry moves it back, this shrinks it.
    if (const QScreen *screen = this->screen()) {
        const QRect available = screen->availableGeometry();
        if (width() > available.width() || height() > available.height())
            resize(std::min(width(), available.width() - 16),
                std::min(height(), available.height() - 48));
    }
    if (value("membersHeader").isValid())
        m_membersView->horizontalHeader()->restoreState(value("membersHeader").toByteArray());
    if (value("membersSplitter").isValid())
        m_membersSplitter->restoreState(value("membersSplitter").toByteArray());
    m_membersFilter->setText(value("membersFilter").toString());
    const QStringList hidden = value("hiddenStatuses").toStringList();
    for (const MemberStatus status : kAllMemberStatuses) {
        if (QToolButton *toggle = statusToggle(status))
            toggle->setChecked(!hidden.contains(memberStatusName(status)));
    }
    m_valuesFilter->setText(value("valuesFilter").toString());
    m_valuesMembersFilter->setText(value("valuesMembersFilter").toString());
    m_eventLog->filterEdit()->setText(value("eventsFilter").toString());
    m_hideValues->setChecked(value("hideValues").toBool());
    const int tab = value("tab").toInt();
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Joined: leave first (asked), close once left; the leave runs in the backend's thread.
    if (m_sessionState == SessionState::Leaving) {
        m_closeAfterLeave = true;
        event->ignore();
        return;
    }
    if (m_sessionState == SessionState::Joined
        && isSignalConnected(QMetaMethod::fromSignal(&MainWindow::leaveRequested))) {
        event->ignore();
        if (!confirmLeave())
            return;
        m_closeAfterLeave = true;
        emit leaveRequested();
        return;
    }
    if (m_remembersLayout) {
        QSettings settings;
        saveLayout(settings);
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::setSessionState(SessionState state)
{
    const SessionState before = m_sessionState;
    m_sessionState = state;
    m_everJoined = m_everJoined || state == SessionState::Joined;
    // Only an app that carries the requests out offers them.
    const bool controlled = isSignalConnected(QMetaMethod::fromSignal(&MainWindow::joinRequested));
    m_joinAction->setEnabled(controlled && state != SessionState::Leaving);
    m_reconnectAction->setEnabled(controlled && state != SessionState::Leaving && m_everJoined);
    m_leaveAction->setEnabled(controlled && state == SessionState::Joined);
    switch (state) {
    case SessionState::Joined:
        // A new join: its silence and rejects count from now, the chart's samples too.
        if (m_sources.members && m_sources.members->rowCount() > 0)
            m_sinceJoin.start();
        else
            m_sinceJoin.invalidate();
        m_rejectedTotal = 0;
        m_silenceShown = false;
        m_rejectBanner->hide();
        m_rejectLabel->clear();
        statusBar()->clearMessage();
        break;
    case SessionState::Leaving:
        statusBar()->showMessage(tr("Leaving the cluster\u2026"));
        break;
    case SessionState::NotJoined:
        statusBar()->clearMessage();
        if (before != SessionState::Leaving)
            break;
        if (m_closeAfterLeave) {
            m_closeAfterLeave = false;
            QTimer::singleShot(0, this, &QWidget::close);
            break;
        }
        m_silenceShown = false;
        m_sinceJoin.invalidate();
        m_rejectBanner->setText(tr("<b>Not joined.</b> The members are shown as they were when "
                                   "this member left.")
            + sessionLinks());
        m_rejectBanner->show();
        break;
    }
}

QString MainWindow::sessionLinks() const
{
    if (!m_everJoined || !isSignalConnected(QMetaMethod::fromSignal(&MainWindow::joinRequested)))
        return {};
    return QStringLiteral(
        " <a href=\"shoal:join\">%1</a> \u00B7 <a href=\"shoal:reconnect\">%2</a>")
        .arg(tr("Join with other settings (the secret)\u2026"), tr("Reconnect"));
}

void MainWindow::sessionLink(const QString &link)
{
    if (link == QLatin1String("shoal:join"))
        emit joinRequested();
    else if (link == QLatin1String("shoal:reconnect"))
        emit reconnectRequested();
}

bool MainWindow::confirmLeave()
{
    if (m_leaveNote.isEmpty())
        return true;
    QSettings settings;
    const QString askKey = QStringLiteral("window/askBeforeLeaving");
    if (!settings.value(askKey, true).toBool())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Leave the cluster?"),
        m_localName.isEmpty() ? tr("Leave the cluster?")
                              : tr("Leave the cluster as %1?").arg(m_localName),
        QMessageBox::Cancel, this);
    box.setTextFormat(Qt::PlainText);
    box.setInformativeText(m_leaveNote);
    QPushButton *leave = box.addButton(tr("&Leave"), QMessageBox::AcceptRole);
    box.setDefaultButton(leave);
    auto *dontAsk = new QCheckBox(tr("Do&n't ask again"), &box);
    box.setCheckBox(dontAsk);
    box.exec();
    const bool go = box.clickedButton() == leave;
    if (go && dontAsk->isChecked())
        settings.setValue(askKey, false);
    return go;
}

void MainWindow::setNotificationsEnabled(bool enabled)
{
    m_notify = enabled;
    if (m_notifyAction)
        m_notifyAction->setChecked(enabled);
}

void MainWindow::noteStatusEvents(int first, int last)
{
    const auto *events = qobject_cast<const EventLogModel *>(m_sources.events);
    if (!events || !m_notify)
        return;
    const QString suspect = memberStatusName(MemberStatus::Suspect);
    const QString offline = memberStatusName(MemberStatus::Offline);
    const QString online = memberStatusName(MemberStatus::Online);
    for (int row = first; row <= last && row < events->rowCount(); ++row) {
        const EventRecord &event = events->eventAt(row);
        if (event.kind != EventKind::Status)
            continue;
        const bool worse = event.to == suspect || event.to == offline;
        const bool recovered
            = event.to == online && (event.from == suspect || event.from == offline);
        if (!worse && !recovered)
            continue;
        // Only while the user does not see the window: minimised, hidden or in the background.
        if (isVisible() && isActiveWindow() && !isMinimized())
            continue;
        if (const auto text = m_alerts.offer(m_alertClock.elapsed(),
                tr("%1: %2 \u2192 %3").arg(event.member, event.from, event.to)))
            showAlert(*text);
    }
}

void MainWindow::showAlert(const QString &text)
{
    emit alerted(text);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
    }
    m_tray->show();
    m_tray->showMessage(tr("Shoal %1").arg(m_localName), text,
        text.contains(memberStatusName(MemberStatus::Online)) ? QSystemTrayIcon::Information
                                                              : QSystemTrayIcon::Warning);
}

void MainWindow::filterMembersBy(const QString &word)
{
    m_tabs->setCurrentIndex(MembersTab);
    m_membersFilter->setText(word);
    m_membersFilter->setFocus(Qt::OtherFocusReason);
}

void MainWindow::setKeyRevealed(const QString &key, bool revealed)
{
    if (key.isEmpty())
        return;
    if (revealed)
        m_mask.reveal(key);
    else
        m_mask.conceal(key);
    applyHideValues();
    QStringList keys(m_mask.revealed().cbegin(), m_mask.revealed().cend());
    keys.sort();
    QSettings().setValue(QStringLiteral("values/revealedKeys"), keys);
}

void MainWindow::applyHideValues()
{
    m_mask.setHideAll(m_hideValues->isChecked());
    m_valueMask->setHidden(m_hideValues->isChecked());
    // Every model masks its own roles (display, tooltips, sorting, so copies too), not just the
    // painting: values, the selected member, the event log and its exports, the local editor.
    m_eventLog->setValueMask(m_mask);
    if (auto *values = qobject_cast<ValuesModel *>(m_sources.values))
        values->setValueMask(m_mask);
    m_valuesView->viewport()->update();
    m_details->setValueMask(m_mask);
    m_editor->model()->setValueMask(m_mask);
}

} // namespace shoal::ui
