import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Bodies refused for what they are, with a problem that says so (issue 16, S10): too large is
/// 413, control characters are 422, and a mistyped address is not a domain.
@Suite struct RequestBodyTests {
    @Test func aJSONBodyOverTheLimitIs413WithAProblem() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let huge = String(repeating: "a", count: 2 << 20)
            // A running server: in memory the body arrives collected and no limit applies.
            let response = try await app.testing(method: .running(port: try freeLoopbackPort())).send(
                .POST, "/api/v1/incidents", headers: forum.headers(.handler),
                body: ByteBuffer(string: #"{"title":"\#(huge)"}"#), contentType: .json)
            #expect(response.status == .payloadTooLarge)
            #expect(response.headers.first(name: .contentType) == "application/problem+json")
            #expect(response.body.string.contains("payload-too-large"))
        }
    }

    @Test(arguments: [#"C2 \u0000hidden"#, #"bell \u0007"#, #"escape \u001B[31m"#])
    func controlCharactersInJSONTextAreRefusedAndNothingIsStored(title: String) async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let before = try await Incident.query(on: app.db).count()
            let body =
                #"{"title":"\#(title)","classification":"malicious-code/c2-server","tlp":"TLP:GREEN","observables":[{"value":"198.51.100.100"}]}"#
            let response = try await app.testing().send(
                .POST, "/api/v1/incidents", headers: forum.headers(.handler), body: ByteBuffer(string: body),
                contentType: .json)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("control characters"))
            #expect(try await Incident.query(on: app.db).count() == before)
        }
    }

    @Test func tabsLineBreaksAndEscapedBackslashesStayAccepted() {
        #expect(!ControlCharacterGuard.jsonHasControl(Array(#"{"t":"a\tb\nc\r\\u0000"}"#.utf8)))
        #expect(ControlCharacterGuard.jsonHasControl(Array(#"{"t":"a\\\u0000"}"#.utf8)))
        #expect(ControlCharacterGuard.formHasControl(Array("title=a%00b".utf8)))
        #expect(!ControlCharacterGuard.formHasControl(Array("title=a%0Ab%09c%25".utf8)))
    }

    @Test func aNULInAWebFormIsRefused() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .teamAdmin)
            var headers = HTTPHeaders()
            headers.cookie = ["concord_session": .init(string: session.cookie)]
            let response = try await app.testing().send(
                .POST, "/teams/singcert/edit", headers: headers,
                body: ByteBuffer(string: "csrf=\(session.csrf)&fullName=Sing%00CERT"), contentType: .urlEncodedForm)
            #expect(response.status == .unprocessableEntity)
            let team = try await Team.query(on: app.db).filter(\.$slug == "singcert").first()
            #expect(team?.fullName.contains("\u{0}") == false)
        }
    }

    @Test(arguments: ["300.1.1.1", "198.51.100.999", "198.51.100.1100"])
    func aMistypedAddressIsRefusedNotRoutedAsADomain(value: String) async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let body: [String: AnyEncodable] = [
                "title": "scan", "classification": "information-gathering/scanner", "tlp": "TLP:GREEN",
                "observables": .init([["value": value]]),
            ]
            let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("neither an IP address"))
        }
    }
}
