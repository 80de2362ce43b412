import ConcordCore
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// An election from its pages: the secretariat calls it on /governance; handlers nominate and
/// second on its page; the secretariat opens the ballot; a handler casts the team's secret ballot
/// (CSRF-checked, once) and is shown its tracking code once; the close shows the result as bars,
/// the board's link and head.
@Suite struct ElectionWebTests {
    @Test func anElectionIsCalledNominatedCastAndCountedFromItsPages() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)
            app.clock = FixedClock(MeetingRig.convened)
            let desk = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)
            let other = try await WebSession.start(app, as: .teamAdminOther)
            let page = "/governance/elections/AGM-2027-E1"

            // act: calling and nominating
            let refused = try await desk.send(
                .POST, "/governance/elections",
                form: ["meeting": "AGM-2027", "office": "chair", "method": "plurality"],
                app: app)
            let refusedPage = try await desk.send(.GET, "/governance", form: [:], app: app)
            let called = try await desk.send(
                .POST, "/governance/elections",
                form: [
                    "meeting": "AGM-2027", "office": "chair", "method": "plurality",
                    "nominationsCloseAt": "2027-01-20T01:00",
                ], app: app)
            let nominated = try await handler.send(
                .POST, "\(page)/nominations", form: ["holder": "Tan", "statement": "Twenty years on the desk."],
                app: app)
            let empty = try await other.send(
                .POST, "\(page)/nominations", form: ["holder": "", "statement": ""], app: app)
            _ = try await other.send(
                .POST, "\(page)/nominations", form: ["holder": "Lee", "statement": "The region first."], app: app)
            let nominations = try await other.send(.GET, page, form: [:], app: app)
            _ = try await other.send(.POST, "\(page)/nominations/singcert/second", form: [:], app: app)
            _ = try await desk.send(.POST, "\(page)/nominations/nuscert/second", form: [:], app: app)

            // the ballot
            app.clock = FixedClock(ElectionTests.nominationsClose)
            #expect(try await rig.meeting("open").status == .ok)
            for team in ["singcert", "jpcert-cc", "full-1"] {
                #expect(try await rig.meeting("attendance", ["team": team]).status == .created)
            }
            _ = try await rig.meeting("proxies", ["giver": "nuscert", "holder": "singcert"], as: .teamAdminOther)
            let opened = try await desk.send(.POST, "\(page)/open", form: [:], app: app)
            let ballotPage = try await handler.send(.GET, page, form: [:], app: app)
            let forged = try await handler.send(
                .POST, "\(page)/ballots", form: ["choices[]": "singcert"], csrf: "x", app: app)
            let cast = try await handler.send(
                .POST, "\(page)/ballots", form: ["choices[]": "singcert", "team": "singcert"], app: app)
            let receipt = try await handler.send(.GET, page, form: [:], app: app)
            let shownOnce = try await handler.send(.GET, page, form: [:], app: app)
            let again = try await handler.send(
                .POST, "\(page)/ballots", form: ["choices[]": "nuscert", "team": "singcert"], app: app)
            _ = try await handler.send(
                .POST, "\(page)/ballots", form: ["choices[]": "nuscert", "team": "nuscert"], app: app)
            _ = try await ElectionBallots.cast(
                "AGM-2027-E1", choices: ["singcert"], team: nil,
                caller: try await ElectionTests.handler(of: "full-1", app))
            let closed = try await desk.send(.POST, "\(page)/close", form: [:], app: app)
            let result = try await other.send(.GET, page, form: [:], app: app)

            // validate
            #expect(refusedPage.body.string.contains("Not called: nominationsCloseAt: is required"))
            #expect(refused.status == .seeOther && called.status == .seeOther)
            #expect(called.headers.first(name: .location) == page)
            #expect(nominated.status == .seeOther && empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("holder: must name the person"))
            let listed = nominations.body.string
            #expect(listed.contains("Twenty years on the desk.") && listed.contains("id=\"second-singcert\""))
            #expect(!listed.contains("id=\"second-nuscert\""), "a team does not second itself")
            #expect(opened.status == .seeOther)
            let form = ballotPage.body.string
            #expect(form.contains("id=\"cast-ballot\"") && form.contains("value=\"nuscert\">nuscert (by proxy)"))
            #expect(forged.status == .forbidden)
            #expect(cast.status == .seeOther)
            let code = try #require(
                receipt.body.string.firstMatch(of: /tracking code is ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/)?.1)
            #expect(!shownOnce.body.string.contains(String(code)), "the code is shown once")
            #expect(again.status == .conflict && again.body.string.contains("has voted in AGM-2027-E1 already"))
            #expect(closed.status == .seeOther)
            let shown = result.body.string
            #expect(shown.contains("id=\"bar-singcert\"") && shown.contains("Elected: <strong>singcert</strong>"))
            #expect(shown.contains("href=\"/api/v1/elections/AGM-2027-E1/board\""))
            let board = try await Elections.publishedBoard(
                "AGM-2027-E1", caller: try await ElectionTests.handler(of: "full-1", app))
            #expect(board.entry(trackingCode: String(code))?.choices == ["singcert"] && shown.contains(board.head))
        }
    }
}
