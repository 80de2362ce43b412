import Fluent
import Foundation

/// Where a team wants notifications POSTed as signed JSON. The HMAC secret is not stored: it is
/// derived from the server secret, the team and `secretVersion` (`ServerSecret.webhookSecret`), and
/// a new version rotates it.
// @unchecked Sendable: see Economy.
final class TeamWebhook: Model, @unchecked Sendable {
    static let schema = "team_webhooks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Field(key: "url") var url: String
    @Field(key: "secret_version") var secretVersion: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
