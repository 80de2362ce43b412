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
    /// No longer counted (failed logins are throttled in `login_throttles`, `LoginThrottle`); kept
    /// because the column has landed.
    @Field(key: "failed_logins") var failedLogins: Int
    /// No longer set: a failed password never locks an account's tokens or sessions (`LoginThrottle`).
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// The RFC 6238 time step of the last second-factor code accepted (a code logs in once).
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// Concord generated the password and printed it once: the first login must choose another.
    @Field(key: "must_change_password") var mustChangePassword: Bool
    /// When an administrator disabled the account (`UserAdministration`); nil while it may log in.
    @OptionalField(key: "disabled_at") var disabledAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(email: String, displayName: String, teamID: UUID, role: Role, passwordHash: String) {
        self.email = email
        self.displayName = displayName
        self.$team.id = teamID
        self.role = role
        self.passwordHash = passwordHash
        self.failedLogins = 0
        self.mustChangePassword = false
    }
}
