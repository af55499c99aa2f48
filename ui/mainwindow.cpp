#include "ui/mainwindow.h"

namespace shoal::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setLocalName(QString());
    resize(1100, 700);
}

void MainWindow::setLocalName(const QString &name)
{
    setWindowTitle(name.isEmpty() ? QStringLiteral("Shoal") : QStringLiteral("Shoal ") + name);
}

} // namespace shoal::ui
