extension Paths {
    /// The login pages.
    enum Accounts {
        static let login = "login"
        static let logout = "logout"

        /// The login page, sending the user on to `next` (already percent-encoded) once logged in.
        static func loginPage(next: String? = nil) -> String {
            "/\(login)" + (next.map { "?next=\($0)" } ?? "")
        }
    }
}
