import Fluent
import Foundation

/// One team's term in one of the forum's offices: chair, deputy chair, or a steering committee
/// seat of a class. The history of offices is every term, ended ones included.
// @unchecked Sendable: see Economy.
final class OfficeTerm: Model, @unchecked Sendable {
    static let schema = "office_terms"

    @ID(key: .id) var id: UUID?
    /// `chair`, `deputy-chair` or `steering-committee`.
    @Field(key: "office") var office: String
    /// The steering committee seat's class (0, 1, …); nil for a single office.
    @OptionalField(key: "seat_class") var seatClass: Int?
    @Parent(key: "team_id") var team: Team
    /// The person who holds the office for the team, as announced.
    @Field(key: "holder") var holder: String
    /// First and last day of the term (`YYYY-MM-DD`); the term ends at the end of `ends_on`.
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    /// How the team came to hold it: an election's title, or "appointed", "before Concord".
    @Field(key: "source") var source: String

    init() {}

    init(
        office: String, seatClass: Int?, teamID: UUID, holder: String, startsOn: String, endsOn: String, source: String
    ) {
        self.office = office
        self.seatClass = seatClass
        self.$team.id = teamID
        self.holder = holder
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.source = source
    }
}
