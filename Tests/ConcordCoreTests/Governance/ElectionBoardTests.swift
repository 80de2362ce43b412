import ConcordCore
import Foundation
import Testing

/// The public board of an election (issue 19 §5): chained by SHA-256 in the tracking codes' order,
/// recounted from itself; any change, addition or removal of a ballot, or of the result, is found
/// and named.
@Suite struct ElectionBoardTests {
    static let candidates = ["auscert", "krcert-cc", "singcert"]

    static func board(_ ballots: [[String]], voters: Int? = nil, method: ElectionMethod = .plurality)
        -> ElectionBoard
    {
        var generator = SystemRandomNumberGenerator()
        return ElectionBoard(
            election: "AGM-2027-E1", title: "Election: Chair", method: method, seats: 1, candidates: candidates,
            lot: ["singcert", "auscert", "krcert-cc"], voters: voters ?? ballots.count, rollSHA256: "ab12",
            ballots: ballots.map { (TrackingCode.make(using: &generator), ElectionBallot($0)) })
    }

    /// The board as a file, edited as a forger would edit it, and read back.
    static func edited(_ board: ElectionBoard, _ edit: (inout [String: Any]) -> Void) throws -> ElectionBoard {
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(board)) as? [String: Any])
        edit(&object)
        return try JSONDecoder().decode(ElectionBoard.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func entries(_ object: [String: Any]) -> [[String: Any]] { object["entries"] as? [[String: Any]] ?? [] }

    @Test func anIntactBoardRecountsToItsResult() throws {
        // setup
        let board = Self.board([["singcert"], ["krcert-cc"], ["singcert"], []])

        // act
        let verdict = board.verify()
        let reread = try JSONDecoder().decode(ElectionBoard.self, from: JSONEncoder().encode(board))

        // validate
        #expect(verdict == .matches(ballots: 4, elected: ["singcert"]))
        #expect(reread.verify() == verdict)
        #expect(board.entries.map(\.trackingCode) == board.entries.map(\.trackingCode).sorted())
        #expect(board.head == board.entries.last?.hash && board.result.blankBallots == 1)
        let empty = Self.board([])
        #expect(empty.head == empty.genesis && empty.verify().matches)
    }

    @Test func aChangedAddedOrDroppedBallotIsNamed() throws {
        // setup
        let board = Self.board([["singcert"], ["krcert-cc"], ["singcert"], ["auscert"]])

        // act
        let changed = try Self.edited(board) { object in
            var entries = Self.entries(object)
            entries[1]["choices"] = entries[1]["choices"] as? [String] == ["auscert"] ? ["singcert"] : ["auscert"]
            object["entries"] = entries
        }
        let droppedInside = try Self.edited(board) { object in
            var entries = Self.entries(object)
            entries.remove(at: 2)
            object["entries"] = entries
        }
        let droppedLast = try Self.edited(board) { object in
            object["entries"] = Array(Self.entries(object).dropLast())
        }
        let droppedLastAndHead = try Self.edited(board) { object in
            let entries = Array(Self.entries(object).dropLast())
            object["entries"] = entries
            object["head"] = entries.last?["hash"]
        }
        let headerVoters = try Self.edited(board) { object in object["voters"] = 3 }
        let result = try Self.edited(board) { object in
            var result = object["result"] as? [String: Any] ?? [:]
            result["elected"] = ["krcert-cc"]
            object["result"] = result
        }

        // validate
        #expect(changed.verify() == .brokenLink(index: 1, trackingCode: board.entries[1].trackingCode))
        #expect(droppedInside.verify() == .brokenLink(index: 2, trackingCode: board.entries[3].trackingCode))
        #expect(droppedLast.verify() == .headMismatch(expected: board.head, found: board.entries[2].hash))
        #expect(droppedLastAndHead.verify() == .ballotCountMismatch(entries: 3, voters: 4))
        #expect(headerVoters.verify() == .headerAltered)
        #expect(result.verify() == .resultMismatch(published: ["krcert-cc"], recounted: ["singcert"]))
        #expect(changed.verify().description.contains("the chain breaks at ballot 2"))
    }

    @Test func aBallotTheCountCannotTakeIsNamed() {
        // setup: a ballot for one who is not a candidate, chained as if it were honest
        let board = Self.board([["singcert"], ["cert-in"]])

        // act
        let verdict = board.verify()

        // validate
        guard case .invalidBallot(_, _, let reason) = verdict else {
            Issue.record("expected an invalid ballot, got \(verdict)")
            return
        }
        #expect(reason.contains("'cert-in' is not a candidate"))
    }

    @Test func trackingCodesAreCrockfordGroupsFoundWhateverTheirCase() {
        // setup
        var seen = Set<String>()

        // act
        for _ in 0..<2_000 { seen.insert(TrackingCode.make()) }
        let sample = seen.first ?? ""

        // validate
        #expect(seen.count == 2_000, "80 random bits do not repeat in 2,000 draws")
        #expect(seen.allSatisfy { $0.wholeMatch(of: /[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}/) != nil })
        #expect(
            TrackingCode.normalized(sample.lowercased().replacingOccurrences(of: "-", with: " "))
                == TrackingCode.normalized(sample))
        #expect(TrackingCode.normalized("O1IL-") == "0111")
    }

    @Test func termLimitsCountOnlyTermsBackToBack() throws {
        // setup
        let day = { (text: String) in CivilDate(text)! }
        let two = [
            Candidacy.HeldTerm(startsOn: day("2025-01-20"), endsOn: day("2026-01-19")),
            Candidacy.HeldTerm(startsOn: day("2026-01-20"), endsOn: day("2027-01-19")),
        ]
        let gap = [
            Candidacy.HeldTerm(startsOn: day("2023-01-20"), endsOn: day("2024-01-19")),
            Candidacy.HeldTerm(startsOn: day("2026-01-20"), endsOn: day("2027-01-19")),
        ]
        let start = day("2027-01-20")

        // act and validate
        #expect(Candidacy.consecutiveTerms(two, before: start) == 2)
        #expect(Candidacy.consecutiveTerms(gap, before: start) == 1)
        #expect(Candidacy.consecutiveTerms([], before: start) == 0)
        #expect(throws: Candidacy.Ineligibility.termLimit(consecutive: 3, limit: 2, office: "Chair")) {
            try Candidacy.check(
                rights: [.vote, .stand], category: "Full", held: two, newTermStartsOn: start, limit: 2, office: "Chair")
        }
        try Candidacy.check(
            rights: [.vote, .stand], category: "Full", held: gap, newTermStartsOn: start, limit: 2, office: "Chair")
        try Candidacy.check(
            rights: [.vote, .stand], category: "Full", held: two, newTermStartsOn: start, limit: nil, office: "SC")
        #expect(throws: Candidacy.Ineligibility.mayNotStand(category: "General")) {
            try Candidacy.check(
                rights: [.attendClosedSessions], category: "General", held: [], newTermStartsOn: start, limit: 2,
                office: "Chair")
        }
    }
}
