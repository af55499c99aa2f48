// The local metadata editor: stages edits in LocalMetadataModel (add, rename, edit, delete, text
// or hex), applies them to ClusterMetadata, and shows the packet size and how far they spread.
#pragma once

#include "model/member.h"
#include "model/spreadtracker.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
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
    // Hides the rows whose key does not contain the text (any case).
    QLineEdit *filterEdit() const { return m_filter; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *sizeNote() const { return m_sizeNote; }
    QString spreadText() const;

    // Where the spread bar reads from (the session's tracker); the editor's own one until set.
    void setSpreadTracker(SpreadTracker *tracker);
    SpreadTracker *spreadTracker() const { return m_tracker; }
    // Whether the spread row is shown: only for protocols that report acknowledgements.
    void setSpreadShown(bool shown);

private:
    void updateButtons();
    void applyFilter();
    void updateSize();
    void updateSpread();
    void syncHexBox();

    LocalMetadataModel *m_model;
    QTableView *m_view;
    QLineEdit *m_filter = nullptr;
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
    QLabel *m_spreadTitle = nullptr;
    SpreadTracker *m_ownTracker;
    QPointer<SpreadTracker> m_tracker;
    QMetaObject::Connection m_trackerConnection;
};

} // namespace shoal::ui
