// The window's translations (issue 16): every .ts entry finished and in step with the sources,
// and the German one loads from the user's language and turns the window German.
#include "app/translations.h"
#include "model/member.h"
#include "model/membertablemodel.h"
#include "model/valuetext.h"
#include "ui/mainwindow.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace shoal;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    QString translationType; // "unfinished", "vanished", "obsolete"; empty when finished
    QStringList translations; // one, or one per numerus form
};

// Reads a .ts file; returns false (with *error) when it is not well-formed XML.
bool readTs(const QString &path, QList<TsMessage> *messages, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            if (xml.isEndElement() && xml.name() == QLatin1String("message"))
                messages->append(message);
            continue;
        }
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = TsMessage();
            message.context = context;
            message.numerus
                = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.translationType = xml.attributes().value(QLatin1String("type")).toString();
            if (!message.numerus)
                message.translations << xml.readElementText();
        } else if (name == QLatin1String("numerusform")) {
            message.translations << xml.readElementText();
        }
    }
    if (xml.hasError()) {
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
        return false;
    }
    return true;
}

QStringList placeholders(const QString &text)
{
    QStringList found;
    static const QRegularExpression pattern(QStringLiteral("%(\\d|n)"));
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.removeDuplicates();
    found.sort();
    return found;
}

// What is wrong with the messages of one .ts file: one line per problem.
QStringList problems(const QList<TsMessage> &messages)
{
    QStringList out;
    for (const TsMessage &m : messages) {
        const QString where = m.context + QStringLiteral(": \"") + m.source + u'"';
        if (!m.translationType.isEmpty()) {
            out << m.translationType + QStringLiteral(" ") + where;
            continue;
        }
        if (m.translations.isEmpty()) {
            out << QStringLiteral("no translation for ") + where;
            continue;
        }
        for (const QString &translation : m.translations) {
            if (translation.isEmpty())
                out << QStringLiteral("empty translation for ") + where;
            else if (placeholders(translation) != placeholders(m.source))
                out << QStringLiteral("placeholders differ in ") + where;
        }
    }
    return out;
}

QStringList tsFiles(const QString &dir)
{
    QStringList paths;
    for (const QString &name : QDir(dir).entryList({ QStringLiteral("shoal_*.ts") }, QDir::Files))
        paths << dir + u'/' + name;
    return paths;
}

void removeTranslators()
{
    for (QTranslator *translator : QCoreApplication::instance()->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { removeTranslators(); }

    void everyEntryIsFinished()
    {
        const QStringList paths = tsFiles(QStringLiteral(SHOAL_SOURCE_DIR "/translations"));
        QVERIFY(paths.contains(QStringLiteral(SHOAL_SOURCE_DIR "/translations/shoal_de.ts")));
        for (const QString &path : paths) {
            QList<TsMessage> messages;
            QString error;
            QVERIFY2(readTs(path, &messages, &error), qPrintable(error));
            QVERIFY2(messages.size() > 100, qPrintable(path)); // the whole window, not a stub
            const QStringList wrong = problems(messages);
            QVERIFY2(wrong.isEmpty(), qPrintable(path + u'\n' + wrong.join(u'\n')));
        }
    }

    // lupdate over the sources (scripts/update-translations.sh, on a copy) changes nothing: no
    // window string is missing from the .ts files and none is left over.
    void inStepWithTheSources()
    {
        QTemporaryDir copy;
        QVERIFY(copy.isValid());
        const QStringList paths = tsFiles(QStringLiteral(SHOAL_SOURCE_DIR "/translations"));
        for (const QString &path : paths)
            QVERIFY(QFile::copy(path, copy.filePath(QFileInfo(path).fileName())));
        QProcess lupdate;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("LUPDATE"), QStringLiteral(SHOAL_LUPDATE));
        lupdate.setProcessEnvironment(environment);
        lupdate.start(
            QStringLiteral(SHOAL_SOURCE_DIR "/scripts/update-translations.sh"), { copy.path() });
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
            lupdate.readAllStandardError().constData());
        for (const QString &path : paths) {
            QList<TsMessage> committed;
            QList<TsMessage> updated;
            QString error;
            QVERIFY2(readTs(path, &committed, &error), qPrintable(error));
            const QString updatedPath = copy.filePath(QFileInfo(path).fileName());
            QVERIFY2(readTs(updatedPath, &updated, &error), qPrintable(error));
            const auto keys = [](const QList<TsMessage> &messages) {
                QStringList out;
                for (const TsMessage &m : messages)
                    out << m.context + QStringLiteral(": \"") + m.source + u'"';
                return out;
            };
            const QStringList before = keys(committed);
            const QStringList after = keys(updated);
            QStringList changes;
            for (const QString &key : after) {
                if (!before.contains(key))
                    changes << QStringLiteral("new in the sources: ") + key;
            }
            for (const QString &key : before) {
                if (!after.contains(key))
                    changes << QStringLiteral("gone from the sources: ") + key;
            }
            QVERIFY2(changes.isEmpty(),
                qPrintable(QStringLiteral("%1 is not in step with the sources; run "
                                          "scripts/update-translations.sh and translate:\n%2")
                               .arg(path, changes.join(u'\n'))));
        }
    }

    void germanTurnsTheWindowGerman()
    {
        QCOMPARE(app::installWindowTranslations(QLocale(QLocale::German, QLocale::Germany)),
            QStringLiteral("de"));
        ui::MainWindow window;
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("&Mitglieder"));
        MemberTableModel members;
        QCOMPARE(members.headerData(MemberTableModel::LastHeardColumn, Qt::Horizontal),
            QVariant(QStringLiteral("Zuletzt geh\u00f6rt")));
        QCOMPARE(memberStatusText(MemberStatus::Suspect), QStringLiteral("VERD\u00c4CHTIG"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(relativeTime(now.addSecs(-5), now), QStringLiteral("vor 5 s"));
        // The CLI's words stay English.
        QCOMPARE(memberStatusName(MemberStatus::Suspect), QStringLiteral("SUSPECT"));
    }

    // The test runs with LANGUAGE=de (main below): what `LANGUAGE=de shoal` does.
    void languageVariableChoosesGerman()
    {
        QCOMPARE(app::installWindowTranslations(), QStringLiteral("de"));
        QCOMPARE(memberStatusText(MemberStatus::Unknown), QStringLiteral("noch nicht geh\u00f6rt"));
    }

    void englishInstallsNothing_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::newRow("C") << QLocale::c();
        QTest::newRow("en_US") << QLocale(QLocale::English, QLocale::UnitedStates);
        // A language Shoal has no translation for falls back to English.
        QTest::newRow("fr_FR") << QLocale(QLocale::French, QLocale::France);
    }

    void englishInstallsNothing()
    {
        QFETCH(QLocale, locale);
        QCOMPARE(app::installWindowTranslations(locale), QString());
        ui::MainWindow window;
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("&Members"));
        QCOMPARE(memberStatusText(MemberStatus::Suspect), QStringLiteral("SUSPECT"));
    }
};

int main(int argc, char **argv)
{
    // Before the application exists: Qt reads the UI languages from the environment once.
    qputenv("LANGUAGE", "de");
    QApplication app(argc, argv);
    TestTranslations test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_translations.moc"
