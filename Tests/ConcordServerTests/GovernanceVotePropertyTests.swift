import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import ConcordServer

/// No sequence of calls lets an ineligible team's ballot count in a vote between meetings, lets a
/// team vote twice or after the close, or declares a vote carried without its quorum and majority
/// (issue 19 §7): random ballots from any team by any actor, at any time, random withdrawals and
/// scheduler runs, with the invariants checked against the stored record after every run.
@Suite struct GovernanceVotePropertyTests {
    static let teams = ["jpcert-cc", "singcert", "nuscert", "full-1", "full-2", "full-3", "full-4", "general-1"]
    static let actors: [Actor] = [.handler, .teamAdmin, .teamAdminOther, .observer, .secretariat]

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func theRecordKeepsItsRules(seed: UInt64) async throws {
        try await withApp { app in
            // setup: three votes of random kinds, opened by the scheduler
            var rng = SplitMix64(seed: seed)
            func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
            let rig = try await MeetingRig.make(app)
            for index in 1...3 {
                _ = try await GovernanceVoteTests.propose(
                    rig, kind: pick(["ordinary", "revocation", "admission"]), title: "Vote \(index)")
            }
            _ = try await GovernanceVoteTests.run(at: GovernanceVoteTests.opens, app)
            let span = GovernanceVoteTests.closes.timeIntervalSince(GovernanceVoteTests.opens)

            // act: forty calls, each at a random moment of the week and a little past it
            for _ in 0..<40 {
                let at = GovernanceVoteTests.opens.addingTimeInterval(Double(rng.next() % UInt64(span * 1.1)))
                app.clock = FixedClock(at)
                let reference = "VOTE-2027-\(rng.next() % 3 + 1)"
                switch rng.next() % 10 {
                case 0:
                    _ = try await GovernanceVoteTests.run(at: at, app)
                case 1:
                    _ = try await rig.send(.POST, "/governance/votes/\(reference)/withdraw", as: pick(Self.actors))
                case 2, 3, 4:
                    _ = try await rig.send(
                        .POST, "/governance/votes/\(reference)/ballots",
                        ["choice": pick(["yes", "no", "abstain"])], as: pick(Self.actors))
                default:
                    do {
                        try await GovernanceVoteTests.ballot(
                            pick(Self.teams), pick(VoteChoice.allCases), in: reference, app: app)
                    } catch let error as ConcordError where error.code == .conflict {}
                }
            }
            _ = try await GovernanceVoteTests.run(at: GovernanceVoteTests.closes, app)

            // validate
            let general = try await DirectoryQueries.team(slug: "general-1", on: app.db)
            let ballots = try await GovernanceBallot.query(on: app.db).all()
            #expect(!ballots.isEmpty, "the run cast ballots")
            #expect(!ballots.contains { $0.$team.id == general.id }, "a general member's ballot is never stored")
            let rules = Constitution.seedsForum(effectiveOn: "2003-02-01")
            for vote in try await GovernanceVote.query(on: app.db).all() {
                let cast = ballots.filter { $0.$vote.id == vote.id }
                #expect(cast.allSatisfy { vote.rollIDs.contains($0.$team.id) }, "only the roll votes")
                #expect(Set(cast.map(\.$team.id)).count == cast.count, "one ballot a team")
                #expect(cast.allSatisfy { $0.castAt < vote.closesAt }, "no ballot after the close")
                #expect(vote.state != .voting, "\(vote.reference) closed at its close")
                guard let judged = vote.judged, let quorum = vote.quorumCheck else {
                    #expect(vote.state == .withdrawn)
                    continue
                }
                #expect(judged.count == VoteCount(cast.map(\.choice)), "the judgement counts the stored ballots")
                #expect(quorum.present == cast.count && quorum.votingMembers == vote.rollIDs.count)
                #expect(judged.majority == rules.majority(for: vote.kind, atMeeting: false))
                let threshold = judged.majority.threshold
                let met =
                    threshold.comparison == .moreThan
                    ? judged.count.yes * threshold.denominator > threshold.numerator * judged.base
                    : judged.count.yes * threshold.denominator >= threshold.numerator * judged.base
                if vote.state == .carried {
                    #expect(quorum.isMet && met && judged.count.yes > 0, "\(vote.reference) carried short")
                    #expect(vote.resolution?.hasPrefix("VOTE-2027-R") == true)
                } else {
                    #expect(vote.resolution == nil)
                }
            }
        }
    }
}
