// Which metadata values are shown: all, none (--hide-values, the window's Hide values), or all
// but the secret keys (pymap's `admin` holds a per-node secret: masked unless revealed).
#pragma once

#include <QSet>
#include <QString>

namespace shoal {

// What a hidden value reads as, everywhere.
inline QString maskedValueText()
{
    return QStringLiteral("\u2022\u2022\u2022\u2022");
}

class ValueMask
{
public:
    // Keys masked unless revealed: pymap's admin service puts a per-node secret under `admin`.
    static QSet<QString> defaultSecretKeys() { return { QStringLiteral("admin") }; }
    // What the window and the text forms start from: the default secret keys masked. A
    // default-constructed mask hides nothing (the models' default).
    static ValueMask withDefaultSecrets()
    {
        ValueMask mask;
        mask.setSecretKeys(defaultSecretKeys());
        return mask;
    }

    void setSecretKeys(const QSet<QString> &keys) { m_secretKeys = keys; }
    const QSet<QString> &secretKeys() const { return m_secretKeys; }
    void setHideAll(bool hide) { m_hideAll = hide; }
    bool hideAll() const { return m_hideAll; }
    // A revealed key is shown even while every other value is hidden (an explicit choice).
    void reveal(const QString &key) { m_revealed.insert(key); }
    void conceal(const QString &key) { m_revealed.remove(key); }
    void setRevealed(const QSet<QString> &keys) { m_revealed = keys; }
    const QSet<QString> &revealed() const { return m_revealed; }

    bool hides(const QString &key) const
    {
        if (m_revealed.contains(key))
            return false;
        return m_hideAll || m_secretKeys.contains(key);
    }

    bool operator==(const ValueMask &other) const
    {
        return m_hideAll == other.m_hideAll && m_secretKeys == other.m_secretKeys
            && m_revealed == other.m_revealed;
    }
    bool operator!=(const ValueMask &other) const { return !(*this == other); }

private:
    bool m_hideAll = false;
    QSet<QString> m_secretKeys;
    QSet<QString> m_revealed;
};

} // namespace shoal
