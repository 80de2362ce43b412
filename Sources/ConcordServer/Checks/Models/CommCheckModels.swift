import Fluent
import Foundation

/// A communication check: a challenge to every selected contact of every team, answered (or not)
/// within a window.
// @unchecked Sendable: see Economy.
final class CommCheck: Model, @unchecked Sendable {
    static let schema = "comm_checks"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "started_at") var startedAt: Date
    /// Seconds a contact has to answer.
    @Field(key: "window_seconds") var windowSeconds: Int
    /// The schedule that started it, if any.
    @OptionalField(key: "schedule_id") var scheduleID: UUID?
    @Field(key: "created_by") var createdBy: UUID

    init() {}

    /// When the window closes.
    var closesAt: Date { startedAt.addingTimeInterval(TimeInterval(windowSeconds)) }
}

/// One contact of one team challenged in a check.
// @unchecked Sendable: see Economy.
final class CommChallenge: Model, @unchecked Sendable {
    static let schema = "comm_challenges"

    /// How the challenge travels.
    enum Channel: String, Codable, Sendable {
        /// Mail with a one-time link, encrypted to the contact's key.
        case email
        /// A call exercise control makes and records (phones, hotlines, messengers).
        case manual
        /// The team has no contact of the kinds checked.
        case none
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "check_id") var checkID: UUID
    @Field(key: "team_id") var teamID: UUID
    @OptionalField(key: "contact_id") var contactID: UUID?
    @Field(key: "kind") var kind: String
    @Enum(key: "channel") var channel: Channel
    @Field(key: "address") var address: String
    @Field(key: "sent_at") var sentAt: Date
    @OptionalField(key: "answered_at") var answeredAt: Date?
    /// link, api, signed-mail or manual.
    @OptionalField(key: "answered_via") var answeredVia: String?
    /// JSON: what was found about the contact when the check started.
    @Field(key: "findings") var findings: String
    @OptionalField(key: "outbox_message_id") var outboxMessageID: UUID?

    init() {}
}

/// A check that repeats (e.g. quarterly).
// @unchecked Sendable: see Economy.
final class CommCheckSchedule: Model, @unchecked Sendable {
    static let schema = "comm_check_schedules"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "every_days") var everyDays: Int
    @Field(key: "window_seconds") var windowSeconds: Int
    @Field(key: "next_at") var nextAt: Date
    @Field(key: "created_by") var createdBy: UUID

    init() {}
}
