// The details pane's model: one member's keys and values and a one-line summary, kept from the
// members table and the metadata mirror by the changes that concern that member only.
#pragma once

#include "model/member.h"
#include "model/secretkeys.h"

#include <QAbstractTableModel>
#include <QList>
#include <QMetaObject>
#include <QPair>
#include <QPointer>
#include <QString>

#include <optional>

namespace shoal {

class ClusterMetadata;
class MemberTableModel;

class MemberDetailsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { KeyColumn, ValueColumn, ColumnCount };

    explicit MemberDetailsModel(QObject *parent = nullptr);
    ~MemberDetailsModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // members: the records (status, clock, instance); metadata: the mirror, fresher than the
    // last batch for remote members and the truth for the local one. Either may be null.
    void setSources(MemberTableModel *members, ClusterMetadata *metadata);
    // Shows this member (empty: none).
    void setMember(const QString &name);
    QString member() const { return m_name; }
    bool isLocal() const { return m_local; }
    // "● ONLINE, clock 7, validity 0102…", empty when the member has no record.
    QString summary() const { return m_summary; }
    // Values read as dots (and no byte count), as in the other views: all of them, or those
    // the mask hides (secret keys such as pymap's `admin`).
    void setValuesHidden(bool hidden);
    void setValueMask(const ValueMask &mask);
    // Re-reads the member: rows inserted, removed and changed as needed, never a reset.
    void refresh();

signals:
    void summaryChanged();

private:
    using Row = QPair<QString, QByteArray>;
    std::optional<Metadata> currentMetadata() const;
    void replaceRows(const QList<Row> &rows, bool unknown);

    QPointer<MemberTableModel> m_members;
    QPointer<ClusterMetadata> m_metadata;
    QList<QMetaObject::Connection> m_connections;
    QString m_name;
    bool m_local = false;
    QString m_summary;
    QList<Row> m_rows; // sorted by key
    bool m_unknown = false; // no metadata known: one explanatory row
    ValueMask m_mask;
};

} // namespace shoal
