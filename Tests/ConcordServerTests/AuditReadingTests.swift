import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Reading the audit log: its lines pass the same policy as the objects they are about.
@Suite struct AuditReadingTests {
    static func report(_ title: String, tlp: String, forum: TestForum, app: Application) async throws -> String {
        var body: [String: AnyEncodable] = [
            "title": .init(title), "classification": .init("malicious-code/c2-server"), "tlp": .init(tlp),
            "observables": .init([["value": "198.51.100.100"]]),
        ]
        if tlp == "TLP:RED" { body["recipients"] = .init(["handler@test.example"]) }
        let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(IncidentDTO.self).number
    }

    @Test func aRedIncidentsLinesReachNoOneItDoesNotName() async throws {
        try await withApp { app in
            // setup: SingCERT reports a RED incident to itself and attaches a file; and a GREEN one
            let forum = try await TestForum.seed(app)
            let red = try await Self.report("RED marker 7f3a", tlp: "TLP:RED", forum: forum, app: app)
            let green = try await Self.report("GREEN marker", tlp: "TLP:GREEN", forum: forum, app: app)
            let handler = try await WebSession.start(app, as: .handler)
            let file = Data("red evidence".utf8)
            let uploaded = try await handler.upload(
                "/incidents/\(red)/attachments", field: "file", filename: "X-red-7f3a.txt", data: file, app: app)
            #expect(uploaded.status == .seeOther)
            let digest = SHA256.hash(data: file).map { String(format: "%02x", $0) }.joined()
            for actor in [Actor.forumAdmin, .secretariat] {
                // act
                let incident = try await app.testing().send(
                    .GET, "/api/v1/incidents/\(red)", headers: forum.headers(actor))
                let audit = try await app.testing().send(.GET, "/api/v1/audit", headers: forum.headers(actor))
                // validate
                #expect(incident.status == .notFound, "\(actor) is not named by the RED incident")
                #expect(audit.status == .ok)
                let text = audit.body.string
                #expect(text.contains(green), "\(actor) sees the GREEN incident's lines")
                for secret in [red, "X-red-7f3a.txt", digest] {
                    #expect(!text.contains(secret), "\(actor) must not see \(secret) in the audit log")
                }
            }
            let stored = try await AuditEntry.query(on: app.db).filter(\.$targetID == red).count()
            #expect(stored == 2, "the lines are kept (report and attachment), only not shown")
        }
    }
}
