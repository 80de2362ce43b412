import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// What reaches the log of a request: never the secret part of a link that works for whoever
/// holds it (issue 16, S5).
@Suite struct RequestLogTests {
    /// Keeps every message logged through it.
    struct CapturingHandler: LogHandler {
        let lines: NIOLockedValueBox<[String]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.withLockedValue { $0.append("\(event.level) \(event.message)") }
        }
    }

    @Test func capabilityLinksAreLoggedWithoutTheirSecret() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let lines = NIOLockedValueBox<[String]>([])
            app.logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
            let mac = "Zm9yZ2VkLXNlY3JldC1tYWM"
            let id = UUID().uuidString.lowercased()
            // act: open both kinds of link, and post one without a CSRF token
            _ = try await app.testing().send(.GET, "/ack/\(id).\(mac)")
            _ = try await app.testing().send(.GET, "/checks/\(id).\(mac)")
            _ = try await app.testing().send(.POST, "/ack/\(id).\(mac)")
            _ = try await app.testing().send(.GET, "/teams/singcert")
            // validate
            let logged = lines.withLockedValue { $0 }
            #expect(logged.contains("debug GET /ack/\(id).…"), "\(logged)")
            #expect(logged.contains("debug GET /checks/\(id).…"), "\(logged)")
            #expect(logged.contains { $0.hasPrefix("notice CSRF") && $0.hasSuffix("/ack/\(id).…") }, "\(logged)")
            #expect(logged.contains("debug GET /teams/singcert"), "other paths are logged whole")
            #expect(!logged.contains { $0.contains(mac) }, "the MAC reached the log: \(logged)")
        }
    }

    /// Requests are logged at debug (not shown at the server's info level) unless asked for.
    @Test(arguments: [false, true])
    func requestsAreLoggedAtInfoOnlyWhenAskedFor(asked: Bool) async throws {
        let adjust: (inout ConcordConfiguration) -> Void = { $0.logRequests = asked }
        try await withApp(adjust: adjust) { app in
            let lines = NIOLockedValueBox<[String]>([])
            app.logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
            _ = try await app.testing().send(.GET, "/api/v1/health")
            let logged = lines.withLockedValue { $0 }
            #expect(logged.contains("\(asked ? "info" : "debug") GET /api/v1/health"), "\(logged)")
        }
    }

    @Test func theLoggablePathCutsOnlyCapabilityTokens() {
        #expect(RequestLoggingMiddleware.loggable("/ack/abc.def") == "/ack/abc.…")
        #expect(RequestLoggingMiddleware.loggable("/checks/nodot") == "/checks/…")
        #expect(RequestLoggingMiddleware.loggable("/checks/a.b/more") == "/checks/a.…/…")
        #expect(RequestLoggingMiddleware.loggable("/incidents/INC-2026-000001") == "/incidents/INC-2026-000001")
        #expect(RequestLoggingMiddleware.loggable("/api/v1/ack/x.y") == "/api/v1/ack/x.y")
    }
}
