import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The TAXII 2.1 server: discovery and collections, Add Objects with its status, paging by signed
/// keyset cursors, versions, deletion, and the TLP policy on every read.
@Suite struct TAXIIServerTests {
    let forumCollection = SharingCollections.forumID

    @Test func discoveryRootAndCollectionsSpeakTAXII() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let discovery = try await handler.get("/taxii2/")
            #expect(discovery.status == .ok)
            #expect(discovery.headers.first(name: .contentType) == "application/taxii+json;version=2.1")
            let roots = taxiiJSON(discovery)["api_roots"] as? [String] ?? []
            #expect(roots.count == 1 && roots[0].hasSuffix("/taxii2/forum/"), "\(roots)")
            let root = taxiiJSON(try await handler.get("/taxii2/forum/"))
            #expect(root["versions"] as? [String] == ["application/taxii+json;version=2.1"])
            #expect(root["max_content_length"] as? Int == TAXIIController.maxContentLength)

            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let listed =
                taxiiJSON(try await handler.get("/taxii2/forum/collections/"))["collections"] as? [[String: Any]]
            let ids = (listed ?? []).compactMap { $0["id"] as? String }
            #expect(ids == [forumCollection, try singcert.requireID()].map { $0.uuidString.lowercased() })
            #expect((listed ?? []).allSatisfy { $0["can_read"] as? Bool == true && $0["can_write"] as? Bool == true })
            let observer = TAXIIClient(app: app, forum: forum, actor: .observer)
            let seen = taxiiJSON(try await observer.get(TAXIIClient.collection(forumCollection) + "/"))
            #expect(seen["can_read"] as? Bool == true && seen["can_write"] as? Bool == false)
            #expect(seen["media_types"] as? [String] == ["application/stix+json;version=2.1"])

            // Another team's collection does not exist for JPCERT/CC; NUSCERT, a team of Singapore,
            // reads (but does not write) the collection of its national team.
            let other = TAXIIClient(app: app, forum: forum, actor: .secretariat)
            #expect(try await other.get(TAXIIClient.collection(try singcert.requireID()) + "/").status == .notFound)
            let constituent = TAXIIClient(app: app, forum: forum, actor: .teamAdminOther)
            let national = taxiiJSON(try await constituent.get(TAXIIClient.collection(try singcert.requireID()) + "/"))
            #expect(national["can_read"] as? Bool == true && national["can_write"] as? Bool == false)

            // Errors are TAXII error messages whose http_status is the status line's.
            let anonymous = try await app.testing().send(.GET, "/taxii2/", headers: ["Accept": TAXIIMediaType.taxii])
            #expect(anonymous.status == .unauthorized)
            #expect(taxiiJSON(anonymous)["http_status"] as? String == "401")
            #expect(anonymous.headers.first(name: .wwwAuthenticate)?.hasPrefix("Basic") == true)
            let wrongType = try await handler.get("/taxii2/", headers: ["Accept": "application/json"])
            #expect(wrongType.status == .notAcceptable && taxiiJSON(wrongType)["http_status"] as? String == "406")
            let nowhere = try await handler.get("/taxii2/elsewhere/")
            #expect(nowhere.status == .notFound && nowhere.headers.first(name: .contentType) == TAXIIMediaType.taxii)

            // The account's own password works as Basic too.
            var basic = HTTPHeaders([("Accept", TAXIIMediaType.taxii)])
            basic.basicAuthorization = BasicAuthorization(
                username: "handler@test.example", password: "correct horse handler")
            #expect(try await app.testing().send(.GET, "/taxii2/", headers: basic).status == .ok)
            basic.basicAuthorization = BasicAuthorization(username: "handler@test.example", password: "wrong")
            #expect(try await app.testing().send(.GET, "/taxii2/", headers: basic).status == .unauthorized)
        }
    }

    @Test func addObjectsAccountsForEveryObject() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            var badPattern = STIXSamples.indicator()
            badPattern["pattern"] = "[ipv4-addr:value = '198.51.100.7'"
            var conflicting = STIXSamples.indicator()
            conflicting["object_marking_refs"] = [TLPMarking.id(of: .green), TLPMarking.id(of: .red)]
            let good = STIXSamples.indicator()
            let objects = [
                good, badPattern, STIXSamples.indicator(label: .amber), STIXSamples.indicator(label: nil), conflicting,
            ]
            let answer = try await handler.add(objects, to: forumCollection)
            #expect(answer.status == .accepted, "\(answer.body.string)")
            let status = taxiiJSON(answer)
            #expect(status["status"] as? String == "complete")
            #expect(status["total_count"] as? Int == 5 && status["success_count"] as? Int == 1)
            #expect(status["failure_count"] as? Int == 4 && status["pending_count"] as? Int == 0)
            let failures = (status["failures"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(failures.contains { $0.contains("pattern") })
            #expect(failures.filter { $0.contains("forum-wide collection takes TLP:CLEAR and TLP:GREEN") }.count == 2)
            #expect(failures.contains { $0.contains("TLP:GREEN and TLP:RED") })

            // The status is the sender's: another user does not find it.
            let id = try #require(status["id"] as? String)
            #expect(try await handler.get("/taxii2/forum/status/\(id)/").status == .ok)
            let admin = TAXIIClient(app: app, forum: forum, actor: .teamAdmin)
            #expect(try await admin.get("/taxii2/forum/status/\(id)/").status == .notFound)

            // In the team's own collection an unmarked object gets the default, TLP:AMBER.
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let unmarked = STIXSamples.indicator(label: nil)
            let stored = taxiiJSON(try await handler.add([unmarked], to: try team.requireID()))
            #expect(stored["success_count"] as? Int == 1)
            let page = taxiiJSON(try await handler.get(TAXIIClient.collection(try team.requireID()) + "/objects/"))
            let object = (page["objects"] as? [[String: Any]])?.first
            #expect(object?["object_marking_refs"] as? [String] == [TLPMarking.id(of: .amber)])

            // The same version again is a success that stores nothing new.
            let again = taxiiJSON(try await handler.add([good], to: forumCollection))
            #expect(again["success_count"] as? Int == 1)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 2)

            // Bundles and other media types are refused.
            let bundle = try await app.testing().send(
                .POST, TAXIIClient.collection(forumCollection) + "/objects/", headers: handler.headers,
                body: ByteBuffer(string: #"{"type":"bundle","id":"bundle--1","objects":[]}"#),
                contentType: TAXIIClient.mediaType)
            #expect(bundle.status == .badRequest && taxiiJSON(bundle)["http_status"] as? String == "400")
            let plain = try await app.testing().send(
                .POST, TAXIIClient.collection(forumCollection) + "/objects/", headers: handler.headers,
                body: ByteBuffer(string: #"{"objects":[]}"#))
            #expect(plain.status == .unsupportedMediaType)
        }
    }

    @Test func pagingWalksEverythingOnceWhileObjectsArrive() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let first = (0..<30).map { STIXSamples.indicator(address: "198.51.100.\($0)") }
            _ = try await handler.add(first, to: forumCollection)
            let path = TAXIIClient.collection(forumCollection) + "/objects/"
            var seen: [String] = []
            var dates: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let cursor = next.map { "&next=\($0)" } ?? ""
                let response = try await handler.get(path + "?limit=7" + cursor)
                #expect(response.status == .ok)
                let page = taxiiJSON(response)
                let objects = page["objects"] as? [[String: Any]] ?? []
                seen += objects.compactMap { $0["id"] as? String }
                if let firstDate = response.headers.first(name: "X-TAXII-Date-Added-First"),
                    let lastDate = response.headers.first(name: "X-TAXII-Date-Added-Last")
                {
                    dates += [firstDate, lastDate]
                }
                next = page["next"] as? String
                #expect((page["more"] as? Bool ?? false) == (next != nil))
                if next != nil { #expect(objects.count == 7) }
                pages += 1
                if pages == 2 {  // new objects arrive in the middle of the walk
                    _ = try await handler.add(
                        (0..<5).map { STIXSamples.indicator(address: "203.0.113.\($0)") }, to: forumCollection)
                }
            } while next != nil
            #expect(seen.count == 35 && Set(seen).count == 35)
            #expect(dates == dates.sorted())
            // added_after: everything after the first object's date_added.
            let after = try await handler.pages(path + "?added_after=\(dates[0])", limit: 1000)
            #expect((after.first?["objects"] as? [[String: Any]])?.count == 34)

            // A cursor is the principal's own, for its own query, and cannot be altered.
            let cursor = try #require(taxiiJSON(try await handler.get(path + "?limit=7"))["next"] as? String)
            let admin = TAXIIClient(app: app, forum: forum, actor: .teamAdmin)
            #expect(try await admin.get(path + "?limit=7&next=\(cursor)").status == .badRequest)
            #expect(try await handler.get(path + "?limit=7&match[type]=malware&next=\(cursor)").status == .badRequest)
            let tampered = String(cursor.dropLast()) + (cursor.hasSuffix("A") ? "B" : "A")
            #expect(try await handler.get(path + "?limit=7&next=\(tampered)").status == .badRequest)
            #expect(try await handler.get(path + "?limit=3&next=\(cursor)").status == .ok)  // the size may change
        }
    }

    @Test func pagingIsExactWhenThousandsShareOneDateAdded() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "handler@test.example").first())
            var rows: [StoredSTIXObject] = []
            for _ in 0..<2000 {
                let id = "indicator--\(UUID().uuidString.lowercased())"
                let row = StoredSTIXObject()
                row.collectionID = forumCollection
                row.stixID = id
                row.type = "indicator"
                row.specVersion = "2.1"
                row.versionMicroseconds = 1_000_000
                row.dateAddedMicroseconds = 1_800_000_000_000_000
                row.versionKey = TAXIIKeyset.versionKey(id: id, version: 1_000_000)
                row.isFirst = true
                row.isLast = true
                row.tlp = .green
                row.ownerTeamID = user.$team.id
                row.ownerUserID = try user.requireID()
                row.revoked = false
                row.body = #"{"id":"\#(id)"}"#
                rows.append(row)
            }
            for start in stride(from: 0, to: rows.count, by: 500) {
                try await Array(rows[start..<start + 500]).create(on: app.db)
            }
            let pages = try await handler.pages(TAXIIClient.collection(forumCollection) + "/manifest/", limit: 97)
            let ids = pages.flatMap { ($0["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            #expect(pages.count == 21)
            #expect(ids.count == 2000 && Set(ids) == Set(rows.map(\.stixID)))
            #expect(ids == ids.sorted())
        }
    }

    @Test func versionsAreKeptAndChosenByMatchVersion() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let id = "indicator--\(UUID().uuidString.lowercased())"
            let one = "2026-11-30T01:00:00.000000Z"
            let two = "2026-11-30T02:00:00.000000Z"
            _ = try await handler.add([STIXSamples.indicator(id: id, modified: one)], to: forumCollection)
            _ = try await handler.add(
                [STIXSamples.indicator(id: id, modified: two), STIXSamples.indicator()], to: forumCollection)
            let base = TAXIIClient.collection(forumCollection)
            func versions(_ query: String) async throws -> [String] {
                let page = taxiiJSON(try await handler.get(base + "/objects/?match[id]=\(id)" + query))
                return (page["objects"] as? [[String: Any]] ?? []).compactMap { $0["modified"] as? String }
            }
            #expect(try await versions("") == [two])
            #expect(try await versions("&match[version]=first") == [one])
            #expect(try await versions("&match[version]=all").count == 2)
            #expect(try await versions("&match[version]=\(one)") == [one])
            let all = taxiiJSON(try await handler.get(base + "/objects/"))["objects"] as? [[String: Any]]
            #expect(all?.count == 2)
            let listed = taxiiJSON(try await handler.get(base + "/objects/\(id)/versions/"))
            #expect(listed["versions"] as? [String] == [one, two] && listed["more"] as? Bool == false)
            let manifest = taxiiJSON(try await handler.get(base + "/manifest/?match[id]=\(id)&match[version]=all"))
            let records = manifest["objects"] as? [[String: Any]] ?? []
            #expect(records.compactMap { $0["version"] as? String } == [one, two])
            #expect(records.allSatisfy { $0["media_type"] as? String == TAXIIMediaType.stix })
            let single = taxiiJSON(try await handler.get(base + "/objects/\(id)/"))["objects"] as? [[String: Any]]
            #expect(single?.compactMap { $0["modified"] as? String } == [two])

            // Only the creator's team versions an object.
            let other = TAXIIClient(app: app, forum: forum, actor: .teamAdminOther)
            let refused = taxiiJSON(
                try await other.add(
                    [STIXSamples.indicator(id: id, modified: "2026-11-30T03:00:00Z")], to: forumCollection))
            #expect(refused["failure_count"] as? Int == 1)

            // Deleting the last version makes the first one the last again.
            #expect(try await other.delete(base + "/objects/\(id)/").status == .forbidden)
            #expect(try await handler.delete(base + "/objects/\(id)/?match[version]=\(two)").status == .ok)
            #expect(try await versions("") == [one])
            #expect(try await handler.delete(base + "/objects/\(id)/").status == .ok)
            #expect(try await handler.get(base + "/objects/\(id)/").status == .notFound)
        }
    }

    @Test func tlpDecidesWhoReadsWhatInATeamCollection() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let collection = try team.requireID()
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let red = STIXSamples.indicator(label: .red)
            let amber = STIXSamples.indicator(label: .amberStrict)
            _ = try await handler.add([red, amber], to: collection)
            let base = TAXIIClient.collection(collection)
            func ids(_ actor: Actor) async throws -> [String] {
                let page = taxiiJSON(
                    try await TAXIIClient(app: app, forum: forum, actor: actor).get(base + "/objects/"))
                return (page["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            let redID = try #require(red["id"] as? String)
            let amberID = try #require(amber["id"] as? String)
            #expect(try await Set(ids(.handler)) == [redID, amberID])
            #expect(try await ids(.teamAdmin) == [amberID])  // RED: its author only
            #expect(try await ids(.observer) == [amberID])
            let admin = TAXIIClient(app: app, forum: forum, actor: .teamAdmin)
            #expect(try await admin.get(base + "/objects/\(redID)/").status == .notFound)
            #expect(try await admin.get(base + "/objects/\(redID)/versions/").status == .notFound)
            let observer = TAXIIClient(app: app, forum: forum, actor: .observer)
            #expect(try await observer.add([STIXSamples.indicator()], to: collection).status == .forbidden)
            let other = TAXIIClient(app: app, forum: forum, actor: .secretariat)
            #expect(try await other.get(base + "/objects/").status == .notFound)
            #expect(try await ids(.teamAdminOther) == [])  // a constituent: neither RED nor AMBER+STRICT
        }
    }

    @Test func versionsAreServedAsTheObjectsOwnModifiedText() async throws {
        try await withApp { app in
            // setup: an object whose `modified` has three fractional digits, as most producers write
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let id = "indicator--\(UUID().uuidString.lowercased())"
            let modified = "2026-11-30T00:00:00.000Z"
            let status = taxiiJSON(
                try await handler.add([STIXSamples.indicator(id: id, modified: modified)], to: forumCollection))
            // act
            let base = TAXIIClient.collection(forumCollection)
            let manifest = taxiiJSON(try await handler.get(base + "/manifest/?match[id]=\(id)"))
            let versions = taxiiJSON(try await handler.get(base + "/objects/\(id)/versions/"))
            let six = taxiiJSON(
                try await handler.get(base + "/objects/\(id)/?match[version]=2026-11-30T00:00:00.000000Z"))
            let none = taxiiJSON(try await handler.get(base + "/objects/\(id)/?match[version]=2026-11-30T00:00:00Z"))
            // validate: the same text everywhere, and any precision matches
            let successes = status["successes"] as? [[String: Any]] ?? []
            #expect(successes.first?["version"] as? String == modified)
            let records = manifest["objects"] as? [[String: Any]] ?? []
            #expect(records.map { $0["version"] as? String } == [modified])
            #expect(versions["versions"] as? [String] == [modified])
            #expect((six["objects"] as? [[String: Any]])?.count == 1)
            #expect((none["objects"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func aTeammateAddsNoVersionOfARedObjectItCannotRead() async throws {
        try await withApp { app in
            // setup: SingCERT's handler shares a TLP:RED indicator in the team's own collection
            let forum = try await TestForum.seed(app)
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let collection = try team.requireID()
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let teammate = TAXIIClient(app: app, forum: forum, actor: .teamAdmin)
            let id = "indicator--\(UUID().uuidString.lowercased())"
            let first = taxiiJSON(try await handler.add([STIXSamples.indicator(id: id, label: .red)], to: collection))
            #expect(first["success_count"] as? Int == 1)
            // act: the teammate, who cannot read it, sends a newer version and the same one again
            let newer = STIXSamples.indicator(id: id, label: .green, modified: "2026-12-01T00:00:00.000Z")
            let refused = taxiiJSON(try await teammate.add([newer], to: collection))
            let repeated = taxiiJSON(
                try await teammate.add([STIXSamples.indicator(id: id, label: .red)], to: collection))
            let own = taxiiJSON(
                try await handler.add(
                    [STIXSamples.indicator(id: id, label: .red, modified: "2026-12-02T00:00:00.000Z")], to: collection))
            // validate
            let read = try await teammate.get(TAXIIClient.collection(collection) + "/objects/\(id)/")
            #expect(read.status == .notFound, "the teammate cannot read the RED object")
            for answer in [refused, repeated] {
                #expect(answer["success_count"] as? Int == 0 && answer["failure_count"] as? Int == 1)
                let messages = (answer["failures"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
                #expect(messages == ["not accepted: only the creator of an object adds versions of it"])
            }
            #expect(own["success_count"] as? Int == 1, "the author still adds versions")
            let versions = try await StoredSTIXObject.query(on: app.db).filter(\.$stixID == id).all()
            #expect(versions.count == 2 && versions.allSatisfy { $0.tlp == .red })
        }
    }

    @Test func largeEnvelopesAreStoredInTheBackground() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let objects = (0...TAXIIController.backgroundThreshold).map {
                STIXSamples.indicator(address: "192.0.2.\($0 % 250)")
            }
            let answer = taxiiJSON(try await handler.add(objects, to: forumCollection))
            #expect(answer["status"] as? String == "pending")
            #expect(answer["pending_count"] as? Int == objects.count && answer["success_count"] as? Int == 0)
            let id = try #require(answer["id"] as? String)
            var status: [String: Any] = [:]
            for _ in 0..<600 {
                status = taxiiJSON(try await handler.get("/taxii2/forum/status/\(id)/"))
                if status["status"] as? String == "complete" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status["status"] as? String == "complete")
            #expect(status["success_count"] as? Int == objects.count)
            let dates = try await StoredSTIXObject.query(on: app.db).all().map(\.dateAddedMicroseconds)
            #expect(Set(dates).count == objects.count)  // strictly increasing: no two alike
            #expect(try await TAXIIEnvelope.query(on: app.db).count() == 0)  // kept only until stored
        }
    }

    @Test func anonymousReadersSeeClearOnlyAndOnlyWhenTheForumOpensIt() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let clear = STIXSamples.indicator(label: .clear)
            _ = try await TAXIIClient(app: app, forum: forum, actor: .handler)
                .add([clear, STIXSamples.indicator(label: .green)], to: forumCollection)
            let anonymous = HTTPHeaders([("Accept", TAXIIMediaType.taxii)])
            let path = TAXIIClient.collection(forumCollection) + "/objects/"
            #expect(try await app.testing().send(.GET, path, headers: anonymous).status == .unauthorized)

            app.concord.taxiiAnonymousReadsClear = true
            let page = taxiiJSON(try await app.testing().send(.GET, path, headers: anonymous))
            let ids = (page["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == [clear["id"] as? String].compactMap { $0 })
            let listed = taxiiJSON(try await app.testing().send(.GET, "/taxii2/forum/collections/", headers: anonymous))
            let collections = listed["collections"] as? [[String: Any]] ?? []
            #expect(collections.compactMap { $0["id"] as? String } == [forumCollection.uuidString.lowercased()])
            #expect(collections.first?["can_write"] as? Bool == false)
            let team = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let teamPath = TAXIIClient.collection(try team.requireID()) + "/objects/"
            #expect(try await app.testing().send(.GET, teamPath, headers: anonymous).status == .notFound)
            let post = try await app.testing().send(
                .POST, path, headers: anonymous, body: ByteBuffer(string: #"{"objects":[]}"#),
                contentType: TAXIIClient.mediaType)
            #expect(post.status == .unauthorized)
            #expect(
                try await app.testing().send(.DELETE, path + "\(clear["id"] as? String ?? "")/", headers: anonymous)
                    .status == .unauthorized)
            // The rest of Concord stays closed.
            #expect(try await app.testing().send(.GET, "/api/v1/teams").status == .unauthorized)
        }
    }
}
