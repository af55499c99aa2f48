// The main window: members, values across the cluster, local metadata editor.
#pragma once

#include <QMainWindow>

namespace shoal::ui {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    void setLocalName(const QString &name);
};

} // namespace shoal::ui
