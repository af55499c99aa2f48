// The engine's update rules against the reference itself: tests/data/
// swim-members-reference.txt holds random sequences of gossip and local edits
// with the state that swimprotocol 0.6.3's Members reached after each step
// (status, clock, metadata of every member, next_clock); the engine must reach
// exactly the same states.
#include "net/swim/swimengine.h"

#include <QFile>
#include <QTest>

using namespace shoal;
using namespace shoal::swim;

namespace {

QString nameOf(int i)
{
    return QStringLiteral("n%1:1").arg(i);
}

std::optional<WireMetadata> metadataOf(const QString &text)
{
    if (text == u"-")
        return std::nullopt;
    WireMetadata result;
    if (text == u"{}")
        return result;
    for (const QString &pair : text.split(u',')) {
        const qsizetype eq = pair.indexOf(u'=');
        result.append({ pair.left(eq), pair.mid(eq + 1).toUtf8() });
    }
    return result;
}

WireStatus statusOf(int value)
{
    return value == 1 ? WireStatus::Online : value == 2 ? WireStatus::Offline : WireStatus::Suspect;
}

QString stateOf(const SwimEngine &engine)
{
    QStringList parts { QStringLiteral("next=%1").arg(engine.nextClock()) };
    for (int i = 0; i < 6; ++i) {
        const auto r = engine.member(nameOf(i));
        if (!r) {
            parts.append(QStringLiteral("%1:none").arg(i));
            continue;
        }
        QString metadata = QStringLiteral("-");
        if (r->metadata) {
            metadata = QStringLiteral("{");
            for (auto it = r->metadata->cbegin(); it != r->metadata->cend(); ++it)
                metadata += it.key() + u'=' + QString::fromUtf8(it.value()) + u';';
            metadata += u'}';
        }
        // The reference keeps a member never given a status OFFLINE at clock 0; Shoal reports
        // it UNKNOWN, the same state.
        const MemberStatus status
            = r->status == MemberStatus::Unknown ? MemberStatus::Offline : r->status;
        parts.append(QStringLiteral("%1:%2,%3,%4")
                         .arg(i)
                         .arg(memberStatusName(status))
                         .arg(r->clock)
                         .arg(metadata));
    }
    return parts.join(u' ');
}

std::unique_ptr<SwimEngine> freshEngine()
{
    MemberConfig c;
    c.localName = nameOf(0);
    c.peers = QStringList { nameOf(1), nameOf(2) };
    c.localMetadata = { { QStringLiteral("a"), QByteArray("1") } };
    c.role = Role::Participant;
    EngineOptions options;
    options.clockAboveGossipAboutUs = false; // the reference's rule, compared step by step
    options.refuseReplays = false; // the reference applies them
    auto engine = std::make_unique<SwimEngine>(c, QByteArrayLiteral("LLLLLLLL"), 1, options);
    engine->start(1'700'000'000'000);
    return engine;
}

} // namespace

class TestSwimReference : public QObject
{
    Q_OBJECT

private slots:
    void sameStatesAsTheReference();
};

void TestSwimReference::sameStatesAsTheReference()
{
    QFile file(QStringLiteral(SHOAL_TEST_DATA "/swim-members-reference.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    std::unique_ptr<SwimEngine> engine;
    int sequences = 0;
    int steps = 0;
    const qint64 now = 1'700'000'000'000;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line == u"sequence") {
            engine = freshEngine();
            ++sequences;
            continue;
        }
        QVERIFY(engine);
        const QStringList columns = line.split(u'\t');
        QCOMPARE(columns.size(), 2);
        const QStringList op = columns[0].split(u' ');
        if (op[0] == u"G") {
            QCOMPARE(op.size(), 7);
            const Source source { nameOf(op[1].toInt()),
                QByteArray(8, static_cast<char>('a' + op[2].toInt())) };
            engine->receive(Gossip { source, nameOf(op[3].toInt()), op[4].toULongLong(),
                                statusOf(op[5].toInt()), metadataOf(op[6]) },
                now);
        } else {
            QCOMPARE(op[0], QStringLiteral("L"));
            engine->setLocalMetadata(*metadataOf(op[1]), now);
        }
        const QString state = stateOf(*engine);
        if (state != columns[1])
            qWarning("sequence %d, op '%s'", sequences, qPrintable(columns[0]));
        QCOMPARE(state, columns[1]);
        ++steps;
    }
    QVERIFY(sequences >= 40);
    QVERIFY(steps >= 1000);
}

QTEST_GUILESS_MAIN(TestSwimReference)
#include "tst_swimreference.moc"
