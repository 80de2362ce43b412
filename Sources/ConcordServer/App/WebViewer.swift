import Vapor

/// Who is looking, for the page header of every web page.
struct WebViewer: Encodable {
    let email: String
    let role: String
    let team: String
    let teamSlug: String
}

extension Request {
    /// The logged-in viewer; 401 (the login page) otherwise.
    func webViewer() async throws -> WebViewer {
        guard let principal = auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let team = try await Team.find(principal.teamID, on: db)
        return WebViewer(
            email: principal.email, role: principal.role.rawValue, team: team?.shortName ?? "",
            teamSlug: team?.slug ?? "")
    }
}
