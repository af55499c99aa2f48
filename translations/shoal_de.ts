<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <source>Copy &amp;value</source>
        <translation>&amp;Wert kopieren</translation>
    </message>
    <message>
        <source>Copy &amp;row</source>
        <translation>&amp;Zeile kopieren</translation>
    </message>
    <message>
        <source>Copy row as &amp;JSON</source>
        <translation>Zeile als &amp;JSON kopieren</translation>
    </message>
    <message>
        <source>&amp;Filter members by %1</source>
        <translation>Mitglieder nach %1 &amp;filtern</translation>
    </message>
</context>
<context>
    <name>shoal::AlertThrottle</name>
    <message>
        <source>%1 (and 1 more change)</source>
        <translation>%1 (und 1 weitere Änderung)</translation>
    </message>
    <message>
        <source>%1 (and %2 more changes)</source>
        <translation>%1 (und %2 weitere Änderungen)</translation>
    </message>
</context>
<context>
    <name>shoal::EventLogModel</name>
    <message>
        <source>join</source>
        <translation>Beitritt</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>restart</source>
        <translation>Neustart</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>Abgewiesen</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1
%2 times, last at %3</source>
        <translation>%1
%2-mal, zuletzt um %3</translation>
    </message>
    <message>
        <source>user event</source>
        <translation>Benutzerereignis</translation>
    </message>
    <message>
        <source>query</source>
        <translation>Abfrage</translation>
    </message>
</context>
<context>
    <name>shoal::LocalMetadataModel</name>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>Verbreitung</translation>
    </message>
    <message>
        <source>Bytes of key and value. The whole mapping encodes to about %1 bytes; over the %2-byte MTU the packet goes by TCP.</source>
        <translation>Bytes von Schlüssel und Wert. Die ganze Zuordnung ergibt kodiert etwa %1 Bytes; über der MTU von %2 Bytes geht das Paket per TCP.</translation>
    </message>
    <message>
        <source>Members that acknowledged the current local clock</source>
        <translation>Mitglieder, die den aktuellen lokalen Zähler bestätigt haben</translation>
    </message>
    <message>
        <source>New key, not applied yet</source>
        <translation>Neuer Schlüssel, noch nicht übernommen</translation>
    </message>
    <message>
        <source>Renamed from &quot;%1&quot;, not applied yet</source>
        <translation>Umbenannt von „%1“, noch nicht übernommen</translation>
    </message>
    <message>
        <source>Edited, not applied yet</source>
        <translation>Bearbeitet, noch nicht übernommen</translation>
    </message>
    <message>
        <source>•••••• (hidden)</source>
        <translation>•••••• (verborgen)</translation>
    </message>
    <message>
        <source>Hidden (%1 bytes)</source>
        <translation>Verborgen (%1 Bytes)</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Shown as hex (%1 bytes)</source>
        <translation>Als Hex angezeigt (%1 Bytes)</translation>
    </message>
    <message>
        <source>Text (%1 bytes)</source>
        <translation>Text (%1 Bytes)</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>The metadata encodes to about %1 bytes, over the %2-byte MTU: it is sent by TCP</source>
        <translation>Die Metadaten ergeben kodiert etwa %1 Bytes, mehr als die MTU von %2 Bytes: Sie werden per TCP gesendet</translation>
    </message>
    <message>
        <source>The metadata encodes to about %1 of %2 bytes (MTU)</source>
        <translation>Die Metadaten ergeben kodiert etwa %1 von %2 Bytes (MTU)</translation>
    </message>
    <message>
        <source>not applied</source>
        <translation>nicht übernommen</translation>
    </message>
    <message>
        <source>%1 of %2 members acknowledged the current local clock</source>
        <translation>%1 von %2 Mitgliedern haben den aktuellen lokalen Zähler bestätigt</translation>
    </message>
    <message>
        <source>The value of &quot;%1&quot; is not UTF-8 text; it stays hex</source>
        <translation>Der Wert von „%1“ ist kein UTF-8-Text; er bleibt hexadezimal</translation>
    </message>
    <message>
        <source>A key must be non-empty UTF-8 text</source>
        <translation>Ein Schlüssel muss nicht leerer UTF-8-Text sein</translation>
    </message>
    <message>
        <source>The key &quot;%1&quot; exists already</source>
        <translation>Den Schlüssel „%1“ gibt es schon</translation>
    </message>
    <message>
        <source>Not hex: type pairs of digits 0-9 a-f</source>
        <translation>Kein Hex: Paare der Ziffern 0–9 a–f eingeben</translation>
    </message>
</context>
<context>
    <name>shoal::MemberDetailsModel</name>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>no metadata received from it yet</source>
        <translation>noch keine Metadaten von ihm empfangen</translation>
    </message>
    <message>
        <source>•••••• (hidden)</source>
        <translation>•••••• (verborgen)</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>%1, clock %2, validity %3</source>
        <translation>%1, Zähler %2, Gültigkeit %3</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>shoal::MemberStatus</name>
    <message>
        <source>ONLINE</source>
        <translation>ONLINE</translation>
    </message>
    <message>
        <source>SUSPECT</source>
        <translation>VERDÄCHTIG</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>OFFLINE</translation>
    </message>
    <message>
        <source>not heard yet</source>
        <translation>noch nicht gehört</translation>
    </message>
    <message>
        <source>LEAVING</source>
        <translation>TRITT AUS</translation>
    </message>
    <message>
        <source>LEFT</source>
        <translation>AUSGETRETEN</translation>
    </message>
</context>
<context>
    <name>shoal::MemberTableModel</name>
    <message>
        <source>not probed</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>answered %1</source>
        <translation>geantwortet %1</translation>
    </message>
    <message>
        <source>no answer %1</source>
        <translation>keine Antwort %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Probe</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Last heard</source>
        <translation>Zuletzt gehört</translation>
    </message>
    <message>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Validity</source>
        <translation>Gültigkeit</translation>
    </message>
    <message>
        <source>Status as the member record holds it (gossiped)</source>
        <translation>Status, wie ihn der Eintrag des Mitglieds führt (per Gossip verbreitet)</translation>
    </message>
    <message>
        <source>Our own view: did it answer our last probe, and when</source>
        <translation>Unsere eigene Sicht: Hat es auf unsere letzte Prüfung geantwortet, und wann</translation>
    </message>
    <message>
        <source>Version of the member&apos;s record</source>
        <translation>Version des Eintrags des Mitglieds</translation>
    </message>
    <message>
        <source>Time since the status last changed</source>
        <translation>Zeit seit der letzten Statusänderung</translation>
    </message>
    <message>
        <source>Round trip of our last answered ping</source>
        <translation>Umlaufzeit unseres letzten beantworteten Pings</translation>
    </message>
    <message>
        <source>Identity of the process instance; a change means a restart</source>
        <translation>Identität der Prozessinstanz; eine Änderung bedeutet einen Neustart</translation>
    </message>
    <message>
        <source>%1 (local)</source>
        <translation>%1 (lokal)</translation>
    </message>
    <message>
        <source>The member this process runs</source>
        <translation>Das Mitglied, das dieser Prozess betreibt</translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation>%1 seit %2</translation>
    </message>
    <message>
        <source>Metadata not received yet: it comes with the members&apos; gossip rounds</source>
        <translation>Metadaten noch nicht empfangen: Sie kommen mit den Gossip-Runden der Mitglieder</translation>
    </message>
    <message>
        <source>%1  ↯ flapping</source>
        <translation>%1  ↯ flatternd</translation>
    </message>
    <message>
        <source>Flapping: %1 status changes in the last hour (more than %2)</source>
        <translation>Flatternd: %1 Statuswechsel in der letzten Stunde (mehr als %2)</translation>
    </message>
</context>
<context>
    <name>shoal::ValueText</name>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 min</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 h</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>vor %1 d</translation>
    </message>
</context>
<context>
    <name>shoal::ValuesModel</name>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Local value</source>
        <translation>Lokaler Wert</translation>
    </message>
    <message>
        <source>Distinct</source>
        <translation>Verschieden</translation>
    </message>
    <message>
        <source>How many different values the key has across the cluster</source>
        <translation>Wie viele verschiedene Werte der Schlüssel im Cluster hat</translation>
    </message>
    <message>
        <source>%1 per node</source>
        <translation>%1 je Knoten</translation>
    </message>
    <message>
        <source>%1 different values: a per-node key, where every member holds its own value (not marked as disagreeing)</source>
        <translation>%1 verschiedene Werte: ein Schlüssel je Knoten, bei dem jedes Mitglied seinen eigenen Wert hat (nicht als abweichend markiert)</translation>
    </message>
    <message>
        <source>%1 different values across the cluster: the cells that differ from the majority are marked</source>
        <translation>%1 verschiedene Werte im Cluster: Die Zellen, die von der Mehrheit abweichen, sind markiert</translation>
    </message>
    <message>
        <source>One value across the cluster</source>
        <translation>Ein Wert im ganzen Cluster</translation>
    </message>
    <message>
        <source>Not set locally</source>
        <translation>Lokal nicht gesetzt</translation>
    </message>
    <message>
        <source>No value from this member</source>
        <translation>Kein Wert von diesem Mitglied</translation>
    </message>
    <message>
        <source>Hidden (%1 bytes)</source>
        <translation>Verborgen (%1 Bytes)</translation>
    </message>
    <message>
        <source>Text, %1 bytes: %2</source>
        <translation>Text, %1 Bytes: %2</translation>
    </message>
    <message>
        <source>Binary, %1 bytes: %2</source>
        <translation>Binär, %1 Bytes: %2</translation>
    </message>
    <message>
        <source>
Differs from the majority value</source>
        <translation>
Weicht vom Wert der Mehrheit ab</translation>
    </message>
</context>
<context>
    <name>shoal::app::SerfOptions</name>
    <message>
        <source>not a base64 key of 16, 24 or 32 bytes (as `serf keygen` prints)</source>
        <translation>kein Base64-Schlüssel mit 16, 24 oder 32 Bytes (wie ihn `serf keygen` ausgibt)</translation>
    </message>
    <message>
        <source>not a base64 key of 16, 24 or 32 bytes (as `serf keygen` prints): it decodes to %1 bytes</source>
        <translation>kein Base64-Schlüssel mit 16, 24 oder 32 Bytes (wie ihn `serf keygen` ausgibt): er ergibt %1 Bytes</translation>
    </message>
</context>
<context>
    <name>shoal::app::Window</name>
    <message>
        <source>Cannot join: %1</source>
        <translation>Beitritt nicht möglich: %1</translation>
    </message>
    <message>
        <source>Demo: %1 Serf members in this process, a token tag changes every few seconds</source>
        <translation>Demo: %1 Serf-Mitglieder in diesem Prozess, ein Tag „token“ ändert sich alle paar Sekunden</translation>
    </message>
    <message>
        <source>Demo: %1 members in this process, a token key changes every few seconds</source>
        <translation>Demo: %1 Mitglieder in diesem Prozess, ein Schlüssel „token“ ändert sich alle paar Sekunden</translation>
    </message>
</context>
<context>
    <name>shoal::cluster::ClusterSession</name>
    <message>
        <source>this member, %1</source>
        <translation>dieses Mitglied, %1</translation>
    </message>
    <message>
        <source>known, %1</source>
        <translation>bekannt, %1</translation>
    </message>
    <message>
        <source>restarted (validity %1)</source>
        <translation>neu gestartet (Gültigkeit %1)</translation>
    </message>
    <message>
        <source>%1 removed</source>
        <translation>%1 entfernt</translation>
    </message>
</context>
<context>
    <name>shoal::serf::ProtocolForm</name>
    <message>
        <source>R&amp;ole:</source>
        <translation>R&amp;olle:</translation>
    </message>
    <message>
        <source>Observer: answers and relays, never suspects anyone (recommended)</source>
        <translation>Beobachter: antwortet und leitet weiter, verdächtigt nie jemanden (empfohlen)</translation>
    </message>
    <message>
        <source>Member: probes and suspects like a Serf agent</source>
        <translation>Mitglied: prüft und verdächtigt wie ein Serf-Agent</translation>
    </message>
    <message>
        <source>Serf 0.9.4 (memberlist 0.2.2). The default port is 7946; an encrypted cluster needs its key (--encrypt or --keyring-file). On exit this monitor leaves gracefully: the agents show it left.</source>
        <translation>Serf 0.9.4 (memberlist 0.2.2). Der Standard-Port ist 7946; ein verschlüsselter Cluster braucht seinen Schlüssel (--encrypt oder --keyring-file). Beim Beenden tritt dieser Monitor ordentlich aus: Die Agenten zeigen ihn als ausgetreten.</translation>
    </message>
    <message>
        <source>Encryption key:</source>
        <translation>Verschlüsselungsschlüssel:</translation>
    </message>
    <message>
        <source>base64 key as `serf keygen` prints; empty: an unencrypted cluster</source>
        <translation>Base64-Schlüssel, wie ihn `serf keygen` ausgibt; leer: ein unverschlüsselter Cluster</translation>
    </message>
    <message>
        <source>path of Serf&apos;s keyring file (JSON list of keys)</source>
        <translation>Pfad der Schlüsselbund-Datei von Serf (JSON-Liste von Schlüsseln)</translation>
    </message>
</context>
<context>
    <name>shoal::serf::SerfService</name>
    <message>
        <source>Serf announces the leave: the other members list this member as “left” until they reap it (after 24 hours by default).</source>
        <translation>Serf kündigt das Verlassen an: Die anderen Mitglieder führen dieses Mitglied als „left“, bis sie es entfernen (standardmäßig nach 24 Stunden).</translation>
    </message>
</context>
<context>
    <name>shoal::swim::ProtocolForm</name>
    <message>
        <source>Timings</source>
        <translation>Zeitverhalten</translation>
    </message>
    <message>
        <source>&amp;Timing:</source>
        <translation>Zei&amp;tverhalten:</translation>
    </message>
    <message>
        <source>swim-protocol defaults (fast)</source>
        <translation>Vorgaben von swim-protocol (schnell)</translation>
    </message>
    <message>
        <source>pymap (slow: ping every 10 s, gossip every 30 s)</source>
        <translation>pymap (langsam: Ping alle 10 s, Gossip alle 30 s)</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>eigene Werte</translation>
    </message>
    <message>
        <source>Ping interval:</source>
        <translation>Ping-Intervall:</translation>
    </message>
    <message>
        <source>Ping timeout:</source>
        <translation>Ping-Zeitlimit:</translation>
    </message>
    <message>
        <source>Ping-req count:</source>
        <translation>Anzahl Ping-req:</translation>
    </message>
    <message>
        <source>Ping-req timeout:</source>
        <translation>Ping-req-Zeitlimit:</translation>
    </message>
    <message>
        <source>Suspect timeout:</source>
        <translation>Verdachts-Zeitlimit:</translation>
    </message>
    <message>
        <source>Sync interval:</source>
        <translation>Sync-Intervall:</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>R&amp;olle:</translation>
    </message>
    <message>
        <source>Observer: watches, never spreads its own verdicts (recommended)</source>
        <translation>Beobachter: beobachtet, verbreitet nie eigene Urteile (empfohlen)</translation>
    </message>
    <message>
        <source>Participant: a full swim-protocol member</source>
        <translation>Teilnehmer: ein vollwertiges swim-protocol-Mitglied</translation>
    </message>
    <message>
        <source>Note: swim-protocol never forgets a member. After this monitor leaves, the cluster keeps it as OFFLINE, and pymap reports itself unhealthy while any member is OFFLINE, until its nodes restart.</source>
        <translation>Hinweis: swim-protocol vergisst nie ein Mitglied. Nachdem dieser Monitor gegangen ist, behält der Cluster ihn als OFFLINE, und pymap meldet sich als nicht gesund, solange ein Mitglied OFFLINE ist, bis seine Knoten neu starten.</translation>
    </message>
</context>
<context>
    <name>shoal::swim::SwimService</name>
    <message>
        <source>swim-protocol never forgets a member: after this member leaves, the cluster keeps it as a permanent OFFLINE member, and pymap reports itself unhealthy (its swim health flag stays false) while any member is OFFLINE, until its nodes restart.</source>
        <translation>swim-protocol vergisst nie ein Mitglied: Nachdem dieses Mitglied gegangen ist, behält der Cluster es dauerhaft als OFFLINE, und pymap meldet sich als nicht gesund (sein swim-Gesundheitsflag bleibt false), solange ein Mitglied OFFLINE ist, bis seine Knoten neu starten.</translation>
    </message>
</context>
<context>
    <name>shoal::ui::EventLogView</name>
    <message>
        <source>Filter events by member, key or reason…</source>
        <translation>Ereignisse nach Mitglied, Schlüssel oder Grund filtern…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Save the events shown (after filtering) as CSV or JSON</source>
        <translation>Die angezeigten Ereignisse (nach dem Filtern) als CSV oder JSON speichern</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>Ereignisse exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Some values are hidden (Hide values, or secret keys such as pymap&apos;s admin). Include them in the file in clear?</source>
        <translation>Einige Werte sind verborgen („Werte verbergen“ oder geheime Schlüssel wie pymaps admin). Sollen sie im Klartext in die Datei?</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) written to %1%2.</source>
        <translation>
            <numerusform>%n Ereignis nach %1 geschrieben%2.</numerusform>
            <numerusform>%n Ereignisse nach %1 geschrieben%2.</numerusform>
        </translation>
    </message>
    <message>
        <source>, values included</source>
        <translation>, Werte im Klartext</translation>
    </message>
    <message>
        <source>, hidden values masked</source>
        <translation>, verborgene Werte maskiert</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>shoal::ui::JoinDialog</name>
    <message>
        <source>is empty</source>
        <translation>ist leer</translation>
    </message>
    <message>
        <source>“%1” needs a port, as host:port</source>
        <translation>„%1“ braucht einen Port, als host:port</translation>
    </message>
    <message>
        <source>“%1” has no host before the colon</source>
        <translation>„%1“ hat keinen Host vor dem Doppelpunkt</translation>
    </message>
    <message>
        <source>“%1”: a host has no spaces</source>
        <translation>„%1“: Ein Host enthält keine Leerzeichen</translation>
    </message>
    <message>
        <source>“%1”: the port is not a number</source>
        <translation>„%1“: Der Port ist keine Zahl</translation>
    </message>
    <message>
        <source>“%1”: the port must be %2 to 65535</source>
        <translation>„%1“: Der Port muss zwischen %2 und 65535 liegen</translation>
    </message>
    <message>
        <source>Typed:</source>
        <translation>Eingegeben:</translation>
    </message>
    <message>
        <source>From file:</source>
        <translation>Aus Datei:</translation>
    </message>
    <message>
        <source>Join a cluster — Shoal</source>
        <translation>Einem Cluster beitreten — Shoal</translation>
    </message>
    <message>
        <source>(new cluster)</source>
        <translation>(neuer Cluster)</translation>
    </message>
    <message>
        <source>The address other members reach this one at; it is also bound.</source>
        <translation>Die Adresse, unter der andere Mitglieder dieses erreichen; an sie wird auch gebunden.</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>beliebiger freier Port</translation>
    </message>
    <message>
        <source>host:port of one or more members, one per line</source>
        <translation>host:port eines oder mehrerer Mitglieder, eines je Zeile</translation>
    </message>
    <message>
        <source>the cluster&apos;s shared secret</source>
        <translation>das gemeinsame Geheimnis des Clusters</translation>
    </message>
    <message>
        <source>path of a file holding the secret</source>
        <translation>Pfad einer Datei mit dem Geheimnis</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Recent:</source>
        <translation>&amp;Zuletzt verwendet:</translation>
    </message>
    <message>
        <source>Local &amp;name:</source>
        <translation>Lokaler &amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Peers:</source>
        <translation>&amp;Peers:</translation>
    </message>
    <message>
        <source>Secret:</source>
        <translation>Geheimnis:</translation>
    </message>
    <message>
        <source>&amp;Timing:</source>
        <translation>Zei&amp;tverhalten:</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>Secret file</source>
        <translation>Geheimnisdatei</translation>
    </message>
    <message>
        <source>Local name: choose or type this machine&apos;s address.</source>
        <translation>Lokaler Name: Wählen oder geben Sie die Adresse dieses Rechners ein.</translation>
    </message>
    <message>
        <source>Local name %1.</source>
        <translation>Lokaler Name %1.</translation>
    </message>
    <message>
        <source>Peers: give at least one member as host:port.</source>
        <translation>Peers: Geben Sie mindestens ein Mitglied als host:port an.</translation>
    </message>
    <message>
        <source>Peer %1.</source>
        <translation>Peer %1.</translation>
    </message>
    <message>
        <source>Secret: type the cluster&apos;s secret (members with another secret reject every packet).</source>
        <translation>Geheimnis: Geben Sie das Geheimnis des Clusters ein (Mitglieder mit einem anderen Geheimnis weisen jedes Paket ab).</translation>
    </message>
    <message>
        <source>Secret: give the path of the file holding it.</source>
        <translation>Geheimnis: Geben Sie den Pfad der Datei an, die es enthält.</translation>
    </message>
    <message>
        <source>Secret: cannot read the file %1.</source>
        <translation>Geheimnis: Die Datei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Secret: reading the remembered one from the desktop keyring…</source>
        <translation>Geheimnis: Das gemerkte wird aus dem Schlüsselbund der Arbeitsumgebung gelesen…</translation>
    </message>
    <message>
        <source>Secret: reading the remembered one…</source>
        <translation>Geheimnis: Das gemerkte wird gelesen…</translation>
    </message>
    <message>
        <source>Remember the secret (looking for the desktop keyring…)</source>
        <translation>Geheimnis merken (Schlüsselbund der Arbeitsumgebung wird gesucht…)</translation>
    </message>
    <message>
        <source>Remember the secret (in the desktop keyring)</source>
        <translation>Geheimnis merken (im Schlüsselbund der Arbeitsumgebung)</translation>
    </message>
    <message>
        <source>Kept by the desktop&apos;s Secret Service (GNOME Keyring, KWallet) as “%1”.</source>
        <translation>Vom Secret Service der Arbeitsumgebung (GNOME-Schlüsselbund, KWallet) als „%1“ aufbewahrt.</translation>
    </message>
    <message>
        <source>Remember the secret (in a file only you can read: %1)</source>
        <translation>Geheimnis merken (in einer Datei, die nur Sie lesen können: %1)</translation>
    </message>
    <message>
        <source>No desktop keyring answered: the secret is kept in plain text in %1, mode 0600.</source>
        <translation>Kein Schlüsselbund der Arbeitsumgebung hat geantwortet: Das Geheimnis wird im Klartext in %1 aufbewahrt, Modus 0600.</translation>
    </message>
    <message>
        <source>%1 %2.</source>
        <translation>%1 %2.</translation>
    </message>
    <message>
        <source>Proto&amp;col:</source>
        <translation>Protoko&amp;ll:</translation>
    </message>
</context>
<context>
    <name>shoal::ui::MainWindow</name>
    <message>
        <source>&amp;Members</source>
        <translation>&amp;Mitglieder</translation>
    </message>
    <message>
        <source>Values by &amp;key</source>
        <translation>Werte nach &amp;Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Local metadata</source>
        <translation>&amp;Lokale Metadaten</translation>
    </message>
    <message>
        <source>&amp;Event log</source>
        <translation>&amp;Ereignisprotokoll</translation>
    </message>
    <message>
        <source>Filter (Ctrl+F): name, role=imap, status:suspect…</source>
        <translation>Filter (Strg+F): Name, role=imap, status:suspect…</translation>
    </message>
    <message>
        <source>&lt;p&gt;Words separated by blanks; every word must match.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;imap&lt;/b&gt;: the name contains it&lt;/li&gt;&lt;li&gt;&lt;b&gt;role=imap&lt;/b&gt;: metadata key &lt;i&gt;role&lt;/i&gt; is &lt;i&gt;imap&lt;/i&gt; (&lt;b&gt;role=&lt;/b&gt;: has the key)&lt;/li&gt;&lt;li&gt;&lt;b&gt;status:suspect&lt;/b&gt;: the status (several: any of them)&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Quote blanks: role=&quot;mail server&quot;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wörter durch Leerzeichen getrennt; jedes Wort muss passen.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;imap&lt;/b&gt;: Der Name enthält es&lt;/li&gt;&lt;li&gt;&lt;b&gt;role=imap&lt;/b&gt;: Der Metadatenschlüssel &lt;i&gt;role&lt;/i&gt; ist &lt;i&gt;imap&lt;/i&gt; (&lt;b&gt;role=&lt;/b&gt;: hat den Schlüssel)&lt;/li&gt;&lt;li&gt;&lt;b&gt;status:suspect&lt;/b&gt;: der Status (mehrere: einer davon)&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Leerzeichen in Anführungszeichen: role=&quot;mail server&quot;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>Show or hide %1 members</source>
        <translation>Mitglieder mit Status %1 zeigen oder verbergen</translation>
    </message>
    <message>
        <source>Members by status</source>
        <translation>Mitglieder nach Status</translation>
    </message>
    <message>
        <source>Selected member</source>
        <translation>Ausgewähltes Mitglied</translation>
    </message>
    <message>
        <source>Select a member to see its metadata.</source>
        <translation>Wählen Sie ein Mitglied aus, um seine Metadaten zu sehen.</translation>
    </message>
    <message>
        <source>Filter keys…</source>
        <translation>Schlüssel filtern…</translation>
    </message>
    <message>
        <source>Hi&amp;de values</source>
        <translation>Werte &amp;verbergen</translation>
    </message>
    <message>
        <source>Rows: keys; columns: members. &lt;b&gt;Distinct&lt;/b&gt; counts the different values of a key (1 = the cluster agrees). A cell marked ≠ on amber differs from the majority.</source>
        <translation>Zeilen: Schlüssel; Spalten: Mitglieder. &lt;b&gt;Verschieden&lt;/b&gt; zählt die verschiedenen Werte eines Schlüssels (1 = der Cluster ist sich einig). Eine mit ≠ auf Bernstein markierte Zelle weicht von der Mehrheit ab.</translation>
    </message>
    <message>
        <source>Values differ per member (expected)</source>
        <translation>Werte je Mitglied verschieden (erwartet)</translation>
    </message>
    <message>
        <source>A per-member key, such as pymap&apos;s admin secret: its different values are not marked as disagreeing</source>
        <translation>Ein Schlüssel je Mitglied, etwa pymaps admin-Geheimnis: Seine verschiedenen Werte werden nicht als abweichend markiert</translation>
    </message>
    <message>
        <source>Show this secret key&apos;s values</source>
        <translation>Die Werte dieses geheimen Schlüssels zeigen</translation>
    </message>
    <message>
        <source>pymap&apos;s admin key holds a secret: hidden everywhere unless shown (remembered)</source>
        <translation>pymaps admin-Schlüssel enthält ein Geheimnis: überall verborgen, außer er wird gezeigt (wird gemerkt)</translation>
    </message>
    <message>
        <source>Datagrams (and TCP packets) received and sent per second</source>
        <translation>Empfangene und gesendete Datagramme (und TCP-Pakete) je Sekunde</translation>
    </message>
    <message>
        <source>UI lag –</source>
        <translation>UI-Verzögerung –</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Export events…</source>
        <translation>&amp;Ereignisse exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Filter members</source>
        <translation>Mitglieder &amp;filtern</translation>
    </message>
    <message>
        <source>&amp;Hide values</source>
        <translation>Werte &amp;verbergen</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>Show the &amp;admin key&apos;s values</source>
        <translation>Werte des &amp;admin-Schlüssels zeigen</translation>
    </message>
    <message>
        <source>pymap&apos;s admin key holds each member&apos;s secret: hidden unless shown</source>
        <translation>pymaps admin-Schlüssel enthält das Geheimnis jedes Mitglieds: verborgen, außer er wird gezeigt</translation>
    </message>
    <message>
        <source>Desktop &amp;notifications</source>
        <translation>Desktop-&amp;Benachrichtigungen</translation>
    </message>
    <message>
        <source>Notify when members turn SUSPECT or OFFLINE, and when they recover, while the window is not in front</source>
        <translation>Benachrichtigen, wenn Mitglieder VERDÄCHTIG oder OFFLINE werden und wenn sie sich erholen, solange das Fenster nicht im Vordergrund ist</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Shoal</source>
        <translation>&amp;Über Shoal</translation>
    </message>
    <message>
        <source>About Shoal</source>
        <translation>Über Shoal</translation>
    </message>
    <message>
        <source>&lt;b&gt;Shoal %1&lt;/b&gt;&lt;p&gt;A live monitor for swim-protocol (pymap) clusters.&lt;/p&gt;&lt;p&gt;Colours always come with words or symbols: ● ONLINE, ▲ SUSPECT, ○ OFFLINE; ≠ marks a value that differs from the majority.&lt;/p&gt;&lt;p&gt;swim-protocol never forgets a member: after Shoal leaves, the cluster keeps it as OFFLINE, and pymap reports itself unhealthy until its nodes restart.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Shoal %1&lt;/b&gt;&lt;p&gt;Ein Live-Monitor für swim-protocol-Cluster (pymap).&lt;/p&gt;&lt;p&gt;Farben kommen immer mit Wörtern oder Symbolen: ● ONLINE, ▲ VERDÄCHTIG, ○ OFFLINE; ≠ markiert einen Wert, der von der Mehrheit abweicht.&lt;/p&gt;&lt;p&gt;swim-protocol vergisst nie ein Mitglied: Nachdem Shoal gegangen ist, behält der Cluster es als OFFLINE, und pymap meldet sich als nicht gesund, bis seine Knoten neu starten.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>⏳ Waiting for gossip: metadata of %n member(s) not received yet</source>
        <translation>
            <numerusform>⏳ Warten auf Gossip: Metadaten von %n Mitglied noch nicht empfangen</numerusform>
            <numerusform>⏳ Warten auf Gossip: Metadaten von %n Mitgliedern noch nicht empfangen</numerusform>
        </translation>
    </message>
    <message>
        <source>Members pass metadata on only in their gossip rounds; until one reaches Shoal, their Keys read &quot;?&quot;.</source>
        <translation>Mitglieder geben Metadaten nur in ihren Gossip-Runden weiter; bis eine davon Shoal erreicht, steht in ihrer Spalte „Schlüssel“ „?“.</translation>
    </message>
    <message>
        <source> (members gossip every %1 s</source>
        <translation> (Mitglieder senden Gossip alle %1 s</translation>
    </message>
    <message>
        <source>; joined %1 s ago</source>
        <translation>; beigetreten vor %1 s</translation>
    </message>
    <message>
        <source> Each member gossips to one random member every %1 s, so the first round to reach Shoal usually comes within one or two intervals.</source>
        <translation> Jedes Mitglied sendet alle %1 s Gossip an ein zufälliges Mitglied, daher erreicht die erste Runde Shoal meist innerhalb von ein oder zwei Intervallen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;⚠ %1 datagrams rejected&lt;/b&gt; — the last from %2: &lt;b&gt;%3&lt;/b&gt;. %4</source>
        <translation>&lt;b&gt;⚠ %1 Datagramme abgewiesen&lt;/b&gt; — das letzte von %2: &lt;b&gt;%3&lt;/b&gt;. %4</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:%3; font-weight:bold&quot;&gt;⚠ %1 rejected (%2)&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:%3; font-weight:bold&quot;&gt;⚠ %1 abgewiesen (%2)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Last rejected datagram: from %1, %2.
%3</source>
        <translation>Letztes abgewiesenes Datagramm: von %1, %2.
%3</translation>
    </message>
    <message>
        <source>&lt;b&gt;⚠ No member has answered in %1 s&lt;/b&gt; (%2 known). Check the secret and the protocol version: a member with another secret drops our packets without a trace. Else the peers are not running or not reachable at these addresses.</source>
        <translation>&lt;b&gt;⚠ Seit %1 s hat kein Mitglied geantwortet&lt;/b&gt; (%2 bekannt). Prüfen Sie das Geheimnis und die Protokollversion: Ein Mitglied mit einem anderen Geheimnis verwirft unsere Pakete spurlos. Sonst laufen die Peers nicht oder sind unter diesen Adressen nicht erreichbar.</translation>
    </message>
    <message>
        <source>That member uses a different secret (or protocol version): check --secret.</source>
        <translation>Dieses Mitglied verwendet ein anderes Geheimnis (oder eine andere Protokollversion): Prüfen Sie --secret.</translation>
    </message>
    <message>
        <source>A datagram exceeded Shoal&apos;s size limits.</source>
        <translation>Ein Datagramm hat die Größengrenzen von Shoal überschritten.</translation>
    </message>
    <message>
        <source>Something on the network sends datagrams Shoal cannot read.</source>
        <translation>Etwas im Netz sendet Datagramme, die Shoal nicht lesen kann.</translation>
    </message>
    <message>
        <source>Datagrams (and TCP packets) received and sent: per second, or per minute when fewer than one a second.
Since the join: %1 in, %2 out.</source>
        <translation>Empfangene und gesendete Datagramme (und TCP-Pakete): je Sekunde, oder je Minute, wenn es weniger als eines pro Sekunde sind.
Seit dem Beitritt: %1 empfangen, %2 gesendet.</translation>
    </message>
    <message>
        <source>UI lag %1 ms</source>
        <translation>UI-Verzögerung %1 ms</translation>
    </message>
    <message>
        <source>Event-loop lag: how late a 50 ms timer fires (last %1 samples).
p50 %2 ms, p99 %3 ms, max %4 ms. Above ~50 ms the window feels sluggish.</source>
        <translation>Verzögerung der Ereignisschleife: wie spät ein 50-ms-Timer auslöst (letzte %1 Messungen).
p50 %2 ms, p99 %3 ms, max. %4 ms. Über ~50 ms wirkt das Fenster träge.</translation>
    </message>
    <message>
        <source> (this member)</source>
        <translation> (dieses Mitglied)</translation>
    </message>
    <message>
        <source>↓ %1/min in  ↑ %2/min out</source>
        <translation>↓ %1/min empfangen  ↑ %2/min gesendet</translation>
    </message>
    <message>
        <source>↓ %1/s in  ↑ %2/s out</source>
        <translation>↓ %1/s empfangen  ↑ %2/s gesendet</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>Shoal %1</source>
        <translation>Shoal %1</translation>
    </message>
    <message>
        <source>Show dots instead of values, e.g. before sharing the screen: pymap&apos;s “admin” key holds a secret.</source>
        <translation>Punkte statt Werten zeigen, z. B. bevor Sie den Bildschirm teilen: pymaps „admin“-Schlüssel enthält ein Geheimnis.</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;Zeitleiste</translation>
    </message>
    <message>
        <source>That event is older than the event log keeps.</source>
        <translation>Dieses Ereignis ist älter als das, was das Ereignisprotokoll aufbewahrt.</translation>
    </message>
    <message>
        <source>Filter members: name, role=imap, status:suspect…</source>
        <translation>Mitglieder filtern: Name, role=imap, status:suspect…</translation>
    </message>
    <message>
        <source>The member columns to show, with the members tab&apos;s filter words; members stay in name order</source>
        <translation>Die zu zeigenden Mitgliederspalten, mit den Filterwörtern des Mitglieder-Reiters; die Mitglieder bleiben nach Namen geordnet</translation>
    </message>
    <message>
        <source>&amp;Join…</source>
        <translation>&amp;Beitreten…</translation>
    </message>
    <message>
        <source>Ctrl+J</source>
        <translation>Ctrl+J</translation>
    </message>
    <message>
        <source>Leave this cluster and join another, or this one with other settings (the secret, the address)</source>
        <translation>Diesen Cluster verlassen und einem anderen beitreten, oder diesem mit anderen Einstellungen (das Geheimnis, die Adresse)</translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Leave and join again with the same settings (a secret file is read again)</source>
        <translation>Verlassen und mit denselben Einstellungen erneut beitreten (eine Geheimnisdatei wird neu gelesen)</translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation>&amp;Verlassen</translation>
    </message>
    <message>
        <source>Leave the cluster; the members stay shown as they were</source>
        <translation>Den Cluster verlassen; die Mitglieder bleiben so angezeigt, wie sie waren</translation>
    </message>
    <message>
        <source>Leaving the cluster…</source>
        <translation>Der Cluster wird verlassen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not joined.&lt;/b&gt; The members are shown as they were when this member left.</source>
        <translation>&lt;b&gt;Nicht beigetreten.&lt;/b&gt; Die Mitglieder werden so angezeigt, wie sie waren, als dieses Mitglied ging.</translation>
    </message>
    <message>
        <source>Join with other settings (the secret)…</source>
        <translation>Mit anderen Einstellungen beitreten (das Geheimnis)…</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Leave the cluster?</source>
        <translation>Den Cluster verlassen?</translation>
    </message>
    <message>
        <source>Leave the cluster as %1?</source>
        <translation>Den Cluster als %1 verlassen?</translation>
    </message>
    <message>
        <source>Do&amp;n&apos;t ask again</source>
        <translation>&amp;Nicht mehr fragen</translation>
    </message>
</context>
<context>
    <name>shoal::ui::MetadataEditor</name>
    <message>
        <source>&amp;Add key</source>
        <translation>Schlüssel &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Delete key</source>
        <translation>Schlüssel &amp;löschen</translation>
    </message>
    <message>
        <source>Edit value as he&amp;x</source>
        <translation>Wert als He&amp;x bearbeiten</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>The local member&apos;s metadata, gossiped to every member. Double-click a key to rename it or a value to edit it; edits are staged (marked *) until you &lt;b&gt;Apply&lt;/b&gt;.</source>
        <translation>Die Metadaten des lokalen Mitglieds, per Gossip an jedes Mitglied verbreitet. Doppelklicken Sie auf einen Schlüssel, um ihn umzubenennen, oder auf einen Wert, um ihn zu bearbeiten; Änderungen werden vorgemerkt (mit * markiert), bis Sie &lt;b&gt;Übernehmen&lt;/b&gt; wählen.</translation>
    </message>
    <message>
        <source>Show and edit the selected value as hex bytes (binary values stay hex)</source>
        <translation>Den ausgewählten Wert als Hex-Bytes zeigen und bearbeiten (binäre Werte bleiben hexadezimal)</translation>
    </message>
    <message>
        <source>Packet size:</source>
        <translation>Paketgröße:</translation>
    </message>
    <message>
        <source>Spread:</source>
        <translation>Verbreitung:</translation>
    </message>
    <message>
        <source>about %1 of %2 bytes (MTU)</source>
        <translation>etwa %1 von %2 Bytes (MTU)</translation>
    </message>
    <message>
        <source>⚠ Over the MTU: gossip about this member goes by TCP instead of UDP (every member accepts it, at one connection per packet).</source>
        <translation>⚠ Über der MTU: Gossip über dieses Mitglied geht per TCP statt UDP (jedes Mitglied nimmt es an, mit einer Verbindung je Paket).</translation>
    </message>
    <message>
        <source>Fits in one UDP datagram (over %1 bytes it would go by TCP).</source>
        <translation>Passt in ein UDP-Datagramm (über %1 Bytes ginge es per TCP).</translation>
    </message>
    <message>
        <source>%1 of %2 members</source>
        <translation>%1 von %2 Mitgliedern</translation>
    </message>
    <message>
        <source>The local clock is not known yet.</source>
        <translation>Der lokale Zähler ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>Clock %1: no other member to tell yet.</source>
        <translation>Zähler %1: noch kein anderes Mitglied, dem er mitzuteilen ist.</translation>
    </message>
    <message>
        <source>Clock %1: every available member has it.</source>
        <translation>Zähler %1: Jedes erreichbare Mitglied hat ihn.</translation>
    </message>
    <message>
        <source>Clock %1: %2 of %3 available members have it so far.</source>
        <translation>Zähler %1: %2 von %3 erreichbaren Mitgliedern haben ihn bisher.</translation>
    </message>
    <message>
        <source>Filter keys…</source>
        <translation>Schlüssel filtern…</translation>
    </message>
    <message>
        <source>Show only the keys that contain this text (staged edits stay shown)</source>
        <translation>Nur die Schlüssel zeigen, die diesen Text enthalten (vorgemerkte Änderungen bleiben sichtbar)</translation>
    </message>
</context>
<context>
    <name>shoal::ui::StatusChart</name>
    <message>
        <source>Members by status over the last %1 seconds, one sample a second.
Solid: ONLINE, dashed: SUSPECT, dotted: OFFLINE; others while present.</source>
        <translation>Mitglieder nach Status in den letzten %1 Sekunden, eine Messung je Sekunde.
Durchgezogen: ONLINE, gestrichelt: VERDÄCHTIG, gepunktet: OFFLINE; andere, solange vorhanden.</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>shoal::ui::TimelineView</name>
    <message>
        <source>One lane per member: its status over time (solid: online, hatched: suspect, cross-hatched: offline), metadata changes as ticks. Wheel or +/- zooms, Shift+wheel or Left/Right pans, Home follows now.</source>
        <translation>Eine Spur je Mitglied: sein Status über die Zeit (voll: online, schraffiert: verdächtig, kreuzschraffiert: offline), Metadatenänderungen als Striche. Mausrad oder +/- zoomt, Umschalt+Mausrad oder Links/Rechts verschiebt, Pos1 folgt der Gegenwart.</translation>
    </message>
    <message>
        <source>No history yet: members appear here as they are seen, and stay for the next session.</source>
        <translation>Noch kein Verlauf: Mitglieder erscheinen hier, sobald sie gesehen werden, und bleiben für die nächste Sitzung.</translation>
    </message>
    <message>
        <source>%1
%2 %3: %4</source>
        <translation>%1
%2 %3: %4</translation>
    </message>
    <message>
        <source>%1
%2 from %3 until %4</source>
        <translation>%1
%2 von %3 bis %4</translation>
    </message>
</context>
<context>
    <name>shoal::ui::ValueCellDelegate</name>
    <message>
        <source>•••••• (hidden)</source>
        <translation>•••••• (verborgen)</translation>
    </message>
</context>
</TS>
