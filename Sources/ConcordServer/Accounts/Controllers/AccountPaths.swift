extension Paths {
    /// The login pages.
    enum Accounts {
        static let login = "login"
        static let logout = "logout"
        static let account = "account"
        static let password = "password"
        static let tokens = "tokens"
        static let revoke = "revoke"
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
