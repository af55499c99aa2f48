// A cluster history database (SQLite through Qt SQL, WAL mode): one connection, used from one
// thread. The writer thread and the readers (`shoal history`, the window's preload) each open
// their own. Events are kept per cluster, pruned by age and by size.
#pragma once

#include "history/historyevent.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace shoal::history {

struct HistoryLimits
{
    int retentionDays = 30; // events older than this are deleted
    qint64 maxBytes = qint64(256) << 20; // the oldest events go first above this size
};

struct HistoryQuery
{
    QString cluster; // identity; empty: every cluster
    QDateTime since; // invalid: from the oldest
    QString member; // empty: every member
    int limit = -1; // the newest `limit` events (still returned oldest first); -1: all
};

// Where the window and `shoal history` keep it: history.sqlite in the user's data location
// ($XDG_DATA_HOME/shoal, usually ~/.local/share/shoal); SHOAL_HISTORY_FILE overrides it.
QString defaultHistoryPath();

class HistoryStore final
{
public:
    HistoryStore();
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Opens (creating the folder, file and tables when missing). readOnly: fails when the file
    // does not exist instead of creating it. False with a one-line *error.
    bool open(const QString &path, QString *error, bool readOnly = false);
    bool isOpen() const;

    // The cluster's row id, created when missing (create); -1 when unknown or on error.
    qint64 clusterId(const QString &identity, bool create);
    QStringList clusters();

    // One transaction. Events with a summaryKey replace the row written earlier under that key
    // by this store (a running per-minute sum), else they are new rows.
    bool write(qint64 cluster, const std::vector<HistoryEvent> &events, QString *error = nullptr);
    QList<HistoryEvent> read(const HistoryQuery &query);

    // Deletes what is older than the retention, then the oldest events until the data fits
    // maxBytes, and gives the freed pages back to the file system. Returns events deleted.
    qint64 prune(const HistoryLimits &limits, const QDateTime &now);
    qint64 usedBytes(); // pages in use x page size
    qint64 fileBytes(); // pages in the file x page size
    qint64 eventCount();

private:
    qint64 pragma(const QString &name);

    QString m_connection;
    QHash<QString, qint64> m_summaryRows; // summaryKey -> row id
};

} // namespace shoal::history
