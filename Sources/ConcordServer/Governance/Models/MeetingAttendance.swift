import Fluent
import Foundation

/// A team at a general meeting: present in person or online, or represented by a proxy held by a
/// present voting member (in one of the holder's numbered proxy slots, so that the holder's limit
/// is kept by a unique key, not by counting first).
// @unchecked Sendable: see Economy.
final class MeetingAttendance: Model, @unchecked Sendable {
    static let schema = "meeting_attendances"

    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: GeneralMeeting
    @Parent(key: "team_id") var team: Team
    @Field(key: "mode") var mode: AttendanceMode
    /// The present team holding this team's proxy.
    @OptionalParent(key: "proxy_team_id") var proxyHolder: Team?
    /// The holder's slot this proxy takes (1 … the constitution's maximum).
    @OptionalField(key: "proxy_slot") var proxySlot: Int?
    @Field(key: "checked_in_at") var checkedInAt: Date
    @Field(key: "checked_in_by") var checkedInBy: String

    init() {}
}

/// How a team takes part in a meeting.
enum AttendanceMode: String, Codable, Sendable, CaseIterable {
    case inPerson = "in-person"
    case online
    case proxy
}
