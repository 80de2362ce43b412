import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Correlation across incidents and shared objects, judged by the policy on both sides.
@Suite struct CorrelationTests {
    static func lookup(_ value: String, as actor: Actor, forum: TestForum, app: Application) async throws
        -> CorrelationResult
    {
        let response = try await app.testing().send(
            .GET, "/api/v1/correlations?value=\(value)", headers: forum.headers(actor))
        return try response.content.decode(CorrelationResult.self)
    }

    @Test func anIncidentAndASharedIndicatorMeetOnlyForThoseWhoSeeBoth() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let body: [String: AnyEncodable] = [
                "title": "C2 traffic", "classification": "malicious-code/c2-server", "tlp": "TLP:AMBER+STRICT",
                "observables": AnyEncodable([["value": "198.51.100.100"]]),
            ]
            let number = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
                .content.decode(IncidentDTO.self).number
            let indicator = STIXSamples.indicator(label: .green, address: "198.51.100.100")
            let indicatorID = try #require(indicator["id"] as? String)
            _ = try await TAXIIClient(app: app, forum: forum, actor: .teamAdminOther)
                .add([indicator], to: SharingCollections.forumID)

            // The reporter sees the indicator beside the incident's observable.
            let response = try await app.testing().send(
                .GET, "/api/v1/incidents/\(number)/correlations", headers: forum.headers(.handler))
            let seen = try response.content.decode([CorrelationController.ObservableCorrelation].self)
            #expect(seen.map(\.observable) == ["198.51.100.100"])
            #expect(seen.first?.correlation.matches.map(\.reference) == [indicatorID])

            // NUSCERT shared the indicator but may not read the AMBER+STRICT incident (AMBER would
            // reach it, a constituent of SingCERT): no trace of it.
            let theirs = try await Self.lookup("198.51.100.100", as: .teamAdminOther, forum: forum, app: app)
            #expect(theirs.matches.map(\.source) == ["stix"])
            let ours = try await Self.lookup("198.51.100.100", as: .handler, forum: forum, app: app)
            #expect(ours.matches.map(\.reference) == [indicatorID, number])

            // A RED indicator correlates for its author alone, not for the author's teammates.
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let red = STIXSamples.indicator(label: .red, address: "198.51.100.100")
            _ = try await TAXIIClient(app: app, forum: forum, actor: .handler).add([red], to: try team.requireID())
            let author = try await Self.lookup("198.51.100.100", as: .handler, forum: forum, app: app)
            #expect(author.matches.count == 3)
            let teammate = try await Self.lookup("198.51.100.100", as: .teamAdmin, forum: forum, app: app)
            #expect(!teammate.matches.contains { $0.reference == red["id"] as? String })
            #expect(teammate.matches.map(\.reference) == [indicatorID, number])

            // Known-benign values are never correlated; only the secretariat lists them.
            let list = try await app.testing().send(
                .PUT, "/api/v1/correlations/warninglist", headers: forum.headers(.secretariat),
                body: json(CorrelationController.Warninglist(values: ["198.51.100.100", "8.8.8.8"])))
            #expect(list.status == .ok)
            let benign = try await Self.lookup("198.51.100.100", as: .handler, forum: forum, app: app)
            #expect(benign.warninglisted && benign.matches.isEmpty)
            let refused = try await app.testing().send(
                .PUT, "/api/v1/correlations/warninglist", headers: forum.headers(.teamAdmin),
                body: json(CorrelationController.Warninglist(values: [])))
            #expect(refused.status == .forbidden)
            let invalid = try await app.testing().send(
                .PUT, "/api/v1/correlations/warninglist", headers: forum.headers(.secretariat),
                body: json(CorrelationController.Warninglist(values: ["not a value"])))
            #expect(invalid.status == .unprocessableEntity)
            #expect(try await WarninglistEntry.query(on: app.db).count() == 2)  // kept whole
        }
    }

    @Test func overCorrelatingValuesAreNamedNotMatched() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let objects = (0...CorrelationIndex.cap).map { _ in STIXSamples.indicator(address: "192.0.2.53") }
            _ = try await TAXIIClient(app: app, forum: forum, actor: .handler).add(
                objects, to: SharingCollections.forumID)
            let result = try await Self.lookup("192.0.2.53", as: .handler, forum: forum, app: app)
            #expect(result.overCorrelating && result.matches.isEmpty)
            let below = try await Self.lookup("192.0.2.54", as: .handler, forum: forum, app: app)
            #expect(!below.overCorrelating)

            // The secretariat lists them (and only them), to judge them for the warninglist.
            _ = try await TAXIIClient(app: app, forum: forum, actor: .handler).add(
                [STIXSamples.indicator(address: "192.0.2.54")], to: SharingCollections.forumID)
            let path = "/api/v1/correlations/over-correlating"
            let listed = try await app.testing().send(.GET, path, headers: forum.headers(.secretariat))
            #expect(listed.status == .ok)
            let values = try listed.content.decode([CorrelationIndex.OverCorrelating].self)
            #expect(
                values == [.init(value: "192.0.2.53", key: "ip-address:192.0.2.53", places: CorrelationIndex.cap + 1)])
            #expect(try await app.testing().send(.GET, path, headers: forum.headers(.handler)).status == .forbidden)
            let benign = try await app.testing().send(
                .PUT, "/api/v1/correlations/warninglist", headers: forum.headers(.secretariat),
                body: json(CorrelationController.Warninglist(values: ["192.0.2.53"])))
            #expect(benign.status == .ok)
            let after = try await app.testing().send(.GET, path, headers: forum.headers(.secretariat))
            #expect(try after.content.decode([CorrelationIndex.OverCorrelating].self).isEmpty)
        }
    }
}
