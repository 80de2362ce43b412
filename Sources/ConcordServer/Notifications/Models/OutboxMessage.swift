import Fluent
import Foundation

/// One notification waiting in, or delivered from, the durable outbox. The row is written in the
/// same transaction as the event that causes it; `OutboxWorker` delivers it. Its `messageID` stays
/// the same on every attempt, so a copy sent twice (a crash between sending and marking) is
/// recognisable as the same message.
// @unchecked Sendable: see Economy.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    /// How the message travels.
    enum Channel: String, Codable, Sendable {
        case email, webhook
    }

    /// Where the message stands.
    enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for its first or next attempt (`nextAttemptAt`).
        case pending
        /// A worker holds it until `leaseUntil`; if the worker dies, another takes it after that.
        case sending
        case sent
        /// Given up after the retry policy's last attempt.
        case failed
        /// Not sent on purpose: the forum requires encryption and the contact has no usable key.
        case withheld
    }

    @ID(key: .id) var id: UUID?
    @OptionalParent(key: "incident_id") var incident: Incident?
    @OptionalParent(key: "assignment_id") var assignment: IncidentAssignment?
    @Parent(key: "team_id") var team: Team
    @OptionalParent(key: "contact_id") var contact: Contact?
    @Enum(key: "channel") var channel: Channel
    /// `NotificationPurpose`'s raw value.
    @Field(key: "purpose") var purpose: String
    /// The e-mail address, or the webhook's address when it was queued.
    @Field(key: "recipient") var recipient: String
    @Field(key: "message_id") var messageID: String
    @Field(key: "subject") var subject: String
    /// Plain text (e-mail) or JSON (webhook), with `{{public-url}}` and `{{acknowledge-url}}` left
    /// for delivery, so that no link token is ever stored.
    @Field(key: "body") var body: String
    @OptionalField(key: "acknowledgement_link_id") var acknowledgementLinkID: UUID?
    /// For an aggregated feed notification: the group whose events it carries (as CSV).
    @OptionalField(key: "feed_group_id") var feedGroupID: UUID?
    @Enum(key: "state") var state: State
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    /// The token of the claim sending it (see `AddOutboxClaimToken`); nil when no worker holds it.
    @OptionalField(key: "claim_token") var claimToken: String?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// For e-mail once sent: whether it went OpenPGP-encrypted or signed only.
    @OptionalField(key: "encrypted") var encrypted: Bool?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
