import Fluent
import Foundation

/// A member team: its names, economy, membership, service hours and RFC 2350 profile.
/// Dates without a time of day (joined, may vote from, RFC 2350 last update) are ISO `YYYY-MM-DD`
/// strings, so that no time zone can move them by a day.
// @unchecked Sendable: see Economy.
final class Team: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "host_organisation") var hostOrganisation: String
    @Parent(key: "economy_id") var economy: Economy
    @Parent(key: "category_id") var category: MembershipCategory
    @Field(key: "status") var status: TeamStatus
    @OptionalField(key: "joined_on") var joinedOn: String?
    @OptionalField(key: "may_vote_from") var mayVoteFrom: String?
    @OptionalField(key: "website") var website: String?
    @Field(key: "business_hours") var businessHours: String
    @Field(key: "time_zone") var timeZone: String
    /// The team's own promise to acknowledge within this many minutes; nil: the forum's default.
    @OptionalField(key: "acknowledgement_minutes") var acknowledgementMinutes: Int?
    @Field(key: "description") var teamDescription: String
    @Field(key: "is_secretariat") var isSecretariat: Bool
    @Field(key: "internal_notes") var internalNotes: String
    @OptionalField(key: "rfc2350_updated_on") var rfc2350UpdatedOn: String?
    @Field(key: "rfc2350_distribution") var rfc2350Distribution: String
    @Field(key: "rfc2350_authenticity") var rfc2350Authenticity: String
    @Field(key: "rfc2350_constituency") var rfc2350Constituency: String
    @Field(key: "rfc2350_sponsorship") var rfc2350Sponsorship: String
    @Field(key: "rfc2350_authority") var rfc2350Authority: String
    @Field(key: "rfc2350_policies") var rfc2350Policies: String
    @Field(key: "rfc2350_services") var rfc2350Services: String
    @Field(key: "rfc2350_reporting_forms") var rfc2350ReportingForms: String
    @Children(for: \.$team) var contacts: [Contact]
    @Children(for: \.$team) var constituency: [ConstituencyEntry]
    @Children(for: \.$team) var statusHistory: [TeamStatusChange]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// The statuses a team passes through.
enum TeamStatus: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case applied, active, suspended, former

    var description: String { rawValue }
}

/// One dated entry of a team's status history.
// @unchecked Sendable: see Economy.
final class TeamStatusChange: Model, @unchecked Sendable {
    static let schema = "team_status_changes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Field(key: "status") var status: TeamStatus
    @Field(key: "effective_on") var effectiveOn: String
    @Field(key: "note") var note: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(teamID: UUID, status: TeamStatus, effectiveOn: String, note: String) {
        self.$team.id = teamID
        self.status = status
        self.effectiveOn = effectiveOn
        self.note = note
    }
}
