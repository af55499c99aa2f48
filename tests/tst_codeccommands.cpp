// Tests of `shoal decode` and `shoal encode`, run as the real executable.
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QJsonObject vectors()
{
    QFile file(QStringLiteral(SHOAL_TEST_DATA "/swim-protocol-0.6.3-vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the vectors");
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestCodecCommands final : public QObject
{
    Q_OBJECT
private:
    // No SWIM_* and no display: what CI and scripts see.
    QProcessEnvironment cleanEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name :
            { "SWIM_SECRET", "SWIM_SECRET_FILE", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            env.remove(QLatin1String(name));
        return env;
    }
    Run run(const QStringList &args, const QByteArray &input,
        const QProcessEnvironment &env = QProcessEnvironment()) const
    {
        QProcess p;
        p.setProcessEnvironment(env.isEmpty() ? cleanEnvironment() : env);
        p.start(m_shoal, args);
        if (!p.waitForStarted())
            return {};
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            return {};
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            p.readAllStandardOutput(), p.readAllStandardError() };
    }

    QString m_shoal;
    QJsonObject m_vectors;
    QByteArray m_allHex; // every vector's datagram, one per line
    QList<QByteArray> m_hex;

private slots:
    void initTestCase()
    {
        m_shoal = QCoreApplication::applicationDirPath() + QStringLiteral("/../app/shoal");
        QVERIFY2(QFile::exists(m_shoal), "build the shoal target first");
        m_vectors = vectors();
        for (const QJsonValue &v : m_vectors.value(QLatin1String("vectors")).toArray()) {
            m_hex.append(v[QLatin1String("datagram_hex")].toString().toLatin1());
            m_allHex += m_hex.last() + '\n';
        }
    }

    void helpNeedsNoDisplayNorSecret()
    {
        for (const char *command : { "decode", "encode" }) {
            const Run r = run({ QLatin1String(command), QStringLiteral("--help") }, {});
            QCOMPARE(r.exitCode, 0);
            QVERIFY(r.out.startsWith(QByteArray(QByteArray("Usage: shoal ") + command)));
            QVERIFY(r.out.contains("--secret-file"));
            QVERIFY(r.out.contains("--protocol-version"));
        }
    }

    void missingSecretIsAUsageError()
    {
        for (const char *command : { "decode", "encode" }) {
            const Run r = run({ QLatin1String(command) }, m_allHex);
            QCOMPARE(r.exitCode, 2);
            QVERIFY(r.out.isEmpty());
            QVERIFY2(
                r.err.contains(
                    "no secret: give --secret-file, SWIM_SECRET, SWIM_SECRET_FILE or --secret"),
                r.err);
        }
        QCOMPARE(run({ QStringLiteral("decode"), QStringLiteral("--secret-file"),
                         QStringLiteral("/nonexistent/x") },
                     {})
                     .exitCode,
            2);
        QCOMPARE(run({ QStringLiteral("decode"), QStringLiteral("--bogus") }, {}).exitCode, 2);
        QCOMPARE(
            run({ QStringLiteral("decode"), QStringLiteral("--secret=a"), QStringLiteral("extra") },
                {})
                .exitCode,
            2);
    }

    void decodesEveryVectorAndRefusesEveryReject()
    {
        QByteArray input = m_allHex;
        for (const QJsonValue &v : m_vectors.value(QLatin1String("reject")).toArray())
            input += v[QLatin1String("datagram_hex")].toString().toLatin1() + '\n';
        input += "not hex\n";
        const Run r = run(
            { QStringLiteral("decode"), QStringLiteral("--secret"), QStringLiteral("s3cret") },
            input);
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), input.count('\n'));
        const QJsonArray all = m_vectors.value(QLatin1String("vectors")).toArray();
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(o.value(QLatin1String("type")).toString(),
                all[i][QLatin1String("packet")][QLatin1String("type")].toString());
            QCOMPARE(o.value(QLatin1String("source"))[QLatin1String("validity")].toString(),
                all[i][QLatin1String("packet")][QLatin1String("source")]
                   [QLatin1String("validity_hex")]
                       .toString());
        }
        QStringList reasons;
        for (qsizetype i = all.size(); i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QVERIFY(!o.value(QLatin1String("detail")).toString().isEmpty());
            reasons << o.value(QLatin1String("error")).toString();
        }
        QCOMPARE(reasons.join(QLatin1Char(' ')),
            QStringLiteral(
                "signature signature framing framing framing framing pickle signature hex"));
    }

    void secretFromEnvironmentAndFile()
    {
        QProcessEnvironment env = cleanEnvironment();
        env.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("s3cret"));
        QVERIFY(run({ QStringLiteral("decode") }, m_hex[0] + '\n', env)
                    .out.contains("\"type\":\"Ping\""));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("s3cret\r\n");
        file.close();
        QVERIFY(run(
            { QStringLiteral("decode"), QStringLiteral("--secret-file"), path }, m_hex[0] + '\n')
                    .out.contains("\"type\":\"Ping\""));
        env = cleanEnvironment();
        env.insert(QStringLiteral("SWIM_SECRET_FILE"), path);
        QVERIFY(run({ QStringLiteral("decode") }, m_hex[0] + '\n', env)
                    .out.contains("\"type\":\"Ping\""));
        // The command line wins over the environment.
        env.insert(QStringLiteral("SWIM_SECRET"), QStringLiteral("wrong"));
        QVERIFY(run(
            { QStringLiteral("decode"), QStringLiteral("--secret=s3cret") }, m_hex[0] + '\n', env)
                    .out.contains("\"type\":\"Ping\""));
        // SWIM_SECRET_FILE wins over SWIM_SECRET, as in the reference's configuration.
        QVERIFY(run({ QStringLiteral("decode") }, m_hex[0] + '\n', env)
                    .out.contains("\"type\":\"Ping\""));
        env.remove(QStringLiteral("SWIM_SECRET_FILE"));
        QVERIFY(run({ QStringLiteral("decode") }, m_hex[0] + '\n', env)
                    .out.contains("\"error\":\"signature\""));
    }

    void protocolVersionIsSigned()
    {
        const Run r = run({ QStringLiteral("decode"), QStringLiteral("--secret=s3cret"),
                              QStringLiteral("--protocol-version=0.7.0") },
            m_hex[0] + '\n');
        QVERIFY(r.out.contains("\"error\":\"signature\""));
    }

    void encodeReproducesTheVectors()
    {
        // Vectors without metadata: the JSON form keeps everything, so with the
        // vectors' salt the datagrams come back byte for byte.
        const QStringList secret { QStringLiteral("--secret"), QStringLiteral("s3cret") };
        const Run decoded = run(QStringList { QStringLiteral("decode") } + secret, m_allHex);
        const QList<QByteArray> json = decoded.out.trimmed().split('\n');
        QByteArray input;
        QList<QByteArray> expected;
        for (qsizetype i = 0; i < json.size(); ++i) {
            if (!json[i].contains("\"metadata\":{\"")) {
                input += json[i] + '\n';
                expected << m_hex[i];
            }
        }
        QVERIFY(expected.size() >= 5);
        const Run encoded = run(QStringList { QStringLiteral("encode"), QStringLiteral("--salt"),
                                    m_vectors.value(QLatin1String("salt_hex")).toString() }
                + secret,
            "\n" + input);
        QCOMPARE(encoded.exitCode, 0);
        QCOMPARE(encoded.out.trimmed().split('\n'), expected);
        // Every vector (metadata order aside) decodes back to the same JSON.
        const Run all = run(QStringList { QStringLiteral("encode") } + secret, decoded.out);
        const Run again = run(QStringList { QStringLiteral("decode") } + secret, all.out);
        QCOMPARE(again.out, decoded.out);
    }

    void encodeStopsAtBadJson()
    {
        const QByteArray ok
            = "{\"type\":\"Ping\",\"source\":{\"name\":\"a:1\",\"validity\":\"00\"}}\n";
        const Run r
            = run({ QStringLiteral("encode"), QStringLiteral("--secret=k") }, ok + "{oops\n" + ok);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out.count('\n'), 1);
        QVERIFY2(r.err.contains("shoal encode: line 2: invalid JSON"), r.err);
        // A secret on the command line is visible in the process list: say so, never echo it.
        QVERIFY2(r.err.startsWith("shoal encode: hint: --secret is visible"), r.err);
        QVERIFY(!r.err.contains("=k"));
        const Run bad = run({ QStringLiteral("encode"), QStringLiteral("--secret=k") },
            "{\"type\":\"Ping\",\"source\":{\"name\":\"a:1\",\"validity\":\"0\"}}\n");
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(
            bad.err.contains("line 1: source: \"validity\" must be hex digits in pairs"), bad.err);
        QCOMPARE(run({ QStringLiteral("encode"), QStringLiteral("--secret=k"),
                         QStringLiteral("--salt=xyz") },
                     ok)
                     .exitCode,
            2);
    }

    // Issue 14, finding 9: a line longer than 4 MiB is refused (one error line), not kept.
    void decodeBoundsTheLineLength()
    {
        const QByteArray huge(5 * 1024 * 1024, 'a');
        const Run r = run({ QStringLiteral("decode"), QStringLiteral("--secret=k") },
            huge + "\n" + m_hex.first() + "\n");
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(0).contains("\"error\":\"line\""), lines.at(0).constData());
        QVERIFY2(lines.at(1).startsWith("{"), lines.at(1).constData());
    }
};

QTEST_GUILESS_MAIN(TestCodecCommands)
#include "tst_codeccommands.moc"
