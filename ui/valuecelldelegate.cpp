#include "ui/valuecelldelegate.h"

#include "model/itemroles.h"

namespace shoal::ui {

ValueCellDelegate::ValueCellDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

bool ValueCellDelegate::holdsValue(const QModelIndex &index)
{
    return index.data(RawValueRole).isValid();
}

void ValueCellDelegate::initStyleOption(
    QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_hidden && holdsValue(index))
        option->text = tr("\u2022\u2022\u2022\u2022\u2022\u2022 (hidden)");
    if (index.data(DisagreeRole).toBool())
        option->text = QStringLiteral("\u2260 ") + option->text;
}

} // namespace shoal::ui
