import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The sharing page: the team's objects, their deliveries and the lookup, each as the policy allows.
@Suite struct SharingWebTests {
    @Test func theSharingPageShowsWhatTheTeamSharedWhoReceivedItAndTheLookup() async throws {
        try await withApp { app in
            // setup: SingCERT's handler shares a GREEN indicator forum-wide and a RED one in its own
            // collection; NUSCERT reads the forum's collection
            let forum = try await TestForum.seed(app)
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let green = STIXSamples.indicator(label: .green, address: "198.51.100.7")
            let red = STIXSamples.indicator(label: .red, address: "198.51.100.8")
            _ = try await handler.add([green], to: SharingCollections.forumID)
            _ = try await handler.add([red], to: try singcert.requireID())
            let read = try await TAXIIClient(app: app, forum: forum, actor: .teamAdminOther)
                .get(TAXIIClient.collection(SharingCollections.forumID) + "/objects/")
            #expect(read.status == .ok)
            let greenID = try #require(green["id"] as? String)
            let redID = try #require(red["id"] as? String)

            // act
            let session = try await WebSession.start(app, as: .handler)
            let page = String(buffer: try await session.send(.GET, "/sharing", form: [:], app: app).body)
            let observer = try await WebSession.start(app, as: .observer)
            let observed = String(buffer: try await observer.send(.GET, "/sharing", form: [:], app: app).body)
            let lookup = String(
                buffer: try await session.send(.GET, "/sharing?value=198.51.100.7", form: [:], app: app).body)
            let nonsense = String(
                buffer: try await session.send(.GET, "/sharing?value=not%20a%20value", form: [:], app: app).body)

            // validate: the author sees both, its teammate only what RED does not keep from it
            #expect(page.contains(greenID) && page.contains(redID))
            #expect(page.contains("C2 server 198.51.100.7") && page.contains("Forum-wide"))
            #expect(observed.contains(greenID) && !observed.contains(redID))
            // the delivery log names NUSCERT's reader and the channel
            let deliveries = try #require(page.range(of: "id=\"deliveries\"")).upperBound
            let log = page[deliveries...]
            #expect(log.contains("nuscert") && log.contains("taxii") && log.contains(greenID))
            #expect(!log.contains(redID))
            // the lookup finds the shared indicator; a value that is none is said to be none
            let result = try #require(lookup.range(of: "id=\"lookup-result\"")).upperBound
            #expect(lookup[result...].contains(greenID))
            #expect(nonsense.contains("id=\"lookup-problem\"") && nonsense.contains("is not an address"))
        }
    }
}
