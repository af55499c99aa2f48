#include "history/historystore.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace shoal::history {

namespace {

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> next;
    return QStringLiteral("shoal-history-%1").arg(next.fetchAndAddRelaxed(1));
}

// The summaries of a minute are few; old keys are dropped wholesale past this many.
constexpr qsizetype kMaxSummaryRows = 20000;

} // namespace

QString defaultHistoryPath()
{
    const QString overridden = qEnvironmentVariable("SHOAL_HISTORY_FILE");
    if (!overridden.isEmpty())
        return overridden;
    // Without an application name (the CLI forms set none) the location still says shoal.
    QString folder = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (folder.isEmpty())
        folder = QDir::homePath() + QStringLiteral("/.local/share");
    return folder + QStringLiteral("/shoal/history.sqlite");
}

HistoryStore::HistoryStore()
    : m_connection(uniqueConnectionName())
{ }

HistoryStore::~HistoryStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool HistoryStore::isOpen() const
{
    return QSqlDatabase::database(m_connection, false).isOpen();
}

bool HistoryStore::open(const QString &path, QString *error, bool readOnly)
{
    if (readOnly && !QFileInfo::exists(path)) {
        *error = QStringLiteral("no history at %1 yet").arg(path);
        return false;
    }
    if (!readOnly && !QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = QStringLiteral("cannot create the folder of %1").arg(path);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!db.isValid()) {
        *error = QStringLiteral("the Qt SQLite driver is missing (Debian: libqt6sql6-sqlite)");
        return false;
    }
    db.setDatabaseName(path);
    // Several processes (windows, watch) may write the same file: wait for each other.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text());
        return false;
    }
    QSqlQuery query(db);
    const QStringList setup {
        // Before the first table: lets prune() give pages back without a full VACUUM.
        QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"),
        // WAL: a committed batch survives a kill -9 of the process; NORMAL syncs at checkpoints
        // (an OS crash may lose the last batches, a process crash loses nothing committed).
        QStringLiteral("PRAGMA journal_mode = WAL"),
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS clusters (id INTEGER PRIMARY KEY, "
                       "identity TEXT NOT NULL UNIQUE)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, "
                       "cluster INTEGER NOT NULL, time INTEGER NOT NULL, kind TEXT NOT NULL, "
                       "member TEXT NOT NULL, detail TEXT NOT NULL, key TEXT, value BLOB, "
                       "has_value INTEGER NOT NULL DEFAULT 0, from_status TEXT, to_status TEXT, "
                       "count INTEGER NOT NULL DEFAULT 1, extra TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS events_by_time ON events (cluster, time)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS events_by_member ON events (member, time)"),
    };
    for (const QString &statement : setup) {
        if (readOnly && !statement.startsWith(QLatin1String("PRAGMA journal")))
            continue;
        if (!query.exec(statement)) {
            *error = QStringLiteral("%1: %2").arg(path, query.lastError().text());
            db.close();
            return false;
        }
    }
    return true;
}

qint64 HistoryStore::clusterId(const QString &identity, bool create)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT id FROM clusters WHERE identity = ?"));
    query.addBindValue(identity);
    if (query.exec() && query.next())
        return query.value(0).toLongLong();
    if (!create)
        return -1;
    query.prepare(QStringLiteral("INSERT INTO clusters (identity) VALUES (?)"));
    query.addBindValue(identity);
    if (!query.exec())
        return -1;
    return query.lastInsertId().toLongLong();
}

QStringList HistoryStore::clusters()
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    QStringList identities;
    if (query.exec(QStringLiteral("SELECT identity FROM clusters ORDER BY identity"))) {
        while (query.next())
            identities << query.value(0).toString();
    }
    return identities;
}

bool HistoryStore::write(qint64 cluster, const std::vector<HistoryEvent> &events, QString *error)
{
    if (events.empty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral(
        "INSERT INTO events (cluster, time, kind, member, detail, key, value, has_value, "
        "from_status, to_status, count, extra) VALUES (?, ?, ?, COALESCE(?, ''), COALESCE(?, ''), "
        "?, ?, ?, ?, ?, ?, ?)"));
    QSqlQuery update(db);
    update.prepare(QStringLiteral(
        "UPDATE events SET time = ?, detail = COALESCE(?, ''), count = ?, extra = ? WHERE id = ?"));
    if (m_summaryRows.size() > kMaxSummaryRows)
        m_summaryRows.clear();
    auto text = [](const QString &value) { return value.isEmpty() ? QVariant() : QVariant(value); };
    for (const HistoryEvent &event : events) {
        const QString extra = event.extra.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(event.extra).toJson(QJsonDocument::Compact));
        const qint64 row
            = event.summaryKey.isEmpty() ? -1 : m_summaryRows.value(event.summaryKey, -1);
        if (row >= 0) {
            update.addBindValue(event.time.toMSecsSinceEpoch());
            update.addBindValue(event.detail);
            update.addBindValue(event.count);
            update.addBindValue(text(extra));
            update.addBindValue(row);
            if (update.exec())
                continue;
            if (error)
                *error = update.lastError().text();
            db.rollback();
            m_summaryRows.clear();
            return false;
        }
        insert.addBindValue(cluster);
        insert.addBindValue(event.time.toMSecsSinceEpoch());
        insert.addBindValue(event.kind);
        insert.addBindValue(event.member);
        insert.addBindValue(event.detail);
        insert.addBindValue(text(event.key));
        // A present but empty value is stored as an empty blob, not NULL: has_value tells.
        insert.addBindValue(event.value
                ? QVariant(event.value->isNull() ? QByteArray("", 0) : *event.value)
                : QVariant());
        insert.addBindValue(event.value ? 1 : 0);
        insert.addBindValue(text(event.from));
        insert.addBindValue(text(event.to));
        insert.addBindValue(event.count);
        insert.addBindValue(text(extra));
        if (!insert.exec()) {
            if (error)
                *error = insert.lastError().text();
            db.rollback();
            m_summaryRows.clear(); // rows of this batch are gone
            return false;
        }
        if (!event.summaryKey.isEmpty())
            m_summaryRows.insert(event.summaryKey, insert.lastInsertId().toLongLong());
    }
    if (!db.commit()) {
        if (error)
            *error = db.lastError().text();
        db.rollback();
        m_summaryRows.clear();
        return false;
    }
    return true;
}

QList<HistoryEvent> HistoryStore::read(const HistoryQuery &request)
{
    QList<HistoryEvent> events;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QStringList conditions;
    QVariantList binds;
    if (!request.cluster.isEmpty()) {
        conditions << QStringLiteral("c.identity = ?");
        binds << request.cluster;
    }
    if (request.since.isValid()) {
        conditions << QStringLiteral("e.time >= ?");
        binds << request.since.toMSecsSinceEpoch();
    }
    if (!request.member.isEmpty()) {
        conditions << QStringLiteral("e.member = ?");
        binds << request.member;
    }
    QString sql = QStringLiteral(
        "SELECT e.time, e.kind, e.member, e.detail, e.key, e.value, e.has_value, e.from_status, "
        "e.to_status, e.count, e.extra, c.identity, e.id FROM events e "
        "JOIN clusters c ON c.id = e.cluster");
    if (!conditions.isEmpty())
        sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    if (request.limit >= 0) {
        // The newest `limit`, then oldest first again.
        sql = QStringLiteral("SELECT * FROM (") + sql
            + QStringLiteral(" ORDER BY e.time DESC, e.id DESC LIMIT %1) ORDER BY 1, 13")
                  .arg(request.limit);
    } else {
        sql += QStringLiteral(" ORDER BY e.time, e.id");
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &bind : std::as_const(binds))
        query.addBindValue(bind);
    if (!query.exec())
        return events;
    while (query.next()) {
        HistoryEvent event;
        event.time = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong(), Qt::UTC);
        event.kind = query.value(1).toString();
        event.member = query.value(2).toString();
        event.detail = query.value(3).toString();
        event.key = query.value(4).toString();
        if (query.value(6).toInt() != 0)
            event.value = query.value(5).toByteArray();
        event.from = query.value(7).toString();
        event.to = query.value(8).toString();
        event.count = query.value(9).toLongLong();
        const QString extra = query.value(10).toString();
        if (!extra.isEmpty())
            event.extra = QJsonDocument::fromJson(extra.toUtf8()).object();
        event.cluster = query.value(11).toString();
        events.append(event);
    }
    return events;
}

qint64 HistoryStore::pragma(const QString &name)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(QStringLiteral("PRAGMA ") + name) && query.next())
        return query.value(0).toLongLong();
    return 0;
}

qint64 HistoryStore::usedBytes()
{
    return (pragma(QStringLiteral("page_count")) - pragma(QStringLiteral("freelist_count")))
        * pragma(QStringLiteral("page_size"));
}

qint64 HistoryStore::fileBytes()
{
    return pragma(QStringLiteral("page_count")) * pragma(QStringLiteral("page_size"));
}

qint64 HistoryStore::eventCount()
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(QStringLiteral("SELECT COUNT(*) FROM events")) && query.next())
        return query.value(0).toLongLong();
    return 0;
}

qint64 HistoryStore::prune(const HistoryLimits &limits, const QDateTime &now)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    qint64 deleted = 0;
    query.prepare(QStringLiteral("DELETE FROM events WHERE time < ?"));
    query.addBindValue(now.addDays(-qMax(0, limits.retentionDays)).toMSecsSinceEpoch());
    if (query.exec())
        deleted += query.numRowsAffected();
    // Over the cap: a tenth of the events at a time, oldest first, until it fits.
    for (int round = 0; round < 64 && usedBytes() > limits.maxBytes; ++round) {
        const qint64 count = eventCount();
        if (count == 0)
            break;
        query.prepare(QStringLiteral("DELETE FROM events WHERE id IN (SELECT id FROM events "
                                     "ORDER BY time, id LIMIT ?)"));
        query.addBindValue(std::max<qint64>(1, count / 10));
        if (!query.exec())
            break;
        deleted += query.numRowsAffected();
    }
    if (deleted > 0) {
        m_summaryRows.clear();
        // Qt steps a statement without rows once, and incremental_vacuum frees a page a step:
        // run it until the free list is empty (bounded, a few thousand pages a call).
        // One transaction for all of them.
        db.transaction();
        for (int round = 0; round < 1000000 && pragma(QStringLiteral("freelist_count")) > 0;
             ++round) {
            if (!query.exec(QStringLiteral("PRAGMA incremental_vacuum")))
                break;
        }
        db.commit();
        // Keep the WAL file from holding the deleted pages' copies.
        query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    return deleted;
}

} // namespace shoal::history
