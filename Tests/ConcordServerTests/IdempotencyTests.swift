import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// `Idempotency-Key` on the POSTs a client retries: incident reports, feed posts and TAXII
/// envelopes answer a retry with the first answer, refuse the key with another request, and let
/// the key go after a failure.
@Suite struct IdempotencyTests {
    static func headers(_ forum: TestForum, _ actor: Actor, key: String) -> HTTPHeaders {
        var headers = forum.headers(actor)
        headers.add(name: IdempotencyMiddleware.header, value: key)
        return headers
    }

    static var report: [String: AnyEncodable] {
        [
            "title": .init("retried report"), "classification": .init("information-gathering/scanner"),
            "tlp": .init("TLP:GREEN"), "observables": .init([["value": "198.51.100.100"]]),
        ]
    }

    @Test func aRetriedReportGetsTheFirstAnswerAndStoresOneIncident() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let headers = Self.headers(forum, .handler, key: "report-1")
            let body = json(Self.report)  // encoded once: a dictionary's key order may differ between encodings

            // act
            let first = try await app.testing().send(.POST, "/api/v1/incidents", headers: headers, body: body)
            let retry = try await app.testing().send(.POST, "/api/v1/incidents", headers: headers, body: body)
            var changed = Self.report
            changed["title"] = .init("another report")
            let misused = try await app.testing().send(
                .POST, "/api/v1/incidents", headers: headers, body: json(changed))
            let otherUser = try await app.testing().send(
                .POST, "/api/v1/incidents", headers: Self.headers(forum, .secretariat, key: "report-1"),
                body: json(Self.report))

            // validate
            #expect(first.status == .created)
            #expect(retry.status == .created)
            #expect(retry.headers.first(name: IdempotencyMiddleware.replayedHeader) == "true")
            #expect(first.headers.first(name: IdempotencyMiddleware.replayedHeader) == nil)
            #expect(retry.body.string == first.body.string)
            #expect(misused.status == .unprocessableEntity)
            #expect(otherUser.status == .created)  // keys are each client's own
            #expect(try await Incident.query(on: app.db).count() == 3)  // the seeded one, and one each
        }
    }

    @Test func retriesSentAtOnceStoreOneIncident() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let headers = Self.headers(forum, .handler, key: "burst")
            let body = json(Self.report)

            // act
            let statuses = try await withThrowingTaskGroup(of: (UInt, String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await app.testing().send(
                            .POST, "/api/v1/incidents", headers: headers, body: body)
                        return (response.status.code, response.body.string)
                    }
                }
                var all: [(UInt, String)] = []
                for try await answer in group { all.append(answer) }
                return all
            }

            // validate: one ran; the others got its answer or were told it still runs
            #expect(statuses.filter { $0.0 == 201 }.count >= 1)
            #expect(statuses.allSatisfy { $0.0 == 201 || $0.0 == 409 })
            #expect(Set(statuses.filter { $0.0 == 201 }.map(\.1)).count == 1)
            #expect(try await Incident.query(on: app.db).count() == 2)
        }
    }

    @Test func aFailedRequestLetsItsKeyGoAndBadKeysAreRefused() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let headers = Self.headers(forum, .handler, key: "after-a-422")
            var invalid = Self.report
            invalid["title"] = .init("")

            // act
            let refused = try await app.testing().send(
                .POST, "/api/v1/incidents", headers: headers, body: json(invalid))
            let corrected = try await app.testing().send(
                .POST, "/api/v1/incidents", headers: headers, body: json(invalid.merging(["title": .init("ok")]) { $1 })
            )
            let tooLong = try await app.testing().send(
                .POST, "/api/v1/incidents",
                headers: Self.headers(forum, .handler, key: String(repeating: "k", count: 256)),
                body: json(Self.report))

            // validate
            #expect(refused.status == .unprocessableEntity)
            #expect(corrected.status == .created)
            #expect(corrected.headers.first(name: IdempotencyMiddleware.replayedHeader) == nil)
            #expect(tooLong.status == .badRequest)
            #expect(try await Incident.query(on: app.db).count() == 2)
        }
    }

    @Test func aRetriedFeedPostStoresNothingTwiceAndAnswersTheFirstReport() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let headers = Self.headers(forum, .secretariat, key: "feed-1")
            let body = FeedImportTests.feed

            // act
            let first = try await app.testing().send(
                .POST, "/api/v1/feeds/events?format=intelmq", headers: headers, body: ByteBuffer(string: body),
                contentType: .plainText)
            let retry = try await app.testing().send(
                .POST, "/api/v1/feeds/events?format=intelmq", headers: headers, body: ByteBuffer(string: body),
                contentType: .plainText)

            // validate
            #expect(first.status == .created)
            #expect(retry.headers.first(name: IdempotencyMiddleware.replayedHeader) == "true")
            #expect(retry.body.string == first.body.string)
            #expect(try await FeedImport.query(on: app.db).count() == 1)
        }
    }

    @Test func aRetriedTAXIIEnvelopeAnswersTheFirstStatus() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            var headers = TAXIIClient(app: app, forum: forum, actor: .handler).headers
            headers.add(name: IdempotencyMiddleware.header, value: "envelope-1")
            let envelope = try JSONSerialization.data(
                withJSONObject: ["objects": [STIXSamples.indicator(address: "203.0.113.9")]])
            let path = TAXIIClient.collection(SharingCollections.forumID) + "/objects/"

            // act
            let first = try await app.testing().send(
                .POST, path, headers: headers, body: ByteBuffer(data: envelope), contentType: TAXIIClient.mediaType)
            let retry = try await app.testing().send(
                .POST, path, headers: headers, body: ByteBuffer(data: envelope), contentType: TAXIIClient.mediaType)

            // validate
            #expect(first.status == .accepted)
            #expect(retry.status == .accepted)
            #expect(retry.headers.first(name: IdempotencyMiddleware.replayedHeader) == "true")
            #expect(retry.body.string == first.body.string)
            #expect(try await TAXIIStatusRecord.query(on: app.db).count() == 1)
        }
    }
}
