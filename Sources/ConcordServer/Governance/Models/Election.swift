import ConcordCore
import Fluent
import Foundation

/// An election at a general meeting for one of the forum's offices: a chair, a deputy chair, or a
/// class of steering committee seats (or a vacancy for the rest of its term). Nominations come
/// first, seconded; then a secret ballot of the voting members present or represented; at the
/// close the ballots move to the public board (`ElectionBoard`) and the elected take their terms.
// @unchecked Sendable: see Economy.
final class Election: Model, @unchecked Sendable {
    static let schema = "elections"

    @ID(key: .id) var id: UUID?
    /// `AGM-2027-E1`: the meeting's reference and the election's number at it.
    @Field(key: "reference") var reference: String
    @Parent(key: "meeting_id") var meeting: GeneralMeeting
    /// `chair`, `deputy-chair` or `steering-committee`.
    @Field(key: "office") var office: String
    /// The steering committee's seat class (0, 1, …); nil for a single office.
    @OptionalField(key: "seat_class") var seatClass: Int?
    @Field(key: "seats") var seats: Int
    @Field(key: "method") var method: ElectionMethod
    @Field(key: "title") var title: String
    @Field(key: "state") var state: ElectionState
    @Field(key: "nominations_close_at") var nominationsCloseAt: Date
    /// The terms the elected serve, first and last day (`YYYY-MM-DD`).
    @Field(key: "term_starts_on") var termStartsOn: String
    @Field(key: "term_ends_on") var termEndsOn: String
    @Field(key: "called_at") var calledAt: Date
    @Field(key: "called_by") var calledBy: String
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The teams that may vote, as the ballot opened (team ids as a JSON array).
    @OptionalField(key: "roll") var roll: String?
    @OptionalField(key: "roll_sha256") var rollSHA256: String?
    @OptionalField(key: "present_at_opening") var presentAtOpening: Int?
    @OptionalField(key: "voting_members_at_opening") var votingMembersAtOpening: Int?
    /// The candidates' slugs, in the order the lot drew them when the ballot opened (a JSON array).
    @OptionalField(key: "lot") var lot: String?
    /// The public board, written at the close (`ElectionBoard` as JSON).
    @OptionalField(key: "board") var board: String?

    init() {}

    var rollIDs: [UUID] { Self.decode([UUID].self, roll) ?? [] }
    var lotOrder: [String] { Self.decode([String].self, lot) ?? [] }
    var publishedBoard: ElectionBoard? { Self.decode(ElectionBoard.self, board) }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        text.flatMap { try? JSONDecoder().decode(type, from: Data($0.utf8)) }
    }
}

/// Where an election stands.
enum ElectionState: String, Codable, Sendable, CaseIterable {
    case nominating, voting, closed, cancelled
}

/// A team standing in an election: nominated by itself or by a voting member, seconded by another.
// @unchecked Sendable: see Economy.
final class ElectionCandidate: Model, @unchecked Sendable {
    static let schema = "election_candidates"

    @ID(key: .id) var id: UUID?
    @Parent(key: "election_id") var election: Election
    @Parent(key: "team_id") var team: Team
    /// The person who would hold the office for the team.
    @Field(key: "holder") var holder: String
    /// The candidate's statement, published with the nominations.
    @Field(key: "statement") var statement: String
    @Parent(key: "nominated_by_team_id") var nominatedBy: Team
    @OptionalParent(key: "seconded_by_team_id") var secondedBy: Team?
    @Field(key: "nominated_at") var nominatedAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    init() {}

    /// On the ballot: seconded and not withdrawn.
    var isStanding: Bool { $secondedBy.id != nil && withdrawnAt == nil }
}

/// The record that a team voted in an election: kept apart from its ballot, with no shared id, no
/// time and no order (`ElectionBallots`).
// @unchecked Sendable: see Economy.
final class ElectionParticipation: Model, @unchecked Sendable {
    static let schema = "election_participations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "election_id") var election: Election
    @Parent(key: "team_id") var team: Team

    init() {}
}
