import Foundation
import Logging
import Synchronization
import Testing

@testable import ConcordServer

/// `CONCORD_LOG_FORMAT=json`: one JSON object per line with the fields log shippers index, and a
/// format that is neither text nor json refused.
@Suite struct JSONLogHandlerTests {
    struct PinnedClock: ConcordClock {
        let date: Date
        func now() -> Date { date }
    }

    @Test func eachLineIsOneObjectWithTimeLevelInstanceRequestAndMessage() throws {
        // setup
        let lines = Mutex<[String]>([])
        let handler = JSONLogHandler(
            label: "codes.vapor.request", instance: "host-a/4242",
            clock: PinnedClock(date: Date(timeIntervalSince1970: 1_796_000_000.25))
        ) { line in lines.withLock { $0.append(line) } }
        var logger = Logger(label: "codes.vapor.request") { _ in handler }
        logger[metadataKey: "request-id"] = "5B0E9F3C-0000-4000-8000-000000000001"

        // act
        logger.info("POST /api/v1/incidents", metadata: ["status": "201"])
        logger.debug("not at this level")

        // validate
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        #expect(!(written.first ?? "").contains("\n"), "one line per event")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data((written.first ?? "").utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2026-11-30T00:53:20.250Z")
        #expect(object["level"] as? String == "info")
        #expect(object["instance"] as? String == "host-a/4242")
        #expect(object["request_id"] as? String == "5B0E9F3C-0000-4000-8000-000000000001")
        #expect(object["message"] as? String == "POST /api/v1/incidents")
        #expect((object["metadata"] as? [String: Any])?["status"] as? String == "201")
        #expect((object["metadata"] as? [String: Any])?["request-id"] == nil, "the request id is not repeated")
    }

    @Test func theFormatIsTextJSONOrRefused() throws {
        #expect(try LogFormat(environment: [:]) == .text)
        #expect(try LogFormat(environment: ["CONCORD_LOG_FORMAT": "JSON"]) == .json)
        #expect(throws: ConcordError.self) { try LogFormat(environment: ["CONCORD_LOG_FORMAT": "xml"]) }
    }
}
