import ConcordCore
import ConcordTestTools
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Bulk feeds: routing to the most specific team, triage, malformed lines with their numbers,
/// idempotent re-import, grouping into one notification per team, feed and classification, and
/// the aggregated mail with its CSV.
@Suite struct FeedImportTests {
    static func line(_ fields: [String: Any]) -> String {
        var all: [String: Any] = [
            "feed.name": "shadowserver-scan", "classification.taxonomy": "vulnerable",
            "classification.type": "vulnerable-system", "classification.identifier": "openresolver",
            "time.source": "2026-11-22T01:02:03+00:00",
        ]
        all.merge(fields) { _, new in new }
        let data = try! JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static var feed: String {
        [
            line(["source.ip": "198.51.100.113", "source.port": 53]),  // NUSCERT's /29 inside SingCERT's /27
            line(["source.ip": "198.51.100.100"]),  // SingCERT
            line(["source.asn": 64500]),  // NUSCERT by AS
            line(["source.fqdn": "ns1.sg.example"]),  // SingCERT by domain
            line(["source.ip": "100.64.0.1", "source.geolocation.cc": "SG"]),  // national team of Singapore
            line(["source.ip": "100.64.0.2"]),  // nobody: triage
            "{\"feed.name\": \"broken\"",  // line 7: not JSON
            line(["source.ip": "300.1.1.1"]),  // line 8: bad address
            line(["classification.type": "no-such-type", "source.ip": "198.51.100.100"]),  // line 9
            line([
                "source.ip": "198.51.100.100", "classification.type": "scanner",
                "classification.taxonomy": "information-gathering",
            ]),
            "",
        ].joined(separator: "\n")
    }

    static func importFeed(_ text: String, _ app: Application, format: FeedLineFormat = .intelmq, now: Date = Date())
        async throws -> FeedImportReport
    {
        let snapshot = try await app.routingDirectory.current(on: app.db)
        let options = FeedImportOptions(format: format, feedName: nil, source: "test", importedBy: "test")
        return try await FeedImporter(db: app.db, snapshot: snapshot, options: options, clock: FixedClock(now)).run(
            text.feedLines)
    }

    @Test func eventsAreRoutedStoredOnceAndMalformedLinesReported() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            // act
            let first = try await Self.importFeed(Self.feed, app)
            let second = try await Self.importFeed(Self.feed, app)
            // validate
            #expect(first.lines == 11 && first.stored == 7 && first.malformed == 3 && first.triaged == 1)
            #expect(
                first.errors == [
                    "line 7: not a JSON object of IntelMQ fields",
                    "line 8: source.ip '300.1.1.1' is not an IP address",
                    "line 9: 'vulnerable/no-such-type' is not an RSIT classification",
                ])
            #expect(second.stored == 0 && second.duplicates == 7 && second.malformed == 3, "nothing twice")
            let events = try await StoredFeedEvent.query(on: app.db).all()
            #expect(events.count == 7)
            let teams = try await Team.query(on: app.db).all()
            func team(of ip: String? = nil, asn: Int64? = nil, fqdn: String? = nil) -> String? {
                let event = events.first {
                    ($0.sourceIP == ip && ip != nil) || ($0.sourceASN == asn && asn != nil)
                        || ($0.sourceFQDN == fqdn && fqdn != nil)
                }
                return teams.first { $0.id == event?.teamID }?.slug
            }
            #expect(team(of: "198.51.100.113") == "nuscert", "the most specific prefix wins")
            #expect(team(asn: 64500) == "nuscert")
            #expect(team(fqdn: "ns1.sg.example") == "singcert")
            #expect(team(of: "100.64.0.1") == "singcert", "the national team of source.geolocation.cc")
            #expect(events.first { $0.sourceIP == "100.64.0.2" }?.teamID == nil, "triage")
        }
    }

    /// Duplicates are found within a batch, across batches of one import and across imports.
    @Test func duplicatesAreFoundAcrossBatchesAndImports() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let snapshot = try await app.routingDirectory.current(on: app.db)
            let options = FeedImportOptions(format: .intelmq, feedName: nil, source: "t", importedBy: "t")
            let lines = (0..<10).map { Self.line(["source.ip": "198.51.100.\(100 + $0)"]) }
            let text = (lines + [lines[1], lines[7], lines[2]]).joined(separator: "\n")
            let first = try await FeedImporter(
                db: app.db, snapshot: snapshot, options: options, clock: app.clock, batchSize: 3
            )
            .run(text.feedLines)
            let second = try await FeedImporter(
                db: app.db, snapshot: snapshot, options: options, clock: app.clock, batchSize: 4
            )
            .run((lines[0..<5] + [Self.line(["source.ip": "198.51.100.120"])]).joined(separator: "\n").feedLines)
            #expect(first.lines == 13 && first.stored == 10 && first.duplicates == 3)
            #expect(second.stored == 1 && second.duplicates == 5)
            #expect(try await StoredFeedEvent.query(on: app.db).count() == 11)
        }
    }

    /// The fingerprint is the first half of the SHA-256 of feed name, LF and line; events stored
    /// as 64 hex digits before the binary fingerprint are recognised after the migration.
    @Test func fingerprintsSurviveTheBinaryMigration() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let line = Self.line(["source.ip": "100.64.0.2"])
            _ = try await Self.importFeed(line, app)
            let triage = try await app.testing().send(
                .GET, "/api/v1/feeds/triage", headers: forum.headers(.secretariat)
            ).content.decode([TriagedEventDTO].self)
            let sha256 = Hex.sha256(Data("shadowserver-scan\n\(line)".utf8))
            // act: back to hex, lengthened to the old 64 digits (the full SHA-256), and forward again
            try await UpdateFeedEventsBinaryFingerprint().revert(on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE feed_events SET fingerprint = \(bind: sha256)").run()
            try await UpdateFeedEventsBinaryFingerprint().prepare(on: app.db)
            let again = try await Self.importFeed(line, app)
            // validate
            #expect(triage.map(\.fingerprint) == [String(sha256.prefix(32))])
            #expect(again.stored == 0 && again.duplicates == 1)
            let stored = try await StoredFeedEvent.query(on: app.db).all()
            #expect(
                stored.count == 1
                    && stored.first?.id.flatMap { FeedFingerprint(bytes: $0) }?.description == triage.first?.fingerprint
            )
        }
    }

    @Test(.needs(.python, .msmtp, .gpg)) func eventsAreGroupedIntoOneSignedMailWithACSVPerTeamFeedAndClassification()
        async throws
    {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let checker = try await RecipientKeyring.make("checker@feeds.test")
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let forumKey = try await MailRig.configure(app, sink: sink)
            try await checker.trust(forumKey.publicKey)
            let now = Date()
            let report = try await Self.importFeed(Self.feed, app, now: now)
            let queued = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "feed-digest").all()
            // act: nothing leaves before the window closes; then it does
            let early = try await OutboxWorker(application: app).runDue(at: now)
            let windowEnd = try #require(queued.first?.nextAttemptAt)
            try await OutboxWorker(application: app).runDue(at: windowEnd)
            // validate: SingCERT (its only e-mail contact) gets two groups: vulnerable-system and scanner
            #expect(report.groups == 3, "SingCERT ×2 classifications, NUSCERT ×1")
            #expect(
                queued.map(\.recipient).sorted() == ["cert@sg.example", "cert@sg.example"], "NUSCERT has no e-mail")
            #expect(early == 0)
            let mails = try await sink.waitFor(2)
            let vulnerable = try #require(
                mails.first { ReceivedMail.header("Subject", in: $0)?.contains("vulnerable-system") == true })
            #expect(
                ReceivedMail.header("Subject", in: vulnerable)
                    == "[TLP:AMBER] 3 vulnerable/vulnerable-system events from shadowserver-scan for SingCERT")
            let boundary = try #require(ReceivedMail.boundary(of: vulnerable))
            let signed = try #require(ReceivedMail.firstPart(of: vulnerable, boundary: boundary))
            let status = try await checker.verify(
                signature: try #require(ReceivedMail.armored("PGP SIGNATURE", in: vulnerable)), data: Data(signed.utf8))
            #expect(status.contains("GOODSIG"))
            #expect(signed.hasPrefix("Content-Type: multipart/mixed"))
            let csvPart = try #require(signed.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").last)
            let csv = String(
                decoding: Data(
                    base64Encoded: csvPart.components(separatedBy: "\r\n--").first?
                        .replacingOccurrences(of: "\r\n", with: "") ?? "") ?? Data(), as: UTF8.self)
            let rows = csv.split(separator: "\r\n")
            #expect(rows.first?.hasPrefix("time.source,source.ip,source.port,source.asn,source.fqdn") == true)
            #expect(rows.count == 4, "the header and SingCERT's three vulnerable-system events")
            #expect(rows.contains { $0.contains("ns1.sg.example") } && rows.contains { $0.contains("100.64.0.1") })
        }
        await checker.remove()
    }

    @Test func csvFeedsUseTheirColumnMapping() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let csv = """
                timestamp,ip,asn,type
                2026-11-22 01:00:00+00:00,198.51.100.100,,scanner
                2026-11-22 01:00:05+00:00,"198.51.100.101",,scanner
                2026-11-22 01:00:09+00:00,198.51.100.102
                """
            let mapping = try FeedMapping.parse(
                "timestamp:time.source,ip:source.ip,asn:source.asn,type:classification.type")
            let snapshot = try await app.routingDirectory.current(on: app.db)
            var options = FeedImportOptions(
                format: .csv(mapping: mapping), feedName: "partner-csv", source: "t", importedBy: "t")
            options.tlp = .green
            // classification.taxonomy is not a column: every line lacks it
            let missing = try await FeedImporter(db: app.db, snapshot: snapshot, options: options, clock: app.clock)
                .run(csv.feedLines)
            let complete = csv.replacingOccurrences(of: "scanner", with: "scanner,information-gathering")
                .replacingOccurrences(of: "type\n", with: "type,taxonomy\n")
            let withTaxonomy = try await FeedImporter(
                db: app.db, snapshot: snapshot,
                options: FeedImportOptions(
                    format: .csv(mapping: mapping.merging(["taxonomy": "classification.taxonomy"]) { a, _ in a }),
                    feedName: "partner-csv", source: "t", importedBy: "t"), clock: app.clock
            ).run(complete.feedLines)
            #expect(missing.stored == 0 && missing.malformed == 3)
            #expect(withTaxonomy.stored == 2 && withTaxonomy.malformed == 1)
            #expect(withTaxonomy.errors == ["line 4: 2 columns where the header has 5"])
            let stored = try await StoredFeedEvent.query(on: app.db).filter(\.$sourceIP == "198.51.100.101").first()
            #expect(
                stored?.feedName == "partner-csv" && stored?.timeSource == Date(timeIntervalSince1970: 1_795_309_205))
        }
    }

    @Test func anImportReportBelongsToTheImportingTeamAndTheSecretariat() async throws {
        try await withApp { app in
            // setup: SingCERT's admin imports a feed
            let forum = try await TestForum.seed(app)
            let imported = try await app.testing().send(
                .POST, "/api/v1/feeds/events?format=intelmq", headers: forum.headers(.teamAdmin),
                body: ByteBuffer(string: Self.feed), contentType: .plainText)
            let report = try imported.content.decode(FeedImportReport.self)
            // act
            var statuses: [Actor: HTTPResponseStatus] = [:]
            for actor in [Actor.teamAdmin, .teamAdminOther, .secretariat, .forumAdmin] {
                statuses[actor] = try await app.testing().send(
                    .GET, "/api/v1/feeds/imports/\(report.id)", headers: forum.headers(actor)
                ).status
            }
            let unknown = try await app.testing().send(
                .GET, "/api/v1/feeds/imports/\(UUID())", headers: forum.headers(.teamAdminOther))
            // validate: NUSCERT's admin gets what an unknown id gets
            #expect(statuses == [.teamAdmin: .ok, .teamAdminOther: .notFound, .secretariat: .ok, .forumAdmin: .ok])
            #expect(unknown.status == .notFound)
        }
    }

    @Test func theAPIImportsForTheSecretariatAndShowsTheTriageQueue() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            func post(_ actor: Actor, _ query: String = "format=intelmq") async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .POST, "/api/v1/feeds/events?\(query)", headers: forum.headers(actor),
                    body: ByteBuffer(string: Self.feed), contentType: .plainText)
            }
            let refused = try await post(.handler)
            let badFormat = try await post(.secretariat, "format=xml")
            let imported = try await post(.secretariat)
            let report = try imported.content.decode(FeedImportReport.self)
            let again = try await app.testing().send(
                .GET, "/api/v1/feeds/imports/\(report.id)", headers: forum.headers(.secretariat)
            ).content.decode(FeedImportReport.self)
            let triage = try await app.testing().send(
                .GET, "/api/v1/feeds/triage", headers: forum.headers(.secretariat)
            )
            .content.decode([TriagedEventDTO].self)
            #expect(refused.status == .forbidden)
            #expect(badFormat.status == .unprocessableEntity)
            #expect(imported.status == .created && report.stored == 7 && report.malformed == 3)
            #expect(again.stored == 7 && again.errors.count == 3)
            #expect(triage.map(\.sourceIP) == ["100.64.0.2"])
        }
    }
}

@Suite struct FeedExtraFieldsTests {
    /// What is not in a column is kept as JSON that reads back to the same fields.
    @Test func extraFieldsRoundTripThroughJSON() throws {
        let fields = [
            "source.ip": "192.0.2.1", "extra.note": "say \"hi\"\n\\ \u{1}", "source.reverse_dns": "x.example",
            "extra.n": "3",
        ]
        let text = FeedImporter.extra(fields)
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(back == fields.filter { $0.key != "source.ip" })
        #expect(FeedImporter.extra(["source.ip": "192.0.2.1"]) == "{}")
    }
}
