import Vapor

/// Who is looking, for the page header of every web page.
struct WebViewer: Encodable {
    let email: String
    let role: String
    let team: String
    let teamSlug: String
    /// True for the secretariat and forum administrators: the header adds their pages (the audit log).
    let forumWide: Bool
    /// True for forum and team administrators: the header adds the users page.
    let managesUsers: Bool
    /// The header's menu entry this page belongs to (`aria-current="page"` on it), or "".
    let section: String

    /// The menu entry for a page's path: the longest menu path it falls under.
    static func section(ofPath path: String) -> String {
        let entries: [(prefix: String, section: String)] = [
            (Paths.deskPage, "desk"), (Paths.newIncidentPage, "report"), ("/incidents", "incidents"),
            ("/sharing", "sharing"),
            ("/sensors", "sensors"), ("/drills", "drills"), ("/reports", "reports"), ("/governance", "governance"),
            ("/teams", "directory"),
            ("/economies", "directory"),
            ("/account", "account"), ("/admin/users", "users"), ("/admin", "admin"),
        ]
        if path == "/" { return "directory" }
        return entries.first { path == $0.prefix || path.hasPrefix($0.prefix + "/") }?.section ?? ""
    }
}

extension Request {
    /// The logged-in viewer; 401 (the login page) otherwise.
    func webViewer() async throws -> WebViewer {
        guard let principal = auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let team = try await Team.find(principal.teamID, on: db)
        return WebViewer(
            email: principal.email, role: principal.role.rawValue, team: team?.shortName ?? "",
            teamSlug: team?.slug ?? "", forumWide: principal.role.isForumWide,
            managesUsers: principal.role == .forumAdmin || principal.role == .teamAdmin,
            section: WebViewer.section(ofPath: url.path))
    }
}
