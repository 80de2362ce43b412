import ConcordCore
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// A vote between meetings from its pages: the secretariat proposes it on /governance (a refusal
/// said there), a team's handler casts its ballot on the vote's page (CSRF-checked, once), and the
/// page shows who has voted without their choices until the close.
@Suite struct GovernanceVoteWebTests {
    @Test func aVoteIsProposedAndCastFromItsPages() async throws {
        try await withApp { app in
            // setup
            _ = try await MeetingRig.make(app)
            app.clock = FixedClock(GovernanceVoteTests.proposed)
            let desk = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)
            let other = try await WebSession.start(app, as: .teamAdminOther)
            let page = "/governance/votes/VOTE-2027-1"

            // act
            let refused = try await desk.send(
                .POST, "/governance/votes", form: ["kind": "ordinary", "title": "No text", "text": ""], app: app)
            let refusedPage = try await desk.send(.GET, "/governance", form: [:], app: app)
            let proposed = try await desk.send(
                .POST, "/governance/votes",
                form: [
                    "kind": "ordinary", "title": "Adopt the information-sharing guidelines",
                    "text": "The forum adopts the guidelines.", "timeZone": "Asia/Kolkata",
                ], app: app)
            let discussion = try await handler.send(.GET, page, form: [:], app: app)
            _ = try await GovernanceVoteTests.run(at: GovernanceVoteTests.opens, app)
            app.clock = FixedClock(GovernanceVoteTests.opens.addingTimeInterval(60))
            let forged = try await handler.send(.POST, "\(page)/ballots", form: ["choice": "yes"], csrf: "x", app: app)
            let open = try await handler.send(.GET, page, form: [:], app: app)
            let cast = try await handler.send(.POST, "\(page)/ballots", form: ["choice": "yes"], app: app)
            let again = try await handler.send(.POST, "\(page)/ballots", form: ["choice": "no"], app: app)
            _ = try await other.send(.POST, "\(page)/ballots", form: ["choice": "no"], app: app)
            let seenByOther = try await other.send(.GET, page, form: [:], app: app)
            let list = try await handler.send(.GET, "/governance", form: [:], app: app)

            // validate
            #expect(refused.status == .seeOther)
            #expect(refusedPage.body.string.contains("Not proposed: text: must be 1–20,000 characters"))
            #expect(proposed.status == .seeOther && proposed.headers.first(name: .location) == page)
            #expect(discussion.body.string.contains("voting opens 2027-02-08 05:30 Asia/Kolkata (00:00 UTC)"))
            #expect(discussion.body.string.contains("The roll is taken when voting opens."))
            #expect(!discussion.body.string.contains("id=\"ballot\""))
            #expect(forged.status == .forbidden)
            #expect(
                open.body.string.contains("id=\"cast-ballot\"")
                    && open.body.string.contains("VOTE VOTE-2027-1 YES|NO|ABSTAIN"))
            #expect(cast.status == .seeOther)
            #expect(again.status == .conflict && again.body.string.contains("has voted on VOTE-2027-1 already"))
            let otherPage = seenByOther.body.string
            #expect(otherPage.contains("id=\"ballot-singcert\"") && otherPage.contains("shown at the close"))
            #expect(otherPage.contains("nuscert voted no"))
            #expect(list.body.string.contains("href=\"/governance/votes/VOTE-2027-1\""))
            #expect(!list.body.string.contains("id=\"propose-vote\""), "a handler proposes no vote")
        }
    }
}
