// Paints metadata value cells: dots while values are hidden (pymap's `admin` key is a secret),
// and a ≠ before a value that differs from the key's majority, so colour is not the only cue.
#pragma once

#include <QStyledItemDelegate>

namespace shoal::ui {

class ValueCellDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ValueCellDelegate(QObject *parent = nullptr);
    void setHidden(bool hidden) { m_hidden = hidden; }
    bool isHidden() const { return m_hidden; }
    // A cell holds a value when the model gives its raw bytes (shoal::RawValueRole).
    static bool holdsValue(const QModelIndex &index);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    bool m_hidden = false;
};

} // namespace shoal::ui
