// shoal-window: the window form of `shoal` (Qt Gui and Widgets), installed off PATH and exec'd
// by `shoal` in its own place (app/main.cpp): users never type it.
#include "app/commands.h"

int main(int argc, char **argv)
{
    return shoal::app::runWindow(argc, argv);
}
