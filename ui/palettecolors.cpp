#include "ui/palettecolors.h"

#include <algorithm>
#include <cmath>

namespace shoal::ui {

namespace {

constexpr double kMinimumContrast = 4.6; // 4.5 and a margin for rounding to 8-bit channels

double channel(double value)
{
    return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

struct Hue
{
    int hue; // -1: grey
    int saturation;
};

Hue statusHue(MemberStatus status)
{
    switch (status) {
    case MemberStatus::Online:
        return { 140, 170 }; // green
    case MemberStatus::Suspect:
        return { 30, 255 }; // amber
    case MemberStatus::Offline:
        return { 210, 20 }; // grey
    case MemberStatus::Unknown:
        return { -1, 0 }; // grey: nothing known
    case MemberStatus::Leaving:
        return { 212, 170 }; // blue: going on purpose
    case MemberStatus::Left:
        return { 215, 60 }; // slate
    }
    return { -1, 0 };
}

Hue toneHue(Tone tone)
{
    switch (tone) {
    case Tone::Good:
        return { 140, 170 };
    case Tone::Warning:
        return { 35, 255 };
    case Tone::Bad:
        return { 0, 190 };
    case Tone::Highlight:
        return { 215, 170 };
    case Tone::Muted:
    case Tone::Normal:
        break;
    }
    return { -1, 0 };
}

QColor mix(const QColor &a, const QColor &b, double amountOfB)
{
    const auto blend = [amountOfB](int x, int y) {
        return int(std::lround(double(x) * (1.0 - amountOfB) + double(y) * amountOfB));
    };
    return QColor(blend(a.red(), b.red()), blend(a.green(), b.green()), blend(a.blue(), b.blue()));
}

} // namespace

double relativeLuminance(const QColor &color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(double(rgb.redF())) + 0.7152 * channel(double(rgb.greenF()))
        + 0.0722 * channel(double(rgb.blueF()));
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool isDarkPalette(const QPalette &palette)
{
    return relativeLuminance(palette.color(QPalette::Base))
        < relativeLuminance(palette.color(QPalette::Text));
}

QColor readableColor(int hue, int saturation, const QList<QColor> &backgrounds, bool dark)
{
    // From a mid lightness towards white (dark theme) or black (light theme).
    for (int step = 0; step <= 40; ++step) {
        const int lightness = dark ? 140 + step * 3 : 110 - step * 3;
        const QColor candidate = QColor::fromHsl(
            std::max(hue, 0), hue < 0 ? 0 : saturation, std::clamp(lightness, 0, 255));
        const bool readable = std::all_of(
            backgrounds.cbegin(), backgrounds.cend(), [&candidate](const QColor &background) {
                return contrastRatio(candidate, background) >= kMinimumContrast;
            });
        if (readable)
            return candidate;
    }
    return dark ? QColor(Qt::white) : QColor(Qt::black);
}

QColor statusColor(MemberStatus status, const QPalette &palette)
{
    const Hue hue = statusHue(status);
    return readableColor(hue.hue, hue.saturation,
        { palette.color(QPalette::Window), palette.color(QPalette::Base),
            palette.color(QPalette::AlternateBase), palette.color(QPalette::Button) },
        isDarkPalette(palette));
}

QColor toneBackground(Tone tone, const QPalette &palette)
{
    const Hue hue = toneHue(tone);
    if (hue.hue < 0)
        return QColor();
    const bool dark = isDarkPalette(palette);
    const QColor pure = QColor::fromHsl(hue.hue, hue.saturation, 128);
    return mix(palette.color(QPalette::Base), pure, dark ? 0.28 : 0.16);
}

QColor toneForeground(Tone tone, const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    if (tone == Tone::Normal)
        return QColor();
    if (tone == Tone::Muted)
        return readableColor(
            -1, 0, { palette.color(QPalette::Base), palette.color(QPalette::AlternateBase) }, dark);
    const Hue hue = toneHue(tone);
    return readableColor(hue.hue, hue.saturation, { toneBackground(tone, palette) }, dark);
}

QPalette referenceDarkPalette()
{
    QPalette palette;
    const QColor text(0xe6, 0xe6, 0xe6);
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xc7));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
    palette.setColor(QPalette::Midlight, QColor(0x42, 0x42, 0x42));
    palette.setColor(QPalette::Mid, QColor(0x5a, 0x5a, 0x5a));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    palette.setColor(QPalette::Shadow, Qt::black);
    palette.setColor(QPalette::BrightText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x6a, 0xa6, 0xff));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return palette;
}

} // namespace shoal::ui
