import Fluent
import Foundation

/// A one-time, expiring link in a notification e-mail that acknowledges one assignment without
/// logging in. Its token is not stored at all: it is the link's id and an HMAC of it under the
/// server secret (`ServerSecret.acknowledgementToken`), made when the mail is sent and checked
/// when the link is opened.
// @unchecked Sendable: see Economy.
final class AcknowledgementLink: Model, @unchecked Sendable {
    static let schema = "acknowledgement_links"

    /// How long a link works: three days, longer than any escalation takes.
    static let lifetime: TimeInterval = 3 * 86_400

    @ID(key: .id) var id: UUID?
    @Parent(key: "assignment_id") var assignment: IncidentAssignment
    /// The address the link was mailed to; the timeline names it as the acknowledger.
    @Field(key: "recipient") var recipient: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
