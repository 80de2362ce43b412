import ConcordCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// How an Add Objects envelope is read and kept: strict JSON (a repeated key is refused), objects
/// stored as they were sent, and the status kept as the JSON it is served as.
@Suite(.serialized) struct TAXIIEnvelopeTests {
    private let forum = SharingCollections.forumID
    private let green = TLPMarking.id(of: .green)
    private let red = TLPMarking.id(of: .red)

    private func post(_ body: String, as client: TAXIIClient, app: Application) async throws -> TestingHTTPResponse {
        try await app.testing().send(
            .POST, TAXIIClient.collection(forum) + "/objects/", headers: client.headers, body: ByteBuffer(string: body),
            contentType: TAXIIClient.mediaType)
    }

    private func indicator(id: String, markings: String) -> String {
        """
        {"type": "indicator", "spec_version": "2.1", "id": "\(id)",
         "created": "2026-11-29T00:00:00.000Z", "modified": "2026-11-29T00:00:00.000Z",
         "name": "C2 \\"caf\\u00e9\\"", "pattern": "[ipv4-addr:value = '198.51.100.9']", "pattern_type": "stix",
         "valid_from": "2026-11-29T00:00:00Z", \(markings)}
        """
    }

    @Test func aRepeatedKeyOrBytesThatAreNotUTF8AreRefusedAndNothingIsStored() async throws {
        try await withApp { app in
            let handler = TAXIIClient(app: app, forum: try await TestForum.seed(app), actor: .handler)
            // setup: one object marked twice, the second marking hiding the first from a lenient reader
            let id = "indicator--\(UUID().uuidString.lowercased())"
            let twice = indicator(
                id: id, markings: #""object_marking_refs": ["\#(red)"], "object_marking_refs": ["\#(green)"]"#)
            // act
            let answer = try await post(#"{"objects": [\#(twice)]}"#, as: handler, app: app)
            // validate
            #expect(answer.status == .badRequest)
            #expect(taxiiJSON(answer)["http_status"] as? String == "400")
            #expect(
                (taxiiJSON(answer)["description"] as? String)?.contains("\"object_marking_refs\" is repeated") == true)
            var latin1 = ByteBuffer(string: #"{"objects": [{"type": "note", "content": ""#)
            latin1.writeBytes([0xE9])
            latin1.writeString("\"}]}")
            let notUTF8 = try await app.testing().send(
                .POST, TAXIIClient.collection(forum) + "/objects/", headers: handler.headers, body: latin1,
                contentType: TAXIIClient.mediaType)
            #expect(notUTF8.status == .badRequest)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 0)
            #expect(try await TAXIIStatusRecord.query(on: app.db).count() == 0)
        }
    }

    /// Over a real socket: the in-memory tester hands the route a body already collected, which
    /// Vapor does not measure again.
    @Test func aBodyAboveMaxContentLengthIs413InTAXIIsFormat() async throws {
        try await withApp { app in
            let handler = TAXIIClient(app: app, forum: try await TestForum.seed(app), actor: .handler)
            // setup: an envelope one byte longer than the API root says it takes
            var body = ByteBuffer(string: #"{"objects": ["#)
            body.writeRepeatingByte(UInt8(ascii: " "), count: TAXIIController.maxContentLength - body.readableBytes - 1)
            body.writeString("]}")
            #expect(body.readableBytes == TAXIIController.maxContentLength + 1)
            // act
            let answer = try await app.testing(method: .running(hostname: "127.0.0.1", port: 0)).send(
                .POST, TAXIIClient.collection(forum) + "/objects/", headers: handler.headers, body: body,
                contentType: TAXIIClient.mediaType)
            // validate
            #expect(answer.status == .payloadTooLarge)
            #expect(taxiiJSON(answer)["http_status"] as? String == "413")
            #expect(try await TAXIIStatusRecord.query(on: app.db).count() == 0)
            // One byte less is taken (an empty envelope).
            body.moveWriterIndex(to: body.writerIndex - 3)
            body.writeString("]}")
            let taken = try await app.testing(method: .running(hostname: "127.0.0.1", port: 0)).send(
                .POST, TAXIIClient.collection(forum) + "/objects/", headers: handler.headers, body: body,
                contentType: TAXIIClient.mediaType)
            #expect(body.readableBytes == TAXIIController.maxContentLength)
            #expect(taken.status == .accepted)
        }
    }

    @Test func anObjectIsStoredAsItWasSentAndAMarkedDefaultIsWrittenAnew() async throws {
        try await withApp { app in
            let handler = TAXIIClient(app: app, forum: try await TestForum.seed(app), actor: .handler)
            app.concord.sharingDefaultLabel = .green
            // setup
            let sentID = "indicator--\(UUID().uuidString.lowercased())"
            let sent = indicator(id: sentID, markings: #""object_marking_refs": ["\#(green)"]"#)
            let unmarkedID = "indicator--\(UUID().uuidString.lowercased())"
            let unmarked = indicator(id: unmarkedID, markings: #""labels": ["x"]"#)
            // act
            let answer = try await post("{\"objects\": [\(sent), \(unmarked)]}", as: handler, app: app)
            // validate
            #expect(answer.status == .accepted)
            let stored = try await StoredSTIXObject.query(on: app.db).all()
            #expect(stored.first { $0.stixID == sentID }?.body == sent)
            let rewritten = try #require(stored.first { $0.stixID == unmarkedID }?.body)
            let object = try Array(rewritten.utf8).withUnsafeBytes { try JSONParser.parse($0) }.object
            #expect(object?["object_marking_refs"] == [.string(green)])
            #expect(object?["labels"] == ["x"] && object?["name"] == "C2 \"café\"")
            let status = try JSONDecoder().decode(TAXIIStatus.self, from: Data(answer.body.readableBytesView))
            #expect(status.successCount == 2 && status.failureCount == 0 && status.status == "complete")
            #expect(Set(status.successes.map(\.id)) == [sentID, unmarkedID])
        }
    }

    @Test func theStatusIsServedAsWrittenAndItsDetailsReadBack() async throws {
        try await withApp { _ in
            // setup: details with every character JSON escapes
            let record = TAXIIStatusRecord()
            record.id = UUID()
            record.status = "complete"
            record.requestMicroseconds = 1_796_000_000_123_456
            record.totalCount = 3
            let successes = [TAXIIStatusDetail(id: "indicator--a", version: "2026-11-29T00:00:00.000Z", message: nil)]
            let failures = [
                TAXIIStatusDetail(id: "note--\"b\"", version: nil, message: "line\none\ttab \\ \u{01} / é"),
                TAXIIStatusDetail(id: "", version: nil, message: "not a JSON object"),
            ]
            // act
            let document = try TAXIIStatusService.document(of: record, successes: successes, failures: failures)
            // validate
            let status = try JSONDecoder().decode(TAXIIStatus.self, from: Data(document.utf8))
            #expect(status.id == record.id?.uuidString.lowercased() && status.status == "complete")
            #expect(status.requestTimestamp == "2026-11-30T00:53:20.123456Z")
            #expect(status.totalCount == 3 && status.successCount == 1 && status.failureCount == 2)
            #expect(status.pendingCount == 0 && status.pendings.isEmpty)
            #expect(status.successes == successes && status.failures == failures)
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any]).keys
            #expect(
                Set(keys) == [
                    "id", "status", "request_timestamp", "total_count", "success_count", "successes", "failure_count",
                    "failures", "pending_count", "pendings",
                ])
        }
    }

    /// A status written before documents were kept is rewritten by the migration, not lost.
    @Test func theMigrationRewritesStoredStatuses() async throws {
        try await withApp { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let migration = UpdateTAXIIStatusesStoreDocument()
            // setup: the table as it was, with one stored status
            try await migration.revert(on: app.db)
            let id = UUID()
            let failures = #"[{"id":"note--1","message":"carries \"two\" markings"}]"#
            try await sql.insert(into: TAXIIStatusRecord.schema)
                .columns(
                    "id", "collection_id", "user_id", "status", "request_us", "total_count", "successes", "failures",
                    "pendings", "created_at"
                )
                .values(
                    SQLBind(id), SQLBind(forum), SQLBind(UUID()), SQLBind("complete"),
                    SQLBind(Int64(1_796_000_000_000_000)),
                    SQLBind(2), SQLBind(#"[{"id":"indicator--1","version":"2026-11-29T00:00:00.000Z"}]"#),
                    SQLBind(failures), SQLBind("[]"), SQLBind(Date())
                ).run()
            // act
            try await migration.prepare(on: app.db)
            // validate
            let record = try #require(try await TAXIIStatusRecord.find(id, on: app.db))
            let status = try JSONDecoder().decode(TAXIIStatus.self, from: Data(record.document.utf8))
            #expect(status.successes.map(\.id) == ["indicator--1"] && status.successCount == 1)
            #expect(
                status.failures == [TAXIIStatusDetail(id: "note--1", version: nil, message: "carries \"two\" markings")]
            )
            #expect(status.totalCount == 2 && status.status == "complete")
        }
    }
}
