import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Webhooks: set through the API (the secret shown once), delivered by the outbox as JSON signed
/// with HMAC-SHA256 over the timestamp and body, retried when the receiver fails.
@Suite(.serialized) struct WebhookTests {
    /// What the receiving team's system got.
    actor Received {
        var requests: [(headers: HTTPHeaders, body: String)] = []
        var failNext = 0

        func add(_ headers: HTTPHeaders, _ body: String) -> Bool {
            requests.append((headers, body))
            if failNext > 0 {
                failNext -= 1
                return false
            }
            return true
        }

        func failing(_ count: Int) { failNext = count }
    }

    /// A second HTTP server on loopback standing in for the team's ticket system.
    static func withReceiver(_ body: (String, Received) async throws -> Void) async throws {
        let received = Received()
        let receiver = try await Application.make(.testing)
        receiver.logger.logLevel = .critical
        receiver.post("hook") { req async -> HTTPStatus in
            let accepted = await received.add(req.headers, req.body.string ?? "")
            return accepted ? .noContent : .internalServerError
        }
        // Elsewhere, as a redirect a delivery must not follow.
        receiver.post("moved") { req -> Response in req.redirect(to: "/hook", redirectType: .temporary) }
        let port = try freeLoopbackPort()
        do {
            try await receiver.server.start(address: .hostname("127.0.0.1", port: port))
            try await body("http://127.0.0.1:\(port)/hook", received)
        } catch {
            await receiver.server.shutdown()
            try? await receiver.asyncShutdown()
            throw error
        }
        await receiver.server.shutdown()
        try await receiver.asyncShutdown()
    }

    @Test func aTeamsWebhookGetsSignedJSONAndIsRetriedWhenItFails() async throws {
        try await Self.withReceiver { url, received in
            try await withApp { app in
                // setup
                let forum = try await TestForum.seed(app)
                app.concord.mail.allowPlainHTTPWebhooks = true
                app.concord.mail.webhookAllowedRanges = [IPPrefix("127.0.0.1")!]  // the test's receiver
                let set = try await app.testing().send(
                    .PUT, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin), body: json(["url": url])
                )
                let webhook = try set.content.decode(WebhookDTO.self)
                let shown = try await app.testing().send(
                    .GET, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin)
                ).content.decode(WebhookDTO.self)
                let number = try await OutboxDeliveryTests.reportScan(forum, app)
                await received.failing(1)
                let now = Date()

                // act: the receiver fails once, then accepts the retry
                try await OutboxWorker(application: app).runDue(at: now)
                try await OutboxWorker(application: app).runDue(at: now.addingTimeInterval(31))

                // validate
                #expect(set.status == .ok && webhook.secret?.hasPrefix("whsec_") == true)
                #expect(shown.secret == nil, "the secret is shown once")
                let requests = await received.requests
                try #require(requests.count == 2)
                let (headers, body) = requests[1]
                #expect(headers.first(name: "X-Concord-Event") == "incident.assigned")
                #expect(
                    headers.first(name: "X-Concord-Delivery") == requests[0].headers.first(name: "X-Concord-Delivery"))
                let timestamp = try #require(headers.first(name: "X-Concord-Timestamp").flatMap(Int.init))
                #expect(
                    headers.first(name: "X-Concord-Signature")
                        == WebhookSender.signature(secret: webhook.secret ?? "", timestamp: timestamp, body: body))
                #expect(
                    headers.first(name: "X-Concord-Signature")
                        != WebhookSender.signature(secret: "whsec_wrong", timestamp: timestamp, body: body))
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let payload = try decoder.decode(WebhookPayload.self, from: Data(body.utf8))
                #expect(payload.incident.number == number && payload.team == "singcert")
                #expect(payload.incident.url == "http://localhost:8080/incidents/\(number)")
                #expect(payload.incident.observables == ["ip-address 198.51.100.100"])
                #expect(payload.reasons == ["198.51.100.100 in 198.51.100.96/27 of SingCERT"])
                let incident = try await NotificationMailTests.incident(number, forum: forum, app: app)
                #expect(incident.timeline.contains { $0.text == "SingCERT notified by webhook (signed HMAC-SHA256)" })
            }
        }
    }

    @Test func webhookAddressesAreCheckedAndRotatingChangesTheSecret() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            func put(_ url: String) async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .PUT, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin), body: json(["url": url])
                )
            }
            let plain = try await put("http://tickets.sg.example/hook")
            let credentials = try await put("https://user:pw@tickets.sg.example/hook")
            let first = try await put("https://tickets.sg.example/hook").content.decode(WebhookDTO.self)
            let second = try await put("https://tickets.sg.example/hook").content.decode(WebhookDTO.self)
            let removed = try await app.testing().send(
                .DELETE, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin))
            let gone = try await app.testing().send(
                .GET, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin))
            #expect(plain.status == .unprocessableEntity && plain.body.string.contains("must start with https:"))
            #expect(credentials.status == .unprocessableEntity)
            #expect(first.secretVersion == 1 && second.secretVersion == 2 && first.secret != second.secret)
            #expect(removed.status == .noContent && gone.status == .notFound)
        }
    }

    @Test(arguments: [
        "https://127.0.0.1:8443/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://localhost/hook", "https://a.localhost/hook",
    ])
    func inwardAddressesAreRefusedWhenSaved(url: String) async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let response = try await app.testing().send(
                .PUT, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin), body: json(["url": url]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("is not a public address"))
            #expect(try await TeamWebhook.query(on: app.db).count() == 0)
        }
    }

    @Test func deliveryChecksTheAddressAgainAndFollowsNoRedirect() async throws {
        try await Self.withReceiver { url, received in
            try await withApp { app in
                // setup: one webhook on loopback stored without the save check (as a name that
                // resolved outward when saved and inward now would be), one that redirects
                let forum = try await TestForum.seed(app)
                app.concord.mail.allowPlainHTTPWebhooks = true
                let webhook = TeamWebhook()
                let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
                webhook.$team.id = try singcert.requireID()
                webhook.url = url
                webhook.secretVersion = 1
                try await webhook.create(on: app.db)
                let number = try await OutboxDeliveryTests.reportScan(forum, app)
                // act: refused before connecting; then allowed, but the address redirects
                try await OutboxWorker(application: app).runDue(at: Date())
                let refused = await received.requests.count
                app.concord.mail.webhookAllowedRanges = [IPPrefix("127.0.0.0/8")!]
                webhook.url = url.replacingOccurrences(of: "/hook", with: "/moved")
                try await webhook.save(on: app.db)
                try await OutboxWorker(application: app).runDue(at: Date().addingTimeInterval(3600))
                // validate
                #expect(refused == 0, "nothing reached a loopback address")
                #expect(await received.requests.isEmpty, "the redirect to /hook was not followed")
                let incident = try await NotificationMailTests.incident(number, forum: forum, app: app)
                #expect(!incident.timeline.contains { $0.text.contains("notified by webhook") })
                let outbox = try await OutboxMessage.query(on: app.db).filter(\.$channel == .webhook).all()
                #expect(outbox.allSatisfy { $0.state != .sent } && !outbox.isEmpty)
            }
        }
    }

    /// A resolver answering from a table, as a name server under the test's control.
    struct TableResolver: NameResolver {
        let table: [String: [IPAddress]]
        func addresses(of host: String) async throws -> [IPAddress] {
            guard let found = table[host] else { throw ConcordError(.unavailable, "\(host) does not resolve") }
            return found
        }
    }

    /// The delivery connects to the address it checked: a name only the application's resolver
    /// knows (no name server here could answer for it) reaches the receiver, so the HTTP client
    /// did not look the name up again (where a rebinding name server could have answered inward);
    /// and when the name resolves inward as well, nothing is sent.
    @Test func deliveryConnectsToTheAddressItChecked() async throws {
        try await Self.withReceiver { url, received in
            try await withApp { app in
                // setup
                let forum = try await TestForum.seed(app)
                app.concord.mail.allowPlainHTTPWebhooks = true
                app.concord.mail.webhookAllowedRanges = [IPPrefix("127.0.0.1")!]
                let named = url.replacingOccurrences(of: "127.0.0.1", with: "hooks.rebind.example")
                app.nameResolver = TableResolver(table: ["hooks.rebind.example": [IPAddress("127.0.0.1")!]])
                let set = try await app.testing().send(
                    .PUT, "/api/v1/teams/singcert/webhook", headers: forum.headers(.teamAdmin),
                    body: json(["url": named]))
                #expect(set.status == .ok, "\(set.body.string)")
                _ = try await OutboxDeliveryTests.reportScan(forum, app)
                // act
                try await OutboxWorker(application: app).runDue(at: Date())
                let first = await received.requests
                app.nameResolver = TableResolver(table: [
                    "hooks.rebind.example": [IPAddress("127.0.0.1")!, IPAddress("169.254.169.254")!]
                ])
                _ = try await OutboxDeliveryTests.reportScan(forum, app)
                try await OutboxWorker(application: app).runDue(at: Date().addingTimeInterval(3600))
                // validate
                #expect(first.count == 1, "delivered to the checked address")
                #expect(first.first?.headers.first(name: .host)?.hasPrefix("hooks.rebind.example") == true)
                #expect(await received.requests.count == 1, "an inward address among the answers stops the delivery")
                let failed = try await OutboxMessage.query(on: app.db).filter(\.$channel == .webhook)
                    .filter(\.$state != .sent).all()
                #expect(failed.contains { $0.lastError?.contains("169.254.169.254") == true })
            }
        }
    }
}
