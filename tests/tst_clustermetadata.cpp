// ClusterMetadata against pymap's test/test_cluster.py (local, listen, remote, get_all) and the
// cases it misses: replacing a member, a key only local, empty and binary values, no-op silence.
#include "model/clustermetadata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace shoal;

namespace {

QByteArray bytes(const char *text)
{
    return QByteArray(text);
}

// pymap's _Member: metadata {'name': name}.
Metadata nameMetadata(const QString &name)
{
    return Metadata { { QStringLiteral("name"), name.toUtf8() } };
}

QSet<QByteArray> byteSet(std::initializer_list<const char *> values)
{
    QSet<QByteArray> set;
    for (const char *value : values)
        set.insert(QByteArray(value));
    return set;
}

std::optional<QByteArray> optionalValue(const QVariant &variant)
{
    return variant.value<std::optional<QByteArray>>();
}

} // namespace

class TestClusterMetadata final : public QObject
{
    Q_OBJECT
private slots:
    // pymap test_local
    void local()
    {
        ClusterMetadata metadata;
        QCOMPARE(metadata.local().size(), 0);
        const Metadata data { { QStringLiteral("one"), bytes("1") },
            { QStringLiteral("two"), bytes("2") }, { QStringLiteral("three"), bytes("3") } };
        for (auto it = data.cbegin(); it != data.cend(); ++it)
            metadata.setLocal(it.key(), it.value());
        QCOMPARE(metadata.local(), data);
        QVERIFY(metadata.removeLocal(QStringLiteral("two")));
        QCOMPARE(metadata.local().value(QStringLiteral("one")), bytes("1"));
        QVERIFY(!metadata.local().contains(QStringLiteral("two")));
        QCOMPARE(metadata.local().value(QStringLiteral("three")), bytes("3"));
    }

    // pymap test_listen: the callback mock becomes a QSignalSpy; the weakly held arg becomes a
    // receiver object whose destruction ends the connection.
    void listen()
    {
        ClusterMetadata metadata;
        metadata.setLocal(QStringLiteral("one"), bytes("1"));

        // A consumer that connects later gets the current mapping at once (pymap's listen()).
        QList<Metadata> received;
        auto receiver = std::make_unique<QObject>();
        metadata.listen(
            receiver.get(), [&received](const Metadata &local) { received.append(local); });
        QCOMPARE(received.size(), 1);
        QSignalSpy spy(&metadata, &ClusterMetadata::localChanged);
        QSignalSpy keySpy(&metadata, &ClusterMetadata::localKeyChanged);
        QCOMPARE(received.last(), (Metadata { { QStringLiteral("one"), bytes("1") } }));

        metadata.setLocal(QStringLiteral("two"), bytes("2"));
        const Metadata oneTwo { { QStringLiteral("one"), bytes("1") },
            { QStringLiteral("two"), bytes("2") } };
        QCOMPARE(received.last(), oneTwo);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.last().at(0).value<Metadata>(), oneTwo);
        QCOMPARE(keySpy.last().at(0).toString(), QStringLiteral("two"));

        QVERIFY(metadata.removeLocal(QStringLiteral("two")));
        QCOMPARE(received.last(), (Metadata { { QStringLiteral("one"), bytes("1") } }));
        QCOMPARE(keySpy.last().at(0).toString(), QStringLiteral("two"));

        metadata.setLocal(QStringLiteral("one"), bytes("one"));
        QCOMPARE(received.last(), (Metadata { { QStringLiteral("one"), bytes("one") } }));
        QCOMPARE(keySpy.last().at(0).toString(), QStringLiteral("one"));
        QCOMPARE(spy.size(), 3);
        QCOMPARE(received.size(), 4);

        // The receiver goes away (pymap: del arg): it is called no more.
        receiver.reset();
        metadata.setLocal(QStringLiteral("three"), bytes("3"));
        QCOMPARE(received.size(), 4);
        QCOMPARE(spy.size(), 4);
        QCOMPARE(metadata.local(),
            (Metadata { { QStringLiteral("one"), bytes("one") },
                { QStringLiteral("three"), bytes("3") } }));
    }

    // pymap test_remote; "del member2" (garbage collection in pymap) is an explicit discard here.
    void remote()
    {
        ClusterMetadata metadata;
        QSignalSpy added(&metadata, &ClusterMetadata::memberAdded);
        QSignalSpy discarded(&metadata, &ClusterMetadata::memberDiscarded);
        QSignalSpy values(&metadata, &ClusterMetadata::remoteValueChanged);
        metadata.add(QStringLiteral("one"), nameMetadata(QStringLiteral("one")));
        metadata.add(QStringLiteral("two"), nameMetadata(QStringLiteral("two")));
        QCOMPARE(
            metadata.memberNames(), (QStringList { QStringLiteral("one"), QStringLiteral("two") }));
        QCOMPARE(metadata.size(), 2);
        QVERIFY(metadata.contains(QStringLiteral("one")));
        QVERIFY(metadata.contains(QStringLiteral("two")));
        QStringList iterated;
        for (auto it = metadata.begin(); it != metadata.end(); ++it)
            iterated << it.key() + QLatin1Char('=')
                    + QString::fromUtf8(it.value().value(QStringLiteral("name")));
        QCOMPARE(iterated, (QStringList { QStringLiteral("one=one"), QStringLiteral("two=two") }));
        QCOMPARE(added.size(), 2);
        QCOMPARE(values.size(), 2);
        QCOMPARE(metadata.remote().size(), 1);
        QCOMPARE(metadata.remote(),
            (RemoteMetadata { { QStringLiteral("name"),
                MemberValues { { QStringLiteral("one"), bytes("one") },
                    { QStringLiteral("two"), bytes("two") } } } }));

        metadata.discard(QStringLiteral("two"));
        QCOMPARE(metadata.remote(),
            (RemoteMetadata { { QStringLiteral("name"),
                MemberValues { { QStringLiteral("one"), bytes("one") } } } }));
        QCOMPARE(values.size(), 3);
        QCOMPARE(values.last().at(0).toString(), QStringLiteral("name"));
        QCOMPARE(values.last().at(1).toString(), QStringLiteral("two"));
        QCOMPARE(optionalValue(values.last().at(2)), std::nullopt);
        QCOMPARE(discarded.size(), 1);

        // pymap keeps {'name': {}} here; Shoal drops the key (see ClusterMetadata's comment).
        metadata.discard(QStringLiteral("one"));
        QVERIFY(metadata.remote().isEmpty());
        QVERIFY(!metadata.remote().contains(QStringLiteral("name")));
        QCOMPARE(metadata.size(), 0);
        QCOMPARE(discarded.size(), 2);

        // Absent: silently nothing.
        metadata.discard(QStringLiteral("one"));
        QCOMPARE(discarded.size(), 2);
        QCOMPARE(values.size(), 4);
    }

    // pymap test_get_all
    void getAll()
    {
        ClusterMetadata metadata;
        metadata.add(QStringLiteral("one"), nameMetadata(QStringLiteral("one")));
        metadata.add(QStringLiteral("two"), nameMetadata(QStringLiteral("two")));
        metadata.setLocal(QStringLiteral("name"), bytes("three"));
        QCOMPARE(metadata.getAll(QStringLiteral("name")), byteSet({ "one", "two", "three" }));
        // A value shared by several members counts once.
        metadata.add(QStringLiteral("four"), nameMetadata(QStringLiteral("one")));
        QCOMPARE(metadata.getAll(QStringLiteral("name")).size(), 3);
        QVERIFY(metadata.getAll(QStringLiteral("unknown")).isEmpty());
    }

    // Replays 238 random operations recorded from pymap's own ClusterMetadata (generated once
    // from pymap and kept in tests/data): members, local, remote, getAll and the number of
    // listen() calls agree after every step. Two documented differences are built into the
    // data: pymap's empty remote keys are left out, and no replacement drops a key (pymap keeps
    // the dropped key's old value; Shoal removes it, see replacingMember).
    void matchesPymap()
    {
        QFile file(QStringLiteral(SHOAL_TEST_DATA "/pymap-cluster-metadata-ops.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray steps = QJsonDocument::fromJson(file.readAll())
                                     .object()
                                     .value(QStringLiteral("steps"))
                                     .toArray();
        QVERIFY(steps.size() > 200);
        auto hex = [](const QJsonValue &value) {
            return QByteArray::fromHex(value.toString().toLatin1());
        };
        ClusterMetadata metadata;
        QSignalSpy localChanged(&metadata, &ClusterMetadata::localChanged);
        int index = 0;
        for (const QJsonValue &stepValue : steps) {
            const QJsonObject step = stepValue.toObject();
            const QString op = step.value(QStringLiteral("op")).toString();
            const QString context = QStringLiteral("step %1 (%2)").arg(index++).arg(op);
            localChanged.clear();
            if (op == QStringLiteral("add")) {
                Metadata data;
                const QJsonObject json = step.value(QStringLiteral("metadata")).toObject();
                for (auto it = json.begin(); it != json.end(); ++it)
                    data.insert(it.key(), hex(it.value()));
                metadata.add(step.value(QStringLiteral("member")).toString(), data);
            } else if (op == QStringLiteral("discard")) {
                metadata.discard(step.value(QStringLiteral("member")).toString());
            } else if (op == QStringLiteral("set")) {
                metadata.setLocal(step.value(QStringLiteral("key")).toString(),
                    hex(step.value(QStringLiteral("value"))));
            } else if (op == QStringLiteral("del")) {
                QVERIFY2(metadata.removeLocal(step.value(QStringLiteral("key")).toString()),
                    qPrintable(context));
            } else {
                QFAIL(qPrintable(context));
            }
            const QJsonObject expect = step.value(QStringLiteral("expect")).toObject();
            QStringList members;
            for (const QJsonValue &name : expect.value(QStringLiteral("members")).toArray())
                members << name.toString();
            QVERIFY2(metadata.memberNames() == members, qPrintable(context));
            Metadata local;
            const QJsonObject localJson = expect.value(QStringLiteral("local")).toObject();
            for (auto it = localJson.begin(); it != localJson.end(); ++it)
                local.insert(it.key(), hex(it.value()));
            QVERIFY2(metadata.local() == local, qPrintable(context));
            RemoteMetadata remote;
            const QJsonObject remoteJson = expect.value(QStringLiteral("remote")).toObject();
            for (auto it = remoteJson.begin(); it != remoteJson.end(); ++it) {
                const QJsonObject values = it.value().toObject();
                for (auto value = values.begin(); value != values.end(); ++value)
                    remote[it.key()].insert(value.key(), hex(value.value()));
            }
            QVERIFY2(metadata.remote() == remote, qPrintable(context));
            const QJsonObject getAll = expect.value(QStringLiteral("get_all")).toObject();
            for (auto it = getAll.begin(); it != getAll.end(); ++it) {
                QSet<QByteArray> expected;
                if (it.value().isNull()) {
                    // pymap raises KeyError (never held remotely); Shoal answers the local part.
                    if (local.contains(it.key()))
                        expected.insert(local.value(it.key()));
                } else {
                    for (const QJsonValue &value : it.value().toArray())
                        expected.insert(hex(value));
                }
                QVERIFY2(metadata.getAll(it.key()) == expected,
                    qPrintable(context + QStringLiteral(" key ") + it.key()));
            }
            QVERIFY2(localChanged.size() == expect.value(QStringLiteral("local_calls")).toInt(),
                qPrintable(context));
        }
    }

    void signalOrder()
    {
        ClusterMetadata metadata;
        QStringList events;
        connect(&metadata, &ClusterMetadata::memberAdded, this,
            [&](const QString &name) { events << QStringLiteral("added ") + name; });
        connect(&metadata, &ClusterMetadata::memberDiscarded, this,
            [&](const QString &name) { events << QStringLiteral("discarded ") + name; });
        connect(&metadata, &ClusterMetadata::remoteValueChanged, this,
            [&](const QString &key, const QString &member, const std::optional<QByteArray> &v) {
                events << key + QLatin1Char(' ') + member + QLatin1Char(' ')
                        + (v ? QString::fromUtf8(*v) : QStringLiteral("gone"));
                // The store is already updated when the signal arrives.
                QCOMPARE(metadata.remote(key).contains(member), v.has_value());
            });
        metadata.add(QStringLiteral("a"), nameMetadata(QStringLiteral("a")));
        metadata.discard(QStringLiteral("a"));
        QCOMPARE(events,
            (QStringList { QStringLiteral("added a"), QStringLiteral("name a a"),
                QStringLiteral("name a gone"), QStringLiteral("discarded a") }));
    }

    void replacingMember()
    {
        ClusterMetadata metadata;
        metadata.add(QStringLiteral("m"),
            Metadata { { QStringLiteral("keep"), bytes("k") },
                { QStringLiteral("change"), bytes("old") },
                { QStringLiteral("drop"), bytes("d") } });
        QSignalSpy added(&metadata, &ClusterMetadata::memberAdded);
        QSignalSpy discarded(&metadata, &ClusterMetadata::memberDiscarded);
        QSignalSpy values(&metadata, &ClusterMetadata::remoteValueChanged);
        metadata.add(QStringLiteral("m"),
            Metadata { { QStringLiteral("keep"), bytes("k") },
                { QStringLiteral("change"), bytes("new") },
                { QStringLiteral("fresh"), bytes("f") } });
        QCOMPARE(metadata.size(), 1);
        QCOMPARE(added.size(), 0); // a replacement, not a new member
        QCOMPARE(discarded.size(), 0);
        // Exactly: drop disappears, change changes, fresh appears; keep says nothing.
        QCOMPARE(values.size(), 3);
        QMap<QString, std::optional<QByteArray>> seen;
        for (const auto &args : std::as_const(values)) {
            QCOMPARE(args.at(1).toString(), QStringLiteral("m"));
            seen.insert(args.at(0).toString(), optionalValue(args.at(2)));
        }
        QCOMPARE(seen.value(QStringLiteral("drop")), std::nullopt);
        QCOMPARE(seen.value(QStringLiteral("change")), std::optional(bytes("new")));
        QCOMPARE(seen.value(QStringLiteral("fresh")), std::optional(bytes("f")));
        QVERIFY(!metadata.remote().contains(QStringLiteral("drop")));
        QCOMPARE(
            metadata.remote(QStringLiteral("change")).value(QStringLiteral("m")), bytes("new"));
        QCOMPARE(metadata.memberMetadata(QStringLiteral("m"))->value(QStringLiteral("fresh")),
            bytes("f"));

        // Replacing with identical metadata emits nothing.
        metadata.add(QStringLiteral("m"), *metadata.memberMetadata(QStringLiteral("m")));
        QCOMPARE(values.size(), 3);

        // A record with unknown metadata replaces with an empty mapping: every value goes.
        MemberRecord record;
        record.name = QStringLiteral("m");
        metadata.add(record);
        QVERIFY(metadata.contains(QStringLiteral("m")));
        QVERIFY(metadata.remote().isEmpty());
        QCOMPARE(values.size(), 6);
    }

    void keyOnlyLocal()
    {
        ClusterMetadata metadata;
        metadata.add(QStringLiteral("r"), nameMetadata(QStringLiteral("r")));
        metadata.setLocal(QStringLiteral("mine"), bytes("x"));
        QVERIFY(!metadata.remote().contains(QStringLiteral("mine")));
        QVERIFY(metadata.remote(QStringLiteral("mine")).isEmpty());
        QCOMPARE(metadata.getAll(QStringLiteral("mine")), byteSet({ "x" }));
        QCOMPARE(
            metadata.allKeys(), (QStringList { QStringLiteral("mine"), QStringLiteral("name") }));
        // The local value never shows as a remote one.
        QCOMPARE(metadata.getAll(QStringLiteral("name")), byteSet({ "r" }));
    }

    void emptyValues()
    {
        ClusterMetadata metadata;
        QSignalSpy spy(&metadata, &ClusterMetadata::localChanged);
        metadata.setLocal(QStringLiteral("empty"), QByteArray());
        QCOMPARE(spy.size(), 1);
        QVERIFY(metadata.local().contains(QStringLiteral("empty")));
        QVERIFY(metadata.local().value(QStringLiteral("empty")).isEmpty());
        // Empty again (null or not) is the same value.
        metadata.setLocal(QStringLiteral("empty"), QByteArray(""));
        QCOMPARE(spy.size(), 1);

        metadata.add(QStringLiteral("r"), Metadata { { QStringLiteral("empty"), QByteArray() } });
        QVERIFY(metadata.remote().contains(QStringLiteral("empty")));
        QCOMPARE(metadata.getAll(QStringLiteral("empty")), QSet<QByteArray> { QByteArray() });
        // An empty mapping is a member with no values.
        metadata.add(QStringLiteral("bare"), Metadata {});
        QVERIFY(metadata.contains(QStringLiteral("bare")));
        QCOMPARE(metadata.remote().size(), 1);
        // An empty key is kept like any other.
        metadata.setLocal(QString(), bytes("v"));
        QCOMPARE(metadata.local().value(QString()), bytes("v"));
    }

    void binaryValues()
    {
        ClusterMetadata metadata;
        const QByteArray binary = QByteArray::fromHex("00ff80fe0a00c3");
        const QByteArray binary2 = QByteArray::fromHex("00ff80fe0a00c4");
        metadata.setLocal(QStringLiteral("bin"), binary);
        QCOMPARE(metadata.local().value(QStringLiteral("bin")), binary);
        QCOMPARE(metadata.local().value(QStringLiteral("bin")).size(), 7);
        metadata.add(QStringLiteral("r"), Metadata { { QStringLiteral("bin"), binary2 } });
        QCOMPARE(metadata.getAll(QStringLiteral("bin")), (QSet<QByteArray> { binary, binary2 }));
        QSignalSpy spy(&metadata, &ClusterMetadata::localChanged);
        // A value differing only after an embedded NUL is a different value.
        metadata.setLocal(QStringLiteral("bin"), binary2);
        QCOMPARE(spy.size(), 1);
    }

    void unchangedValueEmitsNothing()
    {
        ClusterMetadata metadata;
        metadata.setLocal(QStringLiteral("one"), bytes("1"));
        metadata.add(QStringLiteral("r"), nameMetadata(QStringLiteral("r")));
        QSignalSpy local(&metadata, &ClusterMetadata::localChanged);
        QSignalSpy key(&metadata, &ClusterMetadata::localKeyChanged);
        QSignalSpy remote(&metadata, &ClusterMetadata::remoteValueChanged);
        QSignalSpy added(&metadata, &ClusterMetadata::memberAdded);
        QSignalSpy discarded(&metadata, &ClusterMetadata::memberDiscarded);

        metadata.setLocal(QStringLiteral("one"), bytes("1"));
        metadata.setLocalMetadata(Metadata { { QStringLiteral("one"), bytes("1") } });
        QVERIFY(!metadata.removeLocal(QStringLiteral("absent")));
        metadata.add(QStringLiteral("r"), nameMetadata(QStringLiteral("r")));
        metadata.discard(QStringLiteral("absent"));

        QCOMPARE(local.size(), 0);
        QCOMPARE(key.size(), 0);
        QCOMPARE(remote.size(), 0);
        QCOMPARE(added.size(), 0);
        QCOMPARE(discarded.size(), 0);

        // ...and a real change does speak, so the spies above could have failed.
        metadata.setLocal(QStringLiteral("one"), bytes("2"));
        QCOMPARE(local.size(), 1);
        QCOMPARE(key.size(), 1);
    }

    void replacingWholeLocalMapping()
    {
        ClusterMetadata metadata;
        metadata.setLocalMetadata(Metadata { { QStringLiteral("a"), bytes("1") },
            { QStringLiteral("b"), bytes("2") }, { QStringLiteral("c"), bytes("3") } });
        QSignalSpy local(&metadata, &ClusterMetadata::localChanged);
        QSignalSpy key(&metadata, &ClusterMetadata::localKeyChanged);
        const Metadata next { { QStringLiteral("a"), bytes("1") },
            { QStringLiteral("b"), bytes("two") }, { QStringLiteral("d"), bytes("4") } };
        metadata.setLocalMetadata(next);
        QCOMPARE(local.size(), 1); // one gossip per edit
        QCOMPARE(local.last().at(0).value<Metadata>(), next);
        QStringList keys;
        for (const auto &args : std::as_const(key))
            keys << args.at(0).toString();
        keys.sort();
        QCOMPARE(
            keys, (QStringList { QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") }));
        QCOMPARE(metadata.local(), next);
    }
};

QTEST_GUILESS_MAIN(TestClusterMetadata)
#include "tst_clustermetadata.moc"
