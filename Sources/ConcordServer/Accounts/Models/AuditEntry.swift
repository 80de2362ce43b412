import Fluent
import Foundation

/// One line of the audit log: who did what to which thing, when, from where. Rows are only ever
/// inserted; no route or service updates or deletes them.
// @unchecked Sendable: see Economy.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "target_type") var targetType: String
    @OptionalField(key: "target_id") var targetID: String?
    @Field(key: "summary") var summary: String
    @OptionalField(key: "remote_address") var remoteAddress: String?

    init() {}

    init(
        at: Date, actor: String, actorUserID: UUID?, action: String, targetType: String, targetID: String?,
        summary: String, remoteAddress: String?
    ) {
        self.at = at
        self.actor = actor
        self.actorUserID = actorUserID
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.summary = summary
        self.remoteAddress = remoteAddress
    }
}
