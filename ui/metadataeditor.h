// The local metadata editor: stages edits in LocalMetadataModel (add, rename, edit, delete, text
// or hex), applies them to ClusterMetadata, and shows the packet size and how far they spread.
#pragma once

#include "model/member.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace shoal {
class ClusterMetadata;
class LocalMetadataModel;
} // namespace shoal

namespace shoal::ui {

class MetadataEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit MetadataEditor(QWidget *parent = nullptr);
    ~MetadataEditor() override;

    void setClusterMetadata(ClusterMetadata *metadata);
    void setLocalName(const QString &name);
    void setMtu(int bytes);
    // The exact datagram size, when the app has an encoder; the model's estimate otherwise.
    void setSizeEstimator(std::function<qsizetype(const Metadata &)> estimator);

    LocalMetadataModel *model() const { return m_model; }
    bool isModified() const;
    Metadata staged() const;

    // What the buttons and cells do, for tests and scripts. Rows are the model's.
    int addKey(const QString &key, const QByteArray &value = QByteArray());
    bool setRowText(int row, const QString &text, bool hex);
    bool renameRow(int row, const QString &key);
    void removeRow(int row);
    int rowOfKey(const QString &key) const;
    bool apply();
    void revert();

    QTableView *view() const { return m_view; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *sizeNote() const { return m_sizeNote; }
    QString spreadText() const;

public slots:
    // The local member's clock (the service reports it after every change).
    void setLocalClock(quint64 clock);
    // member holds our member up to clock (it acknowledged that version).
    void noteAcknowledged(const QString &member, quint64 clock);
    // How many remote members could acknowledge (the available ones).
    void setPeerCount(int count);

private:
    void updateButtons();
    void updateSize();
    void updateSpread();
    void syncHexBox();

    LocalMetadataModel *m_model;
    QTableView *m_view;
    QLabel *m_message;
    QProgressBar *m_size;
    QLabel *m_sizeNote;
    QPushButton *m_add;
    QPushButton *m_remove;
    QCheckBox *m_hex;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QProgressBar *m_spread;
    QLabel *m_spreadLabel;
    quint64 m_localClock = 0;
    int m_peerCount = 0;
    QHash<QString, quint64> m_acked; // member -> newest clock of ours it holds
};

} // namespace shoal::ui
