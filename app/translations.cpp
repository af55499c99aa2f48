#include "app/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace shoal::app {

QString installWindowTranslations(const QLocale &locale)
{
    // QTranslator::load(QLocale, ...) would take the first language it finds a file for, so
    // "LANGUAGE=en:de" (English first, German as fallback) would get German: walk the
    // preferences here and stop at the source language.
    for (const QString &name : locale.uiLanguages()) {
        const QLocale wanted(name);
        if (wanted.language() == QLocale::English || wanted.language() == QLocale::C)
            return QString();
        QString tag = name;
        tag.replace(u'-', u'_'); // "de-DE": tried as shoal_de_DE.qm, then shoal_de.qm
        auto shoal = std::make_unique<QTranslator>(QCoreApplication::instance());
        if (!shoal->load(QStringLiteral("shoal_") + tag, QStringLiteral(":/i18n")))
            continue;
        QCoreApplication::installTranslator(shoal.get());
        auto qt = std::make_unique<QTranslator>(QCoreApplication::instance());
        if (qt->load(QStringLiteral("qtbase_") + tag,
                QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt.release());
        }
        const QString language = QLocale(shoal->language()).name().section(u'_', 0, 0);
        shoal.release();
        return language;
    }
    return QString();
}

} // namespace shoal::app
