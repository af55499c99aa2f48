#include "ui/mainwindow.h"

#include "model/clustermetadata.h"
#include "model/itemroles.h"
#include "model/memberdetailsmodel.h"
#include "model/membertablemodel.h"
#include "model/valuesmodel.h"
#include "model/valuetext.h"
#include "ui/eventlogview.h"
#include "ui/eventlooplag.h"
#include "ui/memberfilterproxy.h"
#include "ui/metadataeditor.h"
#include "ui/statuschart.h"
#include "ui/statuscolors.h"
#include "ui/valuecelldelegate.h"

#include <QAction>
#include <QCheckBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace shoal::ui {

namespace {

// The colours behind the models' tones: light fills under dark text, so they stay legible;
// each tone also has words or a symbol in the cell (the models see to that).
QVariant toneColorFor(Tone tone, int role)
{
    if (role == Qt::BackgroundRole) {
        switch (tone) {
        case Tone::Good:
            return QColor(0xe3, 0xf4, 0xe6);
        case Tone::Warning:
            return QColor(0xff, 0xee, 0xcc);
        case Tone::Bad:
            return QColor(0xfb, 0xe0, 0xe0);
        case Tone::Highlight:
            return QColor(0xdd, 0xe8, 0xfb);
        case Tone::Normal:
        case Tone::Muted:
            return QVariant();
        }
    } else if (role == Qt::ForegroundRole) {
        switch (tone) {
        case Tone::Good:
            return QColor(0x12, 0x5a, 0x2a);
        case Tone::Warning:
            return QColor(0x7a, 0x3e, 0x00);
        case Tone::Bad:
            return QColor(0x9b, 0x1c, 0x1c);
        case Tone::Muted:
            return QColor(0x5f, 0x63, 0x68);
        case Tone::Highlight:
            return QColor(0x17, 0x3f, 0x8a);
        case Tone::Normal:
            return QVariant();
        }
    }
    return QVariant();
}

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
        QStringLiteral("QLabel { background: #fbe0e0; color: #7a1010; border: 2px solid #c62828;"
                       " border-radius: 4px; padding: 6px; }"));
    m_rejectBanner->hide();

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildMembersTab(), tr("&Members"));
    m_tabs->addTab(buildValuesTab(), tr("Values by &key"));
    m_editor = new MetadataEditor(this);
    m_tabs->addTab(m_editor, tr("&Local metadata"));
    m_eventLog = new EventLogView(this);
    m_tabs->addTab(m_eventLog, tr("&Event log"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_rejectBanner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    buildStatusBar();
    buildMenus();
    setLocalName(QString());
    resize(1280, 800);

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MainWindow::tick);
    m_tick.start();
    m_tickClock.start();
    m_lag->start();
    updateCounts();
}

MainWindow::~MainWindow()
{
    setToneColors(nullptr);
}

QWidget *MainWindow::buildMembersTab()
{
    auto *page = new QWidget(this);
    m_membersFilter = new QLineEdit(page);
    m_membersFilter->setPlaceholderText(tr("Filter members by name, status, clock\u2026"));
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
        const QColor color = statusColor(status);
        // Checked reads as a pressed, coloured button; unchecked as plain grey text, struck out.
        button->setStyleSheet(
            QStringLiteral("QToolButton { padding: 3px 8px; border: 1px solid #999;"
                           " border-radius: 3px; color: #666; text-decoration: line-through; }"
                           " QToolButton:checked { color: %1; font-weight: bold;"
                           " background: #f4f4f4; border: 1px solid %1;"
                           " text-decoration: none; }")
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
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 950, 330 });
    splitter->setChildrenCollapsible(false);

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
                                "pymap's \u201cadmin\u201d key holds a secret."));
    auto *legend = new QLabel(
        tr("Rows: keys; columns: members. <b>Distinct</b> counts the different values of a key "
           "(1 = the cluster agrees). A cell marked \u2260 on amber differs from the majority."),
        page);
    legend->setWordWrap(true);

    m_valuesProxy = new QSortFilterProxyModel(this);
    m_valuesProxy->setSortRole(SortRole);
    m_valuesProxy->setFilterKeyColumn(0);
    m_valuesProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_valuesView = makeTable(page);
    m_valuesView->setModel(m_valuesProxy);
    m_valuesView->sortByColumn(0, Qt::AscendingOrder);
    m_valuesView->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_valueMask = new ValueCellDelegate(this);
    m_valuesView->setItemDelegate(m_valueMask);
    connect(m_valuesFilter, &QLineEdit::textChanged, m_valuesProxy,
        &QSortFilterProxyModel::setFilterFixedString);
    connect(m_hideValues, &QCheckBox::toggled, this, &MainWindow::applyHideValues);
    m_valuesView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_valuesView, &QWidget::customContextMenuRequested, this, &MainWindow::showValuesMenu);
    m_perNodeAction = new QAction(tr("Values differ per member (expected)"), this);
    m_perNodeAction->setCheckable(true);
    m_perNodeAction->setToolTip(tr("A per-member key, such as pymap's admin secret: its "
                                   "different values are not marked as disagreeing"));
    connect(m_perNodeAction, &QAction::triggered, this,
        [this](bool checked) { setKeyPerNode(m_perNodeAction->data().toString(), checked); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_valuesFilter, 1);
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
    file->addAction(tr("&Export events\u2026"), QKeySequence(tr("Ctrl+E")), m_eventLog,
        &EventLogView::exportInteractively);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    // One switch for every place a value shows: values table, member details, event log.
    QAction *hide = view->addAction(tr("&Hide values"));
    hide->setCheckable(true);
    hide->setShortcut(QKeySequence(tr("Ctrl+H")));
    connect(hide, &QAction::toggled, m_hideValues, &QCheckBox::setChecked);
    connect(m_hideValues, &QCheckBox::toggled, hide, &QAction::setChecked);
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *go = view->addAction(m_tabs->tabText(i));
        go->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
        connect(go, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
    }

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
    m_valuesProxy->setSourceModel(sources.values);
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
    m_details->setSources(sources.members, sources.metadata);
    if (sources.members) {
        QHeaderView *header = m_membersView->horizontalHeader();
        header->setSectionResizeMode(QHeaderView::Interactive);
        // Each column as wide as its longest usual content, so nothing is elided at 1280 px.
        const QFontMetrics metrics = m_membersView->fontMetrics();
        const auto sample = [](const QString &title) {
            static const QHash<QString, QString> samples {
                { QStringLiteral("Name"), QStringLiteral("255.255.255.255:65535 (local)") },
                { QStringLiteral("Status"), QStringLiteral("not heard yet") },
                { QStringLiteral("Probe"), QStringLiteral("no answer 00:00:00") },
                { QStringLiteral("Clock"), QStringLiteral("0000000") },
                { QStringLiteral("Since"), QStringLiteral("59 min ago") },
                { QStringLiteral("Last heard"), QStringLiteral("59 min ago") },
                { QStringLiteral("RTT"), QStringLiteral("999.9 ms") },
            };
            return samples.value(title);
        };
        for (int column = 0; column < sources.members->columnCount(); ++column) {
            const QString title = sources.members->headerData(column, Qt::Horizontal).toString();
            const int width = std::max(metrics.horizontalAdvance(title) + 30,
                metrics.horizontalAdvance(sample(title)) + 16);
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
            .arg(from.toHtmlEscaped(), reason.toHtmlEscaped(), hint.toHtmlEscaped()));
    m_rejectBanner->show();
    m_rejectLabel->setText(
        tr("<span style=\"color:#9b1c1c; font-weight:bold\">\u26A0 %1 rejected (%2)</span>")
            .arg(m_rejectedTotal)
            .arg(reason.toHtmlEscaped()));
    m_rejectLabel->setToolTip(
        plainToolTip(tr("Last rejected datagram: from %1, %2.\n%3").arg(from, reason, hint)));
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
                .arg(remote));
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
    QMenu menu(this);
    menu.addAction(m_perNodeAction);
    menu.exec(m_valuesView->viewport()->mapToGlobal(position));
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

void MainWindow::applyHideValues()
{
    m_valueMask->setHidden(m_hideValues->isChecked());
    m_eventLog->setValuesHidden(m_hideValues->isChecked());
    // The values model masks its own roles too (tooltips, sorting), not just the painting.
    if (auto *values = qobject_cast<ValuesModel *>(m_sources.values))
        values->setValuesHidden(m_hideValues->isChecked());
    m_valuesView->viewport()->update();
    m_details->setValuesHidden(m_hideValues->isChecked());
}

} // namespace shoal::ui
