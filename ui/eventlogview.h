// The event log tab: joins, status and metadata changes, restarts and rejected datagrams, with
// kind toggles, a text filter and export of what is shown as CSV or JSON.
#pragma once

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
    // Masks metadata values in the Detail column (the window's "Hide values").
    void setValuesHidden(bool hidden);

    // Writes the rows shown (filtered) to path: JSON when it ends in .json, else CSV.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    // Asks where, then exports (the Export button and the window's File menu).
    void exportInteractively();

private:
    EventLogFilter *m_filter;
    QTableView *m_view;
    QLineEdit *m_text;
    std::array<QCheckBox *, 5> m_kinds {};
    EventDetailDelegate *m_detail;
    bool m_follow = true;
};

} // namespace shoal::ui
