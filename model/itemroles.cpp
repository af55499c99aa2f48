#include "model/itemroles.h"

namespace shoal {

namespace {

ToneColors &installedColors()
{
    static ToneColors colors;
    return colors;
}

} // namespace

void setToneColors(ToneColors colors)
{
    installedColors() = std::move(colors);
}

QVariant toneColor(Tone tone, int role)
{
    const ToneColors &colors = installedColors();
    if (!colors || (role != Qt::BackgroundRole && role != Qt::ForegroundRole))
        return QVariant();
    return colors(tone, role);
}

} // namespace shoal
