// The protocol page of the join dialog, as a backend describes it: presets, numeric fields and
// choices, each named after its command-line option, so that the dialog needs no protocol
// knowledge and the app turns the answers into options exactly as if typed.
#pragma once

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

#include <functional>

namespace shoal::cluster {

struct ProtocolField
{
    QString option; // "ping-interval": answered as --ping-interval VALUE
    QString label;
    double minimum = 0;
    double maximum = 0;
    int decimals = 0; // 0: a whole number
    QString suffix; // " s"
};

struct ProtocolPreset
{
    QString id; // the value of the form's preset option ("swim")
    QString label;
    // Field values, by option; a preset without values is "custom": the fields are editable.
    QMap<QString, double> values;
};

struct ProtocolChoice
{
    QString option; // "role": answered as --role VALUE
    QString label;
    QList<QPair<QString, QString>> items; // value, text; the first is the default
};

struct ProtocolForm
{
    QString protocol; // the --protocol value ("swim", "serf")
    QString name; // as the dialog's protocol choice shows it ("swim-protocol", "Serf")
    QString title; // of the fields' box
    QString presetOption; // "profile"; empty: no presets
    QString presetLabel;
    QList<ProtocolPreset> presets; // the first is the default
    QList<ProtocolField> fields;
    QList<ProtocolChoice> choices;
    QString note; // what a user should know before joining, or empty
    // The local port the join dialog proposes: a fixed one, so that a member remote members
    // can reach is the same member on every run (0: any free port).
    quint16 localPort = 0;
    // What the secret field means for this protocol; empty texts keep the dialog's own (a
    // shared secret, required). secretOptional: empty is valid (Serf: an unencrypted cluster).
    QString secretLabel;
    QString secretPlaceholder;
    QString secretFilePlaceholder;
    bool secretOptional = false;
    // Why a typed secret is refused (empty when fine), handed in by the app so that the dialog
    // and the command line check it in one place; unset: any non-empty text.
    std::function<QString(const QString &)> checkSecret;
};

} // namespace shoal::cluster
