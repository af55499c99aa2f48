// Natural order for names: digit runs compare as numbers, so 10.0.0.9 sorts before 10.0.0.10
// and 10.0.0.1:7946 before 10.0.0.1:17000.
#pragma once

#include <QStringView>

namespace shoal {

// <0, 0 or >0. Digit runs compare by value (leading zeros ignored, then fewer zeros first);
// other characters case-insensitively, then case-sensitively as a tie-break.
int naturalCompare(QStringView a, QStringView b);

} // namespace shoal
