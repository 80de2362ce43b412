import ConcordCore
import ConcordTestTools
import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Votes between meetings (issue 19 §4): discussion, then voting, opened, reminded and closed by
/// the scheduler; ballots by the web, the API and signed reply mail, once per team on the roll;
/// reminders to the teams that have not voted, naming no choice; the record keeps the roll and its
/// SHA-256, who voted, the participation quorum and the majority's judgement.
@Suite struct GovernanceVoteTests {
    /// 2027-02-01 00:00 UTC (09:00 in Tokyo), when the votes are proposed.
    static let proposed = Date(timeIntervalSince1970: 1_801_440_000)
    /// A week later, when voting opens; a week after that, when it closes.
    static let opens = proposed.addingTimeInterval(7 * 86_400)
    static let closes = opens.addingTimeInterval(7 * 86_400)

    static func propose(_ rig: MeetingRig, kind: String = "ordinary", title: String = "Adopt the work plan")
        async throws -> GovernanceVoteDTO
    {
        rig.app.clock = FixedClock(proposed)
        let response = try await rig.send(
            .POST, "/governance/votes",
            ["kind": kind, "title": title, "text": "The forum adopts the work plan 2027.", "timeZone": "Asia/Tokyo"],
            as: .secretariat)
        guard response.status == .created else { throw ConcordError(.conflict, "proposing: \(response.body.string)") }
        return try response.content.decode(GovernanceVoteDTO.self)
    }

    static func run(at instant: Date, _ app: Application) async throws -> GovernanceVoteScheduler.Run {
        app.clock = FixedClock(instant)
        return try await GovernanceVoteScheduler.runDue(
            at: instant, publicURL: "https://concord.example", clock: app.clock, on: app.db)
    }

    /// `team`'s ballot, recorded as its representative's would be.
    static func ballot(_ slug: String, _ choice: VoteChoice, in reference: String, app: Application) async throws {
        let vote = try await GovernanceVotes.find(reference, on: app.db)
        let team = try #require(try await Team.query(on: app.db).filter(\.$slug == slug).first())
        _ = try await GovernanceBallots.record(
            choice, in: vote, team: team, channel: .api, signed: false, castBy: "test", at: app.clock.now(),
            db: app.db
        ) { _ in }
    }

    static func read(_ reference: String, _ rig: MeetingRig, as actor: Actor = .observer) async throws
        -> GovernanceVoteDTO
    {
        try await rig.send(.GET, "/governance/votes/\(reference)", as: actor).content.decode(GovernanceVoteDTO.self)
    }

    static func notices(on db: any Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$purpose == NotificationPurpose.governanceNotice.rawValue).all()
    }

    @Test func aVoteRunsFromDiscussionToResolution() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)

            // act and validate, as the vote goes
            app.clock = FixedClock(Self.proposed)
            let refused = try await rig.send(
                .POST, "/governance/votes", ["title": "", "timeZone": "Mars/Olympus"], as: .secretariat)
            #expect(refused.status == .unprocessableEntity)
            let badKind = try await rig.send(
                .POST, "/governance/votes", ["kind": "sometimes", "title": "t", "text": "x"], as: .secretariat)
            #expect(badKind.status == .badRequest && badKind.body.string.contains("'kind'"))
            for field in ["kind", "title", "text", "timeZone"] {
                #expect(refused.body.string.contains("\"\(field)\""), "names \(field)")
            }
            let byHandler = try await rig.send(
                .POST, "/governance/votes", ["kind": "ordinary", "title": "t", "text": "x"], as: .handler)
            #expect(byHandler.status == .forbidden)
            let vote = try await Self.propose(rig)
            #expect(vote.reference == "VOTE-2027-1" && vote.state == "discussion")
            #expect(vote.opensAt == Self.opens && vote.closesAt == Self.closes)
            #expect(vote.localCloses == "2027-02-15 09:00 Asia/Tokyo (00:00 UTC)")
            let early = try await rig.send(
                .POST, "/governance/votes/VOTE-2027-1/ballots", ["choice": "yes"], as: .handler)
            #expect(early.status == .conflict && early.body.string.contains("under discussion"))
            #expect(try await Self.run(at: Self.opens.addingTimeInterval(-1), app) == .init())

            // voting opens: the roll of voting members on the day, and its SHA-256
            #expect(try await Self.run(at: Self.opens, app).opened == 1)
            let open = try await Self.read("VOTE-2027-1", rig)
            let roll = ["full-1", "full-2", "full-3", "full-4", "jpcert-cc", "nuscert", "singcert"]
            #expect(open.state == "voting" && open.roll == roll)
            let digest = SHA256.hash(data: Data("full-1\nfull-2\nfull-3\nfull-4\njpcert-cc\nnuscert\nsingcert\n".utf8))
            #expect(open.rollSHA256 == digest.map { String(format: "%02x", $0) }.joined())
            let calls = try await Self.notices(on: app.db)
            #expect(!calls.isEmpty && calls.allSatisfy { $0.body.contains("VOTE VOTE-2027-1 YES|NO|ABSTAIN") })
            #expect(calls.contains { $0.recipient == "cert@sg.example" })
            #expect(try await Self.run(at: Self.opens.addingTimeInterval(60), app) == .init(), "opened once")

            // ballots: the team's handler and administrator, once; observers and the secretariat not
            app.clock = FixedClock(Self.opens.addingTimeInterval(3600))
            let cast = { (choice: String, actor: Actor) in
                try await rig.send(.POST, "/governance/votes/VOTE-2027-1/ballots", ["choice": choice], as: actor)
            }
            #expect(try await cast("yes", .handler).status == .created)
            #expect(try await cast("no", .teamAdmin).status == .conflict)
            #expect(try await cast("yes", .observer).status == .forbidden)
            #expect(try await cast("yes", .secretariat).status == .forbidden)
            #expect(try await cast("maybe", .teamAdminOther).status == .badRequest)
            #expect(try await cast("no", .teamAdminOther).status == .created)
            let during = try await Self.read("VOTE-2027-1", rig, as: .handler)
            #expect(during.ownTeam?.choice == "yes" && during.ownTeam?.voted == true)
            #expect(during.ballots.count == 2 && during.ballots.first { $0.team == "nuscert" }?.choice == nil)

            // reminders: 72 and 24 hours before the close, once each, to those that have not voted
            #expect(try await Self.run(at: Self.closes.addingTimeInterval(-73 * 3600), app).reminded == 0)
            #expect(try await Self.run(at: Self.closes.addingTimeInterval(-72 * 3600), app).reminded == 5)
            #expect(try await Self.run(at: Self.closes.addingTimeInterval(-71 * 3600), app).reminded == 0)
            try await Self.ballot("full-1", .yes, in: "VOTE-2027-1", app: app)
            try await Self.ballot("full-2", .abstain, in: "VOTE-2027-1", app: app)
            #expect(try await Self.run(at: Self.closes.addingTimeInterval(-24 * 3600), app).reminded == 3)
            let reminders = try await Self.notices(on: app.db).filter { $0.subject.contains("closes in") }
            #expect(!reminders.contains { $0.recipient == "cert@sg.example" }, "SingCERT voted: not reminded")
            #expect(reminders.allSatisfy { !$0.body.contains("SingCERT") && !$0.body.lowercased().contains(" yes") })

            // the close: 4 of 7 took part (quorum 4), 2 yes 1 no 1 abstain: carried
            #expect(try await Self.run(at: Self.closes, app).closed == 1)
            let closed = try await Self.read("VOTE-2027-1", rig)
            #expect(closed.state == "carried" && closed.resolution == "VOTE-2027-R1")
            #expect(closed.count == VoteCount(yes: 2, no: 1, abstain: 1) && closed.judgement?.required == 2)
            #expect(closed.participation?.text == "4 of 7 voting members voted; quorum 4 (at least 1/2): met")
            #expect(closed.ballots.first { $0.team == "nuscert" }?.choice == "no", "named once closed")
            #expect(try await cast("yes", .teamAdmin).status == .conflict)
            #expect(try await GovernanceBallot.query(on: app.db).count() == 4)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$targetID == "VOTE-2027-1").all().map(\.action)
            #expect(
                Set(audit).isSuperset(of: [
                    "governance.vote.propose", "governance.vote.open", "governance.vote.ballot",
                    "governance.vote.close",
                ]))
        }
    }

    @Test func aVoteFailsWithoutQuorumOrWithoutItsMajority() async throws {
        try await withApp { app in
            // setup: three votes, each proposed the same day
            let rig = try await MeetingRig.make(app)
            _ = try await Self.propose(rig, title: "Too few")
            _ = try await Self.propose(rig, kind: "revocation", title: "Revoke a member")
            _ = try await Self.propose(rig, title: "Withdrawn")
            #expect(
                try await rig.send(.POST, "/governance/votes/VOTE-2027-3/withdraw", as: .handler).status == .forbidden)
            #expect(try await rig.send(.POST, "/governance/votes/VOTE-2027-3/withdraw", as: .secretariat).status == .ok)
            #expect(try await Self.run(at: Self.opens, app).opened == 2)

            // act: three yes of seven; four yes and three no on a revocation
            app.clock = FixedClock(Self.opens.addingTimeInterval(60))
            for team in ["full-1", "full-2", "full-3"] {
                try await Self.ballot(team, .yes, in: "VOTE-2027-1", app: app)
            }
            for team in ["full-1", "full-2", "full-3"] {
                try await Self.ballot(team, .yes, in: "VOTE-2027-2", app: app)
            }
            for team in ["full-4", "jpcert-cc", "nuscert"] {
                try await Self.ballot(team, .no, in: "VOTE-2027-2", app: app)
            }
            #expect(try await Self.run(at: Self.closes, app).closed == 2)

            // validate
            let inquorate = try await Self.read("VOTE-2027-1", rig)
            #expect(inquorate.state == "failed" && inquorate.participation?.met == false && inquorate.resolution == nil)
            let revocation = try await Self.read("VOTE-2027-2", rig)
            #expect(revocation.state == "failed" && revocation.judgement?.required == 4, "more than half of all 7")
            #expect(try await Self.read("VOTE-2027-3", rig).state == "withdrawn")
            #expect(
                try await rig.send(.GET, "/governance/votes", as: .observer).content.decode(
                    [GovernanceVoteSummaryDTO].self
                ).count == 3)
        }
    }

    /// A reply signed with the key on the team's contact is its ballot, with a receipt; unsigned,
    /// wrongly signed, unreadable or second replies are refused with their reason, by mail too.
    @Test(.needs(.gpg)) func aSignedReplyIsABallotAndOthersAreRefused() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)
            _ = try await Self.propose(rig)
            _ = try await Self.run(at: Self.opens, app)
            app.clock = FixedClock(Self.opens.addingTimeInterval(3600))
            let keyring = try await CommCheckTests.Keyring("cert@sg.example", days: 3650)
            let contact = try #require(try await Contact.find(rig.forum.singcertContactID, on: app.db))
            let reader = OpenPGPKeyReader(gnupg: app.gnupg, home: app.concord.gnupgHome)
            contact.apply(try await reader.read(keyring.publicKey, now: app.clock.now()), armored: keyring.publicKey)
            try await contact.save(on: app.db)
            let head = "From: SingCERT <cert@sg.example>\r\nSubject: Re: Concord: vote VOTE-2027-1 is open\r\n\r\n"
            func post(_ mail: String, as actor: Actor = .secretariat) async throws -> TestingHTTPResponse {
                try await app.testing().send(
                    .POST, "/api/v1/governance/vote-replies", headers: rig.forum.headers(actor),
                    body: ByteBuffer(string: mail), contentType: .plainText)
            }
            let before = try await Self.notices(on: app.db).count

            // act and validate
            #expect(try await post(head + "VOTE VOTE-2027-1 YES", as: .handler).status == .forbidden)
            let unsigned = try await post(head + "VOTE VOTE-2027-1 YES")
            #expect(unsigned.status == .unprocessableEntity && unsigned.body.string.contains("is not signed"))
            let stranger = try await CommCheckTests.Keyring("cert@sg.example", days: 3650)
            let forged = try await post(head + (try await stranger.clearsign("VOTE VOTE-2027-1 YES")))
            #expect(forged.status == .unprocessableEntity && forged.body.string.contains("is not signed with the key"))
            let unreadable = try await post(head + (try await keyring.clearsign("VOTE VOTE-2027-1 PERHAPS")))
            #expect(unreadable.status == .unprocessableEntity && unreadable.body.string.contains("PERHAPS"))
            let unknown = try await post(
                "From: someone@elsewhere.example\r\n\r\n" + (try await keyring.clearsign("VOTE VOTE-2027-1 YES")))
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("no team's address"))
            let refusals = try await Self.notices(on: app.db).filter { $0.subject == "Concord: ballot not counted" }
            #expect(refusals.count == 3 && refusals.allSatisfy { $0.recipient == "cert@sg.example" })
            #expect(try await GovernanceBallot.query(on: app.db).count() == 0)

            let counted = try await post(
                head + (try await keyring.clearsign("Our ballot:\n\nVOTE VOTE-2027-1 ABSTAIN\n")))
            #expect(counted.status == .created, "\(counted.body.string)")
            let receipt = try counted.content.decode(VoteReplyReceiptDTO.self)
            #expect(receipt.team == "singcert" && receipt.choice == "abstain" && receipt.receipt.contains("ABSTAIN"))
            let stored = try #require(try await GovernanceBallot.query(on: app.db).first())
            #expect(stored.channel == .mail && stored.signed && stored.choice == .abstain)
            let receipts = try await Self.notices(on: app.db).filter { $0.subject.contains("ballot received") }
            #expect(receipts.count == 1 && receipts[0].recipient == "cert@sg.example")
            let again = try await post(head + (try await keyring.clearsign("VOTE VOTE-2027-1 NO")))
            #expect(again.status == .conflict && again.body.string.contains("has voted on VOTE-2027-1 already"))
            #expect(try await Self.notices(on: app.db).count == before + 3 + 1 + 1)
            let page = try await Self.read("VOTE-2027-1", rig, as: .handler)
            #expect(page.ballots.first?.signed == true && page.ballots.first?.channel == "mail")
        }
    }

    /// Concurrent proposals take distinct numbers; one team's racing ballots leave one; ballots
    /// racing the close are either counted or refused, never stored uncounted.
    @Test func concurrentProposalsBallotsAndACloseAreDecidedByTheDatabase() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let rig = try await MeetingRig.make(app)
            app.clock = FixedClock(Self.proposed)

            // act
            let proposals = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let response = try await rig.send(
                            .POST, "/governance/votes", ["kind": "ordinary", "title": "Vote \(index)", "text": "x"],
                            as: .secretariat)
                        return try? response.content.decode(GovernanceVoteDTO.self).reference
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            _ = try await Self.run(at: Self.opens, app)
            app.clock = FixedClock(Self.opens.addingTimeInterval(60))
            let same = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await rig.send(
                            .POST, "/governance/votes/VOTE-2027-1/ballots", ["choice": "yes"], as: .handler
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let vote = try await GovernanceVotes.find("VOTE-2027-2", on: app.db)
            let racing = try await withThrowingTaskGroup(of: Bool.self) { group in
                for team in ["full-1", "full-2", "full-3", "full-4", "jpcert-cc"] {
                    group.addTask {
                        do {
                            try await Self.ballot(team, .yes, in: "VOTE-2027-2", app: app)
                            return true
                        } catch let error as ConcordError where error.code == .conflict {
                            return false
                        }
                    }
                }
                group.addTask {
                    _ = try await GovernanceVoteScheduler.close(vote, at: Self.closes, clock: app.clock, on: app.db)
                    return false
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            // validate
            #expect(Set(proposals.compactMap { $0 }) == Set((1...6).map { "VOTE-2027-\($0)" }))
            #expect(same.filter { $0 == .created }.count == 1 && same.filter { $0 == .conflict }.count == 5)
            let closed = try await Self.read("VOTE-2027-2", rig)
            let accepted = racing.filter { $0 }.count
            #expect(closed.state != "voting" && (closed.count?.answered ?? -1) == accepted)
            #expect(
                try await GovernanceBallot.query(on: app.db).filter(\.$vote.$id == vote.requireID()).count() == accepted
            )
        }
    }
}
