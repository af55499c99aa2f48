// The event log tab: joins, status and metadata changes, restarts and rejected datagrams, with
// kind toggles, a text filter and export of what is shown as CSV or JSON.
#pragma once

#include "model/eventlogmodel.h"
#include "model/secretkeys.h"

#include <QWidget>

#include <array>

class QCheckBox;
class QLineEdit;
class QTableView;

namespace shoal {
class EventLogFilter;
class EventLogModel;
} // namespace shoal

namespace shoal::ui {

class EventDetailDelegate;

class EventLogView final : public QWidget
{
    Q_OBJECT
public:
    explicit EventLogView(QWidget *parent = nullptr);

    void setModel(EventLogModel *model);
    EventLogFilter *filter() const { return m_filter; }
    QLineEdit *filterEdit() const { return m_text; }
    QCheckBox *kindBox(int kind) const { return m_kinds.at(std::size_t(kind)); }
    QTableView *view() const { return m_view; }
    // Masks metadata values in the Detail column, its tooltip, copies and exports (the window's
    // "Hide values"; secret keys such as pymap's `admin` unless revealed).
    void setValuesHidden(bool hidden);
    void setValueMask(const ValueMask &mask);
    const ValueMask &valueMask() const { return m_mask; }

    // Writes the rows shown (filtered) to path: JSON when it ends in .json, else CSV; values
    // as shown (masked) unless told to include them.
    bool exportTo(const QString &path, QString *error = nullptr,
        ExportValues values = ExportValues::AsShown) const;
    // Asks where, and whether to include hidden values when some are hidden, then exports and
    // says how many events went where (the Export button and the window's File menu).
    void exportInteractively();

    // Selects and shows the event of kind (eventKindName) about member nearest to timeMs (at
    // most toleranceMs away), clearing the filter when it hides it. False when the log has none.
    bool selectEvent(
        const QString &member, qint64 timeMs, const QString &kind, qint64 toleranceMs = 1000);

private:
    EventLogFilter *m_filter;
    QTableView *m_view;
    QLineEdit *m_text;
    std::array<QCheckBox *, kEventKindCount> m_kinds {};
    EventDetailDelegate *m_detail;
    bool m_follow = true;
    ValueMask m_mask;
};

} // namespace shoal::ui
