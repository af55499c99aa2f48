// Colours derived from the palette (light or dark theme), each readable at a WCAG contrast of at
// least 4.5:1 against the backgrounds it is drawn on.
#pragma once

#include "model/itemroles.h"
#include "model/member.h"

#include <QColor>
#include <QList>
#include <QPalette>

namespace shoal::ui {

// WCAG 2 relative luminance and contrast ratio (1 to 21).
double relativeLuminance(const QColor &color);
double contrastRatio(const QColor &a, const QColor &b);
// A dark theme: the base (table background) is darker than its text.
bool isDarkPalette(const QPalette &palette);

// A colour of this hue and saturation (0-255) whose lightness is moved away from the
// backgrounds until it reads at >= 4.5:1 on every one of them.
QColor readableColor(int hue, int saturation, const QList<QColor> &backgrounds, bool dark);

// A member status as text or a line: readable on the palette's Window, Base and AlternateBase.
QColor statusColor(MemberStatus status, const QPalette &palette);

// A cell tone: its background (invalid for Normal and Muted: the view's own) and its text,
// readable on that background (Muted: on Base and AlternateBase).
QColor toneBackground(Tone tone, const QPalette &palette);
QColor toneForeground(Tone tone, const QPalette &palette);

// A dark palette for the window's screenshots and the contrast test (a desktop's dark theme
// supplies its own).
QPalette referenceDarkPalette();

} // namespace shoal::ui
