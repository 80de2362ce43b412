import ConcordCore
import Foundation
import Vapor

/// An election in the list.
public struct ElectionSummaryDTO: Content, Equatable {
    public let reference: String
    public let meeting: String
    public let office: String
    public let officeName: String
    public let seats: Int
    public let method: String
    public let title: String
    public let state: String
    public let nominationsCloseAt: Date
    /// The elected teams' slugs, in the order elected, once closed.
    public let elected: [String]?

    init(_ election: Election) {
        reference = election.reference
        meeting = election.meeting.reference
        office = election.office
        officeName = Offices.name(election.office, seatClass: election.seatClass)
        seats = election.seats
        method = election.method.rawValue
        title = election.title
        state = election.state.rawValue
        nominationsCloseAt = election.nominationsCloseAt
        elected = election.publishedBoard?.result.elected
    }
}

/// An election whole: its office and term, the candidates with their statements, the roll and its
/// SHA-256, which teams voted (never how), the caller's own team, and at the close the result with
/// the board's head. Ballots are on the board (`GET /api/v1/elections/REF/board`).
public struct ElectionDTO: Content, Equatable {
    /// A nominated team.
    public struct Candidate: Content, Equatable {
        public let team: String
        public let teamName: String
        public let holder: String
        public let statement: String
        public let nominatedBy: String
        public let secondedBy: String?
        /// Seconded and not withdrawn: on the ballot.
        public let standing: Bool
        public let withdrawn: Bool
    }

    /// The caller's own team in this election.
    public struct OwnTeam: Content, Equatable {
        public let team: String
        public let onRoll: Bool
        public let voted: Bool
        /// Whether the caller may cast the team's ballot now.
        public let mayVote: Bool
        /// The teams on the roll the caller's team holds the proxy of, and whether each voted.
        public let proxies: [String]
        public let mayNominate: Bool
    }

    public let reference: String
    public let meeting: String
    public let meetingTitle: String
    public let office: String
    public let officeName: String
    public let seatClass: Int?
    public let seats: Int
    public let method: String
    public let title: String
    public let state: String
    public let nominationsCloseAt: Date
    public let termStartsOn: String
    public let termEndsOn: String
    public let calledAt: Date
    public let openedAt: Date?
    public let closedAt: Date?
    public let candidates: [Candidate]
    /// The candidates on the ballot in the lot's order, drawn when it opened.
    public let lot: [String]?
    public let roll: [String]?
    public let rollSHA256: String?
    public let presentAtOpening: Int?
    public let votingMembersAtOpening: Int?
    /// The teams that have voted, by slug, sorted (never how).
    public let voted: [String]
    public let result: ElectionResult?
    public let boardHead: String?
    public let ownTeam: OwnTeam?
}

/// A ballot taken: shown once, to the team that cast it.
public struct ElectionBallotReceiptDTO: Content, Equatable {
    public let election: String
    public let team: String
    public let trackingCode: String
    public let note: String
}
