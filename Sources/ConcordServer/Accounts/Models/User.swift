import Fluent
import Foundation

/// A person who logs in. Belongs to one team and holds one role there.
// @unchecked Sendable: see Economy.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Parent(key: "team_id") var team: Team
    @Enum(key: "role") var role: Role
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(email: String, displayName: String, teamID: UUID, role: Role, passwordHash: String) {
        self.email = email
        self.displayName = displayName
        self.$team.id = teamID
        self.role = role
        self.passwordHash = passwordHash
        self.failedLogins = 0
    }
}
