// How metadata values and times read as text in every model: text when UTF-8, else hex.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace shoal {

// True when value is valid UTF-8 without control characters other than tab and newline, so it
// can be shown (and edited) as text without losing or hiding anything.
bool isTextValue(const QByteArray &value);

// The value as it should read in a cell: the text itself when isTextValue(), else "0x" and
// lowercase hex; an empty value reads "(empty)". Longer than maxChars characters is cut and
// ends with "…" (values come from untrusted peers and can be large).
QString displayValue(const QByteArray &value, qsizetype maxChars = 120);

// Plain text as a tooltip that stays readable: HTML-escaped (a value that looks like markup
// shows as typed), lines broken at most every lineChars characters (at a blank when there is
// one, else anywhere: tokens and hex have none), as rich text so that Qt keeps the breaks.
QString tooltipText(const QString &plain, qsizetype lineChars = 72);

// Text from the cluster (names, keys, values, sources) made safe for a terminal or a log line:
// every control (C0, DEL, C1), format character (bidi embeddings, overrides and isolates
// U+202A-202E, U+2066-2069, marks U+200E/F, U+061C, zero-width characters, BOM), line and
// paragraph separator and lone surrogate is written as an escape (\x1b, \u202e, \U000e0001,
// \ud800), and a backslash as "\\", so nothing reaches the output raw and the escapes cannot be
// forged. Longer than maxChars characters (after escaping; < 0: no limit) is cut and ends
// with "…".
QString printableText(const QString &text, qsizetype maxChars = -1);

// Lowercase hex, bytes separated by a space ("00 ff 1a"), as the hex editor shows them.
QString hexValue(const QByteArray &value);
// Parses hex typed by a user: whitespace, ':' and '-' between digits are ignored, an optional
// "0x" prefix is allowed; nullopt for an odd digit count or a non-hex character.
std::optional<QByteArray> parseHexValue(const QString &text);

// A key must be non-empty and survive a UTF-8 round trip (no lone surrogates).
bool isValidKey(const QString &key);

// "now", "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "never" when then is invalid.
QString relativeTime(const QDateTime &then, const QDateTime &now);

} // namespace shoal
