// The main window: members, values across the cluster, the local metadata editor, the event log,
// a status bar and a live chart; it shows the models the app gives it and never parses packets.
#pragma once

#include "model/alertthrottle.h"
#include "model/member.h"
#include "model/secretkeys.h"
#include "model/statuscounts.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <array>
#include <functional>
#include <tuple>

class QAbstractItemModel;
class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSystemTrayIcon;
class QSplitter;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QToolButton;

namespace shoal {
class ClusterMetadata;
class EventLogModel;
class MemberDetailsModel;
class MemberTableModel;
class SpreadTracker;
} // namespace shoal

namespace shoal::ui {

class EventLogView;
class EventLoopLag;
class MemberFilterProxy;
class MetadataEditor;
class StatusChart;
class TimelineView;
class ValueCellDelegate;
class ValuesProxy;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum Tab { MembersTab, ValuesTab, LocalTab, EventsTab, TimelineTab, TabCount };

    struct Sources
    {
        ClusterMetadata *metadata = nullptr;
        MemberTableModel *members = nullptr; // also the status counts
        QAbstractItemModel *values = nullptr; // keys x members
        EventLogModel *events = nullptr;
        SpreadTracker *spread = nullptr; // how far our local record spread; null: not tracked
    };
    // Cumulative packets received and sent; the window turns them into rates.
    using TrafficSource = std::function<std::pair<quint64, quint64>()>;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void setLocalName(const QString &name);
    QString localName() const { return m_localName; }
    void setSources(const Sources &sources);
    void setTrafficSource(TrafficSource source);
    void setMtu(int bytes);
    // A short permanent note in the status bar (e.g. that this is the demo cluster).
    void setNote(const QString &text);
    // After this long with known peers but none answering, the banner says so (a wrong secret
    // on our side makes peers drop our packets silently: silence is its only symptom here).
    void setSilenceWarningMs(int ms) { m_silenceWarningMs = ms; }
    // How often the cluster's members gossip (swim: the sync interval), for the hint shown
    // while metadata has not arrived; 0: not known.
    void setGossipIntervalMs(qint64 ms) { m_gossipIntervalMs = ms; }

    // The layout a user leaves the window in, per user (QSettings): geometry and dock state,
    // the members table's columns and sort, the splitter, the filters, the tab and Hide values.
    // restoreLayout keeps the window on the available screen.
    void saveLayout(QSettings &settings) const;
    void restoreLayout(const QSettings &settings);
    // What is masked in every view, tooltip, copy and export: everything while Hide values is
    // on; pymap's secret `admin` key unless revealed (View menu or the Values view's context
    // menu; remembered in QSettings "values/revealedKeys").
    const ValueMask &valueMask() const { return m_mask; }
    void setKeyRevealed(const QString &key, bool revealed);
    // Shows the members tab filtered by this filter word (context menus' "Filter by").
    void filterMembersBy(const QString &word);

    // Session control (File > Join..., Reconnect, Leave; the banners' links): the window asks,
    // the app acts through its ClusterSession and reports the state back.
    enum class SessionState { NotJoined, Joined, Leaving };
    void setSessionState(SessionState state);
    SessionState sessionState() const { return m_sessionState; }
    // What leaving does to the cluster, in the backend's words (Capabilities::leaveNote): the
    // question before Leave and before quitting while joined. Empty: no question.
    void setLeaveNote(const QString &note) { m_leaveNote = note; }
    // Asks whether to leave (unless the user chose not to be asked again, remembered in
    // QSettings "window/askBeforeLeaving"); true: go ahead.
    bool confirmLeave();
    QAction *joinAction() const { return m_joinAction; }
    QAction *reconnectAction() const { return m_reconnectAction; }
    QAction *leaveAction() const { return m_leaveAction; }

    // Whether closing the window saves its layout in QSettings() (default: no; the window form
    // turns it on).
    void setRemembersLayout(bool remember) { m_remembersLayout = remember; }
    // A first window: as large as the available screen allows, up to 1280x800.
    void fitToScreen();

    // Widgets, for tests.
    QSplitter *membersSplitter() const { return m_membersSplitter; }
    QTabWidget *tabs() const { return m_tabs; }
    QTableView *membersView() const { return m_membersView; }
    MemberFilterProxy *membersProxy() const { return m_membersProxy; }
    QLineEdit *membersFilter() const { return m_membersFilter; }
    QToolButton *statusToggle(MemberStatus status) const;
    QTableView *valuesView() const { return m_valuesView; }
    QLineEdit *valuesMembersFilter() const { return m_valuesMembersFilter; }
    QCheckBox *hideValuesBox() const { return m_hideValues; }
    MetadataEditor *editor() const { return m_editor; }
    EventLogView *eventLog() const { return m_eventLog; }
    StatusChart *chart() const { return m_chart; }
    TimelineView *timeline() const { return m_timeline; }
    QLabel *rejectBanner() const { return m_rejectBanner; }
    QLabel *countsLabel() const { return m_countsLabel; }
    QLabel *trafficLabel() const { return m_trafficLabel; }
    QLabel *waitingLabel() const { return m_waitingLabel; }
    // The Values view's context-menu action that marks the clicked key per-node.
    QAction *perNodeAction() const { return m_perNodeAction; }
    QTableView *detailsView() const { return m_detailsView; }
    QLabel *detailsInfo() const { return m_detailsInfo; }
    MemberDetailsModel *detailsModel() const { return m_details; }
    QLabel *detailsTitle() const { return m_detailsTitle; }
    EventLoopLag *lagProbe() const { return m_lag; }
    StatusCounts statusCounts() const;

    // Packets in and out over some seconds.
    struct Traffic
    {
        double in = 0;
        double out = 0;
        double seconds = 0;
    };
    // The status bar's rate: per second over the last tick, or per minute over the last minute
    // when that saw fewer than one packet a second each way (pymap probes every 10 s).
    static QString trafficText(const Traffic &lastTick, const Traffic &lastMinute);

    // Desktop notifications (system tray, where there is one) on SUSPECT/OFFLINE and on
    // recovery while the window is not in front; at most one per interval (AlertThrottle), the
    // rest summed up. View > Desktop notifications turns them off (remembered).
    void setNotificationsEnabled(bool enabled);
    bool notificationsEnabled() const { return m_notify; }
    void setAlertIntervalMs(qint64 ms) { m_alerts = AlertThrottle(ms); }

signals:
    // Each notification shown (also without a tray), for tests.
    void alerted(const QString &text);
    // File > Join... (another cluster, or other settings), File > Reconnect (the same settings,
    // a secret file read again), File > Leave (already confirmed). Closing the window while
    // joined asks leaveRequested() and closes once the state is NotJoined.
    void joinRequested();
    void reconnectRequested();
    void leaveRequested();

public slots:
    // count datagrams from `from` were refused for reason (e.g. "signature").
    void noteRejected(const QString &from, const QString &reason, quint64 count);
    // Once a second: rates, chart sample, lag figures. Public so tests can step it.
    void tick();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildMembersTab();
    QWidget *buildValuesTab();
    void buildStatusBar();
    void buildMenus();
    void updateCounts();
    void showSelectedMember();
    void showMember(const QString &name);
    void showDetailsInfo();
    void applyHideValues();
    void noteStatusEvents(int first, int last);
    void showAlert(const QString &text);
    void checkSilence();
    void updateWaitingHint();
    void showValuesMenu(const QPoint &position);
    void arrangeMemberColumns();
    void setKeyPerNode(const QString &key, bool perNode);
    static QString rejectHint(const QString &reason);

    QString m_localName;
    Sources m_sources;
    TrafficSource m_traffic;
    QString m_selected;

    QTabWidget *m_tabs = nullptr;
    QSplitter *m_membersSplitter = nullptr;
    QLabel *m_rejectBanner = nullptr;
    QTableView *m_membersView = nullptr;
    MemberFilterProxy *m_membersProxy = nullptr;
    QLineEdit *m_membersFilter = nullptr;
    std::array<QToolButton *, kMemberStatusCount> m_statusToggles {};
    QLabel *m_detailsTitle = nullptr;
    QLabel *m_detailsInfo = nullptr;
    QTableView *m_detailsView = nullptr;
    MemberDetailsModel *m_details = nullptr;
    StatusChart *m_chart = nullptr;
    QTableView *m_valuesView = nullptr;
    ValuesProxy *m_valuesProxy = nullptr;
    QLineEdit *m_valuesFilter = nullptr;
    QLineEdit *m_valuesMembersFilter = nullptr;
    bool m_arrangeQueued = false;
    QCheckBox *m_hideValues = nullptr;
    ValueCellDelegate *m_valueMask = nullptr;
    MetadataEditor *m_editor = nullptr;
    EventLogView *m_eventLog = nullptr;
    TimelineView *m_timeline = nullptr;

    QLabel *m_countsLabel = nullptr;
    QLabel *m_trafficLabel = nullptr;
    QLabel *m_rejectLabel = nullptr;
    QLabel *m_lagLabel = nullptr;
    QLabel *m_noteLabel = nullptr;
    QLabel *m_waitingLabel = nullptr;
    QAction *m_perNodeAction = nullptr;

    EventLoopLag *m_lag = nullptr;
    QTimer m_tick;
    QElapsedTimer m_tickClock;
    std::pair<quint64, quint64> m_lastTraffic {};
    // (tick time ms, packets in, packets out), cumulative, over the last minute: at pymap's
    // pace (a probe every 10 s) a per-second rate reads 0, so slow traffic shows per minute.
    QList<std::tuple<qint64, quint64, quint64>> m_trafficMinute;
    qint64 m_gossipIntervalMs = 0;
    qint64 m_lastTickMs = 0;
    quint64 m_rejectedTotal = 0;
    QString m_lastRejectFrom;
    QString m_lastRejectReason;
    QElapsedTimer m_sinceReject;
    QElapsedTimer m_sinceJoin;
    int m_silenceWarningMs = 6000;
    bool m_silenceShown = false;
    bool m_remembersLayout = false;
    ValueMask m_mask = ValueMask::withDefaultSecrets();
    AlertThrottle m_alerts;
    QElapsedTimer m_alertClock;
    QSystemTrayIcon *m_tray = nullptr;
    QAction *m_notifyAction = nullptr;
    bool m_notify = true;
    QAction *m_revealAction = nullptr;
    QAction *m_joinAction = nullptr;
    QAction *m_reconnectAction = nullptr;
    QAction *m_leaveAction = nullptr;
    SessionState m_sessionState = SessionState::NotJoined;
    bool m_everJoined = false;
    bool m_closeAfterLeave = false;
    QString m_leaveNote;
    void sessionLink(const QString &link);
    QString sessionLinks() const;
};

} // namespace shoal::ui
