import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Sharing beyond TAXII's own endpoints: incidents as STIX reports, sharing groups, and the log of
/// deliveries the sharing team reads.
@Suite struct SharingTests {
    /// Reports an incident as SingCERT's handler and returns its number.
    static func incident(tlp: String, forum: TestForum, app: Application) async throws -> String {
        let body: [String: AnyEncodable] = [
            "title": "C2 traffic", "classification": "malicious-code/c2-server", "tlp": AnyEncodable(tlp),
            "description": "Beaconing every 60 s",
            "recipients": AnyEncodable(tlp == "TLP:RED" ? ["team-admin@test.example"] : []),
            "observables": AnyEncodable([
                ["value": "198.51.100.100"], ["value": "198.51.100.114"], ["value": "AS64500"],
                ["value": "d41d8cd98f00b204e9800998ecf8427e"], ["value": "http://c2.nus.sg.example/gate.php"],
            ]),
        ]
        let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
        return try response.content.decode(IncidentDTO.self).number
    }

    static func objects(in collection: UUID, as actor: Actor, forum: TestForum, app: Application) async throws
        -> [[String: Any]]
    {
        let client = TAXIIClient(app: app, forum: forum, actor: actor)
        return taxiiJSON(try await client.get(TAXIIClient.collection(collection) + "/objects/"))["objects"]
            as? [[String: Any]] ?? []
    }

    @Test func aGreenIncidentGoesToTheForumAsAReportWithItsObservables() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await Self.incident(tlp: "TLP:GREEN", forum: forum, app: app)
            let shared = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/share", headers: forum.headers(.handler))
            #expect(shared.status == .created)
            let outcome = try shared.content.decode(IncidentSharing.Outcome.self)
            #expect(outcome.collections == [SharingCollections.forumID.uuidString.lowercased()])
            let objects = try await Self.objects(
                in: SharingCollections.forumID, as: .teamAdminOther, forum: forum, app: app)
            let types = objects.compactMap { $0["type"] as? String }
            #expect(
                types.sorted() == [
                    "autonomous-system", "file", "identity", "ipv4-addr", "ipv4-addr", "observed-data", "report", "url",
                ])
            #expect(objects.allSatisfy { $0["object_marking_refs"] as? [String] == [TLPMarking.id(of: .green)] })
            let report = try #require(objects.first { $0["type"] as? String == "report" })
            #expect(report["id"] as? String == outcome.report)
            #expect((report["name"] as? String)?.hasPrefix(number) == true)
            let references = Set(report["object_refs"] as? [String] ?? [])
            #expect(references.count == 6 && references.isSubset(of: Set(objects.compactMap { $0["id"] as? String })))
            let address = objects.first { $0["type"] as? String == "ipv4-addr" }
            #expect((address?["id"] as? String).flatMap(STIXIdentifier.init)?.uuidVersion == 5)

            // Sharing again adds a version of the same report; the observables stay as they were.
            #expect(
                try await app.testing().send(
                    .POST, "/api/v1/incidents/\(number)/share", headers: forum.headers(.handler)
                ).status == .created)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let versions = taxiiJSON(
                try await handler.get(
                    TAXIIClient.collection(SharingCollections.forumID) + "/objects/\(outcome.report)/versions/"))
            #expect((versions["versions"] as? [String])?.count == 2)
            #expect(try await StoredSTIXObject.query(on: app.db).filter(\.$type == "ipv4-addr").count() == 2)

            // Only the reporting team (and the secretariat) shares it; the timeline says so.
            #expect(
                try await app.testing().send(
                    .POST, "/api/v1/incidents/\(number)/share", headers: forum.headers(.teamAdminOther)
                ).status == .forbidden)
            let detail = try await app.testing().send(
                .GET, "/api/v1/incidents/\(number)", headers: forum.headers(.handler))
            #expect(detail.body.string.contains("shared as STIX report \(outcome.report) (TLP:GREEN) with the forum"))
        }
    }

    @Test func anAmberIncidentGoesToTheCollectionsOfItsTeamsOnly() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await Self.incident(tlp: "TLP:AMBER", forum: forum, app: app)
            let shared = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/share", headers: forum.headers(.handler))
            let outcome = try shared.content.decode(IncidentSharing.Outcome.self)
            let teams = try await Team.query(on: app.db).all()
            let id = { (slug: String) in teams.first { $0.slug == slug }?.id ?? UUID() }
            #expect(Set(outcome.collections) == Set(["singcert", "nuscert"].map { id($0).uuidString.lowercased() }))
            // NUSCERT reads it in its own collection, as the team it was shared with.
            let received = try await Self.objects(in: id("nuscert"), as: .teamAdminOther, forum: forum, app: app)
            #expect(received.contains { $0["id"] as? String == outcome.report })
            #expect(received.allSatisfy { $0["object_marking_refs"] as? [String] == [TLPMarking.id(of: .amber)] })
            let forumWide = try await Self.objects(in: SharingCollections.forumID, as: .handler, forum: forum, app: app)
            #expect(forumWide.isEmpty)

            // NUSCERT's reading is a delivery SingCERT sees, and NUSCERT does not.
            let log = try await app.testing().send(
                .GET, "/api/v1/sharing/deliveries?object=\(outcome.report)", headers: forum.headers(.observer))
            let deliveries = try log.content.decode([DeliveryDTO].self)
            #expect(deliveries.count == 1)
            #expect(deliveries.first?.team == "nuscert" && deliveries.first?.user == "team-admin-other@test.example")
            #expect(deliveries.first?.label.rawValue == "TLP:AMBER" && deliveries.first?.channel == "taxii")
            let theirs = try await app.testing().send(
                .GET, "/api/v1/sharing/deliveries", headers: forum.headers(.teamAdminOther))
            #expect(try theirs.content.decode([DeliveryDTO].self).isEmpty)
        }
    }

    @Test func aRedIncidentIsNotSharedAsSTIX() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await Self.incident(tlp: "TLP:RED", forum: forum, app: app)
            let refused = try await app.testing().send(
                .POST, "/api/v1/incidents/\(number)/share", headers: forum.headers(.handler))
            #expect(refused.status == .conflict)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 0)
        }
    }

    @Test func aSharingGroupIsACollectionItsTeamsShareAmberIn() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let created = try await app.testing().send(
                .POST, "/api/v1/sharing-groups", headers: forum.headers(.handler),
                body: json(SharingGroupInput(name: "Singapore pair", description: "SG teams", teams: ["nuscert"])))
            #expect(created.status == .created)
            let group = try created.content.decode(SharingGroupDTO.self)
            #expect(group.teams == ["nuscert", "singcert"])
            let amber = STIXSamples.indicator(label: .amber)
            let status = taxiiJSON(
                try await TAXIIClient(app: app, forum: forum, actor: .teamAdminOther).add([amber], to: group.id))
            #expect(status["success_count"] as? Int == 1)
            let seen = try await Self.objects(in: group.id, as: .observer, forum: forum, app: app)
            #expect(seen.compactMap { $0["id"] as? String } == [amber["id"] as? String].compactMap { $0 })
            let outsider = TAXIIClient(app: app, forum: forum, actor: .secretariat)
            #expect(try await outsider.get(TAXIIClient.collection(group.id) + "/objects/").status == .notFound)
            let listed = try await app.testing().send(
                .GET, "/api/v1/sharing-groups", headers: forum.headers(.secretariat))
            #expect(try listed.content.decode([SharingGroupDTO].self).isEmpty)

            let unknown = try await app.testing().send(
                .POST, "/api/v1/sharing-groups", headers: forum.headers(.handler),
                body: json(SharingGroupInput(name: "", description: nil, teams: ["nobody"])))
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("teams[0]") && unknown.body.string.contains("name"))
        }
    }

    /// TLP:AMBER shared with SingCERT, the national team of Singapore, reaches NUSCERT (a team of
    /// Singapore, its constituent) by TAXII, correlation and the incident list; AMBER+STRICT and
    /// RED do not, and the constituent reads the collection without writing to it.
    @Test func amberSharedWithANationalTeamReachesItsConstituents() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let collection = try singcert.requireID()
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let amber = STIXSamples.indicator(label: .amber)
            let strict = STIXSamples.indicator(label: .amberStrict)
            let red = STIXSamples.indicator(label: .red)
            #expect(
                taxiiJSON(try await handler.add([amber, strict, red], to: collection))["success_count"] as? Int == 3)

            let constituent = TAXIIClient(app: app, forum: forum, actor: .teamAdminOther)
            let listed =
                taxiiJSON(try await constituent.get("/taxii2/forum/collections/"))["collections"] as? [[String: Any]]
                ?? []
            let entry = try #require(listed.first { $0["id"] as? String == collection.uuidString.lowercased() })
            #expect(entry["can_read"] as? Bool == true && entry["can_write"] as? Bool == false)
            let read = try await Self.objects(in: collection, as: .teamAdminOther, forum: forum, app: app)
            #expect(read.compactMap { $0["id"] as? String } == [amber["id"] as? String].compactMap { $0 })
            let strictID = try #require(strict["id"] as? String)
            #expect(
                try await constituent.get(TAXIIClient.collection(collection) + "/objects/\(strictID)/").status
                    == .notFound)
            #expect(
                taxiiJSON(try await constituent.add([STIXSamples.indicator(label: .amber)], to: collection))[
                    "http_status"] as? String == "403")
            let correlation = try await CorrelationTests.lookup(
                "198.51.100.7", as: .teamAdminOther, forum: forum, app: app)
            #expect(correlation.matches.map(\.reference) == [amber["id"] as? String].compactMap { $0 })
            // The delivery to a constituent is logged for SingCERT like any other.
            let log = try await app.testing().send(
                .GET, "/api/v1/sharing/deliveries", headers: forum.headers(.handler))
            #expect(try log.content.decode([DeliveryDTO].self).contains { $0.team == "nuscert" })

            // The secretariat's team is in Japan: SingCERT's AMBER does not reach it.
            #expect(try await Self.objects(in: collection, as: .secretariat, forum: forum, app: app).isEmpty)

            // An AMBER incident SingCERT reports, with nobody else assigned, is in NUSCERT's list.
            let number = try await Self.incident(tlp: "TLP:AMBER", forum: forum, app: app)
            let incident = try #require(try await Incident.query(on: app.db).filter(\.$number == number).first())
            try await IncidentAssignment.query(on: app.db).filter(\.$incident.$id == incident.requireID())
                .filter(\.$team.$id != collection).delete()
            let list = try await app.testing().send(.GET, "/api/v1/incidents", headers: forum.headers(.teamAdminOther))
            #expect(list.body.string.contains(number))
            incident.tlp = .amberStrict
            try await incident.save(on: app.db)
            let strictList = try await app.testing().send(
                .GET, "/api/v1/incidents", headers: forum.headers(.teamAdminOther))
            #expect(strictList.status == .ok && !strictList.body.string.contains(number))
        }
    }

    @Test func aMISPEventWithoutItsUUIDOrInTheWrongCollectionIsRefusedWhole() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let noUUID = try await app.testing().send(
                .POST, "/api/v1/sharing/misp-events", headers: forum.headers(.handler),
                body: ByteBuffer(string: #"{"Event":{"info":"x","Attribute":[]}}"#))
            #expect(noUUID.status == .unprocessableEntity && noUUID.body.string.contains("uuid"))
            let amber = #"""
                {"Event":{"uuid":"5e6b6c8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","info":"x","Tag":[{"name":"tlp:amber"}],
                "Attribute":[{"type":"ip-dst","value":"198.51.100.9","to_ids":true,"uuid":"6e6b6c8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"}]}}
                """#
            let forumWide = try await app.testing().send(
                .POST, "/api/v1/sharing/misp-events?collection=\(SharingCollections.forumID)",
                headers: forum.headers(.handler),
                body: ByteBuffer(string: amber))
            #expect(forumWide.status == .unprocessableEntity)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 0)
            let own = try await app.testing().send(
                .POST, "/api/v1/sharing/misp-events", headers: forum.headers(.handler), body: ByteBuffer(string: amber))
            #expect(own.status == .created)
            let outcome = try own.content.decode(MISPController.ImportOutcome.self)
            #expect(outcome.report == "report--5e6b6c8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f" && outcome.stored == 3)
            let rows = try await StoredSTIXObject.query(on: app.db).all()
            #expect(Set(rows.map(\.type)) == ["identity", "indicator", "report"])
            #expect(rows.allSatisfy { $0.tlp.rawValue == "TLP:AMBER" && $0.collectionID == outcome.collection })
        }
    }

    @Test func aSightingReachesTheIndicatorsCreator() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let indicator = STIXSamples.indicator(label: .green)
            let id = try #require(indicator["id"] as? String)
            _ = try await TAXIIClient(app: app, forum: forum, actor: .handler).add(
                [indicator], to: SharingCollections.forumID)
            let input: [String: AnyEncodable] = [
                "indicator": AnyEncodable(id), "collection": AnyEncodable(SharingCollections.forumID),
                "count": AnyEncodable(12),
                "firstSeen": "2026-11-30T01:00:00Z", "lastSeen": "2026-11-30T02:00:00Z",
            ]
            let sighted = try await app.testing().send(
                .POST, "/api/v1/sharing/sightings", headers: forum.headers(.teamAdminOther), body: json(input))
            #expect(sighted.status == .created)
            let seen = try await app.testing().send(
                .GET, "/api/v1/sharing/sightings?indicator=\(id)", headers: forum.headers(.handler))
            let sightings = try seen.content.decode([SightingController.Sighting].self)
            #expect(sightings.count == 1)
            #expect(sightings.first?.team == "nuscert" && sightings.first?.count == 12)
            #expect(sightings.first?.label == "TLP:GREEN" && sightings.first?.lastSeen?.hasPrefix("2026-") == true)

            let backwards: [String: AnyEncodable] = [
                "indicator": AnyEncodable(id), "collection": AnyEncodable(SharingCollections.forumID),
                "count": AnyEncodable(0),
                "firstSeen": "2026-11-30T02:00:00Z", "lastSeen": "2026-11-30T01:00:00Z",
            ]
            let refused = try await app.testing().send(
                .POST, "/api/v1/sharing/sightings", headers: forum.headers(.teamAdminOther), body: json(backwards))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("count") && refused.body.string.contains("lastSeen"))
            let unknown: [String: AnyEncodable] = [
                "indicator": AnyEncodable("indicator--\(UUID().uuidString.lowercased())"),
                "collection": AnyEncodable(SharingCollections.forumID),
            ]
            let missing = try await app.testing().send(
                .POST, "/api/v1/sharing/sightings", headers: forum.headers(.teamAdminOther), body: json(unknown))
            #expect(missing.status == .notFound)
        }
    }

    @Test func aTeamsFeedEventsAreSharedAsObservedData() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let lines = [
                FeedImportTests.line(["source.ip": "198.51.100.100", "source.asn": 64500]),
                FeedImportTests.line(["source.ip": "198.51.100.101", "source.fqdn": "bot.sg.example"]),
                FeedImportTests.line(["source.ip": "198.51.100.113"]),  // NUSCERT's, not SingCERT's
            ]
            let imported = try await app.testing().send(
                .POST, "/api/v1/feeds/events?format=intelmq&tlp=TLP:GREEN", headers: forum.headers(.secretariat),
                body: ByteBuffer(string: lines.joined(separator: "\n")), contentType: .plainText)
            #expect(imported.status == .created)
            let shared = try await app.testing().send(
                .POST, "/api/v1/sharing/feed-events?collection=\(SharingCollections.forumID)",
                headers: forum.headers(.handler))
            #expect(shared.status == .created)
            let outcome = try shared.content.decode(SharingController.FeedEventsShared.self)
            #expect(outcome.events == 2 && outcome.skipped == 0)
            let objects = try await Self.objects(
                in: SharingCollections.forumID, as: .teamAdminOther, forum: forum, app: app)
            let observed = objects.filter { $0["type"] as? String == "observed-data" }
            #expect(observed.count == 2)
            #expect(observed.allSatisfy { $0["x_intelmq_feed"] as? String == "shadowserver-scan" })
            #expect(observed.allSatisfy { $0["object_marking_refs"] as? [String] == [TLPMarking.id(of: .green)] })
            let values = Set(objects.compactMap { $0["value"] as? String })
            #expect(values == ["198.51.100.100", "198.51.100.101", "bot.sg.example"])
            #expect(objects.contains { $0["number"] as? Int == 64500 })
            // Correlation now finds the shared observation.
            let correlation = try await CorrelationTests.lookup(
                "198.51.100.101", as: .teamAdminOther, forum: forum, app: app)
            #expect(correlation.matches.contains { $0.source == "stix" })
        }
    }
}
