#include "model/naturalcompare.h"

namespace shoal {

namespace {

qsizetype digitRunEnd(QStringView text, qsizetype from)
{
    while (from < text.size() && text.at(from).isDigit())
        ++from;
    return from;
}

} // namespace

int naturalCompare(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    int tieBreak = 0;
    while (i < a.size() && j < b.size()) {
        const QChar ca = a.at(i);
        const QChar cb = b.at(j);
        if (ca.isDigit() && cb.isDigit()) {
            const qsizetype endA = digitRunEnd(a, i);
            const qsizetype endB = digitRunEnd(b, j);
            qsizetype startA = i;
            qsizetype startB = j;
            while (startA + 1 < endA && a.at(startA) == QLatin1Char('0'))
                ++startA;
            while (startB + 1 < endB && b.at(startB) == QLatin1Char('0'))
                ++startB;
            const qsizetype lengthA = endA - startA;
            const qsizetype lengthB = endB - startB;
            if (lengthA != lengthB)
                return lengthA < lengthB ? -1 : 1;
            for (qsizetype k = 0; k < lengthA; ++k) {
                const int da = a.at(startA + k).digitValue();
                const int db = b.at(startB + k).digitValue();
                if (da != db)
                    return da < db ? -1 : 1;
            }
            if (tieBreak == 0 && (endA - i) != (endB - j))
                tieBreak = (endA - i) < (endB - j) ? -1 : 1;
            i = endA;
            j = endB;
            continue;
        }
        const QChar la = ca.toCaseFolded();
        const QChar lb = cb.toCaseFolded();
        if (la != lb)
            return la.unicode() < lb.unicode() ? -1 : 1;
        if (tieBreak == 0 && ca != cb)
            tieBreak = ca.unicode() < cb.unicode() ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size())
        return 1;
    if (j < b.size())
        return -1;
    return tieBreak;
}

} // namespace shoal
