import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The TLP property: random objects under random labels, shared by random people in the forum's,
/// teams' and groups' collections, then every actor asks every read path. Each answer must be
/// exactly what an independent statement of the rules allows (TAXII, correlation, the MISP feed, the delivery log): nothing more (a leak) and nothing
/// less (a lost delivery). The seed is printed with any failure.
@Suite struct SharingPolicyPropertyTests {
    /// Who a generated object was shared by and where, as the oracle sees it.
    struct Shared {
        let id: String
        /// A report of the indicator, shared alongside: the MISP feed's event.
        let report: String
        let label: TLPLabel
        let collection: UUID
        let collectionTeams: Set<UUID>?  // nil: the forum's, every member reads it
        let ownerTeam: UUID
        let ownerUser: UUID
    }

    /// A member of the test forum.
    struct Person {
        let actor: Actor
        let user: UUID
        let team: UUID
        /// The national teams whose constituent the person's team is (SingCERT for NUSCERT).
        let nationalTeams: Set<UUID>

        /// Whether the person reads a collection shared by these teams (nil: the forum's).
        func readsCollection(of teams: Set<UUID>?) -> Bool {
            guard let teams else { return true }
            return teams.contains(team) || !teams.isDisjoint(with: nationalTeams)
        }
    }

    /// The rules, written again without the policy's code: the collection must be the reader's or
    /// its national team's, then CLEAR and GREEN go to all its readers, AMBER+STRICT to the owning
    /// team and the teams of the collection, AMBER also to those teams' constituents, RED to its
    /// author alone.
    static func mayRead(_ person: Person, _ object: Shared) -> Bool {
        guard person.readsCollection(of: object.collectionTeams) else { return false }
        let holders = (object.collectionTeams ?? []).union([object.ownerTeam])
        switch object.label {
        case .clear, .green: return true
        case .amberStrict: return holders.contains(person.team)
        case .amber: return holders.contains(person.team) || !holders.isDisjoint(with: person.nationalTeams)
        case .red: return person.user == object.ownerUser
        }
    }

    @Test(arguments: [UInt64.random(in: 1...UInt64.max), UInt64.random(in: 1...UInt64.max)])
    func noReadPathReturnsWhatTheRulesForbid(seed: UInt64) async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            var rng = SplitMix64(seed: seed)
            var people: [Person] = []
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            for actor in Actor.allCases where actor != .anonymous {
                let user = try #require(
                    try await User.query(on: app.db).filter(\.$email == "\(actor.rawValue)@test.example").first())
                let team = try #require(try await Team.find(user.$team.id, on: app.db))
                let inSingapore = team.$economy.id == forum.singaporeID && team.id != singcert.id
                people.append(
                    Person(
                        actor: actor, user: try user.requireID(), team: user.$team.id,
                        nationalTeams: inSingapore ? [try singcert.requireID()] : []))
            }
            let teams = Array(Set(people.map(\.team))).sorted { $0.uuidString < $1.uuidString }
            // Collections: the forum's, every team's, and two groups of random teams.
            var collections: [(UUID, Set<UUID>?)] = [(SharingCollections.forumID, nil)] + teams.map { ($0, [$0]) }
            for index in 0..<2 {
                var members = Set(teams.filter { _ in Bool.random(using: &rng) })
                members.insert(teams[index])
                let group = SharingCollection(id: UUID(), kind: .group, teamID: nil, title: "g\(index)", summary: "")
                try await group.create(on: app.db)
                for team in members {
                    let member = SharingGroupMember()
                    member.$collection.id = try group.requireID()
                    member.teamID = team
                    try await member.create(on: app.db)
                }
                collections.append((try group.requireID(), members))
            }
            var shared: [Shared] = []
            for _ in 0..<60 {
                let (collection, members) = collections.randomElement(using: &rng)!
                let writers = people.filter { $0.actor != .observer && (members?.contains($0.team) ?? true) }
                let owner = writers.randomElement(using: &rng)!
                let label =
                    members == nil
                    ? [TLPLabel.clear, .green].randomElement(using: &rng)!
                    : TLPLabel.allCases.randomElement(using: &rng)!
                let object = STIXSamples.indicator(label: label)
                var versions = [object]
                if Bool.random(using: &rng) {  // a second version now and then
                    var newer = object
                    newer["modified"] = "2026-12-01T00:00:00.000Z"
                    versions.append(newer)
                }
                let report: [String: Any] = [
                    "type": "report", "spec_version": "2.1", "id": "report--\(UUID().uuidString.lowercased())",
                    "created": "2026-11-29T00:00:00.000Z", "modified": "2026-11-29T00:00:00.000Z",
                    "name": "Report", "published": "2026-11-29T00:00:00Z", "object_refs": [object["id"]],
                    "object_marking_refs": [TLPMarking.id(of: label)],
                ]
                versions.append(report)
                let data = try JSONSerialization.data(withJSONObject: versions)
                let values = try JSONDecoder().decode([JSONValue].self, from: data)
                let target = try #require(try await SharingCollections.find(collection, on: app.db))
                let outcome = try await STIXIngest.add(
                    values, to: target, by: .init(team: owner.team, user: owner.user), defaultLabel: nil, on: app.db,
                    now: app.clock.now())
                #expect(outcome.failures.isEmpty, "seed \(seed): \(outcome.failures)")
                shared.append(
                    Shared(
                        id: object["id"] as? String ?? "", report: report["id"] as? String ?? "", label: label,
                        collection: collection,
                        collectionTeams: members, ownerTeam: owner.team, ownerUser: owner.user))
            }

            for person in people {
                let client = TAXIIClient(app: app, forum: forum, actor: person.actor)
                let listed =
                    taxiiJSON(try await client.get("/taxii2/forum/collections/"))["collections"]
                    as? [[String: Any]] ?? []
                let expectedCollections = collections.filter { person.readsCollection(of: $0.1) }
                    .map { $0.0.uuidString.lowercased() }
                #expect(
                    Set(listed.compactMap { $0["id"] as? String }) == Set(expectedCollections),
                    "seed \(seed): \(person.actor) lists the wrong collections")
                for (collection, _) in collections {
                    let expected = Set(
                        shared.filter { $0.collection == collection && Self.mayRead(person, $0) }.flatMap {
                            [$0.id, $0.report]
                        })
                    let base = TAXIIClient.collection(collection)
                    let limit = Int.random(in: 1...25, using: &rng)
                    guard expectedCollections.contains(collection.uuidString.lowercased()) else {
                        #expect(try await client.get(base + "/objects/").status == .notFound, "seed \(seed)")
                        continue
                    }
                    for path in ["/objects/?match[version]=all", "/manifest/?match[version]=all"] {
                        let pages = try await client.pages(base + path, limit: limit)
                        let ids = pages.flatMap {
                            ($0["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                        }
                        #expect(
                            Set(ids) == expected,
                            "seed \(seed): \(person.actor) on \(path) of \(collection): \(Set(ids).symmetricDifference(expected).count) wrong"
                        )
                    }
                    for object in shared where object.collection == collection {
                        let single = try await client.get(base + "/objects/\(object.id)/")
                        let versions = try await client.get(base + "/objects/\(object.id)/versions/")
                        let status: HTTPResponseStatus = Self.mayRead(person, object) ? .ok : .notFound
                        #expect(
                            single.status == status && versions.status == status,
                            "seed \(seed): \(person.actor) \(object.label)")
                    }
                }
                // Correlation: every object indicates 198.51.100.7, so a lookup names exactly what
                // the person may read, and nothing of the rest.
                let correlation = try await CorrelationTests.lookup(
                    "198.51.100.7", as: person.actor, forum: forum, app: app)
                #expect(
                    Set(correlation.matches.map(\.reference))
                        == Set(shared.filter { Self.mayRead(person, $0) }.map(\.id)),
                    "seed \(seed): \(person.actor) correlates the wrong objects")
                // The MISP feed: an event for exactly the reports the person may read.
                let manifest = try await app.testing().send(
                    .GET, "/api/v1/sharing/misp-feed/manifest.json", headers: forum.headers(person.actor))
                let events = Set(
                    ((try? JSONSerialization.jsonObject(with: Data(manifest.body.readableBytesView))) as? [String: Any]
                        ?? [:]).keys)
                let readable = Set(
                    shared.filter { Self.mayRead(person, $0) }.map { String($0.report.dropFirst("report--".count)) })
                #expect(events == readable, "seed \(seed): \(person.actor) gets the wrong MISP events")
                // The delivery log shows a team only what left its own objects.
                let log = try await app.testing().send(
                    .GET, "/api/v1/sharing/deliveries?limit=1000", headers: forum.headers(person.actor))
                let entries = try log.content.decode([DeliveryDTO].self)
                let own = Set(shared.filter { $0.ownerTeam == person.team }.flatMap { [$0.id, $0.report] })
                #expect(entries.allSatisfy { own.contains($0.object) }, "seed \(seed)")
            }
        }
    }
}
