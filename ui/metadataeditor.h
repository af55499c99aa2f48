// Edits the local member's metadata as a draft, applies it to ClusterMetadata and shows how far
// the new version has spread through the cluster.
#pragma once

#include "model/member.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace shoal {
class ClusterMetadata;
}

namespace shoal::ui {

class MetadataEditor final : public QWidget
{
    Q_OBJECT
public:
    enum Column { KeyColumn, HexColumn, ValueColumn, SizeColumn, ColumnCount };

    explicit MetadataEditor(QWidget *parent = nullptr);

    void setClusterMetadata(ClusterMetadata *metadata);
    void setMtu(int bytes);
    // Bytes of the datagram that would carry the local member with this mapping. The app sets
    // the codec's exact figure; the default is an estimate.
    void setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator);

    // The draft as it stands, or nullopt with a reason when it cannot be applied.
    std::optional<Metadata> draft(QString *problem = nullptr) const;
    bool isModified() const;

    // Test and scripting hooks, doing what the buttons do.
    int addKey(const QString &key = QString(), const QByteArray &value = QByteArray());
    void setRowValue(int row, const QString &text, bool hex);
    void removeRow(int row);
    int rowOfKey(const QString &key) const;
    bool apply();
    void revert();

    QTableWidget *table() const { return m_table; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *messageLabel() const { return m_message; }
    QString spreadText() const;

public slots:
    // The local member's clock after our last change (the service tells it).
    void setLocalClock(quint64 clock);
    // member acknowledged our member up to clock (a GossipAck about us).
    void noteAcknowledged(const QString &member, quint64 clock);
    // How many remote members could acknowledge (the available ones).
    void setPeerCount(int count);

signals:
    void applied(const shoal::Metadata &metadata);

private:
    Metadata appliedLocal() const;
    void reload();
    void fillRow(int row, const QString &key, const QByteArray &value);
    void onItemChanged();
    void onLocalChanged();
    void validate();
    void updateSpread();
    static qsizetype defaultEstimate(const Metadata &metadata);

    QPointer<ClusterMetadata> m_metadata;
    QTableWidget *m_table;
    QLabel *m_message;
    QProgressBar *m_size;
    QLabel *m_sizeNote;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QProgressBar *m_spread;
    QLabel *m_spreadLabel;
    std::function<qsizetype(const Metadata &)> m_estimator;
    int m_mtu = 1500;
    bool m_filling = false;
    quint64 m_localClock = 0;
    int m_peerCount = 0;
    QHash<QString, quint64> m_acked;
    Metadata m_baseline; // the applied mapping the rows were loaded from // member -> highest clock
                         // of ours it acknowledged
};

} // namespace shoal::ui
