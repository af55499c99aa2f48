// The window's language. Only the window command installs translations: the CLI's output stays
// English, because scripts parse it (docs/DESIGN.md).
#pragma once

#include <QLocale>
#include <QString>

namespace shoal::app {

// Installs into the running application Shoal's translation (embedded, :/i18n/shoal_*.qm) and,
// when the system has it, Qt's own (standard buttons and dialogs) for the first of the
// locale's UI languages that Shoal speaks; QLocale() reads LANGUAGE, then LC_ALL, LC_MESSAGES
// and LANG. English (or C) before any translated language wins: nothing is installed. Returns
// the language installed ("de"), empty for English.
QString installWindowTranslations(const QLocale &locale = QLocale());

} // namespace shoal::app
