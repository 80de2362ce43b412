import Fluent
import Foundation

/// A general meeting of the forum: annual (the AGM) or extraordinary, convened with notice, opened
/// and closed by the secretariat; its counters number its motions and its resolutions.
// @unchecked Sendable: see Economy.
final class GeneralMeeting: Model, @unchecked Sendable {
    static let schema = "general_meetings"

    @ID(key: .id) var id: UUID?
    /// `AGM-2027`, or `EGM-2027-06-15` for an extraordinary one.
    @Field(key: "reference") var reference: String
    @Field(key: "kind") var kind: MeetingKind
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    /// The IANA time zone the meeting is held in (its notice and minutes print times in it).
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "location") var location: String
    /// The agenda, `[AgendaItem]` as JSON.
    @Field(key: "agenda") var agenda: String
    @Field(key: "state") var state: MeetingState
    @Field(key: "convened_at") var convenedAt: Date
    @Field(key: "convened_by") var convenedBy: String
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The last motion's number (a counter row: each motion takes the next in its own write).
    @Field(key: "motions") var motions: Int
    /// The last resolution's number.
    @Field(key: "resolutions") var resolutions: Int

    init() {}

    var agendaItems: [AgendaItem] {
        (try? JSONDecoder().decode([AgendaItem].self, from: Data(agenda.utf8))) ?? []
    }
}

/// An annual or an extraordinary general meeting.
enum MeetingKind: String, Codable, Sendable, CaseIterable {
    case annual, extraordinary
}

/// Where a meeting stands.
enum MeetingState: String, Codable, Sendable, CaseIterable {
    case convened, open, closed
}

/// One item of a meeting's agenda.
struct AgendaItem: Codable, Equatable, Sendable {
    /// `reports`, `plans`, `new-members`, `elections`, `other-business`, or `item`.
    var kind: String
    var title: String
}
