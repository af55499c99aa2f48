// How far the local member's current record has spread: which peers acknowledged its clock,
// out of the available ones. One tracker for the editor's bar and the local metadata model.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace shoal {

class SpreadTracker final : public QObject
{
    Q_OBJECT
public:
    explicit SpreadTracker(QObject *parent = nullptr);

    // The local member's clock (reported after every change of it); 0 while unknown.
    void setLocalClock(quint64 clock);
    // peer holds our member up to clock (it acknowledged that version).
    void acknowledge(const QString &peer, quint64 clock);
    // How many remote members could acknowledge (the available ones).
    void setPeerCount(int count);
    // A new local mapping was applied: acknowledgements of the old one no longer count, even
    // before the backend reports the new clock.
    void forgetAcknowledgements();
    // Everything, for a new join.
    void clear();

    quint64 localClock() const { return m_localClock; }
    // Peers holding the current clock, and of how many (never fewer than have it).
    int acknowledged() const { return m_acknowledged; }
    int total() const { return std::max(m_peerCount, m_acknowledged); }

signals:
    void changed();

private:
    void recount();

    quint64 m_localClock = 0;
    int m_peerCount = 0;
    int m_acknowledged = 0;
    QHash<QString, quint64> m_acks; // peer -> newest clock of ours it holds
};

} // namespace shoal
