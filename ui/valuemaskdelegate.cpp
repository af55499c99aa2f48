#include "ui/valuemaskdelegate.h"

#include "model/itemroles.h"

namespace shoal::ui {

ValueMaskDelegate::ValueMaskDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

bool ValueMaskDelegate::holdsValue(const QModelIndex &index)
{
    return index.data(RawValueRole).isValid();
}

void ValueMaskDelegate::initStyleOption(
    QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_hidden && holdsValue(index))
        option->text = tr("\u2022\u2022\u2022\u2022\u2022\u2022 (hidden)");
}

} // namespace shoal::ui
