extension Paths {
    /// The login pages.
    enum Accounts {
        static let login = "login"
        static let logout = "logout"
        static let account = "account"
        static let password = "password"
        static let tokens = "tokens"
        static let revoke = "revoke"
        /// Accounts for their administrators: `/api/v1/users` and `/admin/users`.
        static let users = "users"
        static let role = "role"
        static let disable = "disable"
        static let enable = "enable"
        /// The second factor on the account page, `/account/totp`.
        static let totp = "totp"
        /// The users page, `/admin/users`.
        static var usersPage: String { "/\(Paths.admin)/\(users)" }
        /// The account page, `/account`.
        static var accountPage: String { "/\(account)" }
        /// The user's own API tokens, `/account/tokens`.
        static var tokensPage: String { "/\(account)/\(tokens)" }

        /// The page where a user chooses a new password (the first thing after a one-time one).
        static func passwordPage(next: String? = nil) -> String {
            "/\(account)/\(password)" + (next.map { "?next=\($0)" } ?? "")
        }

        /// The login page, sending the user on to `next` (already percent-encoded) once logged in.
        static func loginPage(next: String? = nil) -> String {
            "/\(login)" + (next.map { "?next=\($0)" } ?? "")
        }
    }
}
